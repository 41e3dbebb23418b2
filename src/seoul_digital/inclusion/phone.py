"""Korean phone numbers (app helper: its messages go through gettext): check and write them one way ("010-1234-5678", "02-123-4567").

Seniors give mobile numbers (010, and the old 011/016/017/018/019) or landlines (02 for
Seoul, 0xx elsewhere). Anything else is refused with a message that says what was wrong.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

__all__ = ["PhoneError", "digits_of", "normalise_phone"]


class PhoneError(ValueError):
    """Not a Korean phone number; the message says why in plain words."""


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def normalise_phone(text: str) -> str:
    raw = (text or "").strip()
    if not raw:
        raise PhoneError(_("전화번호를 입력하세요."))
    if re.search(r"[^\d\s\-().+]", raw):
        raise PhoneError(_("'%(raw)s'에 숫자가 아닌 글자가 있습니다. 숫자와 - 만 쓰세요.") % {"raw": raw})
    digits = digits_of(raw)
    if digits.startswith("82"):  # +82 10-… → 010-…
        digits = "0" + digits[2:]
    if not digits.startswith("0"):
        raise PhoneError(_("'%(raw)s'는 0으로 시작하지 않습니다. 예: 010-1234-5678, 02-123-4567") % {"raw": raw})
    if digits.startswith("010"):
        if len(digits) != 11:
            raise PhoneError(_("'%(raw)s': 010 휴대전화 번호는 숫자 11자리입니다(지금 %(n)s자리).") % {"raw": raw, "n": len(digits)})
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if digits[:3] in ("011", "016", "017", "018", "019"):
        if len(digits) not in (10, 11):
            raise PhoneError(_("'%(raw)s': 휴대전화 번호는 숫자 10~11자리입니다(지금 %(n)s자리).") % {"raw": raw, "n": len(digits)})
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    if digits.startswith("02"):
        if len(digits) not in (9, 10):
            raise PhoneError(_("'%(raw)s': 서울(02) 전화번호는 숫자 9~10자리입니다(지금 %(n)s자리).") % {"raw": raw, "n": len(digits)})
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    if re.match(r"0[3-6][1-5]", digits):
        if len(digits) not in (10, 11):
            raise PhoneError(_("'%(raw)s': 지역 전화번호는 숫자 10~11자리입니다(지금 %(n)s자리).") % {"raw": raw, "n": len(digits)})
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    if digits.startswith("070"):
        if len(digits) != 11:
            raise PhoneError(_("'%(raw)s': 인터넷 전화(070) 번호는 숫자 11자리입니다.") % {"raw": raw})
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    raise PhoneError(_("'%(raw)s'는 국내 전화번호 형식이 아닙니다. 예: 010-1234-5678, 02-123-4567") % {"raw": raw})
