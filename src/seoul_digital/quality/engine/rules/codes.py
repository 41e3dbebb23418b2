"""Codes, identifiers, yes/no flags and district names."""

from __future__ import annotations

import re

from seoul_digital.quality.engine.rules.base import OK, ColumnRule, Verdict

__all__ = ["CodeRule", "IdRule", "FlagRule", "DistrictRule", "AGGREGATE_LABELS"]

_SCI = re.compile(r"^[-+]?\d(?:\.\d+)?[eE]\+?\d+$")
AGGREGATE_LABELS = frozenset({"합계", "소계", "계", "총계", "전체", "합", "서울시", "서울특별시",
                              "Total", "total", "TOTAL"})


class CodeRule(ColumnRule):
    """…코드 columns: values from a code list when one is known, all of one length, no
    lost leading zeros (Excel turns 01 into 1)."""

    kind = "code"
    mixed_rule = "code_length_mixed"

    def __init__(self, *, codes=None, length: int | None = None, pattern: str | None = None):
        self.codes = frozenset(codes) if codes else None
        self.length = length
        self.pattern = re.compile(pattern) if pattern else None

    def evaluate(self, text: str) -> Verdict:
        if _SCI.match(text):
            return Verdict(("id_scientific_notation",), fmt="sci")
        errors: list[str] = []
        fix = fix_rule = None
        value = text
        if self.length and text.isdigit() and len(text) < self.length:
            padded = text.zfill(self.length)
            if self.codes is None or padded in self.codes:
                errors.append("code_leading_zero_lost")
                fix, fix_rule = padded, "code_leading_zero_lost"
                value = padded
        if self.codes is not None and value not in self.codes:
            errors.append("code_not_in_list")
        elif self.pattern is not None and not self.pattern.fullmatch(value):
            errors.append("pattern_mismatch")
        return Verdict(tuple(errors), fmt=f"{len(value)}자리", fix=fix, fix_rule=fix_rule)


class IdRule(ColumnRule):
    """…번호 / ID columns: never in scientific notation, one length per column."""

    kind = "id"
    mixed_rule = None

    def __init__(self, *, pattern: str | None = None):
        self.pattern = re.compile(pattern) if pattern else None

    def evaluate(self, text: str) -> Verdict:
        if _SCI.match(text):
            return Verdict(("id_scientific_notation",), fmt="sci")
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return Verdict(("pattern_mismatch",))
        if text.endswith(".0") and text[:-2].isdigit():
            return Verdict(("id_scientific_notation",), proposal=text[:-2])
        return OK


_FLAG_VOCABULARIES = {
    "Y/N": {"Y": True, "N": False, "y": True, "n": False},
    "1/0": {"1": True, "0": False},
    "예/아니오": {"예": True, "아니오": False, "아니요": False},
    "유/무": {"유": True, "무": False, "있음": True, "없음": False},
    "O/X": {"O": True, "X": False, "o": True, "x": False},
    "TRUE/FALSE": {"TRUE": True, "FALSE": False, "True": True, "False": False, "true": True,
                   "false": False, "T": True, "F": False},
    "해당/미해당": {"해당": True, "미해당": False, "비해당": False},
    "운영/미운영": {"운영": True, "미운영": False},
}


class FlagRule(ColumnRule):
    """…여부 columns: one yes/no vocabulary per column."""

    kind = "flag"
    mixed_rule = "flag_mixed_vocabulary"

    def evaluate(self, text: str) -> Verdict:
        for name, vocabulary in _FLAG_VOCABULARIES.items():
            if text in vocabulary:
                return Verdict(fmt=name, parsed=vocabulary[text])
        return Verdict(("flag_invalid",))


class DistrictRule(ColumnRule):
    """자치구 columns in Seoul files: one of the 25 names ("서울특별시 강남구" accepted)."""

    kind = "district"

    def __init__(self):
        # common.districts is read when a file has a district column, not at import
        from seoul_digital.common.districts import DISTRICTS

        self.names = {d.name_ko for d in DISTRICTS}
        self.short = {d.name_ko[:-1]: d.name_ko for d in DISTRICTS}

    def evaluate(self, text: str) -> Verdict:
        name = text
        for prefix in ("서울특별시 ", "서울시 ", "서울 "):
            if name.startswith(prefix):
                name = name[len(prefix):]
        if name in self.names:
            return OK
        if name in AGGREGATE_LABELS:
            return Verdict(fmt="aggregate", parsed="aggregate")
        if name in self.short:
            return Verdict(("district_name_short",), fix=self.short[name],
                           fix_rule="district_name_short")
        return Verdict(("district_unknown",))
