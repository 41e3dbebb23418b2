"""The check's result: findings, per-column profiles and the conformance rate (정합률).

``Report.to_dict()`` is the JSON contract::

    {"file", "encoding", "header_rows", "rows", "columns",
     "findings": [{"rule", "dimension", "column", "count", "examples": [{"row", "value"}]}],
     "conformance_rate"}

``conformance_rate`` = 1 − error cells / checked cells. Checked cells are every non-blank
cell plus the blank cells of required columns (keys, coordinates, LOCALDATA's mandatory
columns, or what the spec marks required) plus blank cells a row rule looked at; error cells
are those that fail at least one rule of severity ``error``. The contract keys are always
present; the extra keys (``severity``, ``message``, ``profiles`` …) are additions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES

__all__ = ["Example", "Finding", "ColumnProfile", "Report"]


@dataclass
class Example:
    """A row as a person sees it in the file, and the value found there."""

    row: int
    value: str


@dataclass
class Finding:
    """One rule broken in one column (or the whole file): how often, with examples."""

    rule: str
    column: str | None
    count: int
    examples: list[Example] = field(default_factory=list)
    message: str = ""
    dimension: str = ""
    severity: str = ""

    def __post_init__(self):
        info = RULES[self.rule]
        self.dimension = self.dimension or info.dimension
        self.severity = self.severity or info.severity

    @property
    def title_ko(self) -> str:
        return RULES[self.rule].ko

    @property
    def title_en(self) -> str:
        return RULES[self.rule].en

    @property
    def dimension_ko(self) -> str:
        return DIMENSIONS[self.dimension].ko

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "dimension": self.dimension, "column": self.column,
                "count": int(self.count),
                "examples": [{"row": e.row, "value": e.value} for e in self.examples],
                "severity": self.severity, "title": self.title_ko, "message": self.message}


@dataclass
class ColumnProfile:
    """What one column holds: kind and its source, blanks, distinct values, lengths, formats."""

    index: int
    name: str
    kind: str
    source: str
    required: bool
    blank: int = 0
    filled: int = 0
    distinct: int = 0
    distinct_capped: bool = False
    top: list[tuple[str, int]] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    formats: dict[str, int] = field(default_factory=dict)
    checked: int = 0
    errors: int = 0
    note: str = ""

    @property
    def blank_rate(self) -> float:
        total = self.blank + self.filled
        return self.blank / total if total else 0.0

    @property
    def conformance(self) -> float | None:
        return 1 - self.errors / self.checked if self.checked else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["top"] = [{"value": v, "count": n} for v, n in self.top]
        data["blank_rate"] = self.blank_rate
        data["conformance"] = self.conformance
        return data


@dataclass
class Report:
    """The result of checking one file (the JSON contract, see ``to_dict``)."""

    file: str
    encoding: str | None = None
    encoding_evidence: str = ""
    kind: str = ""
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    delimiter: str | None = None
    header_rows: int = 0
    title_rows: int = 0
    rows: int = 0
    header: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checked_cells: int = 0
    error_cells: int = 0
    dimension_errors: dict[str, int] = field(default_factory=dict)
    profiles: list[ColumnProfile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spec_source: str = "inferred"
    unreadable: str | None = None
    size_bytes: int | None = None
    seconds: float | None = None

    @property
    def columns(self) -> int:
        return len(self.header)

    @property
    def conformance_rate(self) -> float | None:
        if self.unreadable is not None or not self.checked_cells:
            return None
        return 1.0 - self.error_cells / self.checked_cells

    def dimension_rates(self) -> dict[str, float | None]:
        """Conformance per ISO/IEC 25024 item (same denominator as the overall rate)."""
        out = {}
        for code in DIMENSIONS:
            errors = self.dimension_errors.get(code, 0)
            out[code] = (1.0 - errors / self.checked_cells) if self.checked_cells else None
        return out

    def count(self, rule: str, column: str | None = None) -> int:
        """Total count of a rule's findings (for one column, or all)."""
        return sum(f.count for f in self.findings
                   if f.rule == rule and (column is None or f.column == column))

    def finding(self, rule: str, column: str | None = None) -> Finding | None:
        for f in self.findings:
            if f.rule == rule and (column is None or f.column == column):
                return f
        return None

    @property
    def problem_count(self) -> int:
        """Errors and warnings (info findings are descriptions, not problems)."""
        return sum(f.count for f in self.findings if f.severity in ("error", "warning"))

    def to_dict(self, *, profiles: bool = True) -> dict[str, Any]:
        rate = self.conformance_rate
        data: dict[str, Any] = {
            "file": self.file,
            "encoding": self.encoding,
            "header_rows": self.header_rows,
            "rows": self.rows,
            "columns": self.columns,
            "findings": [f.to_dict() for f in self.findings],
            "conformance_rate": None if rate is None else round(rate, 6),
            # additions beyond the contract
            "encoding_evidence": self.encoding_evidence,
            "format": self.kind,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "delimiter": self.delimiter,
            "title_rows": self.title_rows,
            "header": self.header,
            "checked_cells": self.checked_cells,
            "error_cells": self.error_cells,
            "dimensions": {code: {"name": DIMENSIONS[code].ko, "error_cells": self.dimension_errors.get(code, 0),
                                  "conformance_rate": None if r is None else round(r, 6)}
                           for code, r in self.dimension_rates().items()},
            "notes": self.notes,
            "spec": self.spec_source,
            "unreadable": self.unreadable,
            "size_bytes": self.size_bytes,
            "seconds": None if self.seconds is None else round(self.seconds, 3),
        }
        if profiles:
            data["profiles"] = [p.to_dict() for p in self.profiles]
        return data

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(**kwargs), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """Rebuild a report from its JSON (the web app keeps reports as JSON)."""
        findings = [Finding(rule=f["rule"], column=f.get("column"), count=f["count"],
                            examples=[Example(e["row"], e["value"]) for e in f.get("examples", [])],
                            message=f.get("message", ""), dimension=f.get("dimension", ""),
                            severity=f.get("severity", "")) for f in data.get("findings", [])]
        profiles = []
        for p in data.get("profiles", []) or []:
            p = dict(p)
            p.pop("blank_rate", None)
            p.pop("conformance", None)
            p["top"] = [(t["value"], t["count"]) for t in p.get("top", [])]
            profiles.append(ColumnProfile(**p))
        dims = data.get("dimensions") or {}
        return cls(file=data["file"], encoding=data.get("encoding"),
                   encoding_evidence=data.get("encoding_evidence", ""), kind=data.get("format", ""),
                   sheet=data.get("sheet"), sheets=data.get("sheets") or [],
                   delimiter=data.get("delimiter"), header_rows=data.get("header_rows", 0),
                   title_rows=data.get("title_rows", 0), rows=data.get("rows", 0),
                   header=data.get("header") or [], findings=findings,
                   checked_cells=data.get("checked_cells", 0), error_cells=data.get("error_cells", 0),
                   dimension_errors={k: v.get("error_cells", 0) for k, v in dims.items()},
                   profiles=profiles, notes=data.get("notes") or [], spec_source=data.get("spec", ""),
                   unreadable=data.get("unreadable"), size_bytes=data.get("size_bytes"),
                   seconds=data.get("seconds"))
