"""Access cases for the sewer app (see tests/access/registry.py).

``build`` makes, in 강남구, a screened inspection with two AI findings (a small stand-in
video file and a thumbnail on disk) and a reviewed one, so every page has something to show.
"""

from __future__ import annotations

import datetime as dt

from tests.access.registry import Case, api, page

NO = 404


def build(world):
    import cv2
    import numpy as np
    from django.conf import settings
    from django.core.files.base import ContentFile

    from seoul_digital.sewer import services
    from seoul_digital.sewer.models import Finding, Inspection

    gangnam = world.districts.gangnam
    world.sewer_model = services.ensure_shipped_model()

    def inspection(status, pipe):
        obj = Inspection.objects.create(
            district=gangnam, pipe_id=pipe, upstream_manhole="MH-1", downstream_manhole="MH-2",
            diameter_mm=600, length_m=30, inspected_on=dt.date(2021, 5, 10), contractor="테스트",
            status=status, video_info={"duration_s": 20.0, "fps": 30, "width": 64, "height": 48})
        obj.video.save(f"{pipe}.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 not really a video"), save=True)
        return obj

    world.sewer_inspection = inspection(Inspection.Status.SCREENED, "GN-A-001")
    world.sewer_reviewed = inspection(Inspection.Status.REVIEWED, "GN-A-002")
    world.sewer_reviewed.structural_grade = "C"
    world.sewer_reviewed.operational_grade = "B"
    world.sewer_reviewed.save()
    thumb_dir = settings.MEDIA_ROOT / "sewer" / "findings" / str(world.sewer_inspection.pk)
    thumb_dir.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(thumb_dir / "001_CL.jpg"), np.full((24, 36, 3), 120, np.uint8))
    relative = f"sewer/findings/{world.sewer_inspection.pk}/001_CL.jpg"
    world.sewer_finding = Finding.objects.create(
        inspection=world.sewer_inspection, code="CL", ai_code="CL", start_s=2.0, end_s=4.0, peak_s=3.0,
        confidence=0.8, clock=12, thumbnail=relative, heatmap=relative)
    Finding.objects.create(inspection=world.sewer_inspection, code="DS", ai_code="DS", start_s=9, end_s=12,
                           peak_s=10, confidence=0.6)
    Finding.objects.create(inspection=world.sewer_reviewed, code="BK", ai_code="BK", start_s=5, end_s=8,
                           peak_s=6, confidence=0.9, decision=Finding.Decision.ACCEPTED, severity=3)


def _insp(w):
    return {"pk": w.sewer_inspection.pk}


def _reviewed(w):
    return {"pk": w.sewer_reviewed.pk}


POST_REDIRECT = {"anon": 302, "admin": 302, "staff": 302, "gangnam": 302, "seocho": NO}

CASES = [
    page("sewer:index", supporter=NO, applicant=NO),
    page("sewer:inspection_create", supporter=NO),
    page("sewer:inspection_detail", kwargs=_insp, seocho=NO, supporter=NO),
    page("sewer:inspection_edit", kwargs=_insp, seocho=NO),
    # Ordered so the outsider tries first; then the owner deletes it and it is gone for the rest.
    Case("sewer:inspection_delete", method="post", kwargs=_insp,
         expect={"anon": 302, "seocho": NO, "supporter": NO, "gangnam": 302, "admin": NO, "staff": NO}),
    Case("sewer:inspection_upload", method="post", kwargs=_insp, expect=POST_REDIRECT),
    Case("sewer:inspection_screen", method="post", kwargs=_reviewed, expect=POST_REDIRECT),
    page("sewer:inspection_video", kwargs=_insp, seocho=NO),
    page("sewer:inspection_review", kwargs=_insp, seocho=NO, supporter=NO),
    Case("sewer:finding_add", method="post", kwargs=_insp, expect=POST_REDIRECT),
    Case("sewer:inspection_finish_review", method="post", kwargs=_insp, expect=POST_REDIRECT),
    page("sewer:inspection_report_pdf", kwargs=_reviewed, seocho=NO),
    page("sewer:inspection_report_xlsx", kwargs=_reviewed, seocho=NO),
    Case("sewer:finding_review", method="post", kwargs=lambda w: {"pk": w.sewer_finding.pk},
         expect=POST_REDIRECT),
    page("sewer:finding_image", kwargs=lambda w: {"pk": w.sewer_finding.pk, "kind": "heatmap"}, seocho=NO),
    # An outsider sees no reviewed inspection to export and is sent back with a message.
    page("sewer:training_export", seocho=302, supporter=NO),
    page("sewer:registry", supporter=NO),
    page("sewer:model_detail", kwargs=lambda w: {"pk": w.sewer_model.pk}),
    page("sewer:dashboard", supporter=NO),
    page("sewer:dashboard", query="?district=11680", seocho=NO, label="other district"),
    Case("sewer:survey_submit", method="post", data={"district": "11680", "score": 4, "comment": "좋아요"},
         expect=POST_REDIRECT),
    api("api:sewer_inspections", supporter=NO),
    api("api:sewer_inspection", kwargs=lambda w: {"inspection_id": w.sewer_inspection.pk}, seocho=NO),
    api("api:sewer_findings", kwargs=lambda w: {"inspection_id": w.sewer_inspection.pk}, seocho=NO),
    Case("api:sewer_finding_review", method="post", content_type="application/json",
         kwargs=lambda w: {"finding_id": w.sewer_finding.pk}, data={"decision": "accepted", "severity": 3},
         expect={"anon": 401, "admin": 200, "staff": 200, "gangnam": 200, "seocho": NO, "supporter": NO}),
    api("api:sewer_models", supporter=NO),
    api("api:sewer_dashboard", kwargs={"district_code": "11680"}, seocho=NO),
]
