"""Check a spending file (date, programme, amount, description) row by row.

The file is read by ``seoul_digital.common.korean_files`` (CSV in UTF-8/CP949 or XLSX/XLS);
this module only judges the rows. Every rejected row carries one or more reason codes with the
offending value, so the app can say, in the user's language, exactly what to fix. Nothing is
written here: the app decides, as the user chose, to import the valid rows or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping, Sequence

__all__ = [
    "REASONS", "FILE_PROBLEMS", "Reason", "SpendingRow", "RejectedRow", "SpendingCheck",
    "ProgrammeRef", "file_sha256", "normalise_key", "parse_amount", "parse_date",
    "find_columns", "check_rows",
]

# Reason codes (the app maps them to translated messages).
REASONS = (
    "missing_date", "bad_date", "outside_year", "missing_programme", "unknown_programme",
    "not_your_programme", "missing_amount", "non_numeric_amount", "negative_amount",
    "zero_amount", "fractional_won", "duplicate_file",
)
FILE_PROBLEMS = ("missing_columns", "no_rows")

DATE_COLUMNS = ("집행일자", "집행일", "지출일자", "지출일", "일자", "날짜", "date")
PROGRAMME_COLUMNS = ("사업코드", "사업명", "사업", "세부사업", "programme", "program")
AMOUNT_COLUMNS = ("집행액", "집행금액", "지출액", "금액", "amount")
DESCRIPTION_COLUMNS = ("집행내용", "적요", "내용", "설명", "description", "비고")


@dataclass(frozen=True)
class Reason:
    code: str
    value: str = ""


@dataclass(frozen=True)
class ProgrammeRef:
    """What a programme cell may resolve to: a programme and, optionally, one cost line."""

    programme: str
    line: str | None = None


@dataclass(frozen=True)
class SpendingRow:
    line: int  # row number in the sheet (1-based, header rows counted)
    date: dt.date
    programme: str
    cost_line: str | None
    amount_krw: int
    description: str


@dataclass(frozen=True)
class RejectedRow:
    line: int
    values: dict[str, str]
    reasons: tuple[Reason, ...]


@dataclass
class SpendingCheck:
    sha256: str
    columns: dict[str, str | None] = field(default_factory=dict)
    amount_unit: int = 1  # won per unit of the amount column (1, 1,000 or 1,000,000)
    accepted: list[SpendingRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    file_problem: str | None = None  # one of FILE_PROBLEMS: nothing in the file is usable
    file_problem_detail: str = ""

    @property
    def total_rows(self) -> int:
        return len(self.accepted) + len(self.rejected)

    @property
    def accepted_krw(self) -> int:
        return sum(r.amount_krw for r in self.accepted)

    @property
    def is_clean(self) -> bool:
        return self.file_problem is None and not self.rejected and bool(self.accepted)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_KEY_DROP = re.compile(r"[\s·ㆍ,.\-_()\[\]/'\"‧・]+")


def normalise_key(text: str) -> str:
    """'데이터 창출, 분석 및 활용 확산' → '데이터창출분석및활용확산' (for matching names)."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFC", str(text))).lower()


_AMOUNT_CLEAN = re.compile(r"[\s,원₩￦]|KRW", re.I)


def parse_amount(text: str, unit: int = 1) -> tuple[int | None, str | None]:
    """(won, None) or (None, reason code). Accepts '1,234,000', '1234000원', '₩1,000'.

    Negative forms ('-5,000', '△5,000', '(5,000)') are reported as negative, not as text.
    """
    raw = (text or "").strip()
    if not raw:
        return None, "missing_amount"
    cleaned = _AMOUNT_CLEAN.sub("", raw)
    negative = False
    if cleaned.startswith(("△", "▲", "-", "−")):
        negative, cleaned = True, cleaned[1:]
    elif cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return None, "non_numeric_amount"
    try:
        value = Decimal(cleaned) * unit
    except InvalidOperation:
        return None, "non_numeric_amount"
    if negative and value != 0:
        return None, "negative_amount"
    if value == 0:
        return None, "zero_amount"
    if value != value.to_integral_value():
        return None, "fractional_won"
    return int(value), None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-./년\s]\s*(\d{1,2})[-./월\s]\s*(\d{1,2})\s*[.일]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    raw = (text or "").strip()
    if not raw:
        return None, "missing_date"
    # Spreadsheet datetimes come through as 'YYYY-MM-DD HH:MM:SS'.
    raw = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", raw).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return dt.date(*map(int, match.groups())), None
            except ValueError:
                return None, "bad_date"
    return None, "bad_date"


def _match(header: Sequence[str], candidates: Sequence[str]) -> str | None:
    keys = {normalise_key(h): h for h in header}
    for cand in candidates:
        if normalise_key(cand) in keys:
            return keys[normalise_key(cand)]
    for cand in candidates:
        for key, label in keys.items():
            if normalise_key(cand) in key:
                return label
    return None


def find_columns(header: Sequence[str]) -> tuple[dict[str, str | None], int]:
    """Map our four fields to header labels, and the won-per-unit of the amount column
    ('금액(천원)' → 1,000; '집행액(백만원)' → 1,000,000)."""
    columns = {
        "date": _match(header, DATE_COLUMNS),
        "programme": _match(header, PROGRAMME_COLUMNS),
        "amount": _match(header, AMOUNT_COLUMNS),
        "description": _match(header, DESCRIPTION_COLUMNS),
    }
    unit = 1
    label = columns["amount"] or ""
    if "백만원" in label:
        unit = 1_000_000
    elif "천원" in label:
        unit = 1_000
    return columns, unit


def check_rows(header: Sequence[str], rows: Iterable[Sequence[str]], *, first_line: int,
               sha256: str, year: int, programmes: Mapping[str, ProgrammeRef],
               allowed: set[str] | None = None, duplicate: bool = False) -> SpendingCheck:
    """Judge every row.

    ``programmes`` maps :func:`normalise_key` of every accepted spelling (code, Korean and
    English names, cost-line names) to what it means. ``allowed`` limits which programme
    codes this user may record spending for (None: all). ``duplicate`` says the same file
    content was imported before: every row is then rejected with that reason.
    """
    check = SpendingCheck(sha256=sha256)
    columns, unit = find_columns(header)
    check.columns, check.amount_unit = columns, unit
    missing = [name for name in ("date", "programme", "amount") if columns[name] is None]
    if missing:
        check.file_problem = "missing_columns"
        check.file_problem_detail = ", ".join(missing)
        return check
    index = {name: header.index(label) for name, label in columns.items() if label is not None}
    for offset, row in enumerate(rows):
        cells = list(row)

        def cell(name: str) -> str:
            i = index.get(name)
            return str(cells[i]).strip() if i is not None and i < len(cells) else ""

        values = {name: cell(name) for name in ("date", "programme", "amount", "description")}
        reasons: list[Reason] = []
        if duplicate:
            reasons.append(Reason("duplicate_file"))
        day, problem = parse_date(values["date"])
        if problem:
            reasons.append(Reason(problem, values["date"]))
        elif day.year != year:
            reasons.append(Reason("outside_year", values["date"]))
        ref = None
        if not values["programme"]:
            reasons.append(Reason("missing_programme"))
        else:
            ref = programmes.get(normalise_key(values["programme"]))
            if ref is None:
                reasons.append(Reason("unknown_programme", values["programme"]))
            elif allowed is not None and ref.programme not in allowed:
                reasons.append(Reason("not_your_programme", values["programme"]))
        amount, problem = parse_amount(values["amount"], unit)
        if problem:
            reasons.append(Reason(problem, values["amount"]))
        line = first_line + offset
        if reasons:
            check.rejected.append(RejectedRow(line, values, tuple(reasons)))
        else:
            check.accepted.append(SpendingRow(line, day, ref.programme, ref.line, amount,
                                              values["description"][:300]))
    if not check.total_rows:
        check.file_problem = "no_rows"
    return check
