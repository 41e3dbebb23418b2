"""Demo data: one screened synthetic inspection per demo district (강남구, 서초구, 관악구);
강남구's is also reviewed (decisions taken from the synthetic ground truth) so the report,
the 조사표 and the dashboard have something to show. Idempotent; needs no ../shared data."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Iterator

from django.contrib.auth import get_user_model
from django.core.files import File

from seoul_digital.common.progress import null_progress
from seoul_digital.core.models import District

DEMO = (
    # district code, officer, seed, pipe id, manholes, material, diameter
    ("11680", "gangnam", 11, "GN-DEMO-0101", ("강남-MH-101", "강남-MH-102"), "concrete", 600),
    ("11650", "seocho", 12, "SC-DEMO-0201", ("서초-MH-201", "서초-MH-202"), "pvc", 450),
    ("11620", "gwanak", 13, "GA-DEMO-0301", ("관악-MH-301", "관악-MH-302"), "concrete", 800),
)
SURVEY = {
    "11680": [(5, "결함 위치로 바로 이동할 수 있어 검토 시간이 크게 줄었습니다."),
              (4, "히트맵 덕분에 결함 위치를 빨리 찾았습니다. 토사퇴적 오탐은 조금 있습니다."),
              (4, "조사표 엑셀이 바로 나와 편합니다.")],
    "11650": [(3, "오탐이 조금 있지만 검토 시간이 줄었습니다.")],
}


def _simulate_review(inspection, truth: list[dict], officer) -> None:
    """Decide every AI finding the way a careful officer would, from the synthetic truth."""
    from seoul_digital.sewer import services
    from seoul_digital.sewer.models import Finding

    services.do_start_review(officer, inspection)
    matched: set[int] = set()
    for finding in inspection.findings.filter(source=Finding.Source.AI).order_by("-confidence"):
        overlapping = [(k, t) for k, t in enumerate(truth) if t["start_s"] is not None
                       and finding.start_s <= t["end_s"] + 1.0 and finding.end_s >= t["start_s"] - 1.0]
        free = [(k, t) for k, t in overlapping if k not in matched]
        if not free:  # nothing there, or a defect already confirmed: a false or duplicate alarm
            services.do_review_finding(officer, finding, decision=Finding.Decision.REJECTED,
                                       note="중복" if overlapping else "오탐")
            continue
        k, t = next(((k, t) for k, t in free if t["code"] == finding.code), free[0])
        matched.add(k)
        services.do_review_finding(officer, finding, decision=Finding.Decision.ACCEPTED, code=t["code"],
                                   severity=t["severity"])
    for k, t in enumerate(truth):
        if k not in matched and t["start_s"] is not None:
            services.do_add_finding(officer, inspection, code=t["code"], start_s=t["start_s"], end_s=t["end_s"],
                                    severity=t["severity"], clock=t["clock"], distance_m=t["distance_m"],
                                    note="AI 누락")
    inspection.refresh_from_db()
    inspection.review_seconds = max(int(inspection.duration_s * 0.35), 5)  # demo figure
    inspection.save(update_fields=["review_seconds"])
    services.do_finish_review(officer, inspection)


def load() -> Iterator[str]:
    from seoul_digital.sewer import services
    from seoul_digital.sewer.engine.synth import generate_video
    from seoul_digital.sewer.jobs import run_screening
    from seoul_digital.sewer.models import Inspection, SurveyResponse

    version = services.ensure_shipped_model()
    yield f"model {version.version} registered"
    User = get_user_model()
    for code, username, seed, pipe_id, (up, down), material, diameter in DEMO:
        district = District.objects.get(code=code)
        officer = User.objects.filter(username=username).first()
        existing = Inspection.objects.filter(district=district, pipe_id=pipe_id).first()
        if existing and existing.status in (Inspection.Status.SCREENED, Inspection.Status.REVIEWED):
            yield f"{district.name_ko}: {pipe_id} already screened"
            continue
        if existing:
            existing.delete()  # a half-made demo inspection from an interrupted run
        with tempfile.TemporaryDirectory() as tmp:
            report = generate_video(Path(tmp) / f"{pipe_id}.mp4", seed=seed, length_m=10.0, fps=15.0,
                                    speed_mps=0.45, defects=4, pipe_id=pipe_id, start_m=0.0,
                                    inspected=dt.datetime(2021, 6, 1 + seed % 20, 10, 0))
            truth = json.loads(report.truth_path.read_text(encoding="utf-8"))
            inspection = services.do_create_inspection(
                officer, pipe_id=pipe_id, district=district, upstream_manhole=up, downstream_manhole=down,
                diameter_mm=truth["diameter_mm"], material=truth["material"], length_m=10.0,
                inspected_on=dt.date(2021, 6, 1 + seed % 20), contractor="(주)서울관로조사 (합성 데모)",
                start_chainage_m=0, end_chainage_m=10.0,
                notes="합성 데모 영상입니다. 실제 관로가 아닙니다.")
            with open(report.path, "rb") as handle:
                inspection.video.save(report.path.name, File(handle), save=False)
            from seoul_digital.sewer.engine.screening import probe_video

            info = probe_video(report.path)
            inspection.video_name = report.path.name
            inspection.video_size = report.path.stat().st_size
            inspection.video_info = {k: getattr(info, k) for k in ("container", "codec", "width", "height", "fps",
                                                                   "frame_count", "duration_s", "browser_playable")}
            inspection.status = Inspection.Status.QUEUED
            inspection.save()
        count = run_screening(inspection, null_progress, actor=officer)
        yield f"{district.name_ko}: {pipe_id} screened, {count} findings"
        if code == "11680" and officer is not None:
            inspection.refresh_from_db()
            _simulate_review(inspection, truth["defects"], officer)
            inspection.refresh_from_db()
            yield (f"{district.name_ko}: {pipe_id} reviewed (grades {inspection.structural_grade}/"
                   f"{inspection.operational_grade})")
    for code, answers in SURVEY.items():
        district = District.objects.get(code=code)
        if SurveyResponse.objects.filter(district=district).exists():
            continue
        officer = User.objects.filter(district=district, role="district_officer").first()
        for score, comment in answers:
            services.do_submit_survey(officer, district=district, score=score, comment=comment)
    yield "survey responses ready"
