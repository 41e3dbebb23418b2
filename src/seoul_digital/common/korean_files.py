"""Open any Korean CSV/TSV/XLSX/XLS the way it really is, every value as text.

Real Seoul files are CP949 or UTF-8 (with or without BOM), carry title rows and multi-row
merged headers, ragged rows, blank rows, and were often re-saved through Excel. This module
is the only place in the platform that decodes them; engines get a :class:`Table`, a
:class:`TableStream` or an iterator of rows and never see bytes.

Decoding order: BOM → strict UTF-8 → strict CP949 → latin-1 (never plain EUC-KR: CP949 is a
superset and real files use syllables EUC-KR lacks). The guess comes with its evidence.

Streaming (:func:`open_table`) keeps memory bounded whatever the file size: text is decoded
in blocks of :data:`CHUNK_BYTES`; a block that does not decode falls back to line-by-line
decoding, so a file that mixes UTF-8 and CP949 lines is read correctly and the lines in the
other encoding are counted (:class:`ReadStats`). A "line" longer than :data:`MAX_LINE_BYTES`
(a 1 GB file without newlines) is skipped in bounded memory and reported, never loaded.
A ZIP or gzip file holding one table (a ".csv" that is really an archive) is read through.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Iterator, Sequence

if TYPE_CHECKING:
    import zipfile

# gzip and zipfile are imported where an archive is met: a plain CSV is read without them.

__all__ = [
    "EncodingGuess",
    "ReadStats",
    "Table",
    "TableStream",
    "UnreadableFile",
    "detect_encoding",
    "sniff_kind",
    "read_table",
    "read_tables",
    "list_sheets",
    "open_table",
    "iter_csv_rows",
    "detect_header",
    "normalise_label",
    "read_text",
    "decode_bytes",
    "table_from_text",
]

SAMPLE_BYTES = 1 << 20  # 1 MiB is enough to settle UTF-8 vs CP949 on every real file seen.
CHUNK_BYTES = 1 << 20  # text is decoded in blocks of this size (cut at line ends)
MAX_LINE_BYTES = 32 << 20  # a physical line longer than this is skipped and reported
MAX_FIELD_CHARS = 32 << 20
HEAD_ROWS = 60  # rows buffered for header detection before streaming starts
MAX_HEADER_ROWS = 8
EXAMPLES = 5  # examples kept per kind of reading problem
csv.field_size_limit(MAX_FIELD_CHARS)

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".dat")


class UnreadableFile(ValueError):
    """The file is not a table we can read; the message says why in one line."""


@dataclass(frozen=True)
class EncodingGuess:
    """The codec a file is read with, and the evidence for it."""

    encoding: str  # Python codec name: "utf-8-sig", "utf-8", "cp949", "latin-1", "utf-16"
    evidence: str  # one line a person can check, e.g. "UTF-8 BOM" or "invalid UTF-8 at byte 17"

    @property
    def label(self) -> str:
        return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp949": "CP949",
                "latin-1": "Latin-1", "utf-16": "UTF-16"}.get(self.encoding, self.encoding)


@dataclass
class ReadStats:
    """What the reader met on the way: every count comes with up to EXAMPLES examples."""

    records: int = 0  # records (sheet rows) read, title/header/blank rows included
    blank_rows: int = 0
    blank_row_examples: list[int] = field(default_factory=list)
    short_rows: int = 0  # fewer fields than the header (text files only)
    long_rows: int = 0  # values beyond the header width
    trailing_empty_rows: int = 0  # only empty fields beyond the header (a trailing delimiter)
    ragged_examples: list[tuple[int, int]] = field(default_factory=list)  # (row, fields)
    crlf_lines: int = 0
    lf_lines: int = 0  # lines ending in a bare LF
    embedded_line_breaks: int = 0  # line breaks inside quoted fields (not record ends)
    cr_only: bool = False
    other_encoding_lines: dict[str, int] = field(default_factory=dict)
    other_encoding_examples: list[tuple[int, str]] = field(default_factory=list)
    replaced_lines: int = 0  # lines with bytes no codec could decode (now U+FFFD)
    replaced_examples: list[int] = field(default_factory=list)
    oversized_lines: int = 0
    oversized_examples: list[tuple[int, int]] = field(default_factory=list)  # (line, bytes)
    quoted_share: float | None = None  # share of fields quoted in the first lines
    stopped: str | None = None  # why reading ended before the end of the file, if it did

    @property
    def ragged_rows(self) -> int:
        return self.short_rows + self.long_rows + self.trailing_empty_rows

    @property
    def mixed_line_endings(self) -> bool:
        """Records end in both CRLF and LF. Line breaks inside quoted cells are bare LFs in
        files Excel writes, so they are not counted against the CRLF records."""
        return self.crlf_lines > 0 and self.lf_lines - self.embedded_line_breaks > 0


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
    row_numbers: list[int] = field(default_factory=list)  # sheet row number of each row
    stats: ReadStats | None = None

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


# --------------------------------------------------------------------------- encodings

_ASCII = bytes(range(0x80))
# Deleting everything but 0x80-0xA0 leaves the bytes UTF-8 uses as continuation bytes and
# CP949 uses only in its rare extension syllables (measured: 35-47 % of the high bytes of
# real UTF-8 Korean files, ~0 % of real CP949 files).
_KEEP_80_A0 = bytes(b for b in range(256) if not 0x80 <= b <= 0xA0)


def _high_bytes(data: bytes) -> int:
    return len(data.translate(None, _ASCII))


def _low_high_bytes(data: bytes) -> int:
    return len(data.translate(None, _KEEP_80_A0))


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
    # Mixed files: the encoding most lines decode in wins; the rest are counted while reading.
    lines = sample.split(b"\n")[:-1] or [sample]
    votes = {"utf-8": 0, "cp949": 0}
    for line in lines:
        if not _high_bytes(line):
            continue
        for codec in ("utf-8", "cp949"):
            try:
                line.decode(codec)
            except UnicodeDecodeError:
                continue
            votes[codec] += 1
            break
    if votes["utf-8"] or votes["cp949"]:
        winner = max(votes, key=votes.get)
        return EncodingGuess(winner, f"{utf8_error}; {cp949_error}; mixed: {votes['utf-8']} UTF-8 "
                                     f"and {votes['cp949']} CP949 lines in the sample, read as "
                                     f"{'UTF-8' if winner == 'utf-8' else 'CP949'} line by line")
    return EncodingGuess("latin-1", f"{utf8_error}; {cp949_error}; read as Latin-1")


# --------------------------------------------------------------------------- kinds

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3", "an SQLite database"),
)


def sniff_kind(path: str | os.PathLike) -> str:
    """'xlsx', 'xls', 'zip', 'gzip', 'binary', 'empty' or 'text', from content, never the
    extension."""
    p = Path(path)
    if p.stat().st_size == 0:
        return "empty"
    with open(p, "rb") as fh:
        head = fh.read(8192)
    return _kind_of_head(head, p)


def _kind_of_head(head: bytes, path: Path | None = None) -> str:
    if head.startswith(b"PK\x03\x04"):
        if path is None:
            return "zip"
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            return "binary"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if any(head.startswith(magic) for magic, _ in _MAGIC):
        return "binary"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in head:
        return "binary"
    controls = sum(head.count(bytes([b])) for b in (*range(1, 9), *range(14, 27), *range(28, 32)))
    if head and controls / len(head) > 0.05:
        return "binary"
    return "text"


def _binary_what(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(64)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return "binary content"


# --------------------------------------------------------------------------- text decoding


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


def _quoted_share(text_sample: str, delimiter: str) -> float | None:
    """Share of fields written in quotes among the first 200 lines (for "every value is
    quoted" files, where tools that skip quote handling read numbers as text)."""
    pattern = re.compile(r'(?:^|' + re.escape(delimiter) + r')"')
    fields = quoted = 0
    for line in text_sample.splitlines()[1:201]:
        row = next(csv.reader([line], delimiter=delimiter), [])
        if len(row) <= 1:
            continue
        fields += len(row)
        quoted += len(pattern.findall(line))
    if not fields:
        return None
    return min(1.0, quoted / fields)


_OVERSIZED_CELL = "\x00<line too long>\x00"
OVERSIZED_LINE = _OVERSIZED_CELL + "\n"


class _Decoder:
    """Bytes → text lines, block by block, with a per-line fallback for mixed encodings."""

    def __init__(self, fh: IO[bytes], guess: EncodingGuess, stats: ReadStats,
                 chunk_bytes: int = CHUNK_BYTES, max_line: int = MAX_LINE_BYTES):
        self.fh = fh
        self.guess = guess
        self.stats = stats
        self.chunk_bytes = chunk_bytes
        self.max_line = max(max_line, 1024)
        codec = guess.encoding
        self.primary = "utf-8" if codec in ("utf-8", "utf-8-sig") else codec
        self.alternate = {"utf-8": "cp949", "cp949": "utf-8"}.get(self.primary)
        self.lines_before = 0
        self.oversized_at: set[int] = set()

    def lines(self) -> Iterator[str]:
        return chain.from_iterable(self.pieces())

    def pieces(self) -> Iterator[Iterable[str]]:
        """Decoded text in pieces that end at line ends, each an iterable of lines."""
        if self.primary == "utf-16":
            yield io.TextIOWrapper(self.fh, encoding="utf-16", errors="replace", newline="")
            return
        first = True
        carry = b""
        eol = b"\n"
        while True:
            block = self.fh.read(self.chunk_bytes)
            if first:
                first = False
                if block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
                if b"\n" not in block and b"\r" in block:
                    eol = b"\r"  # classic-Mac line ends
                    self.stats.cr_only = True
            if not block:
                if carry:
                    yield from self._decode(carry, eol)
                return
            data = carry + block if carry else block
            cut = data.rfind(eol) + 1
            if cut:
                yield from self._decode(data[:cut], eol)
                carry = data[cut:]
            else:
                carry = data
            if len(carry) > self.max_line:
                yield from self._skip_oversized(len(carry), eol)
                carry = self._rest

    _rest = b""

    def _skip_oversized(self, seen: int, eol: bytes) -> Iterator[str]:
        """Discard one overlong line in bounded memory; keep what follows its end."""
        total = seen
        self._rest = b""
        while True:
            block = self.fh.read(self.chunk_bytes)
            if not block:
                break
            pos = block.find(eol)
            if pos >= 0:
                total += pos + 1
                self._rest = block[pos + 1:]
                break
            total += len(block)
        line_no = self.lines_before + 1
        self.stats.oversized_lines += 1
        if len(self.stats.oversized_examples) < EXAMPLES:
            self.stats.oversized_examples.append((line_no, total))
        self.oversized_at.add(line_no)
        self.lines_before += 1
        yield (OVERSIZED_LINE,)

    def _decode(self, piece: bytes, eol: bytes) -> Iterator[str]:
        stats = self.stats
        newlines = piece.count(eol)
        if eol == b"\n":
            crlf = piece.count(b"\r\n")
            stats.crlf_lines += crlf
            stats.lf_lines += newlines - crlf
        text = None
        suspicious = self.primary == "cp949" and _low_high_bytes(piece) > 0
        if not suspicious:
            try:
                text = piece.decode(self.primary)
            except UnicodeDecodeError:
                text = None
        if text is None:
            text = "".join(self._decode_lines(piece, eol))
        self.lines_before += newlines
        yield io.StringIO(text, newline="")

    def _decode_lines(self, piece: bytes, eol: bytes) -> Iterator[str]:
        stats = self.stats
        parts = piece.split(eol)
        last = len(parts) - 1
        for i, raw in enumerate(parts):
            if i == last:
                if not raw:
                    break
            else:
                raw += eol
            line_no = self.lines_before + i + 1
            codec = self._line_codec(raw)
            if codec is None:
                stats.replaced_lines += 1
                if len(stats.replaced_examples) < EXAMPLES:
                    stats.replaced_examples.append(line_no)
                yield raw.decode(self.primary, errors="replace")
                continue
            if codec != self.primary:
                stats.other_encoding_lines[codec] = stats.other_encoding_lines.get(codec, 0) + 1
                if len(stats.other_encoding_examples) < EXAMPLES:
                    stats.other_encoding_examples.append((line_no, codec))
            yield raw.decode(codec)

    def _line_codec(self, raw: bytes) -> str | None:
        if not _high_bytes(raw):
            return self.primary
        order = [self.primary]
        if self.alternate:
            # A CP949 line is practically never valid UTF-8, but UTF-8 Hangul often decodes
            # as (wrong) CP949: test UTF-8 first when the line has UTF-8 continuation bytes.
            if self.primary == "cp949" and _low_high_bytes(raw):
                order = ["utf-8", "cp949"]
            else:
                order.append(self.alternate)
        for codec in order:
            try:
                raw.decode(codec)
                return codec
            except UnicodeDecodeError:
                continue
        return None


class _CountingReader:
    """A binary file wrapper that counts the bytes read (for progress bars)."""

    def __init__(self, fh):
        self.fh = fh
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.count += len(data)
        return data

    def close(self) -> None:
        self.fh.close()


def _text_rows(fh: IO[bytes], guess: EncodingGuess, delimiter: str, stats: ReadStats,
               max_line: int = MAX_LINE_BYTES) -> Iterator[list[str]]:
    decoder = _Decoder(fh, guess, stats, max_line=max_line)
    reader = csv.reader(chain.from_iterable(decoder.pieces()), delimiter=delimiter)
    records = 0
    try:
        for row in reader:
            records += 1
            if len(row) == 1 and row[0] == _OVERSIZED_CELL:
                yield None  # a line too long to be a row: counted, never held in memory
                continue
            yield row
        stats.embedded_line_breaks = max(0, reader.line_num - records)
    except csv.Error as err:
        stats.stopped = (f"stopped at line {reader.line_num}: {err} (an unclosed quote "
                         f"swallows the rest of the file)")


def _zip_member(path: Path) -> tuple[zipfile.ZipFile, str]:
    import zipfile

    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise UnreadableFile(f"{path.name}: a damaged ZIP archive ({err})") from err
    names = [n for n in zf.namelist() if not n.endswith("/") and "__MACOSX" not in n]
    tables = [n for n in names if n.lower().endswith(TABLE_SUFFIXES)]
    if len(tables) != 1:
        zf.close()
        listed = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
        if not tables:
            raise UnreadableFile(f"{path.name}: a ZIP archive, not a table, and it holds no "
                                 f"CSV/XLSX file ({listed or 'empty'}); unpack it first")
        raise UnreadableFile(f"{path.name}: a ZIP archive holding {len(tables)} tables "
                             f"({listed}); unpack it and check each file")
    return zf, tables[0]


# --------------------------------------------------------------------------- spreadsheets


def _cell_text(value) -> str:
    """Spreadsheet cell → text as a person would read it (no '.0' on integers)."""
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


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _open_xlsx(source):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(source, read_only=True, data_only=True)


def _xlsx_rows(ws) -> Iterator[list[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in ws.iter_rows(values_only=True):
            yield _trim([_cell_text(v) for v in row])


def _xlsx_sheets(path) -> list[tuple[str, list[list[str]]]]:
    wb = _open_xlsx(path)
    try:
        return [(ws.title, list(_xlsx_rows(ws))) for ws in wb.worksheets]
    finally:
        wb.close()


def _xls_book(source):
    import xlrd

    if isinstance(source, (bytes, bytearray)):
        return xlrd.open_workbook(file_contents=bytes(source), on_demand=True)
    return xlrd.open_workbook(str(source), on_demand=True)


def _xls_rows(book, sheet) -> Iterator[list[str]]:
    import xlrd

    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    cells.append(_cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                except (ValueError, OverflowError):
                    cells.append(_cell_text(cell.value))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                cells.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
            else:
                cells.append(_cell_text(cell.value))
        yield _trim(cells)


def _xls_sheets(path) -> list[tuple[str, list[list[str]]]]:
    book = _xls_book(path)
    try:
        return [(s.name, list(_xls_rows(book, s))) for s in book.sheets()]
    finally:
        book.release_resources()


def list_sheets(path: str | os.PathLike) -> list[str]:
    """Sheet names of a workbook; [] for text files."""
    p = Path(path)
    kind = sniff_kind(p)
    try:
        if kind == "xlsx":
            wb = _open_xlsx(p)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()
        if kind == "xls":
            book = _xls_book(p)
            try:
                return list(book.sheet_names())
            finally:
                book.release_resources()
    except Exception as err:  # corrupt workbooks raise many different types
        raise UnreadableFile(f"{p.name}: unreadable {kind.upper()} workbook ({err})") from err
    return []


# --------------------------------------------------------------------------- header detection

_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?$")
_DATEISH = re.compile(r"^\d{4}[-./]\d{1,2}([-./]\d{1,2})?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
                      r"|^\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?$")
_NULL_TOKENS = {"", "-", "−", "–", "—", "…", "n/a", "na", "null", "none", "nan", "#ref!", "#n/a",
                "#value!", "#div/0!", "#name?", "#num!", "#null!"}
_YEAR = re.compile(r"^(19|20)\d{2}$")


def _is_null(cell: str) -> bool:
    return cell.strip().lower() in _NULL_TOKENS


def _is_typed(cell: str) -> bool:
    """A number, date or time: what data rows hold and labels rarely are."""
    text = cell.strip().replace(" ", "")
    if not text or not any(ch.isdigit() for ch in text):
        return False
    return bool(_NUMBER.match(text) or _DATEISH.match(text))


def _looks_like_data(cell: str) -> bool:  # kept for callers of the old helper
    return _is_typed(str(cell))


def detect_header(rows: Sequence[Sequence[str]], max_scan: int = 30) -> tuple[int, int]:
    """Find (start, count): the header's first row index and how many rows it spans.

    Rows with at most one filled cell above a wider table are title rows ("(단위: 명)",
    "20년 자치구별 신설 대여소 현황") and are skipped. Columns are typed from the lower part
    of the scan (numbers, dates); the header then continues for as long as rows carry labels
    where the data has numbers — so a 4-row merged header (따릉이 대여소), a 3-row population
    header or a KOSIS header whose first row is a year all come out whole. ``count`` is 0 when
    the first row is already data (a file without a header).
    """
    scan = [[str(c).strip() for c in r] for r in list(rows[:max_scan])]
    widths = [sum(1 for c in r if c) for r in scan]
    if not scan or not any(widths):
        return 0, 0
    table_width = max(widths)
    min_width = 2 if table_width >= 2 else 1
    start = next(i for i, w in enumerate(widths) if w >= min_width)
    body = [r for r in scan[start + 1:] if any(r)]
    deep = body[len(body) // 3:] if len(body) >= 6 else body
    ncols = max(len(r) for r in scan)
    typed_col = []
    for j in range(ncols):
        values = [r[j] for r in deep if j < len(r) and not _is_null(r[j])]
        typed = sum(1 for v in values if _is_typed(v))
        typed_col.append(bool(values) and typed / len(values) >= 0.8)

    def header_like(r: list[str]) -> bool:
        return any(c and typed_col[j] and not _is_null(c) and not _is_typed(c)
                   for j, c in enumerate(r) if j < ncols)

    count = 1
    for i in range(start + 1, min(len(scan), start + MAX_HEADER_ROWS)):
        if header_like(scan[i]):
            count = i - start + 1
        else:
            break
    if count == 1 and not header_like(scan[start]) and body:
        first = scan[start]
        typed_cells = [(j, c) for j, c in enumerate(first) if c and j < ncols and typed_col[j]]
        filled = [c for c in first if c and not _is_null(c)]
        years_only = typed_cells and all(_YEAR.match(c) for _, c in typed_cells)
        deep_years = all(_YEAR.match(r[j]) for j, _ in typed_cells for r in deep
                         if j < len(r) and r[j] and not _is_null(r[j]))
        if (typed_cells and all(_is_typed(c) for _, c in typed_cells)
                and len(typed_cells) * 2 >= len(filled) and (not years_only or deep_years)):
            return start, 0  # the first row is data: no header
    return start, count


def _join_parts(text: str) -> str:
    """A header cell's own line breaks: Hangul broken mid-word joins without a space."""
    lines = [ln.strip() for ln in str(text).replace("\r", "\n").split("\n") if ln.strip()]
    if not lines:
        return ""
    out = lines[0]
    for ln in lines[1:]:
        if re.search(r"[가-힣]$", out) and re.match(r"^[가-힣]", ln):
            out += ln
        else:
            out += " " + ln
    return " ".join(out.split())


def _merge_header(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Combine a multi-row header. A blank cell inherits the label on its left only when it
    sits under the same parent labels (a horizontal merge) and something below it is
    labelled; the parts are joined top to bottom."""
    grid = [[_join_parts(c) for c in list(r) + [""] * (width - len(r))][:width] for r in rows]
    filled = [row[:] for row in grid]
    for level, row in enumerate(grid[:-1]):
        for j in range(1, width):
            if row[j] or not filled[level][j - 1]:
                continue
            same_parent = all(filled[k][j] == filled[k][j - 1] for k in range(level))
            below = any(grid[k][j] for k in range(level + 1, len(grid)))
            if same_parent and below:
                filled[level][j] = filled[level][j - 1]
    labels = []
    for j in range(width):
        parts: list[str] = []
        for row in filled:
            part = row[j]
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


# --------------------------------------------------------------------------- streaming tables


class TableStream:
    """One table, streamed: header detected from the first rows, then data rows one by one.

    Iterating yields ``(row_number, cells)`` for every non-blank data row, where
    ``row_number`` is the 1-based row a person sees when opening the file (title, header and
    blank rows counted; a CSV record with line breaks inside quotes is one row). Cells are
    text, exactly as read (not padded or cut to the header width: ``width`` says how wide the
    table is). Blank and ragged rows are counted in :attr:`stats`. Use as a context manager
    or call :meth:`close`.
    """

    def __init__(self, *, source: str, kind: str, rows: Iterator[list[str]],
                 encoding: EncodingGuess | None, delimiter: str | None, sheet: str | None,
                 sheets: list[str], header_rows: int | None, skip_rows: int,
                 stats: ReadStats, notes: list[str], closers: list, container: str | None):
        self.source = source
        self.kind = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self.sheets = sheets
        self.stats = stats
        self.notes = notes
        self.container = container
        self._closers = closers
        self._rows = rows
        self._started = False
        self._counter = next((getattr(c, "__self__", None) for c in closers
                              if isinstance(getattr(c, "__self__", None), _CountingReader)), None)
        head: list[list[str]] = []
        for _ in range(skip_rows):
            if next(rows, None) is None:
                break
            stats.records += 1
        for row in rows:
            head.append(row if row is not None else [])
            if len(head) >= HEAD_ROWS:
                break
        if not any(any(c.strip() for c in r) for r in head):
            self.close()
            if stats.oversized_lines:
                line, size = stats.oversized_examples[0]
                raise UnreadableFile(f"{Path(source).name}: line {line} is {size:,} bytes long "
                                     f"with no line break; not a table of rows")
            what = "header-less blank lines only" if head else "no rows"
            raise UnreadableFile(f"{Path(source).name}: no table in the file ({what})")
        if header_rows is None:
            start, count = detect_header(head)
        else:
            start, count = 0, header_rows
        self.title_rows = [r for r in head[:start] if any(c.strip() for c in r)]
        self.header_start = skip_rows + start  # 0-based index of the first header row
        self.header_rows = count
        self.raw_header = [list(r) for r in head[start:start + count]]
        self.header_fields = len(self.raw_header[-1]) if self.raw_header else 0
        data_head = head[start + count:]
        header_width = max((len(_trim(r)) for r in self.raw_header), default=0)
        data_width = max((len(_trim(r)) for r in data_head[:50]), default=0)
        self.width = max(header_width, data_width) or max((len(r) for r in head), default=0)
        if count:
            self.header = _dedupe_labels(_merge_header(self.raw_header, self.width), notes)
            self.header_labels_raw = _merge_header(self.raw_header, self.width)
        else:
            self.header = [f"열{j + 1}" for j in range(self.width)]
            self.header_labels_raw = [""] * self.width
            notes.append("no header row: the first row is data; columns named 열1, 열2, …")
        if self.title_rows:
            notes.append(f"{len(self.title_rows)} title rows above the header skipped")
        stats.records += start + count
        self.first_row_number = skip_rows + start + count + 1
        self._head_data = data_head

    @property
    def bytes_read(self) -> int | None:
        """Bytes of the (decompressed) text read so far; None for workbooks."""
        return self._counter.count if self._counter is not None else None

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for numbers, rows in self.iter_chunks(1024):
            yield from zip(numbers, rows)

    def iter_chunks(self, size: int = 20_000) -> Iterator[tuple[list[int], list[list[str]]]]:
        """The data rows in lists of up to ``size``: (row numbers, rows). Same rows as
        iterating the stream, with less overhead per row (what the checker uses)."""
        if self._started:
            raise RuntimeError("a TableStream can be iterated once")
        self._started = True
        stats = self.stats
        width = self.width
        check_ragged = self.kind == "text" and self.header_rows > 0
        fields = (self.header_fields or width) if check_ragged else width
        number = self.first_row_number - 1
        numbers: list[int] = []
        rows: list[list[str]] = []
        examples = stats.ragged_examples
        for row in chain(self._head_data, self._rows):
            number += 1
            if row is None:  # an overlong line, already counted by the decoder
                continue
            n = len(row)
            if n != fields:
                if not check_ragged:
                    if n > width and any(row[width:]):
                        stats.long_rows += 1
                        if len(examples) < EXAMPLES:
                            examples.append((number, n))
                elif n < fields:
                    if n > 0 and any(row):
                        stats.short_rows += 1
                        if len(examples) < EXAMPLES:
                            examples.append((number, n))
                elif any(row[fields:]):
                    stats.long_rows += 1
                    if len(examples) < EXAMPLES:
                        examples.append((number, n))
                else:
                    stats.trailing_empty_rows += 1
                    if len(examples) < EXAMPLES:
                        examples.append((number, n))
            if not (n and row[0]) and not any(c and not c.isspace() for c in row):
                stats.blank_rows += 1
                if len(stats.blank_row_examples) < EXAMPLES:
                    stats.blank_row_examples.append(number)
                continue
            numbers.append(number)
            rows.append(row)
            if len(rows) >= size:
                yield numbers, rows
                numbers, rows = [], []
        stats.records = number
        self._head_data = []
        if rows:
            yield numbers, rows

    def close(self) -> None:
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # noqa: BLE001 - closing must never mask the real outcome
                pass
        self._closers = []

    def __enter__(self) -> "TableStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _choose_sheet(names: list[str], counts: list[int], sheet, source: str) -> int:
    if isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise UnreadableFile(f"{Path(source).name}: no sheet number {sheet} (has {len(names)})")
        return sheet % len(names)
    if isinstance(sheet, str):
        if sheet not in names:
            raise UnreadableFile(f"{Path(source).name}: no sheet '{sheet}' (has {names})")
        return names.index(sheet)
    return max(range(len(names)), key=lambda i: counts[i])


def open_table(path: str | os.PathLike, *, sheet: str | int | None = None,
               header_rows: int | None = None, skip_rows: int = 0, encoding: str | None = None,
               delimiter: str | None = None, max_line_bytes: int | None = None) -> TableStream:
    """Open one table for streaming (see :class:`TableStream`).

    Text files are read in bounded memory whatever their size. For workbooks the named or
    numbered sheet is read; by default the sheet with the most filled cells (real releases
    put forms and lookups on the other sheets), and ``sheets`` lists them all.
    """
    p = Path(path)
    if not p.exists():
        raise UnreadableFile(f"{p}: no such file")
    if p.is_dir():
        raise UnreadableFile(f"{p}: a folder, not a file")
    kind = sniff_kind(p)
    notes: list[str] = []
    stats = ReadStats()
    if kind == "empty":
        raise UnreadableFile(f"{p.name}: the file is empty (0 bytes)")
    if kind == "binary":
        raise UnreadableFile(f"{p.name}: {_binary_what(p)}, not a text or spreadsheet table")
    container = None
    zf = None
    member_bytes = None
    if kind == "zip":
        zf, member = _zip_member(p)
        container = f"zip:{member}"
        notes.append(f"a ZIP archive named {p.name}; read the one table inside ({member})")
        with zf.open(member) as fh:
            head = fh.read(8192)
        inner = _kind_of_head(head)
        if inner == "zip":  # an XLSX inside the ZIP
            inner = "xlsx"
        if inner in ("xlsx", "xls"):
            info = zf.getinfo(member)
            if info.file_size > 512 << 20:
                zf.close()
                raise UnreadableFile(f"{p.name}: the workbook inside the ZIP is too large to "
                                     f"read without unpacking ({info.file_size:,} bytes)")
            member_bytes = zf.read(member)
            zf.close()
            zf = None
        elif inner == "binary":
            zf.close()
            raise UnreadableFile(f"{p.name}: a ZIP archive whose member {member} is binary, "
                                 f"not a table")
        elif inner == "gzip":
            zf.close()
            raise UnreadableFile(f"{p.name}: a ZIP archive holding a compressed file; unpack it")
        kind = inner
    if kind in ("xlsx", "xls"):
        return _open_workbook(p, kind, member_bytes, sheet=sheet, header_rows=header_rows,
                              skip_rows=skip_rows, stats=stats, notes=notes, container=container)
    # text (plain, gzip, or inside a ZIP)
    closers = []
    if zf is not None:
        member = container.split(":", 1)[1]
        opener = lambda: zf.open(member)  # noqa: E731
        closers.append(zf.close)
    elif kind == "gzip":
        import gzip

        opener = lambda: gzip.open(p, "rb")  # noqa: E731
        container = f"gzip:{p.name}"
        notes.append(f"a gzip-compressed file named {p.name}; read the table inside")
    else:
        opener = lambda: open(p, "rb")  # noqa: E731
    damaged: tuple[type[BaseException], ...] = (OSError, EOFError)
    if zf is not None:
        import zipfile

        damaged += (zipfile.BadZipFile,)
    try:
        with opener() as fh:
            sample = fh.read(SAMPLE_BYTES)
    except damaged as err:
        for c in closers:
            c()
        raise UnreadableFile(f"{p.name}: cannot read the compressed data ({err})") from err
    if not sample.strip(b" \t\r\n\xef\xbb\xbf"):
        for c in closers:
            c()
        raise UnreadableFile(f"{p.name}: no table in the file (blank lines only)")
    guess = EncodingGuess(encoding, "given by caller") if encoding else detect_encoding(sample)
    if guess.encoding == "cp949" and not encoding:
        low = _low_high_bytes(sample)
        if low == 0:
            guess = EncodingGuess("cp949", guess.evidence + "; no UTF-8 continuation bytes "
                                                            "(0x80–0xA0) in the sample")
    sample_text = sample[:65536].decode(guess.encoding if guess.encoding != "utf-8-sig"
                                        else "utf-8-sig", errors="replace")
    if delimiter is None:
        delimiter = _sniff_delimiter(sample_text)
    stats.quoted_share = _quoted_share(sample_text.lstrip("\ufeff"), delimiter)
    fh = _CountingReader(opener())
    closers.append(fh.close)
    rows = _text_rows(fh, guess, delimiter, stats, max_line=max_line_bytes or MAX_LINE_BYTES)
    try:
        return TableStream(source=str(p), kind="text", rows=rows, encoding=guess,
                           delimiter=delimiter, sheet=None, sheets=[], header_rows=header_rows,
                           skip_rows=skip_rows, stats=stats, notes=notes, closers=closers,
                           container=container)
    except BaseException:
        for c in reversed(closers):
            c()
        raise


def _open_workbook(p: Path, kind: str, member_bytes: bytes | None, *, sheet, header_rows,
                   skip_rows, stats, notes, container) -> TableStream:
    source = io.BytesIO(member_bytes) if member_bytes is not None else p
    try:
        if kind == "xlsx":
            wb = _open_xlsx(source)
            names = list(wb.sheetnames)
            if sheet is None and len(names) > 1:
                counts = [sum(1 for r in _xlsx_rows(ws) for c in r if c) for ws in wb.worksheets]
            else:
                counts = [0] * len(names)
            index = _choose_sheet(names, counts, sheet, str(p))
            rows = _xlsx_rows(wb.worksheets[index])
            closers = [wb.close]
        else:
            book = _xls_book(member_bytes if member_bytes is not None else p)
            names = list(book.sheet_names())
            if sheet is None and len(names) > 1:
                counts = []
                for i in range(len(names)):
                    s = book.sheet_by_index(i)
                    counts.append(sum(1 for r in _xls_rows(book, s) for c in r if c))
            else:
                counts = [0] * len(names)
            index = _choose_sheet(names, counts, sheet, str(p))
            rows = _xls_rows(book, book.sheet_by_index(index))
            closers = [book.release_resources]
    except UnreadableFile:
        raise
    except Exception as err:  # corrupt workbooks raise many different types
        what = "workbook"
        if kind == "xls":
            what = "XLS workbook (an OLE2 file that Excel did not write, e.g. HWP/DOC?)"
        raise UnreadableFile(f"{p.name}: unreadable {what if kind == 'xls' else 'XLSX workbook'} "
                             f"({err})") from err
    if len(names) > 1:
        notes.append(f"workbook with {len(names)} sheets; read '{names[index]}'")
    try:
        return TableStream(source=str(p), kind=kind, rows=rows, encoding=None, delimiter=None,
                           sheet=names[index], sheets=names, header_rows=header_rows,
                           skip_rows=skip_rows, stats=stats, notes=notes, closers=closers,
                           container=container)
    except BaseException:
        for c in closers:
            c()
        raise


# --------------------------------------------------------------------------- whole tables


def _table_from_stream(stream: TableStream) -> Table:
    rows: list[list[str]] = []
    numbers: list[int] = []
    with stream:
        for number, row in stream:
            numbers.append(number)
            rows.append(row)
    notes = list(stream.notes)
    if stream.stats.blank_rows:
        notes.append(f"{stream.stats.blank_rows} blank rows skipped")
    if stream.stats.ragged_rows:
        notes.append(f"{stream.stats.ragged_rows} rows with a different number of fields than "
                     f"the header")
    if stream.stats.other_encoding_lines:
        notes.append("lines in another encoding: " + ", ".join(
            f"{n} {codec}" for codec, n in stream.stats.other_encoding_lines.items()))
    if stream.stats.stopped:
        notes.append(stream.stats.stopped)
    return Table(source=stream.source, encoding=stream.encoding, header=stream.header, rows=rows,
                 header_rows=stream.header_rows,
                 first_data_line=numbers[0] if numbers else stream.first_row_number,
                 sheet=stream.sheet, notes=notes, row_numbers=numbers, stats=stream.stats)


def read_table(path: str | os.PathLike, *, sheet: str | int | None = None,
               header_rows: int | None = None, skip_rows: int = 0,
               encoding: str | None = None) -> Table:
    """Read a whole table into memory, header detected unless ``header_rows`` is given.

    For XLSX/XLS the named or numbered sheet is read; by default the sheet with the most
    filled cells (real releases put forms and lookups on the other sheets).
    """
    return _table_from_stream(open_table(path, sheet=sheet, header_rows=header_rows,
                                         skip_rows=skip_rows, encoding=encoding))


def read_tables(path: str | os.PathLike) -> list[Table]:
    """Every sheet of a workbook as a table (one table for text files). Sheets without any
    filled cell are left out."""
    names = list_sheets(path)
    if not names:
        return [read_table(path)]
    tables = []
    for name in names:
        try:
            tables.append(read_table(path, sheet=name))
        except UnreadableFile:
            continue  # an empty sheet
    return tables


def iter_csv_rows(path: str | os.PathLike, encoding: EncodingGuess | None = None,
                  delimiter: str | None = None) -> tuple[EncodingGuess, str, Iterator[list[str]]]:
    """Stream a delimited text file as lists of text cells (constant memory), header included.

    Returns the encoding guess, the delimiter and the row iterator. A file that mixes UTF-8
    and CP949 lines is decoded line by line; bytes no codec can decode become U+FFFD instead
    of stopping the read.
    """
    p = Path(path)
    with open(p, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    guess = encoding or detect_encoding(sample)
    if delimiter is None:
        delimiter = _sniff_delimiter(sample[:65536].decode(guess.encoding, errors="replace"))

    def rows() -> Iterator[list[str]]:
        with open(p, "rb") as fh:
            for row in _text_rows(fh, guess, delimiter, ReadStats()):
                if row is not None:  # a line too long to be a row is skipped
                    yield row

    return guess, delimiter, rows()


def read_text(path: str | os.PathLike) -> tuple[str, EncodingGuess]:
    """Whole file as text with its encoding guess (for JSON/XML sidecars in Korean)."""
    data = Path(path).read_bytes()
    guess = detect_encoding(data[:SAMPLE_BYTES])
    return data.decode(guess.encoding, errors="replace"), guess


def decode_bytes(data: bytes) -> tuple[str, EncodingGuess]:
    guess = detect_encoding(data[:SAMPLE_BYTES])
    return data.decode(guess.encoding, errors="replace"), guess


def table_from_text(text: str, source: str = "<text>") -> Table:
    stats = ReadStats()
    delimiter = _sniff_delimiter(text[:65536])
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    stream = TableStream(source=source, kind="text", rows=iter(rows),
                         encoding=EncodingGuess("utf-8", "text given"), delimiter=delimiter,
                         sheet=None, sheets=[], header_rows=None, skip_rows=0, stats=stats,
                         notes=[], closers=[], container=None)
    return _table_from_stream(stream)


def iter_rows_of(lines: Iterable[str], delimiter: str = ",") -> Iterator[list[str]]:
    """csv rows of already-decoded lines (helper for tests and in-memory text)."""
    return csv.reader(lines, delimiter=delimiter)
