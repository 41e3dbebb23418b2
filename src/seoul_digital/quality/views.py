"""Pages of the open-data quality programme. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seoul_digital.core.roles import role_required
from seoul_digital.core.services import AccessDenied
from seoul_digital.quality import forms, selectors, services
from seoul_digital.quality.apps import QualityConfig
from seoul_digital.quality.models import Dataset, DatasetVersion, FindingReview
from seoul_digital.quality.readiness import readiness_of

ROLES = QualityConfig.nav_roles


def _apply_errors(form, err: ValidationError) -> None:
    if hasattr(err, "error_dict"):
        for field, errors in err.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in err.messages:
            form.add_error(None, message)


def _error_message(request, err: ValidationError) -> None:
    for message in (err.messages if hasattr(err, "messages") else [str(err)]):
        messages.error(request, message)


def _act_on_version(request, version, action, success: str):
    """Run a service call on a version and go back to it: a refusal becomes a message, a
    version the user may not change answers 404."""
    try:
        action()
    except AccessDenied:
        raise Http404 from None
    except ValidationError as err:
        _error_message(request, err)
    else:
        messages.success(request, success)
    return redirect("quality:version_detail", pk=version.pk)


@role_required(ROLES)
def index(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Dataset.Status.values:
        status = ""
    datasets = selectors.search_datasets(request.user, q=q, status=status)
    page = Paginator(datasets, 30).get_page(request.GET.get("page"))
    return render(request, "quality/index.html", {
        "page": page, "q": q, "status": status, "statuses": Dataset.Status.choices,
        "can_manage": selectors.can_manage_datasets(request.user),
        "total": datasets.count(),
    })


@role_required(ROLES)
def dataset_create(request):
    if not selectors.can_manage_datasets(request.user):
        raise Http404
    form = forms.DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.do_create_dataset(request.user, request=request, **form.cleaned_data)
        except ValidationError as err:
            _apply_errors(form, err)
        else:
            messages.success(request, _("데이터셋을 등록했습니다."))
            return redirect("quality:dataset_detail", pk=dataset.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/dataset_form.html", {"form": form, "dataset": None}, status=status)


@role_required(ROLES)
def dataset_detail(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    user = request.user
    assignments = selectors.assignments_for(user, dataset)
    can_manage = selectors.can_manage_datasets(user)
    return render(request, "quality/dataset_detail.html", {
        "dataset": dataset,
        "versions": selectors.versions_for(user, dataset).order_by("-number"),
        "assignments": assignments,
        "assign_form": forms.AssignForm(supporters=selectors.supporters_to_assign(user).exclude(
            pk__in=[a.supporter_id for a in assignments])) if can_manage else None,
        "upload_form": forms.UploadForm() if selectors.can_work_on(user, dataset) else None,
        "can_manage": can_manage,
        "can_edit": selectors.can_edit_dataset(user, dataset),
        "readiness": readiness_of(dataset),
    })


@role_required(ROLES)
def dataset_edit(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    if not selectors.can_edit_dataset(request.user, dataset):
        raise Http404
    limited = not selectors.can_manage_datasets(request.user)
    form = forms.DatasetForm(request.POST or None, instance=dataset, limited=limited)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_dataset(request.user, Dataset.objects.get(pk=dataset.pk),
                                       request=request, **form.cleaned_data)
        except ValidationError as err:
            _apply_errors(form, err)
        else:
            messages.success(request, _("데이터셋 정보를 고쳤습니다."))
            return redirect("quality:dataset_detail", pk=dataset.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/dataset_form.html", {"form": form, "dataset": dataset}, status=status)


@role_required(ROLES)
def version_upload(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    if not selectors.can_work_on(request.user, dataset):
        raise Http404
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.do_upload_version(request.user, dataset, form.cleaned_data["file"],
                                                 note=form.cleaned_data["note"], request=request)
        except ValidationError as err:
            _apply_errors(form, err)
        else:
            messages.success(request, _("v%(n)d을(를) 올렸습니다. 검사가 끝나면 결과가 이 화면에 나옵니다.")
                             % {"n": version.number})
            return redirect("quality:version_detail", pk=version.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/version_upload.html", {"form": form, "dataset": dataset},
                  status=status)


def _findings_with_reviews(version, reviews):
    fixed = (version.fix_summary or {}).get("changes_by_rule", {})
    review_items = {(r["rule"], r.get("column") or ""): r
                    for r in (version.fix_summary or {}).get("needs_review", [])}
    rows = []
    for f in (version.report or {}).get("findings", []):
        key = (f["rule"], f.get("column") or "")
        rows.append({"finding": f, "review": reviews.get(key), "fixed": fixed.get(f["rule"], 0),
                     "needs_review": review_items.get(key),
                     "form": forms.ReviewForm(initial={"rule": key[0], "column": key[1]},
                                              prefix=f"r{len(rows)}")})
    return rows


@role_required(ROLES)
def version_detail(request, pk):
    version = selectors.version_for(request.user, pk)
    user = request.user
    reviews = selectors.reviews_for(user, version)
    can_work = selectors.can_work_on(user, version.dataset)
    editable = can_work and version.state in (DatasetVersion.State.CHECKED, DatasetVersion.State.RETURNED)
    report = version.report or {}
    return render(request, "quality/version_detail.html", {
        "version": version, "dataset": version.dataset, "report": report,
        "rows": _findings_with_reviews(version, reviews),
        "pending": sum(1 for r in reviews.values() if r.decision == FindingReview.Decision.PENDING),
        "can_work": can_work, "editable": editable,
        "can_decide": selectors.can_approve(user) and version.state == DatasetVersion.State.SUBMITTED,
        "decision_form": forms.DecisionForm(),
        "profiles": report.get("profiles", []),
        "dimensions": report.get("dimensions", {}),
    })


FILES = {"original": "file", "clean": "clean_file", "changes": "change_log", "html": "report_html",
         "xlsx": "report_xlsx"}


@role_required(ROLES)
def version_file(request, pk, kind):
    version = selectors.version_for(request.user, pk)
    if kind == "json":
        if version.report is None:
            raise Http404
        from django.http import JsonResponse

        response = JsonResponse(version.report, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="v{version.number}_report.json"'
        return response
    field = FILES.get(kind)
    if field is None or not getattr(version, field):
        raise Http404
    stored = getattr(version, field)
    names = {"original": version.original_name, "clean": f"v{version.number}_clean.csv",
             "changes": f"v{version.number}_changes.csv", "html": f"v{version.number}_report.html",
             "xlsx": f"v{version.number}_report.xlsx"}
    return FileResponse(stored.open("rb"), as_attachment=kind != "html", filename=names[kind])


@role_required(ROLES)
@require_POST
def version_review(request, pk):
    version = selectors.version_for(request.user, pk)
    prefix = request.POST.get("prefix", "")
    if not prefix.startswith("r") or not prefix[1:].isdigit():
        return HttpResponseBadRequest(_("잘못된 요청입니다."))
    form = forms.ReviewForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("판단을 고르세요."))
        return redirect("quality:version_detail", pk=version.pk)
    return _act_on_version(
        request, version,
        lambda: services.do_review_finding(request.user, version, request=request, **form.cleaned_data),
        _("판단을 기록했습니다."))


@role_required(ROLES)
@require_POST
def version_submit(request, pk):
    version = selectors.version_for(request.user, pk)
    return _act_on_version(request, version,
                           lambda: services.do_submit(request.user, version, request=request),
                           _("검토자에게 승인을 요청했습니다."))


@role_required(ROLES)
@require_POST
def version_decide(request, pk):
    version = selectors.version_for(request.user, pk)
    if not selectors.can_approve(request.user):
        raise Http404
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("승인 또는 반려를 고르세요."))
        return redirect("quality:version_detail", pk=version.pk)
    try:
        services.do_decide(request.user, version, approve=form.cleaned_data["decision"] == "approve",
                           comment=form.cleaned_data["comment"], request=request)
    except ValidationError as err:
        _error_message(request, err)
    else:
        messages.success(request, _("승인했습니다.") if form.cleaned_data["decision"] == "approve"
                         else _("반려했습니다."))
    return redirect("quality:version_detail", pk=version.pk)


@role_required(ROLES)
@require_POST
def version_recheck(request, pk):
    version = selectors.version_for(request.user, pk)
    return _act_on_version(request, version,
                           lambda: services.do_recheck(request.user, version, request=request),
                           _("다시 검사합니다."))


@role_required(ROLES)
@require_POST
def dataset_assign(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    if not selectors.can_manage_datasets(request.user):
        raise Http404
    form = forms.AssignForm(request.POST, supporters=selectors.supporters_to_assign(request.user))
    if not form.is_valid():
        messages.error(request, _("배정할 서포터즈를 고르세요."))
        return redirect("quality:dataset_detail", pk=dataset.pk)
    try:
        services.do_assign(request.user, dataset, form.cleaned_data["supporter"], request=request)
    except ValidationError as err:
        _error_message(request, err)
    else:
        messages.success(request, _("서포터즈를 배정했습니다."))
    return redirect("quality:dataset_detail", pk=dataset.pk)


@role_required(ROLES)
@require_POST
def assignment_remove(request, pk):
    if not selectors.can_manage_datasets(request.user):
        raise Http404
    assignment = selectors.assignment_for(request.user, pk, "change")
    dataset_pk = assignment.dataset_id
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("배정 해제를 확인하지 않았습니다."))
        return redirect("quality:dataset_detail", pk=dataset_pk)
    services.do_unassign(request.user, assignment, request=request)
    messages.success(request, _("배정을 해제했습니다."))
    return redirect("quality:dataset_detail", pk=dataset_pk)


@role_required(ROLES)
def readiness(request, pk):
    dataset = selectors.dataset_for(request.user, pk)
    return render(request, "quality/readiness.html", {"dataset": dataset, "r": readiness_of(dataset)})
