"""Budget execution by quarter: 예산현액, cumulative spend, 집행잔액, 집행률, gap to plan,
projected year-end 불용액 and alerts.

Money is in won (int) throughout; plans are in 백만원 as the work report gives them and are
only used as *shares* of the year (so a line's plan total may differ from its allocation, as
the 2021 시민참여형 서울데이터 창출 line plans 1,000 백만원 against 179 백만원 allocated).

Projection of the year-end unspent balance (불용액), the method the UI and docs state:
    projected spend = spend to date + 예산현액 × (1 − planned cumulative share to date),
    capped at 예산현액; projected 불용액 = 예산현액 − projected spend − approved carry-forward
    (다음연도 이월), never below zero.
In words: the quarters still ahead are executed exactly as planned, and whatever is behind
plan today is not caught up. It is the "no catch-up" projection: conservative for a programme
that is behind, and it never reports an unspent balance for a programme on or ahead of plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

__all__ = [
    "QUARTERS", "PROJECTION_METHOD", "quarter_of", "quarter_end", "quarter_start",
    "PlanLine", "Movement", "ProgrammeInput", "QuarterStatus", "ProgrammeStatus", "Alert",
    "evaluate_programme", "evaluate_total", "alerts_for",
]

QUARTERS = (1, 2, 3, 4)
PROJECTION_METHOD = "remaining-plan, no catch-up"

_HUNDRED = Decimal(100)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    _check_quarter(quarter)
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    _check_quarter(quarter)
    if quarter == 4:
        return dt.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def _check_quarter(quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _won(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PlanLine:
    """One cost line of a programme: its allocation and its quarterly plan (백만원).

    ``quarters_million`` None means the report gives no quarterly plan for the line (인건비,
    행정운영경비): the line is then assumed to be spent evenly, a quarter each quarter.
    """

    name: str
    budget_krw: int
    quarters_million: tuple[Decimal, Decimal, Decimal, Decimal] | None = None

    @property
    def has_plan(self) -> bool:
        return self.quarters_million is not None and sum(map(_dec, self.quarters_million)) > 0

    @property
    def plan_total_million(self) -> Decimal | None:
        if self.quarters_million is None:
            return None
        return sum((_dec(v) for v in self.quarters_million), Decimal(0))

    def cumulative_share(self, quarter: int) -> Decimal:
        """Share of the year's plan due by the end of ``quarter`` (0–1)."""
        _check_quarter(quarter)
        if not self.has_plan:
            return Decimal(quarter) / 4
        values = [_dec(v) for v in self.quarters_million]
        return sum(values[:quarter], Decimal(0)) / sum(values, Decimal(0))


@dataclass(frozen=True)
class Movement:
    """A dated change of a programme's budget: 이월 or 전용.

    kind: ``carry_in`` (전년도 이월, adds), ``transfer_in`` / ``transfer_out`` (전용 in or out),
    ``carry_forward`` (다음연도 이월 승인: stays in 예산현액 but is not counted as 불용액).
    ``amount_krw`` is always positive; the kind gives its direction.
    """

    date: dt.date
    kind: str
    amount_krw: int

    KINDS = ("carry_in", "transfer_in", "transfer_out", "carry_forward")

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown movement kind {self.kind!r}")
        if self.amount_krw < 0:
            raise ValueError("movement amounts are positive; the kind gives the direction")

    @property
    def budget_delta(self) -> int:
        if self.kind in ("carry_in", "transfer_in"):
            return self.amount_krw
        if self.kind == "transfer_out":
            return -self.amount_krw
        return 0


@dataclass
class ProgrammeInput:
    code: str
    name: str
    budget_krw: int
    lines: Sequence[PlanLine] = ()
    movements: Sequence[Movement] = ()
    spending: Sequence[tuple[dt.date, int]] = ()


@dataclass(frozen=True)
class QuarterStatus:
    quarter: int
    as_of: dt.date
    evaluated: bool  # False for quarters after the one being reported on: plan only
    current_budget_krw: int  # 예산현액
    quarter_spend_krw: int
    cumulative_spend_krw: int
    balance_krw: int  # 집행잔액 = 예산현액 − cumulative spend
    execution_rate: Decimal | None  # 집행률 (0–1), None when 예산현액 is 0
    planned_share: Decimal  # planned cumulative share of the year (0–1)
    planned_cumulative_krw: int
    quarter_plan_krw: int
    gap_pp: Decimal | None  # (집행률 − planned share) × 100, percentage points
    projected_spend_krw: int
    projected_unspent_krw: int  # projected year-end 불용액
    carry_forward_krw: int
    behind: bool  # gap below −threshold: an alert

    @property
    def execution_percent(self) -> Decimal | None:
        return None if self.execution_rate is None else self.execution_rate * _HUNDRED

    @property
    def planned_percent(self) -> Decimal:
        return self.planned_share * _HUNDRED


@dataclass
class ProgrammeStatus:
    code: str
    name: str
    budget_krw: int
    quarters: list[QuarterStatus] = field(default_factory=list)
    plan_assumed_even: bool = False

    def at(self, quarter: int) -> QuarterStatus:
        return self.quarters[quarter - 1]


@dataclass(frozen=True)
class Alert:
    code: str
    name: str
    quarter: int
    gap_pp: Decimal
    execution_rate: Decimal
    planned_share: Decimal
    threshold_pp: Decimal


def _planned_share(lines: Sequence[PlanLine], quarter: int) -> Decimal:
    weighted = [(line.budget_krw, line.cumulative_share(quarter)) for line in lines
                if line.budget_krw > 0]
    total = sum(b for b, _ in weighted)
    if not total:
        return Decimal(quarter) / 4
    return sum((Decimal(b) * s for b, s in weighted), Decimal(0)) / Decimal(total)


def evaluate_programme(programme: ProgrammeInput, year: int, upto_quarter: int,
                       threshold_pp) -> ProgrammeStatus:
    """Status of ``programme`` at the end of each quarter of ``year``.

    Quarters up to ``upto_quarter`` are evaluated (spend, gap, alert); later ones carry the
    plan only. Spending and movements outside ``year`` are ignored.
    """
    _check_quarter(upto_quarter)
    threshold = _dec(threshold_pp)
    spending = sorted((d, int(a)) for d, a in programme.spending if d.year == year)
    movements = [m for m in programme.movements if m.date.year == year]
    result = ProgrammeStatus(programme.code, programme.name, programme.budget_krw,
                             plan_assumed_even=not any(line.has_plan for line in programme.lines))
    previous_plan = 0
    for quarter in QUARTERS:
        end = quarter_end(year, quarter)
        start = quarter_start(year, quarter)
        evaluated = quarter <= upto_quarter
        current_budget = programme.budget_krw + sum(m.budget_delta for m in movements
                                                    if m.date <= end)
        carry_forward = sum(m.amount_krw for m in movements
                            if m.kind == "carry_forward" and m.date <= end)
        cumulative = sum(a for d, a in spending if d <= end) if evaluated else 0
        in_quarter = sum(a for d, a in spending if start <= d <= end) if evaluated else 0
        share = _planned_share(programme.lines, quarter)
        planned = _won(Decimal(current_budget) * share)
        rate = (Decimal(cumulative) / Decimal(current_budget)) if current_budget > 0 else None
        gap = ((rate - share) * _HUNDRED) if (rate is not None and evaluated) else None
        projected = min(current_budget,
                        cumulative + _won(Decimal(current_budget) * (1 - share)))
        projected = max(projected, cumulative)  # spend already made is never un-spent
        unspent = max(0, current_budget - projected - carry_forward)
        result.quarters.append(QuarterStatus(
            quarter=quarter, as_of=end, evaluated=evaluated, current_budget_krw=current_budget,
            quarter_spend_krw=in_quarter, cumulative_spend_krw=cumulative,
            balance_krw=current_budget - cumulative, execution_rate=rate if evaluated else None,
            planned_share=share, planned_cumulative_krw=planned,
            quarter_plan_krw=planned - previous_plan,
            gap_pp=gap, projected_spend_krw=projected if evaluated else 0,
            projected_unspent_krw=unspent if evaluated else 0, carry_forward_krw=carry_forward,
            behind=bool(gap is not None and gap < -threshold),
        ))
        previous_plan = planned
    return result


def evaluate_total(statuses: Iterable[ProgrammeStatus], threshold_pp, name: str = "") -> ProgrammeStatus:
    """The foundation-wide row: sums of money, rates recomputed from the sums."""
    statuses = list(statuses)
    threshold = _dec(threshold_pp)
    total = ProgrammeStatus("__total__", name, sum(s.budget_krw for s in statuses))
    for quarter in QUARTERS:
        rows = [s.at(quarter) for s in statuses]
        budget = sum(r.current_budget_krw for r in rows)
        cumulative = sum(r.cumulative_spend_krw for r in rows)
        planned = sum(r.planned_cumulative_krw for r in rows)
        evaluated = bool(rows) and all(r.evaluated for r in rows)
        share = (Decimal(planned) / Decimal(budget)) if budget else Decimal(0)
        rate = (Decimal(cumulative) / Decimal(budget)) if (budget and evaluated) else None
        gap = ((rate - share) * _HUNDRED) if rate is not None else None
        total.quarters.append(QuarterStatus(
            quarter=quarter, as_of=rows[0].as_of if rows else dt.date.min, evaluated=evaluated,
            current_budget_krw=budget,
            quarter_spend_krw=sum(r.quarter_spend_krw for r in rows),
            cumulative_spend_krw=cumulative, balance_krw=budget - cumulative,
            execution_rate=rate, planned_share=share, planned_cumulative_krw=planned,
            quarter_plan_krw=sum(r.quarter_plan_krw for r in rows), gap_pp=gap,
            projected_spend_krw=sum(r.projected_spend_krw for r in rows),
            projected_unspent_krw=sum(r.projected_unspent_krw for r in rows),
            carry_forward_krw=sum(r.carry_forward_krw for r in rows),
            behind=bool(gap is not None and gap < -threshold),
        ))
    return total


def alerts_for(statuses: Iterable[ProgrammeStatus], quarter: int, threshold_pp) -> list[Alert]:
    """Programmes behind plan by more than the threshold at the end of ``quarter``."""
    threshold = _dec(threshold_pp)
    out = []
    for status in statuses:
        row = status.at(quarter)
        if row.behind:
            out.append(Alert(status.code, status.name, quarter, row.gap_pp, row.execution_rate,
                             row.planned_share, threshold))
    return sorted(out, key=lambda a: a.gap_pp)
