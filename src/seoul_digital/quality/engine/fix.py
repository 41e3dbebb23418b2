"""Repair what can be repaired without guessing; list the rest for a person.

``fix_file(src, out_csv, log_csv)`` first checks the file (to learn, per column, which
formats it mixes), then streams it again and writes:

* ``out_csv`` — UTF-8 (with BOM, so Excel opens it as UTF-8), one header row, CRLF line
  ends, quotes only where needed, same data rows in the same order;
* ``log_csv`` — one line per changed cell: row, column, before, after, rule.

Fixed without guessing: surrounding spaces; date formats in a column that mixes them (to
YYYY-MM-DD, or the spec's format) and unpadded times (9:56 → 09:56); phone numbers to the
standard hyphenated form; thousands separators in numeric columns; leading zeros of
postcodes (4 → 5 digits) and of codes whose length is known; short district names
(강남 → 강남구); blank rows (removed, logged); an unnamed column that is entirely blank
(removed, logged); title rows and multi-row headers (one header row); trailing
delimiters; CP949 → UTF-8. Everything else — identifiers destroyed into scientific
notation, sentinel dates, numbers without area codes, swapped coordinates, duplicates … —
is listed in ``FixResult.needs_review`` with examples and, where one exists, a proposal.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from seoul_digital.common.korean_files import UnreadableFile, open_table
from seoul_digital.common.progress import ProgressCallback, null_progress, scaled
from seoul_digital.quality.engine.catalogue import RULES
from seoul_digital.quality.engine.checker import CHUNK_ROWS, SAMPLE_ROWS, _Column, check_file
from seoul_digital.quality.engine.report import Report
from seoul_digital.quality.engine.rules.dates import forget_parsed_dates
from seoul_digital.quality.engine.spec import DatasetSpec, build_plan, load_spec

__all__ = ["fix_file", "FixResult", "ReviewItem", "ALWAYS_FIXED"]

# value fixes applied whenever the value needs them
ALWAYS_FIXED = {"datetime_not_zero_padded", "phone_unformatted", "postcode_leading_zero_lost",
                "code_leading_zero_lost", "thousands_separator", "district_name_short",
                "bizno_invalid"}
MAX_REVIEW_EXAMPLES = 20


@dataclass
class ReviewItem:
    rule: str
    column: str | None
    count: int
    message: str = ""
    examples: list[dict[str, Any]] = field(default_factory=list)  # row, value, proposal

    def to_dict(self) -> dict[str, Any]:
        info = RULES[self.rule]
        return {"rule": self.rule, "title": info.ko, "dimension": info.dimension,
                "severity": info.severity, "column": self.column, "count": self.count,
                "message": self.message, "examples": self.examples}


@dataclass
class FixResult:
    source: str
    output: str | None
    log: str | None
    rows_in: int = 0
    rows_out: int = 0
    changes: int = 0
    changes_by_rule: dict[str, int] = field(default_factory=dict)
    dropped_columns: list[str] = field(default_factory=list)
    needs_review: list[ReviewItem] = field(default_factory=list)
    report: Report | None = None
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "output": self.output, "log": self.log,
                "rows_in": self.rows_in, "rows_out": self.rows_out, "changes": self.changes,
                "changes_by_rule": self.changes_by_rule, "dropped_columns": self.dropped_columns,
                "needs_review": [r.to_dict() for r in self.needs_review], "error": self.error,
                "seconds": round(self.seconds, 3)}


class _Log:
    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(["row", "column", "before", "after", "rule"])
        self.count = 0
        self.by_rule: Counter = Counter()

    def write(self, row, column: str, before: str, after: str, rule: str) -> None:
        self.writer.writerow([row, column, before, after, rule])
        self.count += 1
        self.by_rule[rule] += 1

    def close(self) -> None:
        self.fh.close()


def fix_file(path: str | Path, out: str | Path, log: str | Path, *,
             spec: DatasetSpec | str | Path | None = None, sheet: str | int | None = None,
             bom: bool = True, progress: ProgressCallback = null_progress,
             report: Report | None = None) -> FixResult:
    """Write the repaired table to ``out`` and every changed cell to ``log``."""
    started = time.perf_counter()
    if not isinstance(spec, DatasetSpec):
        spec = load_spec(spec)
    src = Path(path)
    out, log = Path(out), Path(log)
    if out.resolve() == src.resolve():
        raise ValueError("the output must be a new file, not the input")
    result = FixResult(source=src.name, output=str(out), log=str(log))
    if report is None:
        report = check_file(src, spec, sheet=sheet, progress=scaled(progress, 0.0, 0.5))
    result.report = report
    if report.unreadable:
        result.error = report.unreadable
        result.output = result.log = None
        return result
    mixed_dates = {f.column for f in report.findings if f.rule in ("date_format_mixed",)}
    blank_unnamed = {f.column for f in report.findings if f.rule == "blank_header_label"} & \
        {f.column for f in report.findings if f.rule == "all_blank_column"}
    try:
        stream = open_table(src, sheet=sheet if sheet is not None else spec.sheet,
                            header_rows=spec.header_rows, encoding=spec.encoding)
    except UnreadableFile as err:  # the check read it a moment ago; report, never crash
        result.error = str(err)
        return result
    logger = _Log(log)
    fixed: Counter = Counter()
    try:
        with stream, open(out, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            header = list(stream.header)
            keep = [j for j, name in enumerate(header) if name not in blank_unnamed]
            result.dropped_columns = [header[j] for j in range(len(header)) if j not in keep]
            for name in result.dropped_columns:
                logger.write("*", name, "(빈 열)", "(삭제)", "all_blank_column")
            for i, row in enumerate(stream.title_rows):
                logger.write(i + 1, "*", " ".join(c for c in row if c)[:200], "(삭제)", "title_rows")
            if stream.header_rows != 1:
                for j in keep:
                    before = " / ".join(r[j] if j < len(r) else "" for r in stream.raw_header) \
                        if stream.header_rows else ""
                    logger.write(f"{stream.header_start + 1}-{stream.header_start + max(stream.header_rows, 1)}"
                                 if stream.header_rows else "0", header[j], before, header[j],
                                 "multi_row_header" if stream.header_rows > 1 else "no_header")
            writer.writerow([header[j] for j in keep])
            chunks = stream.iter_chunks(CHUNK_ROWS)
            first = next(chunks, ([], []))
            plan = build_plan(header, first[1][:SAMPLE_ROWS], spec,
                              header_labels_raw=stream.header_labels_raw if stream.header_rows else None)
            columns = [_Column(c, plan.disabled, len(plan.columns)) for c in plan.columns]
            width = len(header)
            total = report.size_bytes or 0
            last = stream.first_row_number - 1

            def gap(upto: int) -> None:
                for missing in range(last + 1, upto):
                    logger.write(missing, "*", "(빈 행)", "(삭제)", "blank_rows")
                    fixed["blank_rows"] += 1

            for numbers, rows in chain([first], chunks):
                for number, row in zip(numbers, rows):
                    if number > last + 1:
                        gap(number)
                    last = number
                    result.rows_in += 1
                    extra = row[width:]
                    cells = row[:width] + [""] * (width - len(row))
                    for j in keep:
                        value = cells[j]
                        if not value:
                            continue
                        info = columns[j].info(value)
                        current = value
                        if info.blank:
                            current = ""
                            logger.write(number, header[j], value, current, "untrimmed_spaces")
                            fixed["untrimmed_spaces"] += 1
                        else:
                            if info.stripped != value:
                                current = info.stripped
                                logger.write(number, header[j], value, current, "untrimmed_spaces")
                                fixed["untrimmed_spaces"] += 1
                            verdict = info.verdict
                            if verdict.fix is not None and verdict.fix != current and (
                                    verdict.fix_rule in ALWAYS_FIXED or (
                                        verdict.fix_rule == "date_format_mixed"
                                        and header[j] in mixed_dates)):
                                logger.write(number, header[j], current, verdict.fix, verdict.fix_rule)
                                fixed[verdict.fix_rule] += 1
                                current = verdict.fix
                        cells[j] = current
                    out_row = [cells[j] for j in keep]
                    if extra and any(c.strip() for c in extra):
                        out_row += extra  # values beyond the header are never dropped
                    elif extra:
                        logger.write(number, "*", f"빈 필드 {len(extra)}개", "(삭제)",
                                     "trailing_delimiter")
                        fixed["trailing_delimiter"] += 1
                    writer.writerow(out_row)
                    result.rows_out += 1
                if total and stream.bytes_read is not None:
                    progress(0.5 + 0.5 * min(stream.bytes_read / total, 1.0), 1.0,
                             f"{result.rows_in:,}행 정리")
            gap(stream.stats.records + 1)
    finally:
        logger.close()
        forget_parsed_dates()  # the date memo lives for one pass over a file
    result.changes = logger.count
    result.changes_by_rule = dict(logger.by_rule)
    result.needs_review = _review_items(report, fixed, result.dropped_columns, mixed_dates)
    result.seconds = time.perf_counter() - started
    progress(1.0, 1.0, "정리 완료")
    return result


_FIXABLE_WHOLE = {"untrimmed_spaces", "datetime_not_zero_padded", "phone_unformatted",
                  "postcode_leading_zero_lost", "code_leading_zero_lost", "thousands_separator",
                  "district_name_short", "blank_rows", "trailing_delimiter", "multi_row_header",
                  "title_rows", "encoding_not_utf8", "mixed_encoding", "mixed_line_endings",
                  "all_values_quoted", "extra_sheets", "blank_cells", "coordinate_system",
                  "key_component_repeats", "mutually_exclusive_columns"}


def _review_items(report: Report, fixed: Counter, dropped: list[str],
                  mixed_dates: set) -> list[ReviewItem]:
    items = []
    for f in report.findings:
        if f.rule in _FIXABLE_WHOLE:
            continue
        if f.rule == "date_format_mixed" and f.column in mixed_dates:
            continue
        if f.rule in ("all_blank_column", "blank_header_label") and f.column in dropped:
            continue
        if f.severity == "info":
            continue
        examples = []
        for e in f.examples[:MAX_REVIEW_EXAMPLES]:
            examples.append({"row": e.row, "value": e.value, "proposal": _proposal(f.rule, e.value)})
        items.append(ReviewItem(rule=f.rule, column=f.column, count=f.count, message=f.message,
                                examples=examples))
    return items


def _proposal(rule: str, value: str) -> str | None:
    """A suggestion for a person to confirm (never applied by the fixer)."""
    from seoul_digital.quality.engine.rules.contact import PhoneRule
    from seoul_digital.quality.engine.rules.dates import DateRule

    if rule == "phone_missing_area_code":
        return PhoneRule().evaluate(value.strip()).proposal
    if rule == "excel_serial_date":
        return DateRule().evaluate(value.strip()).proposal
    if rule == "coordinate_swapped" and "," in value:
        parts = [p.split("=", 1)[-1] for p in value.split(", ")]
        if len(parts) == 2:
            return f"{parts[1]}, {parts[0]} (X/Y 바꿈)"
    if rule == "id_scientific_notation":
        return "원본 시스템에서 번호를 다시 받아야 함(유효숫자가 사라짐)"
    if rule == "date_sentinel":
        return "(빈 값) — 날짜가 없으면 비워 두기"
    if rule == "postcode_legacy":
        return "도로명주소로 5자리 국가기초구역번호 조회"
    return None
