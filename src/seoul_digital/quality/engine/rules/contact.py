"""Phone numbers, postcodes and 사업자등록번호 (business registration numbers)."""

from __future__ import annotations

import re

from seoul_digital.quality.engine.rules.base import OK, ColumnRule, Verdict

__all__ = ["PhoneRule", "PostcodeRule", "BiznoRule", "format_phone", "bizno_ok"]

AREA_CODES = ("031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054",
              "055", "061", "062", "063", "064")
MOBILE = ("010", "011", "016", "017", "018", "019")
_SPLIT = re.compile(r"\s*(?:,|/|;|\bor\b|또는)\s*")
_EXTENSION = re.compile(r"\s*(?:내선|ext\.?|#)\s*\d+\s*$", re.I)


def format_phone(digits: str) -> str | None:
    """Digits → the standard hyphenated form, or None when they are no Korean number."""
    n = len(digits)
    if digits.startswith("82") and n in (10, 11, 12):
        digits = "0" + digits[2:]
        n = len(digits)
    if digits.startswith("02") and n in (9, 10):
        return f"02-{digits[2:n - 4]}-{digits[-4:]}"
    if digits.startswith(MOBILE) and n in (10, 11):
        if digits.startswith("010") and n != 11:
            return None
        return f"{digits[:3]}-{digits[3:n - 4]}-{digits[-4:]}"
    if digits.startswith(AREA_CODES) and n in (10, 11):
        return f"{digits[:3]}-{digits[3:n - 4]}-{digits[-4:]}"
    if digits.startswith("070") and n == 11:
        return f"070-{digits[3:7]}-{digits[7:]}"
    if digits.startswith(("0502", "0503", "0504", "0505", "0506", "0507", "0508")) and n in (11, 12):
        return f"{digits[:4]}-{digits[4:n - 4]}-{digits[-4:]}"
    if digits.startswith(("080", "060")) and n in (10, 11):
        return f"{digits[:3]}-{digits[3:n - 4]}-{digits[-4:]}"
    if n == 8 and digits[:2] in ("15", "16", "18"):
        return f"{digits[:4]}-{digits[4:]}"
    return None


_NOT_PHONE_CHAR = re.compile(r"[^\d\s\-().+]")
_NON_DIGIT = re.compile(r"\D")


class PhoneRule(ColumnRule):
    """Korean phone numbers: 02 and the 16 area codes, 010/01x, 070, 050x, 080, 15xx/16xx/18xx."""

    kind = "phone"

    def evaluate(self, text: str) -> Verdict:
        body = _EXTENSION.sub("", text)
        parts = [p for p in _SPLIT.split(body) if p.strip()]
        if len(parts) > 1:
            verdicts = [self._one(p.strip()) for p in parts]
            errors = tuple(sorted({e for v in verdicts for e in v.errors}))
            return Verdict(errors, fmt="multiple")
        return self._one(body.strip(), original=text)

    def _one(self, text: str, original: str | None = None) -> Verdict:
        if _NOT_PHONE_CHAR.search(text):
            return Verdict(("phone_invalid",))
        digits = _NON_DIGIT.sub("", text)
        formatted = format_phone(digits)
        if formatted is None:
            if 7 <= len(digits) <= 8 and digits[0] in "23456789":
                # 2118-5443: a local number with its area code dropped; in a Seoul file
                # it is probably 02, but that is for a person to confirm.
                local = f"{digits[:-4]}-{digits[-4:]}"
                return Verdict(("phone_missing_area_code",), fmt="local",
                               proposal=f"02-{local}")
            return Verdict(("phone_invalid",))
        if text == formatted:
            return Verdict(fmt="standard")
        fmt = "digits" if text.isdigit() else "other"
        return Verdict(("phone_unformatted",), fmt=fmt, fix=formatted, fix_rule="phone_unformatted")


_POST5 = re.compile(r"^\d{5}$")
_POST6 = re.compile(r"^(\d{3})-?(\d{3})$")
_POST5_FLOAT = re.compile(r"\d{5}\.0")
_BIZNO_SEP = re.compile(r"[\s\-]")


class PostcodeRule(ColumnRule):
    """우편번호: the 5-digit 국가기초구역번호 since 2015; legacy 6-digit codes are out of date;
    a 4-digit code lost its leading zero (Seoul's codes are 01000–08999)."""

    kind = "postcode"

    def evaluate(self, text: str) -> Verdict:
        if _POST5.match(text):
            return OK
        if text.isdigit() and len(text) == 4:
            return Verdict(("postcode_leading_zero_lost",), fix="0" + text,
                           fix_rule="postcode_leading_zero_lost")
        if _POST6.match(text):
            return Verdict(("postcode_legacy",), fmt="legacy")
        if _POST5_FLOAT.fullmatch(text):  # 04533.0 from a spreadsheet
            return Verdict(("postcode_invalid",), proposal=text[:5])
        return Verdict(("postcode_invalid",))


def bizno_ok(digits: str) -> bool:
    """The 사업자등록번호 check digit (국세청 weights 1,3,7,1,3,7,1,3,5)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights))
    total += (int(digits[8]) * 5) // 10
    return (10 - total % 10) % 10 == int(digits[9])


class BiznoRule(ColumnRule):
    kind = "bizno"

    def evaluate(self, text: str) -> Verdict:
        digits = _BIZNO_SEP.sub("", text)
        if not (digits.isdigit() and len(digits) == 10):
            return Verdict(("bizno_invalid",))
        if not bizno_ok(digits):
            return Verdict(("bizno_checksum",))
        standard = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
        if text != standard and text != digits:
            return Verdict(fix=standard, fix_rule="bizno_invalid")
        return OK
