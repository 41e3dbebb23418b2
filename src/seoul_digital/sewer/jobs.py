"""Background work of the sewer app (run by core.tasks.run_job)."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from seoul_digital.common.progress import scaled
from seoul_digital.sewer.models import Inspection

__all__ = ["screen_inspection", "run_screening"]


def run_screening(inspection: Inspection, progress, *, actor=None, sample_fps: float = 5.0) -> int:
    """Screen the inspection's video with its district's model, make a browser copy when
    needed, and store the findings. Raises on failure after recording why on the inspection."""
    from seoul_digital.sewer import services
    from seoul_digital.sewer.engine.inference import Classifier, ModelError
    from seoul_digital.sewer.engine.screening import VideoError, make_browser_copy, screen_video

    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.SCREENING, status_message="")
    try:
        if not inspection.video:
            raise VideoError("missing", "no video attached")
        version = services.model_for_district(inspection.district)
        classifier = Classifier(services.model_dir_of(version), threads=None)
        thumbs_relative = f"sewer/findings/{inspection.pk}/{inspection.job_id or 'run'}"
        video_path = Path(inspection.video.path)
        result = screen_video(video_path, classifier, sample_fps=sample_fps,
                              chainage=(float(inspection.start_chainage_m), inspection.end_chainage),
                              thumbs_dir=services.media_path(thumbs_relative),
                              progress=scaled(progress, 0.0, 0.8))
        browser_copy = ""
        if not result.video.browser_playable:
            relative = f"sewer/playback/{inspection.pk}/{video_path.stem}.webm"
            make_browser_copy(video_path, services.media_path(relative), progress=scaled(progress, 0.8, 1.0))
            browser_copy = relative
        return services.apply_screening_result(inspection, result, version, thumbs_relative=thumbs_relative,
                                               browser_copy=browser_copy, actor=actor)
    except VideoError as err:
        reason = services.video_error_message(err.code)
        Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.FAILED, status_message=reason[:500])
        raise RuntimeError(reason) from err
    except ModelError as err:
        reason = _("분석 모델을 불러올 수 없습니다: %(e)s") % {"e": err}
        Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.FAILED, status_message=reason[:500])
        raise
    except Exception as err:
        reason = _("분석 중 오류가 났습니다: %(e)s") % {"e": err.__class__.__name__}
        Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.FAILED, status_message=reason[:500])
        raise


def screen_inspection(job, progress, inspection_id: int):
    inspection = Inspection.objects.select_related("district").get(pk=inspection_id)
    count = run_screening(inspection, progress, actor=job.user)
    return {"url": reverse("sewer:inspection_review", kwargs={"pk": inspection_id}),
            "message": _("결함 후보 %(n)d건을 찾았습니다.") % {"n": count}, "findings": count}
