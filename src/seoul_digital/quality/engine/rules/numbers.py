"""Numbers as spreadsheets write them: thousands separators, units, percentages."""

from __future__ import annotations

import re

from seoul_digital.quality.engine.rules.base import ColumnRule, Verdict

__all__ = ["NumberRule", "parse_number"]

_PLAIN = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_UNIT = re.compile(r"^([-+]?[\d,]*\.?\d+)\s*(원|천원|백만원|억원|명|개|개소|대|건|회|㎡|m2|m²|km|m|%|세|호|층)$")


def parse_number(text: str) -> float | None:
    t = text.strip()
    if _PLAIN.match(t):
        return float(t)
    if _THOUSANDS.match(t):
        return float(t.replace(",", ""))
    return None


class NumberRule(ColumnRule):
    """Numeric columns. ``integer``: counts and 수/대수/인원; ``minimum``/``maximum``: range;
    ``percent``: 율/률 columns, 0–100 unless the spec says otherwise."""

    kind = "number"

    def __init__(self, *, integer: bool = False, minimum: float | None = None,
                 maximum: float | None = None, percent: bool = False, kind: str | None = None):
        self.integer = integer
        self.minimum = minimum
        self.maximum = maximum
        self.percent = percent
        if percent and minimum is None:
            self.minimum = 0.0
        if percent and maximum is None:
            self.maximum = 100.0
        if kind:
            self.kind = kind

    def evaluate(self, text: str) -> Verdict:
        errors: list[str] = []
        fix = fix_rule = None
        t = text
        if _PLAIN.match(t):
            value = float(t)
            fmt = "plain"
        elif _THOUSANDS.match(t):
            value = float(t.replace(",", ""))
            fmt = "thousands"
            errors.append("thousands_separator")
            fix, fix_rule = t.replace(",", ""), "thousands_separator"
        else:
            m = _UNIT.match(t)
            if m and (_PLAIN.match(m.group(1)) or _THOUSANDS.match(m.group(1))):
                value = float(m.group(1).replace(",", ""))
                fmt = "unit"
                if m.group(2) == "%" and self.percent:
                    pass  # "12.5%" in a 율 column says what the column says
                else:
                    errors.append("number_with_unit")
            else:
                return Verdict(("number_invalid",))
        if value != value or value in (float("inf"), float("-inf")):
            return Verdict(("number_invalid",))
        if self.minimum is not None and value < self.minimum:
            if self.minimum == 0 and not self.percent:
                errors.append("negative_value")
            else:
                errors.append("percent_out_of_range" if self.percent else "value_out_of_range")
        elif self.maximum is not None and value > self.maximum:
            errors.append("percent_out_of_range" if self.percent else "value_out_of_range")
        if self.integer and not float(value).is_integer():
            errors.append("not_integer")
        return Verdict(tuple(errors), fmt=fmt, parsed=value, fix=fix, fix_rule=fix_rule)
