"""Pages of the AI sewer inspection programme. Thin: parse, call selectors/services, render."""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from seoul_digital.core import audit
from seoul_digital.core.models import District
from seoul_digital.core.roles import Role, has_role, role_required
from seoul_digital.core.scoping import can
from seoul_digital.sewer import selectors, services
from seoul_digital.sewer.apps import SewerConfig
from seoul_digital.sewer.engine import grading, taxonomy
from seoul_digital.sewer.forms import (
    AddFindingForm,
    ChooseModelForm,
    FindingReviewForm,
    InspectionForm,
    SurveyForm,
    VideoUploadForm,
)
from seoul_digital.sewer.models import Finding, Inspection

OFFICIALS = SewerConfig.nav_roles


def _page(request, template, context):
    return render(request, f"sewer/{template}", context)


@role_required(OFFICIALS)
def index(request):
    inspections = selectors.inspections_for(request.user)
    status = request.GET.get("status", "")
    if status in Inspection.Status.values:
        inspections = inspections.filter(status=status)
    district = request.GET.get("district", "")
    if district.isdigit():
        inspections = inspections.filter(district__code=district)
    return _page(request, "index.html", {
        "inspections": inspections[:200], "statuses": Inspection.Status.choices, "status": status,
        "districts": selectors.districts_for(request.user), "district": district,
    })


@role_required(OFFICIALS)
def inspection_create(request):
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.do_create_inspection(request.user, request=request, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("조사를 등록했습니다. 이제 조사 영상을 올려 주세요."))
            return redirect("sewer:inspection_detail", pk=inspection.pk)
    return _page(request, "inspection_form.html", {"form": form, "creating": True})


@role_required(OFFICIALS)
def inspection_detail(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    findings = selectors.findings_for(request.user, inspection)
    return _page(request, "inspection_detail.html", {
        "inspection": inspection, "findings": findings, "upload_form": VideoUploadForm(),
        "can_change": can(request.user, "change", inspection),
        "upload_limit_gb": settings.SEWER_UPLOAD_MAX_BYTES / 1024**3,
        "kept": [f for f in findings if f.counts_as_defect],
    })


@role_required(OFFICIALS)
def inspection_edit(request, pk):
    inspection = selectors.inspection_for(request.user, pk, "change")
    form = InspectionForm(request.POST or None, instance=inspection, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = {k: v for k, v in form.cleaned_data.items()}
            inspection.refresh_from_db()
            services.do_update_inspection(request.user, inspection, request=request, **changes)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("조사 정보를 고쳤습니다."))
            return redirect("sewer:inspection_detail", pk=pk)
    return _page(request, "inspection_form.html", {"form": form, "inspection": inspection, "creating": False})


@role_required(OFFICIALS)
@require_POST
def inspection_delete(request, pk):
    inspection = selectors.inspection_for(request.user, pk, "change")
    services.do_delete_inspection(request.user, inspection, request=request)
    messages.success(request, _("조사를 삭제했습니다."))
    return redirect("sewer:index")


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams the upload to a temporary file and stops once it passes the size limit."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


@csrf_exempt
def inspection_upload(request, pk):
    """Video upload: the body is streamed to disk with a size cap (SEWER_UPLOAD_MAX_BYTES)."""
    limit = settings.SEWER_UPLOAD_MAX_BYTES
    handler = LimitedUploadHandler(request, limit)
    request.upload_handlers = [handler]
    return _inspection_upload(request, pk, handler=handler, limit=limit)


@role_required(OFFICIALS)
@require_POST
@csrf_protect
def _inspection_upload(request, pk, *, handler, limit):
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    inspection = selectors.inspection_for(request.user, pk, "change")
    too_big = services.video_error_message("too_big", f"{limit / 1024**3:.1f} GB")
    if declared > limit + 1024 * 1024:
        messages.error(request, too_big)
        return redirect("sewer:inspection_detail", pk=pk)
    form = VideoUploadForm(request.POST, request.FILES)
    if handler.exceeded:
        messages.error(request, too_big)
        return redirect("sewer:inspection_detail", pk=pk)
    if not form.is_valid():
        sent = request.FILES.get("video")
        if sent is not None and sent.size == 0:
            messages.error(request, services.video_error_message("empty", sent.name))
        else:
            messages.error(request, _("올릴 영상 파일을 골라 주세요."))
        return redirect("sewer:inspection_detail", pk=pk)
    try:
        job = services.do_attach_video(request.user, inspection, form.cleaned_data["video"], request=request)
    except services.VideoRejected as err:
        messages.error(request, str(err))
        return redirect("sewer:inspection_detail", pk=pk)
    messages.success(request, _("영상을 올렸습니다. AI 분석을 시작합니다."))
    if job is not None and request.headers.get("HX-Request"):
        return redirect("core:job_detail", pk=job.pk)
    return redirect("sewer:inspection_detail", pk=pk)


@role_required(OFFICIALS)
@require_POST
def inspection_screen(request, pk):
    inspection = selectors.inspection_for(request.user, pk, "change")
    try:
        services.do_start_screening(request.user, inspection, request=request)
    except services.VideoRejected as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("AI 분석을 다시 시작했습니다."))
    return redirect("sewer:inspection_detail", pk=pk)


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _ranged_file_response(request, path: Path, content_type: str):
    """Serve a file honouring a single HTTP Range (video seeking needs it)."""
    size = path.stat().st_size
    match = _RANGE.match(request.headers.get("Range", ""))
    if not match:
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last or 0), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1

    def chunks():
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                data = handle.read(min(1 << 16, remaining))
                if not data:
                    break
                remaining -= len(data)
                yield data

    response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    return response


@role_required(OFFICIALS)
@require_GET
def inspection_video(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    field = inspection.browser_video or inspection.video
    if not field:
        raise Http404
    path = Path(field.path)
    if not path.is_file():
        raise Http404
    content_type = "video/webm" if path.suffix.lower() == ".webm" else (mimetypes.guess_type(path.name)[0] or "video/mp4")
    return _ranged_file_response(request, path, content_type)


@role_required(OFFICIALS)
@require_GET
def finding_image(request, pk, kind):
    finding = selectors.finding_for(request.user, pk)
    relative = finding.heatmap if kind == "heatmap" else finding.thumbnail
    if not relative:
        raise Http404
    path = services.media_path(relative).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if media_root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _review_context(request, inspection):
    findings = list(selectors.findings_for(request.user, inspection))
    kept = [(f.code, f.severity) for f in findings if f.counts_as_defect and f.severity]
    preview = grading.grade_segment(kept, float(inspection.length_m), services.grading_policy())
    duration = inspection.duration_s or 1.0
    lane_ends: list[float] = []  # overlapping findings go to separate lanes so each can be pressed
    for f in sorted(findings, key=lambda x: (x.start_s, x.pk)):
        f.left_pct = round(100 * min(f.start_s / duration, 1.0), 2)
        f.width_pct = round(max(100 * (f.end_s - f.start_s) / duration, 0.8), 2)
        shown_end = f.start_s + max(f.end_s - f.start_s, duration * 0.03)
        lane = next((i for i, end in enumerate(lane_ends) if end <= f.start_s), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(shown_end)
        else:
            lane_ends[lane] = shown_end
        f.lane_top = round(0.3 + 2.3 * lane, 2)
        f.form = FindingReviewForm(initial={"decision": f.decision if f.decision != "pending" else "accepted",
                                            "code": f.code, "severity": f.severity, "note": f.note},
                                   prefix=f"f{f.pk}")
    return {
        "inspection": inspection, "findings": findings, "duration": duration,
        "timeline_rem": round(0.6 + 2.3 * max(len(lane_ends), 1), 2),
        "pending": sum(1 for f in findings if f.decision == Finding.Decision.PENDING),
        "preview": preview, "add_form": AddFindingForm(),
        "can_change": can(request.user, "change", inspection),
        "policy": services.grading_policy(),
        "legend": [(c.code, c.name_ko, c.group) for c in taxonomy.CLASSES if c.is_defect],
    }


@role_required(OFFICIALS)
def inspection_review(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    if inspection.status not in (Inspection.Status.SCREENED, Inspection.Status.REVIEWED):
        messages.warning(request, _("AI 분석을 마친 뒤에 검토할 수 있습니다."))
        return redirect("sewer:inspection_detail", pk=pk)
    if can(request.user, "change", inspection):
        inspection = services.do_start_review(request.user, inspection, request=request)
    return _page(request, "review.html", _review_context(request, inspection))


@role_required(OFFICIALS)
@require_POST
def finding_review(request, pk):
    finding = selectors.finding_for(request.user, pk, "change")
    form = FindingReviewForm(request.POST, prefix=f"f{pk}")
    error = None
    if form.is_valid():
        try:
            finding = services.do_review_finding(request.user, finding, request=request, **form.cleaned_data)
        except ValidationError as err:
            error = " ".join(err.messages)
    else:
        error = _("입력을 확인해 주세요: ") + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    if request.headers.get("HX-Request"):
        context = _review_context(request, finding.inspection)
        row = next(f for f in context["findings"] if f.pk == finding.pk)
        return render(request, "sewer/_finding_row.html", {**context, "f": row, "error": error,
                                                           "saved": error is None})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("검토 결과를 저장했습니다."))
    return redirect(reverse("sewer:inspection_review", kwargs={"pk": finding.inspection_id}) + f"#finding-{pk}")


@role_required(OFFICIALS)
@require_POST
def finding_add(request, pk):
    inspection = selectors.inspection_for(request.user, pk, "change")
    form = AddFindingForm(request.POST)
    if form.is_valid():
        try:
            services.do_add_finding(request.user, inspection, request=request, **form.cleaned_data)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("놓친 결함을 추가했습니다."))
    else:
        messages.error(request, _("추가할 결함 정보를 확인해 주세요: ") + "; ".join(
            f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("sewer:inspection_review", pk=pk)


@role_required(OFFICIALS)
@require_POST
def inspection_finish_review(request, pk):
    inspection = selectors.inspection_for(request.user, pk, "change")
    try:
        inspection = services.do_finish_review(request.user, inspection, request=request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("sewer:inspection_review", pk=pk)
    messages.success(request, _("검토를 마쳤습니다. 구조 %(s)s등급, 운영 %(o)s등급입니다.") % {
        "s": inspection.structural_grade, "o": inspection.operational_grade})
    return redirect("sewer:inspection_detail", pk=pk)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _require_reviewed(request, inspection):
    if inspection.status != Inspection.Status.REVIEWED:
        messages.warning(request, _("검토를 마친 조사만 보고서를 만들 수 있습니다."))
        return redirect("sewer:inspection_detail", pk=inspection.pk)
    return None


@role_required(OFFICIALS)
@require_GET
def inspection_report_pdf(request, pk):
    from seoul_digital.sewer.reports import inspection_pdf

    inspection = selectors.inspection_for(request.user, pk)
    blocked = _require_reviewed(request, inspection)
    if blocked:
        return blocked
    audit.record(request.user, "export", inspection, request=request, note="PDF report")
    return _download(inspection_pdf(inspection), f"하수관로조사_{inspection.pipe_id}.pdf", "application/pdf")


@role_required(OFFICIALS)
@require_GET
def inspection_report_xlsx(request, pk):
    from seoul_digital.sewer.reports import inspection_xlsx

    inspection = selectors.inspection_for(request.user, pk)
    blocked = _require_reviewed(request, inspection)
    if blocked:
        return blocked
    audit.record(request.user, "export", inspection, request=request, note="XLSX 조사표")
    return _download(inspection_xlsx(inspection), f"조사표_{inspection.pipe_id}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@role_required(OFFICIALS)
@require_GET
def training_export(request):
    """Reviewed findings of the inspections the user may see (optionally one district or one
    inspection) as an AI Hub JSON training set (zip)."""
    from seoul_digital.sewer.reports import training_set_zip

    inspections = selectors.inspections_for(request.user).filter(status=Inspection.Status.REVIEWED)
    district = request.GET.get("district", "")
    if district.isdigit():
        inspections = inspections.filter(district__code=district)
    inspection_id = request.GET.get("inspection", "")
    if inspection_id.isdigit():
        inspections = inspections.filter(pk=int(inspection_id))
    inspections = list(inspections)
    if not inspections:
        messages.warning(request, _("내보낼 검토 완료 조사가 없습니다."))
        return redirect("sewer:index")
    content, stats = training_set_zip(inspections)
    for inspection in inspections:
        audit.record(request.user, "export", inspection, request=request, note="AI Hub training set")
    name = f"sewer_training_{timezone.localdate():%Y%m%d}.zip"
    response = _download(content, name, "application/zip")
    response["X-Frames"] = str(stats["frames"])
    return response


@role_required(OFFICIALS)
def registry(request):
    is_foundation = has_role(request.user, Role.foundation())
    form = ChooseModelForm(request.POST or None, user=request.user) if is_foundation else None
    if request.method == "POST":
        if not is_foundation:
            raise Http404
        if form.is_valid():
            services.do_choose_model(request.user, form.cleaned_data["district"], form.cleaned_data["model_version"],
                                     request=request)
            messages.success(request, _("%(d)s의 사용 모델을 바꾸었습니다.") % {"d": form.cleaned_data["district"]})
            return redirect("sewer:registry")
    try:
        services.ensure_shipped_model()
    except Exception:  # the shipped model missing is shown as an empty registry, not a crash
        pass
    return _page(request, "registry.html", {
        "versions": selectors.model_versions_for(request.user),
        "choices": selectors.district_models_for(request.user), "form": form,
    })


@role_required(OFFICIALS)
@require_GET
def model_detail(request, pk):
    version = selectors.model_version_for(request.user, pk)
    card = version.card or {}
    per_class = []
    for split, values in (card.get("metrics") or {}).items():
        for code, m in values.get("per_class", {}).items():
            if m.get("precision") is not None or m.get("recall") is not None:
                per_class.append({"split": split, "code": code, "name": taxonomy.BY_CODE[code].name_ko, **m})
    return _page(request, "model_detail.html", {"version": version, "card": card, "per_class": per_class})


def _dashboard_district(request):
    districts = selectors.districts_for(request.user)
    code = request.GET.get("district") or (request.user.district.code if request.user.district_id else "")
    if code:
        district = districts.filter(code=code).first()
        if district is None:
            raise Http404
        return district, districts
    # Foundation staff: the first district with inspections, else the first pilot district.
    with_data = districts.filter(sewer_inspections__isnull=False).distinct().first()
    return with_data or districts.first(), districts


@role_required(OFFICIALS)
def dashboard(request):
    district, districts = _dashboard_district(request)
    stats = selectors.district_stats(request.user, district)
    return _page(request, "dashboard.html", {"stats": stats, "district": district, "districts": districts,
                                             "survey_form": SurveyForm()})


@role_required(OFFICIALS)
@require_POST
def survey_submit(request):
    form = SurveyForm(request.POST)
    district_code = request.POST.get("district", "")
    district = selectors.districts_for(request.user).filter(code=district_code).first()
    if district is None:
        raise Http404
    if form.is_valid():
        services.do_submit_survey(request.user, district=district, request=request, **form.cleaned_data)
        messages.success(request, _("의견을 보내 주셔서 고맙습니다."))
    else:
        messages.error(request, _("만족도(1–5)를 골라 주세요."))
    return redirect(reverse("sewer:dashboard") + f"?district={district.code}")
