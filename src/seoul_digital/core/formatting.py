"""Korean number, money and personal-data formatting (pure; used by templates and exports)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["group", "krw", "thousand_krw", "million_krw", "won_to_thousand", "won_to_million",
           "percent", "mask_phone", "mask_name"]


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def group(value, places: int = 0) -> str:
    """1234567.5 → '1,234,568' (half up, as Korean budget tables round)."""
    if value is None or value == "":
        return ""
    q = Decimal(1).scaleb(-places)
    number = _dec(value).quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):,.{places}f}"
    return sign + text


def krw(won, *, lang: str = "ko") -> str:
    """An amount in won: '33,000원' (English: 'KRW 33,000')."""
    if won in (None, ""):
        return ""
    return f"KRW {group(won)}" if lang.startswith("en") else f"{group(won)}원"


def won_to_thousand(won) -> Decimal:
    return _dec(won) / 1000


def won_to_million(won) -> Decimal:
    return _dec(won) / 1_000_000


def thousand_krw(value_in_thousands, *, suffix: bool = True, lang: str = "ko") -> str:
    """Budget tables in 천원: 7381683 → '7,381,683천원' (English: 'KRW 7,381,683 thousand')."""
    if value_in_thousands in (None, ""):
        return ""
    if not suffix:
        return group(value_in_thousands)
    if lang.startswith("en"):
        return f"KRW {group(value_in_thousands)} thousand"
    return group(value_in_thousands) + "천원"


def million_krw(value_in_millions, *, places: int = 0, suffix: bool = True, lang: str = "ko") -> str:
    """Execution plans in 백만원: 389.4 → '389.4백만원' with places=1 (English: 'KRW 389.4 million')."""
    if value_in_millions in (None, ""):
        return ""
    if not suffix:
        return group(value_in_millions, places)
    if lang.startswith("en"):
        return f"KRW {group(value_in_millions, places)} million"
    return group(value_in_millions, places) + "백만원"


def percent(ratio, places: int = 1) -> str:
    """0.4567 → '45.7%'."""
    if ratio in (None, ""):
        return ""
    return group(_dec(ratio) * 100, places) + "%"


_DIGITS = re.compile(r"\D+")


def mask_phone(phone: str) -> str:
    """'010-1234-5678' → '010-****-5678'; keeps area code and last four digits only."""
    digits = _DIGITS.sub("", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    if digits.startswith("02"):
        head = "02"
    elif digits[:2] in ("15", "16", "18") and len(digits) == 8:
        return digits[:4] + "-****"
    else:
        head = digits[:3]
    return f"{head}-****-{digits[-4:]}"


def mask_name(name: str) -> str:
    """'홍길동' → '홍*동', '김철' → '김*'."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
