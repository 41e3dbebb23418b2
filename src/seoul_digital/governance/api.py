"""API routes of the Governance programme, mounted at /api/v1/governance/.

Same selectors and services as the pages: foundation employees only (404 for everyone else),
programme staff limited to their own programme's spending.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from seoul_digital.core.roles import Role, has_role
from seoul_digital.core.services import AccessDenied
from seoul_digital.governance import monitoring, reports, selectors, services
from seoul_digital.governance.import_messages import rejection_lines, summary_text
from seoul_digital.governance.models import AuditItem, SpendingImport

router = Router(tags=["governance"])


def _foundation(request):
    if not has_role(request.auth, Role.foundation()):
        raise Http404
    return request.auth


def _year(user, year: int):
    return selectors.fiscal_year_for(user, year)


class QuarterOut(Schema):
    quarter: int
    as_of: dt.date
    evaluated: bool
    current_budget_krw: int
    quarter_plan_krw: int
    quarter_spend_krw: int
    planned_cumulative_krw: int
    cumulative_spend_krw: int
    balance_krw: int
    execution_rate: float | None
    planned_share: float
    gap_pp: float | None
    projected_spend_krw: int
    projected_unspent_krw: int
    alert: bool


class ProgrammeStatusOut(Schema):
    code: str
    name: str
    budget_krw: int
    plan_assumed_even: bool
    quarters: list[QuarterOut]


class MonitoringOut(Schema):
    year: int
    quarter: int
    threshold_pp: float
    projection_method: str
    programmes: list[ProgrammeStatusOut]
    alerts: list[str]


def _quarter_out(q) -> dict:
    return {
        "quarter": q.quarter, "as_of": q.as_of, "evaluated": q.evaluated,
        "current_budget_krw": q.current_budget_krw, "quarter_plan_krw": q.quarter_plan_krw,
        "quarter_spend_krw": q.quarter_spend_krw, "planned_cumulative_krw": q.planned_cumulative_krw,
        "cumulative_spend_krw": q.cumulative_spend_krw, "balance_krw": q.balance_krw,
        "execution_rate": None if q.execution_rate is None else float(q.execution_rate),
        "planned_share": float(q.planned_share),
        "gap_pp": None if q.gap_pp is None else float(round(q.gap_pp, 2)),
        "projected_spend_krw": q.projected_spend_krw,
        "projected_unspent_krw": q.projected_unspent_krw, "alert": q.behind,
    }


def _monitoring_out(result) -> dict:
    return {
        "year": result.fiscal_year.year, "quarter": result.quarter,
        "threshold_pp": float(result.threshold_pp),
        "projection_method": str(monitoring.PROJECTION_TEXT),
        "programmes": [{"code": s.code, "name": s.name, "budget_krw": s.budget_krw,
                        "plan_assumed_even": s.plan_assumed_even,
                        "quarters": [_quarter_out(q) for q in s.quarters]}
                       for _p, s in result.programmes],
        "alerts": [a.code for a in result.alerts],
    }


@router.get("/budget/{year}", response=MonitoringOut, url_name="governance_budget")
def budget(request, year: int, quarter: int | None = None):
    """Execution by programme and quarter (as the user may see it), with alerts."""
    user = _foundation(request)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise HttpError(422, "quarter must be 1–4")
    return _monitoring_out(monitoring.monitor(user, _year(user, year), quarter))


@router.get("/budget/{year}/programmes/{code}", response=MonitoringOut,
            url_name="governance_budget_programme")
def budget_programme(request, year: int, code: str, quarter: int | None = None):
    user = _foundation(request)
    programme = selectors.budget_programme(user, code)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise HttpError(422, "quarter must be 1–4")
    return _monitoring_out(monitoring.monitor(user, _year(user, year), quarter, [programme]))


class SpendingOut(Schema):
    id: int
    date: dt.date
    programme: str
    cost_line: str | None
    amount_krw: int
    description: str
    batch: int | None


@router.get("/spending/{year}", response=list[SpendingOut], url_name="governance_spending")
def spending(request, year: int, programme: str | None = None, limit: int = 500, offset: int = 0):
    user = _foundation(request)
    rows = selectors.spending_for(user, _year(user, year))
    if programme:
        rows = rows.filter(programme__code=programme)
    limit = max(1, min(limit, 5000))
    return [{"id": r.pk, "date": r.date, "programme": r.programme.code,
             "cost_line": r.cost_line.code if r.cost_line_id else None,
             "amount_krw": r.amount_krw, "description": r.description, "batch": r.batch_id}
            for r in rows[max(0, offset):max(0, offset) + limit]]


class RejectedOut(Schema):
    line: int
    values: dict
    reasons: list[str]
    codes: list[str]


class ImportOut(Schema):
    id: int | None
    status: str
    mode: str
    sha256: str
    summary: str
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    rows_imported: int
    amount_imported_krw: int
    duplicate_of: int | None
    rejected: list[RejectedOut]


def _import_out(batch) -> dict:
    return {"id": batch.pk, "status": batch.status, "mode": batch.mode, "sha256": batch.sha256,
            "summary": summary_text(batch), "rows_total": batch.rows_total,
            "rows_accepted": batch.rows_accepted, "rows_rejected": batch.rows_rejected,
            "rows_imported": batch.rows_imported, "amount_imported_krw": batch.amount_imported_krw,
            "duplicate_of": batch.duplicate_of_id, "rejected": rejection_lines(batch)}


@router.post("/spending/{year}/import", response=ImportOut, url_name="governance_spending_import")
def spending_import(request, year: int, file: UploadedFile = File(...),
                    mode: str = Form(SpendingImport.Mode.VALID_ROWS), dry_run: bool = Form(False)):
    """Check a CSV/XLSX spending file and (unless ``dry_run``) import it: ``mode`` "valid"
    imports the valid rows, "all" imports every row or none. Rejections come with reasons."""
    user = _foundation(request)
    fiscal_year = _year(user, year)
    try:
        batch = services.do_check_spending_file(user, fiscal_year, file, mode=mode, request=request)
        if not dry_run:
            batch = services.do_apply_spending_import(user, batch, request=request)
    except services.ImportFileError as err:
        raise HttpError(400, str(err)) from None
    except ValidationError as err:
        raise HttpError(422, " ".join(err.messages)) from None
    except AccessDenied:
        raise Http404 from None
    return _import_out(batch)


@router.get("/imports/{import_id}", response=ImportOut, url_name="governance_import")
def import_detail(request, import_id: int):
    user = _foundation(request)
    return _import_out(selectors.import_for(user, import_id))


class AuditItemOut(Schema):
    id: int
    audit_year: int
    committee: str
    number: int
    kind: str
    title: str
    summary: str
    action_plan: str
    owner_unit: str | None
    due_date: dt.date | None
    status: str
    status_date: dt.date | None


@router.get("/audit-items", response=list[AuditItemOut], url_name="governance_audit_items")
def audit_items(request, status: str | None = None):
    user = _foundation(request)
    items = selectors.audit_items_for(user)
    if status:
        items = items.filter(status=status)
    return [{**{f: getattr(i, f) for f in ("id", "audit_year", "committee", "number", "kind",
                                             "title", "summary", "action_plan", "due_date",
                                             "status", "status_date")},
             "owner_unit": i.owner_unit.code if i.owner_unit_id else None} for i in items]


class AuditSummaryOut(Schema):
    kinds: dict[str, dict[str, int]]
    total: dict[str, int]


@router.get("/audit-summary", response=AuditSummaryOut, url_name="governance_audit_summary")
def audit_summary(request):
    """The council's summary table, counted from the register."""
    user = _foundation(request)
    items = list(selectors.audit_items_for(user).values_list("kind", "status"))

    def counts(chosen):
        out = {"total": len(chosen)}
        out.update({code: sum(1 for _k, s in chosen if s == code) for code in AuditItem.Status.values})
        return out

    return {"total": counts(items),
            "kinds": {k: counts([i for i in items if i[0] == k]) for k in AuditItem.Kind.values}}


class ReportTableOut(Schema):
    key: str
    title: str
    unit: str
    header: list[list[str]]
    rows: list[list[str]]
    values: list[list]
    note: str


class ReportOut(Schema):
    year: int
    title: str
    tables: list[ReportTableOut]


def _value(v):
    if isinstance(v, Decimal):
        return float(v)
    return v


@router.get("/report/{year}", response=ReportOut, url_name="governance_report")
def report(request, year: int):
    """The report's tables, regenerated from the database: text as printed and raw values."""
    user = _foundation(request)
    try:
        built = reports.build_report(user, year)
    except reports.ReportUnavailable:
        raise Http404 from None
    return {"year": built.year, "title": built.title, "tables": [
        {"key": t.key, "title": t.title, "unit": t.unit, "header": t.header,
         "rows": t.text_rows(), "values": [[_value(v) for v in r.cells] for r in t.rows],
         "note": t.note} for t in built.tables]}
