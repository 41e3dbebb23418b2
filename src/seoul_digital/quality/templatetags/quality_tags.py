"""Template helpers: rule and dimension names in the page's language, percentages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext

from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES

register = template.Library()


def _english() -> bool:
    return (get_language() or "ko").startswith("en")


@register.filter
def rule_title(rule: str) -> str:
    info = RULES.get(rule)
    if info is None:
        return rule
    return info.en if _english() else info.ko


@register.filter
def dimension_name(code: str) -> str:
    d = DIMENSIONS.get(code)
    if d is None:
        return code
    return d.en if _english() else d.ko


@register.filter
def severity_label(severity: str) -> str:
    return {"error": gettext("오류"), "warning": gettext("경고"), "info": gettext("참고")}.get(severity, severity)


@register.filter
def pct(rate, digits: int = 2) -> str:
    if rate is None or rate == "":
        return "-"
    try:
        return f"{float(rate) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return "-"


@register.filter
def kind_label(kind: str) -> str:
    from seoul_digital.quality.engine.render import KIND_KO

    if _english():
        return kind
    return KIND_KO.get(kind, kind)


@register.filter
def filesize(n) -> str:
    try:
        n = float(n)
    except (TypeError, ValueError):
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@register.filter
def version_state(state: str) -> str:
    from seoul_digital.quality.models import DatasetVersion

    return dict(DatasetVersion.State.choices).get(state, state or "")


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
