"""Money and rate formatting for governance pages (won → 천원/백만원, ratios, %p)."""

from decimal import Decimal

from django import template

from seoul_digital.core import formatting

register = template.Library()


@register.filter
def won_million(won, places=1):
    """Won → 백만원 figure without the unit: 95_000_000 → '95.0'."""
    if won in (None, ""):
        return ""
    return formatting.group(Decimal(won) / 1_000_000, int(places))


@register.filter
def won_thousand(won):
    if won in (None, ""):
        return ""
    return formatting.group(Decimal(won) / 1000, 0)


@register.filter
def rate(ratio, places=1):
    """0–1 ratio → '12.3%' ('-' when unknown)."""
    if ratio in (None, ""):
        return "-"
    return formatting.percent(ratio, int(places))


@register.filter
def pp(value, places=1):
    """Percentage points with a sign: '+2.0%p', '−13.0%p'."""
    if value in (None, ""):
        return "-"
    value = Decimal(value)
    text = formatting.group(abs(value), int(places))
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{text}%p"


@register.filter
def million_plain(value):
    """A 백만원 figure as the report writes it: whole numbers bare, else one decimal."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    return formatting.group(value, places)


@register.filter
def report_cell(value, style):
    from seoul_digital.governance.engine.report import cell_text

    return cell_text(value, style)


@register.filter
def zip_cells(row, styles):
    return list(zip(row.cells, styles))
