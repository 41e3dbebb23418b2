"""What every value rule returns, and the helpers rules share."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Verdict", "OK", "ColumnRule", "PLACEHOLDERS", "EXCEL_ERRORS"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a value rule says about one value."""

    errors: tuple[str, ...] = ()  # rule ids the value fails
    fmt: str | None = None  # format class, for one-format-per-column rules
    parsed: object = None  # parsed value for row rules (date as int, coordinate as float …)
    fix: str | None = None  # repaired text that needs no guessing (None: leave as is)
    fix_rule: str | None = None  # the rule that fix answers
    proposal: str | None = None  # a suggestion a person must confirm (never applied)


OK = Verdict()

PLACEHOLDERS = frozenset({"-", "−", "–", "—", "…", "n/a", "na", "null", "none", "nan", "없음",
                          "해당없음", "미상", "?", "."})
EXCEL_ERRORS = frozenset({"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#########"})


class ColumnRule:
    """One column's value rule. ``kind`` names it in reports; ``mixed_rule`` is the
    consistency finding raised when the column holds several ``fmt`` classes."""

    kind = "text"
    mixed_rule: str | None = None

    def evaluate(self, text: str) -> Verdict:  # text is stripped and not blank
        return OK

    def describe(self) -> str:
        return self.kind

    def preferred_format(self, counts: dict[str, int]) -> str | None:
        """The format the column should use: the most common by default."""
        return max(counts, key=counts.get) if counts else None
