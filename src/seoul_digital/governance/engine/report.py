"""The annual work report's tables, built from plain figures, and how their cells read.

Each builder takes the records as plain tuples and returns a :class:`ReportTable` whose
totals and subtotals are *computed* here (never typed in), so the report shows what the data
adds up to. Cells keep their numbers; :func:`cell_text` formats them the way the foundation's
report does: thousands separators, △ for negatives and '-' for zero in staffing and finance.
Labels come from the caller (the app passes translated ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Sequence

__all__ = [
    "ReportTable", "ReportRow", "Report", "cell_text", "staffing_table", "finance_table",
    "budget_summary_table", "plan_table", "audit_summary_table", "units_table", "board_table",
]

INT, DELTA, MILLION, TEXT = "int", "delta", "million", "text"


@dataclass
class ReportRow:
    cells: list[Any]
    level: str = "item"  # "item", "subtotal" or "total"


@dataclass
class ReportTable:
    key: str
    title: str
    unit: str  # e.g. "단위: 천원"
    header: list[list[str]]  # one or more header rows (already labelled)
    rows: list[ReportRow]
    styles: list[str]  # per column: int, delta, million or text
    note: str = ""
    sheet: str = ""  # spreadsheet sheet name; tables with the same one share a sheet

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(v, s) for v, s in zip(row.cells, self.styles)] for row in self.rows]

    def column(self, index: int) -> list[Any]:
        return [row.cells[index] for row in self.rows]

    def row(self, label: str, index: int = 0) -> ReportRow:
        """The first row whose ``index``-th cell equals ``label``."""
        for row in self.rows:
            if row.cells[index] == label:
                return row
        raise KeyError(f"{self.key}: no row {label!r}")


@dataclass
class Report:
    year: int
    title: str
    tables: list[ReportTable] = field(default_factory=list)

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def tables_with_prefix(self, prefix: str) -> list[ReportTable]:
        return [t for t in self.tables if t.key.startswith(prefix)]


def _group(number, places: int = 0) -> str:
    value = Decimal(str(number))
    return f"{value:,.{places}f}"


def cell_text(value, style: str) -> str:
    if value is None:
        return ""
    if style == TEXT or isinstance(value, str):
        return str(value)
    if style == DELTA:
        # Staffing and finance tables: △ marks a shortfall or decrease; '-' means none.
        if value == 0:
            return "-"
        return ("△" + _group(-value)) if value < 0 else _group(value)
    if style == MILLION:
        value = Decimal(str(value))
        places = 0 if value == value.to_integral_value() else 1
        return _group(value, places)
    return _group(value)


def staffing_table(grades: Sequence[tuple[str, int, int]], *, labels: Mapping[str, str],
                   title: str, unit: str, note: str = "") -> ReportTable:
    """grades: (grade label, 정원, 현원) in report order. Rows 정원/현원/과부족, with 계."""
    quotas = [q for _, q, _ in grades]
    currents = [c for _, _, c in grades]
    header = [[labels["division"], labels["total"], *[name for name, _, _ in grades]]]
    rows = [
        ReportRow([labels["quota"], sum(quotas), *quotas]),
        ReportRow([labels["current"], sum(currents), *currents]),
        ReportRow([labels["gap"], sum(currents) - sum(quotas),
                   *[c - q for q, c in zip(quotas, currents)]]),
    ]
    return ReportTable("staffing", title, unit, header, rows,
                       [TEXT, DELTA, *[DELTA] * len(grades)], note)


def finance_table(assets: Sequence[tuple[str, Mapping[int, Decimal]]],
                  claims: Sequence[tuple[str, Mapping[int, Decimal]]], *, years: Sequence[int],
                  labels: Mapping[str, str], title: str, unit: str) -> ReportTable:
    """Assets beside liabilities-and-equity for two years (latest first) with 증감."""
    latest, earlier = years

    def side(lines):
        total = {y: sum((Decimal(str(v.get(y, 0))) for _, v in lines), Decimal(0)) for y in years}
        out = [(labels["total"], total)] + [(name, {y: Decimal(str(v.get(y, 0))) for y in years})
                                            for name, v in lines]
        return [(name, v[latest], v[earlier], v[latest] - v[earlier]) for name, v in out]

    left, right = side(assets), side(claims)
    height = max(len(left), len(right))
    blank = ("", None, None, None)
    rows = []
    for i in range(height):
        l = left[i] if i < len(left) else blank
        r = right[i] if i < len(right) else blank
        rows.append(ReportRow([*map(_plain, l), *map(_plain, r)], "total" if i == 0 else "item"))
    yl = lambda y: labels["year_format"] % {"yy": f"{y % 100:02d}"}  # noqa: E731
    header = [
        [labels["assets"], "", "", "", labels["claims"], "", "", ""],
        [labels["division"], yl(latest), yl(earlier), labels["change"],
         labels["division"], yl(latest), yl(earlier), labels["change"]],
    ]
    return ReportTable("finance", title, unit, header, rows,
                       [TEXT, DELTA, DELTA, DELTA, TEXT, DELTA, DELTA, DELTA])


def _plain(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def budget_summary_table(programmes: Sequence[tuple[str, str, int]], *,
                         labels: Mapping[str, str], title: str, unit: str) -> ReportTable:
    """programmes: (strategy, programme name, 예산액 천원) in report order.
    One subtotal row per strategy (in first-seen order), then the grand total."""
    strategies: dict[str, list[tuple[str, int]]] = {}
    for strategy, name, amount in programmes:
        strategies.setdefault(strategy, []).append((name, amount))
    rows = []
    for strategy, items in strategies.items():
        rows.append(ReportRow([strategy, labels["subtotal"], sum(a for _, a in items), ""],
                              "subtotal"))
        rows.extend(ReportRow(["", name, amount, ""]) for name, amount in items)
    rows.append(ReportRow([labels["grand_total"], "", sum(a for _, _, a in programmes), ""],
                          "total"))
    header = [[labels["division"], labels["programme"], labels["amount"], labels["remarks"]]]
    return ReportTable("budget_summary", title, unit, header, rows, [TEXT, TEXT, INT, TEXT])


def plan_table(key: str, lines: Sequence[tuple[str, Sequence[Decimal]]], *,
               labels: Mapping[str, str], title: str, unit: str,
               notes: Sequence[str] = (), sheet: str = "") -> ReportTable:
    """One programme's quarterly execution plan: per line 예산액 (= the quarters' sum) and
    the four quarters, all in 백만원."""
    rows = []
    for name, quarters in lines:
        values = [Decimal(str(v)) for v in quarters]
        rows.append(ReportRow([name, sum(values, Decimal(0)), *values]))
    header = [[labels["programme"], labels["amount"], *[labels[f"q{i}"] for i in range(1, 5)]]]
    return ReportTable(key, title, unit, header, rows, [TEXT, MILLION, *[MILLION] * 4],
                       " ".join(notes), sheet=sheet)


def audit_summary_table(items: Sequence[tuple[str, str]], *, kinds: Sequence[tuple[str, str]],
                        statuses: Sequence[tuple[str, str]], labels: Mapping[str, str],
                        title: str, unit: str) -> ReportTable:
    """items: (kind, status) per register item. Rows 계 and one per kind; columns 계 and one
    per status, counted from the items."""
    def counts(selected):
        return [len(selected), *[sum(1 for _, s in selected if s == code) for code, _ in statuses]]

    rows = [ReportRow([labels["total"], *counts(items)], "total")]
    for code, label in kinds:
        rows.append(ReportRow([label, *counts([i for i in items if i[0] == code])]))
    header = [[labels["division"], labels["total"], *[label for _, label in statuses]]]
    return ReportTable("audit_summary", title, unit, header, rows,
                       [TEXT, INT, *[INT] * len(statuses)])


def units_table(units: Sequence[tuple[str, str, str]], *, labels: Mapping[str, str], title: str,
                unit: str = "") -> ReportTable:
    """units: (name, kind label, duties)."""
    header = [[labels["unit"], labels["kind"], labels["duties"]]]
    rows = [ReportRow([name, kind, duties]) for name, kind, duties in units]
    return ReportTable("units", title, unit, header, rows, [TEXT, TEXT, TEXT])


def board_table(roles: Sequence[tuple[str, str, int]], *, quota: int, labels: Mapping[str, str],
                title: str, unit: str) -> ReportTable:
    """roles: (category label, appointment label, seats filled). Rows per role, then 현원 계 and
    the board's 정원."""
    rows = [ReportRow([category, appointment, filled]) for category, appointment, filled in roles]
    rows.append(ReportRow([labels["total_filled"], "", sum(f for _, _, f in roles)], "subtotal"))
    rows.append(ReportRow([labels["quota"], "", quota], "total"))
    header = [[labels["category"], labels["appointment"], labels["count"]]]
    return ReportTable("board", title, unit, header, rows, [TEXT, TEXT, INT])
