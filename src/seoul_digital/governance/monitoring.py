"""Budget execution monitoring: gathers what the user may see and hands it to the engine."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seoul_digital.governance import selectors
from seoul_digital.governance.engine import budget as engine
from seoul_digital.governance.models import BudgetAdjustment, FiscalYear

PROJECTION_TEXT = gettext_lazy(
    "예상 불용액 = 예산현액 − 예상 집행액 − 다음연도 이월 승인액. 예상 집행액은 지금까지의 집행액에 "
    "남은 분기의 계획액(예산현액 × 남은 계획 비율)을 더한 값이며 예산현액을 넘지 않습니다. 즉 남은 "
    "분기는 계획대로 집행되고, 지금까지 계획보다 덜 쓴 금액은 연말까지 만회되지 않는다고 봅니다."
)
PLAN_TEXT = gettext_lazy(
    "계획 비율은 각 세부사업의 분기별 집행계획(백만원)을 세부사업 예산액으로 가중해 구합니다. "
    "분기별 계획이 없는 인건비·행정운영경비는 분기마다 4분의 1씩 집행하는 것으로 봅니다."
)


@dataclass
class Monitoring:
    fiscal_year: FiscalYear
    quarter: int
    threshold_pp: Decimal
    programmes: list = field(default_factory=list)  # (Programme, engine.ProgrammeStatus)
    total: engine.ProgrammeStatus | None = None
    alerts: list = field(default_factory=list)
    latest_spending: object = None

    @property
    def rows(self):
        """(programme, status at the selected quarter) for the overview table."""
        return [(p, s, s.at(self.quarter)) for p, s in self.programmes]

    @property
    def total_row(self):
        return self.total.at(self.quarter) if self.total else None

    def chart_data(self) -> dict:
        """Plan vs actual at the selected quarter (percent) per programme, for Chart.js."""
        labels, planned, actual = [], [], []
        for programme, status in self.programmes:
            row = status.at(self.quarter)
            labels.append(programme.name)
            planned.append(float(round(row.planned_percent, 1)))
            actual.append(None if row.execution_percent is None
                          else float(round(row.execution_percent, 1)))
        return {"labels": labels, "planned": planned, "actual": actual,
                "planned_label": _("계획 누적 비율(%)"), "actual_label": _("누적 집행률(%)"),
                "axis_label": _("%")}


def default_quarter(user, fiscal_year) -> int:
    """The quarter of the latest recorded spending the user can see (1 if none)."""
    latest = selectors.spending_for(user, fiscal_year).aggregate(last=Max("date"))["last"]
    return engine.quarter_of(latest) if latest else 1


def programme_inputs(user, fiscal_year, programmes) -> dict[int, engine.ProgrammeInput]:
    """Engine inputs for ``programmes`` (already filtered for ``user``)."""
    ids = [p.pk for p in programmes]
    lines = defaultdict(list)
    for line in selectors.cost_lines_for(user, fiscal_year).filter(programme_id__in=ids):
        plans = {p.quarter: p.amount_million_krw for p in line.quarter_plans.all()}
        quarters = tuple(plans.get(q, Decimal(0)) for q in engine.QUARTERS) if plans else None
        lines[line.programme_id].append(engine.PlanLine(line.name_ko, line.budget_thousand_krw * 1000,
                                                        quarters))
    movements = defaultdict(list)
    for adj in selectors.adjustments_for(user, fiscal_year):
        amount = adj.amount_thousand_krw * 1000
        if adj.kind == BudgetAdjustment.Kind.TRANSFER:
            movements[adj.programme_id].append(engine.Movement(adj.date, "transfer_in", amount))
            movements[adj.source_programme_id].append(engine.Movement(adj.date, "transfer_out", amount))
        else:
            movements[adj.programme_id].append(engine.Movement(adj.date, adj.kind, amount))
    spending = defaultdict(list)
    rows = (selectors.spending_for(user, fiscal_year).filter(programme_id__in=ids)
            .values("programme_id", "date").annotate(total=Sum("amount_krw")).order_by())
    for row in rows:
        spending[row["programme_id"]].append((row["date"], int(row["total"])))
    return {p.pk: engine.ProgrammeInput(p.code, p.name, p.budget_2021_thousand_krw * 1000,
                                        lines[p.pk], movements[p.pk], spending[p.pk])
            for p in programmes}


def monitor(user, fiscal_year: FiscalYear, quarter: int | None = None,
            programmes=None) -> Monitoring:
    if programmes is None:
        programmes = list(selectors.budget_programmes(user))
    if quarter is None:
        quarter = default_quarter(user, fiscal_year)
    threshold = fiscal_year.alert_threshold_pp
    inputs = programme_inputs(user, fiscal_year, programmes)
    result = Monitoring(fiscal_year, quarter, threshold)
    for programme in programmes:
        status = engine.evaluate_programme(inputs[programme.pk], fiscal_year.year, quarter,
                                           threshold)
        result.programmes.append((programme, status))
    statuses = [s for _, s in result.programmes]
    result.total = engine.evaluate_total(statuses, threshold, _("합계")) if len(statuses) > 1 else None
    result.alerts = engine.alerts_for(statuses, quarter, threshold)
    result.latest_spending = (selectors.spending_for(user, fiscal_year)
                              .aggregate(last=Max("date"))["last"])
    return result
