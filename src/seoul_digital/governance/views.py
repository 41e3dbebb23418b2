"""Governance pages: thin — parse input, call a selector or service, render.

Every view is for foundation employees only (others get 404); editing views for admins only.
"""

from __future__ import annotations

import csv
import io
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seoul_digital.core.roles import Role, role_required
from seoul_digital.core.services import AccessDenied
from seoul_digital.governance import forms, monitoring, reports, selectors, services
from seoul_digital.governance.import_messages import rejection_lines, summary_text
from seoul_digital.governance.models import AuditItem, FiscalYear, SpendingImport, Unit

FOUNDATION = Role.foundation()
ADMIN = Role.ADMIN
DEFAULT_YEAR = 2021


def _fiscal_year(request) -> FiscalYear:
    years = selectors.fiscal_years_for(request.user)
    raw = request.GET.get("year") or request.POST.get("year")
    if raw:
        try:
            return selectors.fiscal_year_for(request.user, int(raw))
        except ValueError:
            raise Http404 from None
    year = years.filter(year=DEFAULT_YEAR).first() or years.first()
    if year is None:
        raise Http404
    return year


def _quarter(request) -> int | None:
    form = forms.QuarterForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("quarter"):
        return form.cleaned_data["quarter"]
    return None


def _is_admin(request) -> bool:
    return request.user.role == ADMIN


def _audit_summary(user):
    items = list(selectors.audit_items_for(user).values("kind", "status"))
    statuses = AuditItem.Status.choices
    rows = []
    for code, label in [("__all__", _("계"))] + list(AuditItem.Kind.choices):
        chosen = [i for i in items if code == "__all__" or i["kind"] == code]
        rows.append({"label": label, "total": len(chosen),
                     "counts": [sum(1 for i in chosen if i["status"] == s) for s, _l in statuses]})
    return {"statuses": [label for _s, label in statuses], "rows": rows}


# --- overview -------------------------------------------------------------------------------

@role_required(FOUNDATION)
def index(request):
    fiscal_year = _fiscal_year(request)
    result = monitoring.monitor(request.user, fiscal_year)
    grades = list(selectors.grades_for(request.user))
    units = list(selectors.units_for(request.user).filter(active=True))
    items = selectors.audit_items_for(request.user)
    return render(request, "governance/index.html", {
        "fiscal_year": fiscal_year, "monitoring": result, "audit_summary": _audit_summary(request.user),
        "office_count": sum(1 for u in units if u.kind == Unit.Kind.OFFICE),
        "team_count": sum(1 for u in units if u.kind == Unit.Kind.TEAM),
        "quota_total": sum(g.quota for g in grades), "current_total": sum(g.current for g in grades),
        "open_items": items.exclude(status=AuditItem.Status.DONE).count(),
        "item_count": items.count(),
    })


# --- organisation ---------------------------------------------------------------------------

@role_required(FOUNDATION)
def organisation(request):
    user = request.user
    report = reports.build_report(user, _fiscal_year(request).year)
    grades = list(selectors.grades_for(user))
    units = list(selectors.units_for(user))
    return render(request, "governance/organisation.html", {
        "units": units,
        "office_count": sum(1 for u in units if u.active and u.kind == Unit.Kind.OFFICE),
        "team_count": sum(1 for u in units if u.active and u.kind == Unit.Kind.TEAM),
        "grades": grades, "quota_total": sum(g.quota for g in grades),
        "current_total": sum(g.current for g in grades),
        "gap_total": sum(g.gap for g in grades),
        "extra": selectors.extra_personnel_for(user),
        "boards": selectors.boards_for(user).prefetch_related("roles"),
        "finance_figures": selectors.finance_figures_for(user).order_by("line__side", "line__sort_order", "-year"),
        "finance_table": report.table("finance") if any(t.key == "finance" for t in report.tables) else None,
        "can_edit": _is_admin(request),
    })


@role_required(ADMIN)
def org_edit(request, kind: str, pk: int):
    obj = selectors.org_object(request.user, kind, pk, "change")
    form_class = forms.ORG_FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, instance=selectors.org_object(request.user, kind, pk))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "programmes"}
            try:
                if kind == "unit":
                    services.do_update_unit(request.user, obj, request=request,
                                            programmes=list(form.cleaned_data["programmes"]), **data)
                else:
                    services.do_update_org(request.user, obj, request=request, **data)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("저장했습니다: %(obj)s") % {"obj": obj})
                return redirect("governance:organisation")
    else:
        form = form_class(instance=obj)
    history = selectors.history_for(request.user, [obj._meta.model_name], [obj.pk])[:50]
    return render(request, "governance/org_edit.html", {"form": form, "obj": obj, "kind": kind,
                                                        "history": history})


@role_required(ADMIN)
def unit_create(request):
    if request.method == "POST":
        form = forms.UnitForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "programmes"}
            try:
                unit = services.do_create_unit(request.user, request=request,
                                               programmes=list(form.cleaned_data["programmes"]), **data)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("조직을 추가했습니다: %(obj)s") % {"obj": unit})
                return redirect("governance:organisation")
    else:
        form = forms.UnitForm()
    return render(request, "governance/org_edit.html", {"form": form, "obj": None, "kind": "unit",
                                                        "history": []})


@role_required(ADMIN)
def org_history(request):
    entries = selectors.history_for(request.user, selectors.ORG_MODELS)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "governance/org_history.html", {"page": page})


# --- budget ---------------------------------------------------------------------------------

@role_required(FOUNDATION)
def budget(request):
    fiscal_year = _fiscal_year(request)
    result = monitoring.monitor(request.user, fiscal_year, _quarter(request))
    return render(request, "governance/budget.html", {
        "fiscal_year": fiscal_year, "monitoring": result,
        "chart": result.chart_data(), "projection_text": monitoring.PROJECTION_TEXT,
        "plan_text": monitoring.PLAN_TEXT, "quarter_form": forms.QuarterForm(
            initial={"quarter": result.quarter}),
        "quarters": (1, 2, 3, 4),
    })


@role_required(FOUNDATION)
def budget_programme(request, code: str):
    fiscal_year = _fiscal_year(request)
    programme = selectors.budget_programme(request.user, code)
    result = monitoring.monitor(request.user, fiscal_year, _quarter(request), programmes=[programme])
    _p, status = result.programmes[0]
    lines = list(selectors.cost_lines_for(request.user, fiscal_year).filter(programme=programme))
    plan_rows = []
    for line in lines:
        plans = {p.quarter: p for p in line.quarter_plans.all()}
        plan_rows.append({
            "line": line, "quarters": [plans.get(q) for q in (1, 2, 3, 4)],
            "total": sum((p.amount_million_krw for p in plans.values()), 0) if plans else None,
        })
    spending = selectors.spending_for(request.user, fiscal_year).filter(programme=programme)
    chart = {
        "labels": [_("%(q)s분기") % {"q": q.quarter} for q in status.quarters],
        "planned": [round(q.planned_cumulative_krw / 1_000_000, 1) for q in status.quarters],
        "actual": [round(q.cumulative_spend_krw / 1_000_000, 1) if q.evaluated else None
                   for q in status.quarters],
        "planned_label": _("계획 누적(백만원)"), "actual_label": _("집행 누적(백만원)"),
        "axis_label": _("백만원"),
    }
    return render(request, "governance/budget_programme.html", {
        "fiscal_year": fiscal_year, "programme": programme, "status": status,
        "monitoring": result, "plan_rows": plan_rows, "chart": chart,
        "recent_spending": spending[:20], "spending_count": spending.count(),
        "adjustments": selectors.adjustments_for(request.user, fiscal_year).filter(
            Q(programme=programme) | Q(source_programme=programme)),
        "projection_text": monitoring.PROJECTION_TEXT, "plan_text": monitoring.PLAN_TEXT,
    })


@role_required(ADMIN)
def budget_settings(request):
    fiscal_year = _fiscal_year(request)
    if request.method == "POST":
        form = forms.ThresholdForm(request.POST)
        if form.is_valid():
            try:
                services.do_set_threshold(request.user, fiscal_year,
                                          form.cleaned_data["alert_threshold_pp"], request=request)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("경보 기준을 %(v)s%%p로 바꾸었습니다.")
                                 % {"v": form.cleaned_data["alert_threshold_pp"]})
                return redirect(reverse("governance:budget") + f"?year={fiscal_year.year}")
    else:
        form = forms.ThresholdForm(initial={"alert_threshold_pp": fiscal_year.alert_threshold_pp})
    return render(request, "governance/budget_settings.html", {"form": form,
                                                                "fiscal_year": fiscal_year})


@role_required(FOUNDATION)
def adjustments(request):
    fiscal_year = _fiscal_year(request)
    form = None
    if _is_admin(request):
        if request.method == "POST":
            form = forms.AdjustmentForm(request.POST)
            if form.is_valid():
                try:
                    services.do_add_adjustment(request.user, fiscal_year, request=request,
                                               **form.cleaned_data)
                except ValidationError as err:
                    form.add_error(None, err)
                else:
                    messages.success(request, _("이월·전용을 기록했습니다."))
                    return redirect(reverse("governance:adjustments") + f"?year={fiscal_year.year}")
        else:
            form = forms.AdjustmentForm()
    elif request.method == "POST":
        raise Http404
    return render(request, "governance/adjustments.html", {
        "fiscal_year": fiscal_year, "form": form,
        "entries": selectors.adjustments_for(request.user, fiscal_year),
    })


# --- spending -------------------------------------------------------------------------------

@role_required(FOUNDATION)
def spending_list(request):
    fiscal_year = _fiscal_year(request)
    programmes = selectors.budget_programmes(request.user)
    rows = selectors.spending_for(request.user, fiscal_year)
    code = request.GET.get("programme") or ""
    if code:
        rows = rows.filter(programme__code=code)
    quarter = _quarter(request)
    if quarter:
        rows = rows.filter(date__month__gte=3 * quarter - 2, date__month__lte=3 * quarter)
    totals = rows.aggregate(total=Sum("amount_krw"), count=Count("pk"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "governance/spending_list.html", {
        "fiscal_year": fiscal_year, "page": page, "programmes": programmes, "selected": code,
        "quarter": quarter, "totals": totals, "quarter_form": forms.QuarterForm(request.GET),
    })


def _spending_form(request, fiscal_year, instance=None):
    return forms.SpendingForm(request.POST or None, instance=instance,
                              programmes=selectors.budget_programmes(request.user),
                              fiscal_year=fiscal_year)


@role_required(FOUNDATION)
def spending_create(request):
    fiscal_year = _fiscal_year(request)
    form = _spending_form(request, fiscal_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_spending(request.user, fiscal_year, request=request, **form.cleaned_data)
        except AccessDenied:
            raise Http404 from None
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("집행 내역을 추가했습니다."))
            return redirect(reverse("governance:spending_list") + f"?year={fiscal_year.year}")
    return render(request, "governance/spending_form.html", {"form": form, "row": None,
                                                              "fiscal_year": fiscal_year})


@role_required(FOUNDATION)
def spending_edit(request, pk: int):
    row = selectors.spending_row(request.user, pk, "change")
    fiscal_year = row.fiscal_year
    form = _spending_form(request, fiscal_year, instance=selectors.spending_row(request.user, pk, "change"))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_spending(request.user, row, request=request, **form.cleaned_data)
        except AccessDenied:
            raise Http404 from None
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("집행 내역을 고쳤습니다."))
            return redirect(reverse("governance:spending_list") + f"?year={fiscal_year.year}")
    return render(request, "governance/spending_form.html", {"form": form, "row": row,
                                                              "fiscal_year": fiscal_year})


@require_POST
@role_required(FOUNDATION)
def spending_delete(request, pk: int):
    row = selectors.spending_row(request.user, pk, "change")
    year = row.fiscal_year.year
    services.do_delete_spending(request.user, row, request=request)
    messages.success(request, _("집행 내역을 지웠습니다."))
    return redirect(reverse("governance:spending_list") + f"?year={year}")


@role_required(FOUNDATION)
def import_upload(request):
    fiscal_year = _fiscal_year(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.do_check_spending_file(
                request.user, fiscal_year, form.cleaned_data["file"],
                mode=form.cleaned_data["mode"], request=request)
        except services.ImportFileError as err:
            form.add_error("file", str(err))
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return redirect("governance:import_detail", pk=batch.pk)
    return render(request, "governance/import_upload.html", {
        "form": form, "fiscal_year": fiscal_year,
        "recent": selectors.imports_for(request.user)[:20],
    })


@role_required(FOUNDATION)
def import_detail(request, pk: int):
    batch = selectors.import_for(request.user, pk)
    return render(request, "governance/import_detail.html", {
        "batch": batch, "rejections": rejection_lines(batch), "summary": summary_text(batch),
        "apply_form": forms.ApplyImportForm(initial={"mode": batch.mode}),
        "rows": batch.rows.select_related("programme")[:200] if batch.is_applied else [],
    })


@require_POST
@role_required(FOUNDATION)
def import_apply(request, pk: int):
    batch = selectors.import_for(request.user, pk, "change")
    form = forms.ApplyImportForm(request.POST)
    mode = form.cleaned_data["mode"] if form.is_valid() else None
    try:
        batch = services.do_apply_spending_import(request.user, batch, mode=mode, request=request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        if batch.status == SpendingImport.Status.REJECTED:
            messages.error(request, _("가져오지 않았습니다: %(why)s") % {"why": summary_text(batch)})
        else:
            messages.success(request, _("%(n)s행을 가져왔습니다.") % {"n": batch.rows_imported})
    return redirect("governance:import_detail", pk=batch.pk)


@require_POST
@role_required(FOUNDATION)
def import_cancel(request, pk: int):
    batch = selectors.import_for(request.user, pk, "change")
    try:
        services.do_cancel_spending_import(request.user, batch, request=request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("가져오기를 취소했습니다. 아무것도 기록하지 않았습니다."))
    return redirect("governance:import_detail", pk=batch.pk)


def _csv_safe(value) -> str:
    """Keep a spreadsheet from running a cell as a formula (values come from uploaded files);
    plain negative numbers such as '-3000' are left as they are."""
    text = str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not _NUMBER.match(text[1:])):
        return "'" + text
    return text


_NUMBER = re.compile(r"^[\d,.\s]*$")


@role_required(FOUNDATION)
def import_rejections_csv(request, pk: int):
    """Rejected rows with their reasons, to fix and upload again (UTF-8 with BOM for Excel)."""
    batch = selectors.import_for(request.user, pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("행 번호"), _("집행일"), _("사업"), _("금액"), _("집행 내용"), _("거부 사유")])
    for entry in rejection_lines(batch):
        v = entry["values"]
        writer.writerow([entry["line"], *(_csv_safe(v.get(k, "")) for k in
                                          ("date", "programme", "amount", "description")),
                         "; ".join(entry["reasons"])])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{batch.pk}.csv"'
    return response


# --- audit register -------------------------------------------------------------------------

@role_required(FOUNDATION)
def audit_register(request):
    items = selectors.audit_items_for(request.user)
    status = request.GET.get("status") or ""
    if status in AuditItem.Status.values:
        items = items.filter(status=status)
    return render(request, "governance/audit_register.html", {
        "items": items, "summary": _audit_summary(request.user), "status": status,
        "statuses": AuditItem.Status.choices,
    })


@role_required(FOUNDATION)
def audit_item(request, pk: int):
    item = selectors.audit_item_for(request.user, pk)
    return render(request, "governance/audit_item.html", {
        "item": item, "notes": selectors.notes_for(request.user, item),
        "evidence": selectors.evidence_list(request.user, item),
        "history": selectors.audit_item_history(request.user, item)[:100],
        "can_edit": _is_admin(request),
        "note_form": forms.ProgressNoteForm() if _is_admin(request) else None,
        "evidence_form": forms.EvidenceForm() if _is_admin(request) else None,
    })


@role_required(ADMIN)
def audit_item_edit(request, pk: int):
    item = selectors.audit_item_for(request.user, pk, "change")
    form = forms.AuditItemForm(request.POST or None,
                               instance=selectors.audit_item_for(request.user, pk, "change"))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_audit_item(request.user, item, request=request, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("처리 항목을 저장했습니다."))
            return redirect("governance:audit_item", pk=item.pk)
    return render(request, "governance/audit_item_edit.html", {"form": form, "item": item})


@require_POST
@role_required(ADMIN)
def audit_note_add(request, pk: int):
    item = selectors.audit_item_for(request.user, pk, "change")
    form = forms.ProgressNoteForm(request.POST)
    if form.is_valid():
        services.do_add_progress_note(request.user, item, request=request, **form.cleaned_data)
        messages.success(request, _("진행 기록을 추가했습니다."))
    else:
        messages.error(request, _("진행 기록을 추가하지 못했습니다: %(errors)s")
                       % {"errors": "; ".join(f"{form.fields[f].label}: {' '.join(e)}"
                                              for f, e in form.errors.items())})
    return redirect("governance:audit_item", pk=item.pk)


@require_POST
@role_required(ADMIN)
def audit_evidence_add(request, pk: int):
    item = selectors.audit_item_for(request.user, pk, "change")
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.do_add_evidence(request.user, item, form.cleaned_data["file"],
                                     description=form.cleaned_data["description"], request=request)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("증빙 자료를 올렸습니다."))
    else:
        messages.error(request, _("증빙 파일을 고르세요."))
    return redirect("governance:audit_item", pk=item.pk)


@role_required(FOUNDATION)
def evidence_download(request, pk: int):
    evidence = selectors.evidence_for(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


# --- report ---------------------------------------------------------------------------------

@role_required(FOUNDATION)
def report(request):
    fiscal_year = _fiscal_year(request)
    built = reports.build_report(request.user, fiscal_year.year)
    return render(request, "governance/report.html", {
        "report": built, "fiscal_year": fiscal_year, "subtitle": reports.subtitle(built),
        "formats": reports.FORMATS,
    })


@role_required(FOUNDATION)
def report_download(request, fmt: str):
    fiscal_year = _fiscal_year(request)
    content, content_type, name = reports.render(request.user, fiscal_year.year, fmt)
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
