"""Open any Korean CSV/TSV/XLSX/XLS the way it really is, every value as text.

Real Seoul files are CP949 or UTF-8 (with or without BOM), carry title rows and multi-row
merged headers, ragged rows, blank rows, and were often re-saved through Excel. This module
is the only place in the platform that decodes them; engines get a :class:`Table` or an
iterator of rows and never see bytes.

Decoding order: BOM → strict UTF-8 → strict CP949 → latin-1 (never plain EUC-KR: CP949 is a
superset and real files use syllables EUC-KR lacks). The guess comes with its evidence.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

__all__ = [
    "EncodingGuess",
    "Table",
    "UnreadableFile",
    "detect_encoding",
    "sniff_kind",
    "read_table",
    "iter_csv_rows",
    "detect_header",
    "normalise_label",
]

SAMPLE_BYTES = 1 << 20  # 1 MiB is enough to settle UTF-8 vs CP949 on every real file seen.
csv.field_size_limit(1 << 30)


class UnreadableFile(ValueError):
    """The file is not a table we can read; the message says why in one line."""


@dataclass(frozen=True)
class EncodingGuess:
    encoding: str  # Python codec name: "utf-8-sig", "utf-8", "cp949", "latin-1", "utf-16"
    evidence: str  # one line a person can check, e.g. "UTF-8 BOM" or "invalid UTF-8 at byte 17"

    @property
    def label(self) -> str:
        return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp949": "CP949",
                "latin-1": "Latin-1", "utf-16": "UTF-16"}.get(self.encoding, self.encoding)


@dataclass
class Table:
    """A sheet of text cells with its detected header."""

    source: str
    encoding: EncodingGuess | None
    header: list[str]
    rows: list[list[str]]
    header_rows: int = 1  # how many physical rows the header spans
    first_data_line: int = 2  # 1-based row number (in the sheet) of rows[0]
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by header label; short rows are padded with ''."""
        width = len(self.header)
        return [dict(zip(self.header, (row + [""] * width)[:width])) for row in self.rows]

    def column(self, label: str) -> list[str]:
        try:
            index = self.header.index(label)
        except ValueError:
            raise KeyError(f"column '{label}' not in {self.header}") from None
        return [row[index] if index < len(row) else "" for row in self.rows]

    def find_column(self, *candidates: str) -> str | None:
        """First header label equal to, then containing, one of the candidates."""
        for cand in candidates:
            for label in self.header:
                if normalise_label(label) == normalise_label(cand):
                    return label
        for cand in candidates:
            for label in self.header:
                if normalise_label(cand) in normalise_label(label):
                    return label
        return None


def normalise_label(label: str) -> str:
    """Header label without spaces, newlines or BOM, for matching ("대여소\\n번호" → "대여소번호")."""
    return re.sub(r"\s+", "", str(label).replace("\ufeff", ""))


def detect_encoding(sample: bytes) -> EncodingGuess:
    if sample.startswith(b"\xef\xbb\xbf"):
        return EncodingGuess("utf-8-sig", "UTF-8 byte-order mark")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return EncodingGuess("utf-16", "UTF-16 byte-order mark")
    try:
        sample.decode("utf-8")
        has_multibyte = any(b >= 0x80 for b in sample)
        return EncodingGuess("utf-8", "valid UTF-8" + ("" if has_multibyte else " (ASCII only)"))
    except UnicodeDecodeError as err:
        # A sample cut in the middle of a multi-byte character is still UTF-8.
        if err.start >= len(sample) - 3 and err.reason == "unexpected end of data":
            return EncodingGuess("utf-8", "valid UTF-8 (sample ends mid-character)")
        utf8_error = f"invalid UTF-8 at byte {err.start}"
    try:
        sample.decode("cp949")
        return EncodingGuess("cp949", f"{utf8_error}; valid CP949")
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 1:
            return EncodingGuess("cp949", f"{utf8_error}; valid CP949 (sample ends mid-character)")
        cp949_error = f"invalid CP949 at byte {err.start}"
    return EncodingGuess("latin-1", f"{utf8_error}; {cp949_error}; read as Latin-1")


def sniff_kind(path: str | os.PathLike) -> str:
    """'xlsx', 'xls', 'zip', 'binary', 'empty' or 'text', from content, never the extension."""
    p = Path(path)
    if p.stat().st_size == 0:
        return "empty"
    with open(p, "rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            return "binary"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _sniff_delimiter(text_sample: str) -> str:
    lines = [ln for ln in text_sample.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1.0
    for delim in (",", "\t", ";", "|"):
        counts = [ln.count(delim) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        # Prefer the delimiter that appears often and consistently.
        mode = max(set(counts), key=counts.count)
        score = mode * (counts.count(mode) / len(counts))
        if score > best_score:
            best, best_score = delim, score
    return best


def iter_csv_rows(path: str | os.PathLike, encoding: EncodingGuess | None = None,
                  delimiter: str | None = None) -> tuple[EncodingGuess, str, Iterator[list[str]]]:
    """Stream a delimited text file as lists of text cells (constant memory).

    Returns the encoding guess, the delimiter and the row iterator. Undecodable bytes in a
    mixed-encoding file become U+FFFD instead of stopping the read; callers can count them.
    """
    p = Path(path)
    with open(p, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    guess = encoding or detect_encoding(sample)
    codec = guess.encoding
    if delimiter is None:
        delimiter = _sniff_delimiter(sample[:65536].decode(codec, errors="replace"))

    def rows() -> Iterator[list[str]]:
        with open(p, "r", encoding=codec, errors="replace", newline="") as fh:
            yield from csv.reader(fh, delimiter=delimiter)

    return guess, delimiter, rows()


def _cell_text(value) -> str:
    """Spreadsheet cell → text as a person would read it (no '.0' on integers)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for ws in wb.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            out.append((ws.title, rows))
        return out
    finally:
        wb.close()


def _xls_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    import datetime as dt

    import xlrd

    book = xlrd.open_workbook(str(path))
    out = []
    for sheet in book.sheets():
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                    cells.append(_cell_text(value if isinstance(value, dt.datetime) else value))
                else:
                    cells.append(_cell_text(cell.value))
            rows.append(cells)
        out.append((sheet.name, rows))
    return out


_NUMERIC = re.compile(r"^[-+]?[\d,]*\.?\d+(e[-+]?\d+)?%?$", re.I)


def _looks_like_data(cell: str) -> bool:
    text = cell.strip()
    return bool(text) and bool(_NUMERIC.match(text.replace(" ", "")))


def detect_header(rows: Sequence[Sequence[str]], max_scan: int = 15) -> tuple[int, int]:
    """Find (start, count): the header's first row index and how many rows it spans.

    Title rows (one or two filled cells above a wide table) are skipped. A header spans
    several rows when the following rows are also label-like and fill the gaps left by
    merged cells; data starts at the first row with numbers where the header had labels.
    """
    scan = [list(r) for r in rows[:max_scan]]
    if not scan:
        return 0, 0
    widths = [sum(1 for c in r if str(c).strip()) for r in scan]
    table_width = max(widths)
    # The header starts at the first row that fills at least half the table's width.
    start = next(i for i, w in enumerate(widths) if w >= max(1, table_width // 2))
    count = 1
    for i in range(start + 1, len(scan)):
        row = scan[i]
        filled = [c for c in row if str(c).strip()]
        if not filled:
            break
        numeric_share = sum(_looks_like_data(c) for c in filled) / len(filled)
        if numeric_share > 0.0:
            break
        # Continuation rows of a merged header leave cells blank under a spanning label,
        # or have cells where the row above was blank; a full row of text right after a
        # complete header is data (e.g. a table of names), not more header.
        above = scan[i - 1]
        fills_gap = any(str(c).strip() and (j >= len(above) or not str(above[j]).strip())
                        for j, c in enumerate(row))
        leaves_gap = len(filled) < table_width
        if not (fills_gap or leaves_gap) or i + 1 >= len(scan):
            break
        # Only accept when the next row looks more like data than this one.
        nxt = [c for c in scan[i + 1] if str(c).strip()]
        if nxt and sum(_looks_like_data(c) for c in nxt) == 0 and not leaves_gap:
            break
        count += 1
    return start, count


def _merge_header(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Combine a multi-row header: forward-fill merged cells left to right in upper rows,
    join the parts top to bottom, collapse whitespace and embedded newlines."""
    grid = [[str(c) for c in list(r) + [""] * (width - len(r))][:width] for r in rows]
    for level, row in enumerate(grid[:-1]):
        last = ""
        for j, cell in enumerate(row):
            if cell.strip():
                last = cell
            elif last and any(grid[k][j].strip() for k in range(level + 1, len(grid))):
                row[j] = last  # blank under a horizontal merge: inherit the spanning label
    labels = []
    for j in range(width):
        parts: list[str] = []
        for row in grid:
            part = " ".join(row[j].split())
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        labels.append(" ".join(parts))
    return labels


def _dedupe_labels(labels: list[str], notes: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for j, label in enumerate(labels):
        if not label:
            label = f"열{j + 1}"
            notes.append(f"blank header label in column {j + 1} named '{label}'")
        if label in seen:
            seen[label] += 1
            new = f"{label}_{seen[label]}"
            notes.append(f"duplicate header label '{label}' renamed '{new}'")
            label = new
        else:
            seen[label] = 1
        out.append(label)
    return out


def _table_from_rows(source: str, raw: list[list[str]], encoding: EncodingGuess | None,
                     sheet: str | None, header_rows: int | None, skip_rows: int) -> Table:
    raw = raw[skip_rows:]
    notes: list[str] = []
    if header_rows is None:
        start, count = detect_header(raw)
    else:
        start, count = 0, header_rows
    width = max((len(r) for r in raw[start:start + max(count, 1) + 50]), default=0)
    header = _dedupe_labels(_merge_header(raw[start:start + count], width), notes) if count else []
    data = raw[start + count:]
    # Blank rows are kept out of the data but counted: they are a finding, not a row.
    blank = sum(1 for r in data if not any(str(c).strip() for c in r))
    if blank:
        notes.append(f"{blank} blank rows skipped")
    data_rows = [list(map(str, r)) for r in data if any(str(c).strip() for c in r)]
    return Table(source=source, encoding=encoding, header=header, rows=data_rows,
                 header_rows=count, first_data_line=skip_rows + start + count + 1,
                 sheet=sheet, notes=notes)


def read_table(path: str | os.PathLike, *, sheet: str | int | None = None,
               header_rows: int | None = None, skip_rows: int = 0,
               encoding: str | None = None) -> Table:
    """Read a whole table into memory, header detected unless ``header_rows`` is given.

    For XLSX/XLS the named or numbered sheet is read; by default the sheet with the most
    filled cells (real releases put forms and lookups on the other sheets).
    """
    p = Path(path)
    if not p.exists():
        raise UnreadableFile(f"{p}: no such file")
    kind = sniff_kind(p)
    if kind == "empty":
        raise UnreadableFile(f"{p.name}: the file is empty (0 bytes)")
    if kind == "binary":
        raise UnreadableFile(f"{p.name}: binary content, not a text or spreadsheet table")
    if kind == "zip":
        raise UnreadableFile(f"{p.name}: a ZIP archive, not a table; unpack it first")
    if kind in ("xlsx", "xls"):
        try:
            sheets = _xlsx_sheets(p) if kind == "xlsx" else _xls_sheets(p)
        except Exception as err:  # corrupt workbooks raise many different types
            raise UnreadableFile(f"{p.name}: unreadable {kind.upper()} workbook ({err})") from err
        if isinstance(sheet, int):
            name, raw = sheets[sheet]
        elif isinstance(sheet, str):
            matches = [s for s in sheets if s[0] == sheet]
            if not matches:
                raise UnreadableFile(f"{p.name}: no sheet '{sheet}' (has {[s[0] for s in sheets]})")
            name, raw = matches[0]
        else:
            name, raw = max(sheets, key=lambda s: sum(1 for r in s[1] for c in r if c))
        return _table_from_rows(str(p), raw, None, name, header_rows, skip_rows)
    guess = EncodingGuess(encoding, "given by caller") if encoding else None
    guess, _, rows = iter_csv_rows(p, guess)
    return _table_from_rows(str(p), list(rows), guess, None, header_rows, skip_rows)


def read_text(path: str | os.PathLike) -> tuple[str, EncodingGuess]:
    """Whole file as text with its encoding guess (for JSON/XML sidecars in Korean)."""
    data = Path(path).read_bytes()
    guess = detect_encoding(data[:SAMPLE_BYTES])
    return data.decode(guess.encoding, errors="replace"), guess


def decode_bytes(data: bytes) -> tuple[str, EncodingGuess]:
    guess = detect_encoding(data[:SAMPLE_BYTES])
    return data.decode(guess.encoding, errors="replace"), guess


def table_from_text(text: str, source: str = "<text>") -> Table:
    rows = list(csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text[:65536])))
    return _table_from_rows(source, rows, EncodingGuess("utf-8", "text given"), None, None, 0)
