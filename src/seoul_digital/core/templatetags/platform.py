"""Template filters for Korean money, percentages and masked personal data."""

from django import template
from django.utils.translation import get_language

from seoul_digital.core import formatting

register = template.Library()


@register.filter
def krw(value):
    return formatting.krw(value, lang=get_language() or "ko")


@register.filter
def chonwon(value):
    """Value already in 천원."""
    return formatting.thousand_krw(value, lang=get_language() or "ko")


@register.filter
def baekmanwon(value, places=0):
    """Value already in 백만원."""
    return formatting.million_krw(value, places=int(places), lang=get_language() or "ko")


@register.filter
def grouped(value, places=0):
    return formatting.group(value, int(places))


@register.filter
def pct(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def mask_phone(value):
    return formatting.mask_phone(value)


@register.filter
def mask_name(value):
    return formatting.mask_name(value)
