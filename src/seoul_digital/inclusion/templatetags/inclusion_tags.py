"""Template helpers for the inclusion pages."""

from django import template

from seoul_digital.inclusion import access
from seoul_digital.inclusion.explain import reason_text as _reason_text
from seoul_digital.inclusion.explain import windows_text

register = template.Library()


@register.simple_tag
def inclusion_groups(user) -> dict:
    """Which parts of the app the user may use, for the sub-navigation."""
    return {name: access.in_group(user, name) for name in access.GROUPS}


@register.filter
def reason_text(reason) -> str:
    return _reason_text(reason)


@register.filter
def hours(minutes) -> str:
    if minutes in (None, ""):
        return ""
    value = minutes / 60
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.filter
def score(value) -> str:
    if value in (None, ""):
        return "–"
    return f"{value:.1f}"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def days(label) -> str:
    """Weekly windows with the interface language's day names."""
    return windows_text(label or "")


@register.filter
def labels(codes, kind) -> str:
    """Codes of a list field (levels, devices, languages) as their display labels."""
    from seoul_digital.inclusion.models import Device, Language, Level

    choices = {"level": Level, "device": Device, "language": Language}[kind]
    names = dict(choices.choices)
    return ", ".join(str(names.get(code, code)) for code in (codes or []))
