"""Writes of the sewer app. Each goes through ``core.services`` or ``core.audit.record`` so
the audit log sees it; views and jobs call these, never ``save()`` themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.core import audit
from seoul_digital.core.jobs import start_job
from seoul_digital.core.services import AccessDenied, do_create, do_delete, do_update, ensure_can
from seoul_digital.sewer.engine import grading, taxonomy
from seoul_digital.sewer.models import DistrictModel, Finding, Inspection, ModelVersion, SurveyResponse

__all__ = ["VideoRejected", "video_error_message", "do_create_inspection", "do_update_inspection",
           "do_delete_inspection", "do_attach_video", "do_start_screening", "apply_screening_result",
           "do_review_finding", "do_add_finding", "do_start_review", "do_finish_review",
           "ensure_shipped_model", "do_register_model", "do_choose_model", "model_dir_of",
           "model_for_district", "do_submit_survey", "grading_policy", "media_path"]


class VideoRejected(ValueError):
    """An upload that is not a usable video; the message is for the officer (Korean)."""


def video_error_message(code: str, detail: str = "") -> str:
    messages_by_code = {
        "empty": _("빈 파일입니다(0바이트). 조사 영상을 다시 올려 주세요."),
        "not_video": _("동영상 파일이 아닙니다. 파일 내용이 MP4, AVI, MKV/WebM, MPEG, WMV 형식이 아닙니다."),
        "unreadable": _("영상을 읽을 수 없습니다. 파일이 중간에 잘렸거나 손상되었을 수 있습니다."),
        "no_frames": _("영상에 재생할 수 있는 화면이 없습니다(길이 0 또는 손상)."),
        "zero_fps": _("영상의 초당 프레임 수가 0이라 시간을 계산할 수 없습니다. 프레임 수를 지정해 다시 저장해 주세요."),
        "too_large": _("해상도가 너무 큽니다. 4K(3840×2160) 이하로 변환해 올려 주세요."),
        "missing": _("영상 파일을 찾을 수 없습니다."),
        "too_big": _("파일이 업로드 한도보다 큽니다."),
    }
    message = messages_by_code.get(code, _("영상을 처리할 수 없습니다."))
    return f"{message} ({detail})" if detail else message


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def grading_policy() -> dict:
    return grading.policy_from(getattr(settings, "SEWER_GRADING", None))


# --- inspections -------------------------------------------------------------------------------

def do_create_inspection(user, *, request=None, **fields) -> Inspection:
    if getattr(user, "role", "") == "district_officer":
        fields["district"] = user.district  # officers file inspections for their own district
    return do_create(user, Inspection, request=request, created_by=user, **fields)


def do_update_inspection(user, inspection: Inspection, *, request=None, **changes) -> Inspection:
    if getattr(user, "role", "") == "district_officer":
        changes.pop("district", None)
    return do_update(user, inspection, request=request, **changes)


def _remove_files(inspection: Inspection) -> None:
    for field in (inspection.video, inspection.browser_video):
        if field:
            field.delete(save=False)
    folder = media_path(f"sewer/findings/{inspection.pk}")
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def do_delete_inspection(user, inspection: Inspection, *, request=None) -> None:
    ensure_can(user, "change", inspection)
    pk = inspection.pk
    do_delete(user, inspection, request=request)
    inspection.pk = pk
    _remove_files(inspection)


def do_attach_video(user, inspection: Inspection, upload, *, request=None, start: bool = True):
    """Store an uploaded video after checking its content, then queue the screening.
    Bad content raises :class:`VideoRejected`; the inspection is kept as it was."""
    from seoul_digital.sewer.engine.screening import VideoError, probe_video

    ensure_can(user, "change", inspection)
    if inspection.status in (Inspection.Status.QUEUED, Inspection.Status.SCREENING):
        raise VideoRejected(_("이 조사의 영상은 지금 분석 중입니다. 끝난 뒤에 바꿔 주세요."))
    limit = settings.SEWER_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise VideoRejected(video_error_message("too_big", f"{upload.size / 1e9:.2f} GB > {limit / 1e9:.2f} GB"))
    # Probe the bytes where they already are (a temp file for large uploads).
    temp_path = getattr(upload, "temporary_file_path", None)
    scratch = None
    if temp_path is None:
        scratch = media_path(f"sewer/tmp/upload-{timezone.now():%Y%m%d%H%M%S%f}")
        scratch.parent.mkdir(parents=True, exist_ok=True)
        with open(scratch, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        probe_target = scratch
    else:
        probe_target = Path(temp_path())
    try:
        info = probe_video(probe_target)
    except VideoError as err:
        raise VideoRejected(video_error_message(err.code, Path(upload.name).name)) from None
    finally:
        pass
    try:
        with transaction.atomic():
            before = audit.snapshot(inspection)
            if inspection.video or inspection.browser_video:
                _remove_files(inspection)
                inspection.findings.all().delete()
            upload.seek(0)
            if scratch is not None:
                with open(scratch, "rb") as handle:
                    inspection.video.save(Path(upload.name).name, File(handle), save=False)
            else:
                inspection.video.save(Path(upload.name).name, upload, save=False)
            info_dict = {k: getattr(info, k) for k in ("container", "codec", "width", "height", "fps",
                                                       "frame_count", "duration_s", "browser_playable")}
            inspection.video_name = Path(upload.name).name[:255]
            inspection.video_size = upload.size or 0
            inspection.video_info = info_dict
            inspection.browser_video = ""
            inspection.status = Inspection.Status.QUEUED if start else Inspection.Status.DRAFT
            inspection.status_message = ""
            inspection.structural_grade = inspection.operational_grade = ""
            inspection.reviewed_at = None
            inspection.review_started_at = None
            inspection.review_seconds = 0
            inspection.save()
            audit.record(user, "update", inspection, before=before, after=audit.snapshot(inspection),
                         request=request, note="video uploaded")
    finally:
        if scratch is not None and scratch.exists():
            scratch.unlink()
    if start:
        return do_start_screening(user, inspection, request=request)
    return None


def do_start_screening(user, inspection: Inspection, *, request=None):
    ensure_can(user, "change", inspection)
    if not inspection.video:
        raise VideoRejected(_("먼저 조사 영상을 올려 주세요."))
    if inspection.status == Inspection.Status.REVIEWED:
        raise VideoRejected(_("검토를 마친 조사는 다시 분석하지 않습니다."))
    job = start_job(user, "seoul_digital.sewer.jobs.screen_inspection",
                    title=_("관로 영상 AI 분석: %(pipe)s") % {"pipe": inspection.pipe_id},
                    district=inspection.district, request=request, inspection_id=inspection.pk)
    Inspection.objects.filter(pk=inspection.pk).update(job=job)
    inspection.refresh_from_db()
    return job


def apply_screening_result(inspection: Inspection, result, model_version: ModelVersion | None, *,
                           thumbs_relative: str, browser_copy: str = "", actor=None) -> int:
    """Replace the AI's pending findings with a screening's (officers' work is kept) and mark
    the inspection ready for review. Called by the job and the demo loader."""
    with transaction.atomic():
        before = audit.snapshot(inspection)
        inspection.findings.filter(source=Finding.Source.AI, decision=Finding.Decision.PENDING).delete()
        rows = []
        for f in result.findings:
            rows.append(Finding(
                inspection=inspection, code=f.code, ai_code=f.code, source=Finding.Source.AI,
                start_s=f.start_s, end_s=f.end_s, peak_s=f.peak_s, confidence=f.confidence,
                distance_m=f.distance_m, distance_source=f.distance_source, clock=f.clock,
                thumbnail=f"{thumbs_relative}/{f.thumbnail}" if f.thumbnail else "",
                heatmap=f"{thumbs_relative}/{f.heatmap}" if f.heatmap else ""))
        Finding.objects.bulk_create(rows)
        inspection.status = Inspection.Status.SCREENED
        inspection.status_message = "; ".join(result.warnings)[:500]
        inspection.model_version = model_version
        inspection.screened_at = timezone.now()
        inspection.screening_seconds = round(result.seconds, 2)
        inspection.frames_sampled = result.frames_sampled
        inspection.timeline = {"times": result.times, "defect_score": result.defect_score}
        if browser_copy:
            inspection.browser_video.name = browser_copy
        inspection.save()
        audit.record(actor, "update", inspection, before=before, after=audit.snapshot(inspection),
                     note=f"screened: {len(rows)} findings")
    return len(rows)


# --- review ------------------------------------------------------------------------------------

def _check_reviewable(inspection: Inspection) -> None:
    if inspection.status not in (Inspection.Status.SCREENED, Inspection.Status.REVIEWED):
        raise ValidationError(_("AI 분석을 마친 조사만 검토할 수 있습니다."))


def do_start_review(user, inspection: Inspection, *, request=None) -> Inspection:
    if inspection.review_started_at is None and inspection.status == Inspection.Status.SCREENED:
        return do_update(user, inspection, request=request, review_started_at=timezone.now())
    return inspection


def do_review_finding(user, finding: Finding, *, decision: str, code: str | None = None,
                      severity: int | None = None, note: str | None = None, request=None) -> Finding:
    """Accept, reject or relabel one finding; relabelling keeps the AI's class in ai_code."""
    _check_reviewable(finding.inspection)
    changes = {"reviewed_by": user, "reviewed_at": timezone.now()}
    if decision not in Finding.Decision.values or decision == Finding.Decision.PENDING:
        raise ValidationError(_("검토 결과가 올바르지 않습니다."))
    if code and code not in taxonomy.DEFECT_CODES:
        raise ValidationError(_("결함 분류가 올바르지 않습니다."))
    if code and code != finding.code and decision != Finding.Decision.REJECTED:
        changes["code"] = code
        if finding.source == Finding.Source.AI:
            decision = Finding.Decision.RELABELLED if code != finding.ai_code else Finding.Decision.ACCEPTED
    elif decision == Finding.Decision.RELABELLED and finding.code == finding.ai_code:
        decision = Finding.Decision.ACCEPTED  # "relabelled" to the same class is an acceptance
    changes["decision"] = decision
    if severity is not None:
        changes["severity"] = severity
    if note is not None:
        changes["note"] = note[:300]
    return do_update(user, finding, request=request, **changes)


def do_add_finding(user, inspection: Inspection, *, code: str, start_s: float, end_s: float | None = None,
                   severity: int | None = None, clock: int | None = None, distance_m: float | None = None,
                   note: str = "", request=None) -> Finding:
    """A defect the AI missed, added by the officer (counts against the AI's recall)."""
    ensure_can(user, "change", inspection)
    _check_reviewable(inspection)
    if distance_m is None and inspection.duration_s:
        fraction = min(max(start_s / inspection.duration_s, 0.0), 1.0)
        distance_m = float(inspection.start_chainage_m) + (inspection.end_chainage - float(inspection.start_chainage_m)) * fraction
        source = "chainage"
    else:
        source = "officer" if distance_m is not None else ""
    return do_create(user, Finding, request=request, inspection=inspection, code=code, ai_code="",
                     source=Finding.Source.OFFICER, decision=Finding.Decision.ACCEPTED,
                     start_s=start_s, end_s=end_s if end_s is not None else start_s + 1.0, peak_s=start_s,
                     severity=severity, clock=clock, distance_m=distance_m, distance_source=source,
                     note=note[:300], reviewed_by=user, reviewed_at=timezone.now())


def do_finish_review(user, inspection: Inspection, *, request=None) -> Inspection:
    """Close the review: every AI finding decided, every kept finding given a severity;
    grade the segment and record how long the review took."""
    ensure_can(user, "change", inspection)
    _check_reviewable(inspection)
    findings = list(inspection.findings.all())
    pending = [f for f in findings if f.decision == Finding.Decision.PENDING]
    if pending:
        raise ValidationError(_("아직 검토하지 않은 결함이 %(n)d건 있습니다.") % {"n": len(pending)})
    kept = [f for f in findings if f.counts_as_defect]
    unrated = [f for f in kept if not f.severity]
    if unrated:
        raise ValidationError(_("심각도를 정하지 않은 결함이 %(n)d건 있습니다.") % {"n": len(unrated)})
    grades = grading.grade_segment([(f.code, f.severity) for f in kept], float(inspection.length_m),
                                   grading_policy())
    now = timezone.now()
    started = inspection.review_started_at or now
    seconds = inspection.review_seconds or int(min((now - started).total_seconds(), 8 * 3600))
    detail = {group: {"grade": g.grade, "peak": g.peak, "density": g.density, "count": g.count}
              for group, g in grades.items()}
    return do_update(user, inspection, request=request, status=Inspection.Status.REVIEWED,
                     structural_grade=grades["structural"].grade, operational_grade=grades["operational"].grade,
                     grade_detail=detail, reviewed_at=now, reviewed_by=user, review_seconds=max(seconds, 1))


# --- model registry ----------------------------------------------------------------------------

def model_dir_of(version: ModelVersion) -> Path:
    from seoul_digital.sewer.engine.registry import shipped_model_dir

    if version.path == "shipped":
        return shipped_model_dir()
    path = Path(version.path)
    return path if path.is_absolute() else media_path(version.path)


def _metrics_of(card: dict) -> tuple[float | None, float | None, str]:
    for split in ("test", "val"):
        m = (card.get("metrics") or {}).get(split)
        if m:
            return m.get("f2_ciw"), m.get("f1_normal"), split
    return None, None, ""


def ensure_shipped_model() -> ModelVersion:
    """The model in the repository, registered once (no user: a platform fixture)."""
    from seoul_digital.sewer.engine.inference import load_card
    from seoul_digital.sewer.engine.registry import shipped_model_dir

    card = load_card(shipped_model_dir()).raw
    existing = ModelVersion.objects.filter(version=card["version"]).first()
    if existing:
        return existing
    f2, f1, split = _metrics_of(card)
    version = ModelVersion.objects.create(version=card["version"], name=_("기본 제공 합성데이터 모델"),
                                          path="shipped", card=card, f2_ciw=f2, f1_normal=f1,
                                          metrics_split=split, shipped=True)
    audit.record(None, "create", version, after=audit.snapshot(version), note="shipped model registered")
    return version


def do_register_model(user, model_dir: str | Path, *, name: str = "", notes: str = "", request=None) -> ModelVersion:
    """Copy a trained model folder into media/sewer/models/<version>/ and register it."""
    from seoul_digital.sewer.engine.inference import load_card

    if getattr(user, "role", None) not in ("admin", "staff") and user is not None:
        raise AccessDenied("only foundation staff register models")
    card = load_card(model_dir).raw
    if ModelVersion.objects.filter(version=card["version"]).exists():
        raise ValidationError(_("이미 등록된 버전입니다: %(v)s") % {"v": card["version"]})
    relative = f"sewer/models/{card['version']}"
    target = media_path(relative)
    target.mkdir(parents=True, exist_ok=True)
    for name_ in ("model.onnx", "model_card.json", "MODEL_CARD.md"):
        if (Path(model_dir) / name_).is_file():
            shutil.copy2(Path(model_dir) / name_, target / name_)
    f2, f1, split = _metrics_of(card)
    return do_create(user, ModelVersion, request=request, check=False, version=card["version"],
                     name=name or card["version"], path=relative, card=card, f2_ciw=f2, f1_normal=f1,
                     metrics_split=split, notes=notes)


def do_choose_model(user, district, model_version: ModelVersion, *, request=None) -> DistrictModel:
    """Switch a district to a model version. ``user`` None is the platform itself (CLI)."""
    current = DistrictModel.objects.filter(district=district).first()
    system = user is None
    if current is None:
        return do_create(user, DistrictModel, request=request, check=not system, district=district,
                         model_version=model_version, chosen_by=user)
    return do_update(user, current, request=request, check=not system, model_version=model_version,
                     chosen_by=user, chosen_at=timezone.now())


def model_for_district(district) -> ModelVersion:
    choice = DistrictModel.objects.filter(district=district).select_related("model_version").first()
    return choice.model_version if choice else ensure_shipped_model()


# --- survey ------------------------------------------------------------------------------------

def do_submit_survey(user, *, district, score: int, comment: str = "", inspection=None, request=None):
    return do_create(user, SurveyResponse, request=request, district=district, user=user, score=score,
                     comment=comment[:2000], inspection=inspection)
