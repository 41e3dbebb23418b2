"""Dates, date-times, HHMM times and periods as Korean public files write them."""

from __future__ import annotations

import datetime as dt
import re

from seoul_digital.quality.engine.rules.base import ColumnRule, Verdict

__all__ = ["DateRule", "TimeRule", "PeriodRule", "parse_date", "DEFAULT_SENTINELS"]

DEFAULT_SENTINELS = frozenset({"19000101", "99991231", "00000000", "99999999", "18991230",
                               "29991231", "21001231"})

_SEP_DATE = re.compile(r"^(\d{4})([-./])\s?(\d{1,2})\2\s?(\d{1,2})\.?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_KOREAN = re.compile(r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일$")
_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$")
_COMPACT_DT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$")
_TRUNCATED = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(\.\d+)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-./]?(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_YEAR = re.compile(r"(19|20)\d{2}")
_UNPADDED_HOUR = re.compile(r"(^|[^H])H:")
_UNPADDED_DATE = re.compile(r"-M-D( |$)")
_NOT_A_DATE = (None, None, None)
_UNPADDED_FORMATS: dict[str, bool] = {}  # format class → has an unpadded hour or month/day


def _valid(y: int, m: int, d: int) -> bool:
    if y >= 1 and 1 <= m <= 12 and 1 <= d <= 28:  # every month has a 28th
        return True
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


_SEPARATED = {"-": "YYYY-MM-DD", ".": "YYYY.MM.DD", "/": "YYYY/MM/DD"}
_DATETIME_FORMATS: dict[tuple[bool, bool, bool, bool], str] = {}


def _datetime_format(sec: bool, frac: bool, hour_padded: bool, date_padded: bool) -> str:
    key = (sec, frac, hour_padded, date_padded)
    fmt = _DATETIME_FORMATS.get(key)
    if fmt is None:
        fmt = "YYYY-MM-DD HH:MM" + (":SS" if sec else "") + (".f" if frac else "")
        if not hour_padded or not date_padded:
            fmt = fmt.replace("HH", "H") if not hour_padded else fmt
            fmt = fmt.replace("MM-DD", "M-D") if not date_padded else fmt
        _DATETIME_FORMATS[key] = fmt
    return fmt


# Answers of parse_date while a file is checked: the plan tests a column's sample values and
# the checker evaluates the same values again. Bounded; emptied when a check ends
# (``forget_parsed_dates``).
_MEMO: dict[str, tuple[str | None, int | None, str | None]] = {}
_MEMO_LIMIT = 20_000


def forget_parsed_dates() -> None:
    _MEMO.clear()


def parse_date(text: str) -> tuple[str | None, int | None, str | None]:
    """(format class, yyyymmdd as int, ISO text) or (None, None, None) when not a date.

    The format class keeps what a person would call the format: 'YYYYMMDD', 'YYYY-MM-DD',
    'YYYY.MM.DD', 'YYYY-M-D' (not zero-padded), 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD H:MM' …
    A calendar-invalid date returns its format with ``None`` for the number.
    """
    found = _MEMO.get(text)
    if found is None:
        found = _parse_date(text)
        if len(_MEMO) < _MEMO_LIMIT:
            _MEMO[text] = found
    return found


def _parse_date(text: str) -> tuple[str | None, int | None, str | None]:
    """(format class, yyyymmdd as int, ISO text) or (None, None, None) when not a date.

    The format class keeps what a person would call the format: 'YYYYMMDD', 'YYYY-MM-DD',
    'YYYY.MM.DD', 'YYYY-M-D' (not zero-padded), 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD H:MM' …
    A calendar-invalid date returns its format with ``None`` for the number.
    """
    # The patterns exclude one another: only the date-time one has a colon, so each text
    # is tried against the ones that can match it.
    if not text[:1].isdigit():  # every date pattern starts with \d{4}
        return _NOT_A_DATE
    if ":" in text:
        m = _DATETIME.match(text)
        if not m:
            return _NOT_A_DATE
        ys, mos, ds, hs, mis, sec, frac = m.groups()
        y, mo, d, h, mi = int(ys), int(mos), int(ds), int(hs), int(mis)
        ok = _valid(y, mo, d) and h < 24 and mi < 60 and (sec is None or int(sec) < 60)
        if len(text) == 19 and sec is not None and text[10] == " " and text.isascii():
            # 19 characters with seconds leave two digits for every field: the zero-padded
            # "YYYY-MM-DD HH:MM:SS", whose ISO text is the text itself
            return "YYYY-MM-DD HH:MM:SS", (y * 10000 + mo * 100 + d) if ok else None, text
        fmt = _datetime_format(bool(sec), bool(frac), len(hs) == 2, len(mos) == 2 and len(ds) == 2)
        iso = f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}" + (f":{sec}" if sec else "") + \
            (frac or "")
        return fmt, (y * 10000 + mo * 100 + d) if ok else None, iso
    m = _COMPACT.match(text)
    if m:
        y, mo, d = map(int, m.groups())
        return "YYYYMMDD", (y * 10000 + mo * 100 + d) if _valid(y, mo, d) else None, \
            f"{y:04d}-{mo:02d}-{d:02d}"
    m = _SEP_DATE.match(text)
    if m:
        ys, sep, mos, ds = m.groups()
        y, mo, d = int(ys), int(mos), int(ds)
        fmt = _SEPARATED[sep]
        if not (len(mos) == 2 and len(ds) == 2):
            fmt = fmt.replace("MM", "M").replace("DD", "D")
        if " " in text or text.endswith("."):
            fmt += " (공백·마침표)"
        return fmt, (y * 10000 + mo * 100 + d) if _valid(y, mo, d) else None, \
            f"{y:04d}-{mo:02d}-{d:02d}"
    m = _COMPACT_DT.match(text)
    if m:
        y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
        sec = m.group(6)
        ok = _valid(y, mo, d) and h < 24 and mi < 60 and (sec is None or int(sec) < 60)
        iso = f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}" + (f":{sec}" if sec else "")
        return "YYYYMMDDHHMM" + ("SS" if sec else ""), (y * 10000 + mo * 100 + d) if ok else None, iso
    m = _KOREAN.match(text)
    if m:
        y, mo, d = map(int, m.groups())
        return "YYYY년 M월 D일", (y * 10000 + mo * 100 + d) if _valid(y, mo, d) else None, \
            f"{y:04d}-{mo:02d}-{d:02d}"
    return _NOT_A_DATE


class DateRule(ColumnRule):
    """A date (or date-time) column: calendar-valid, one format, no sentinels, in range."""

    kind = "date"
    mixed_rule = "date_format_mixed"

    def __init__(self, *, sentinels=DEFAULT_SENTINELS, min_year: int = 1900,
                 max_date: int | None = None, output_format: str = "YYYY-MM-DD",
                 allow_future: bool = False, partial: bool = False):
        self.sentinels = frozenset(s.replace("-", "").replace(".", "").replace("/", "")
                                   for s in sentinels)
        # A text starting with four digits starts its separator-free form with them, so
        # unless they begin a sentinel the text is no sentinel (the common case, tested first).
        self.sentinel_heads = frozenset(s[:4] for s in self.sentinels)
        self.min_year = min_year
        today = dt.date.today()
        self.max_date = max_date or ((today.year + 1) * 10000 + today.month * 100 + today.day
                                     if not allow_future else 99991231)
        self.output_format = output_format
        self.partial = partial  # 년월 / 연도 columns accept YYYYMM and YYYY

    def describe(self) -> str:
        return "date"

    def evaluate(self, text: str) -> Verdict:
        head = text[:4]
        if not head.isdigit() or head in self.sentinel_heads:
            compact = text.replace("-", "").replace(".", "").replace("/", "").replace(" ", "")
            if compact[:8] in self.sentinels and (len(compact) == 8 or not compact[8:].strip("0:")):
                return Verdict(("date_sentinel",), fmt=None)
        fmt, number, iso = parse_date(text)
        if fmt is None:
            if self.partial:
                m = _YEAR_MONTH.match(text)
                if m and 1 <= int(m.group(2)) <= 12:
                    return Verdict(fmt="YYYYMM" if text.isdigit() else "YYYY-MM",
                                   parsed=int(m.group(1)) * 10000 + int(m.group(2)) * 100 + 1)
                if _YEAR.fullmatch(text):
                    return Verdict(fmt="YYYY", parsed=int(text) * 10000 + 101)
            if _TRUNCATED.match(text):
                return Verdict(("date_truncated_by_excel",))
            if _SERIAL.match(text) and 20000 <= float(text) <= 80000:
                serial = int(float(text))
                day = dt.date(1899, 12, 30) + dt.timedelta(days=serial)
                return Verdict(("excel_serial_date",), proposal=day.isoformat())
            return Verdict(("date_invalid",))
        if number is None:
            return Verdict(("date_invalid",), fmt=fmt)
        errors: tuple[str, ...] = ()
        if number // 10000 < self.min_year or number > self.max_date:
            errors = ("date_out_of_range",)
        fix = fix_rule = None
        if " " in iso or "H" in fmt:
            unpadded = _UNPADDED_FORMATS.get(fmt)
            if unpadded is None:
                unpadded = _UNPADDED_FORMATS[fmt] = bool(_UNPADDED_HOUR.search(fmt) or
                                                         _UNPADDED_DATE.search(fmt))
            if unpadded:
                # 2023-02-28 9:56 → 2023-02-28 09:56
                errors += ("datetime_not_zero_padded",)
                fix, fix_rule = iso, "datetime_not_zero_padded"
        elif self.output_format == "YYYY-MM-DD" and text != iso:
            fix, fix_rule = iso, "date_format_mixed"
        elif self.output_format == "YYYYMMDD" and text != iso.replace("-", ""):
            fix, fix_rule = iso.replace("-", ""), "date_format_mixed"
        return Verdict(errors, fmt=fmt, parsed=number, fix=fix, fix_rule=fix_rule)

    def preferred_format(self, counts):
        if not counts:
            return None
        return max(counts, key=counts.get)


_HHMM = re.compile(r"^(\d{1,2}):?(\d{2})$")


class TimeRule(ColumnRule):
    """HHMM or HH:MM times (운영시간, 개시시각): 00:00–23:59 (24:00 allowed as day end)."""

    kind = "time"
    mixed_rule = "time_format_mixed"

    def evaluate(self, text: str) -> Verdict:
        m = _HHMM.match(text)
        if not m:
            return Verdict(("time_invalid",))
        h, mi = int(m.group(1)), int(m.group(2))
        fmt = "HH:MM" if ":" in text else "HHMM"
        if len(m.group(1)) == 1:
            fmt = fmt.replace("HH", "H")
        if not (h < 24 and mi < 60) and not (h == 24 and mi == 0):
            return Verdict(("time_invalid",), fmt=fmt)
        return Verdict(fmt=fmt, parsed=h * 60 + mi)


_QUARTER_DOT = re.compile(r"^(\d{4})\.\s?([1-4])/4$")  # 2017.1/4 (KOSIS 분기)
_QUARTER_SP = re.compile(r"^(\d{4})\s([1-4])/4$")
_QUARTER_CODE = re.compile(r"^(\d{4})([1-4])$")  # 20241 (상권 기준_년분기_코드)
_QUARTER_Q = re.compile(r"^(\d{4})\s?[-.]?\s?Q([1-4])$", re.I)
_HALF = re.compile(r"^(\d{4})\.?\s?1/2$")


class PeriodRule(ColumnRule):
    """기간/분기 columns: years, year-months, quarters. '2017.1/4' is read but flagged as a
    notation machines do not parse (ISO 8601 writes 2017-Q1)."""

    kind = "period"
    mixed_rule = "date_format_mixed"

    def evaluate(self, text: str) -> Verdict:
        for pattern, fmt, standard in ((_QUARTER_DOT, "YYYY.Q/4", False),
                                       (_QUARTER_SP, "YYYY Q/4", False),
                                       (_QUARTER_Q, "YYYY-QN", True),
                                       (_QUARTER_CODE, "YYYYQ", True)):
            m = pattern.match(text)
            if m:
                year, quarter = int(m.group(1)), int(m.group(2))
                if not 1900 <= year <= 2100:
                    return Verdict(("period_invalid",), fmt=fmt)
                return Verdict(() if standard else ("period_nonstandard",), fmt=fmt,
                               parsed=year * 10 + quarter)
        if _HALF.match(text):
            return Verdict(("period_nonstandard",), fmt="YYYY.1/2")
        if _YEAR.fullmatch(text):
            return Verdict(fmt="YYYY", parsed=int(text) * 10)
        m = _YEAR_MONTH.match(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return Verdict(fmt="YYYYMM" if text.isdigit() else "YYYY-MM")
        fmt, number, _iso = parse_date(text)
        if fmt and number:
            return Verdict(fmt=fmt, parsed=number)
        return Verdict(("period_invalid",))
