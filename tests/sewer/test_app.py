"""The sewer app end to end: upload → screening job → review → grades → reports → export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seoul_digital.core.models import AuditLog, Job
from seoul_digital.core.services import AccessDenied
from seoul_digital.sewer import selectors, services
from seoul_digital.sewer.models import Finding, Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_video(tmp_path_factory):
    from seoul_digital.sewer.engine.synth import generate_video

    out = tmp_path_factory.mktemp("app-video")
    return generate_video(out / "GN-T-1.mp4", seed=31, length_m=5.0, fps=15.0, defects=2,
                          width=480, height=320, start_m=0.0)


def _inspection(user, district, **extra):
    fields = dict(district=district, pipe_id="GN-T-1", upstream_manhole="MH-1", downstream_manhole="MH-2",
                  diameter_mm=600, material="concrete", length_m=5, inspected_on=dt.date(2021, 6, 1),
                  contractor="테스트 업체", start_chainage_m=0, end_chainage_m=5)
    fields.update(extra)
    return services.do_create_inspection(user, **fields)


def _upload(client, inspection, name, content):
    return client.post(reverse("sewer:inspection_upload", kwargs={"pk": inspection.pk}),
                       {"video": SimpleUploadedFile(name, content, content_type="video/mp4")}, follow=True)


def test_create_upload_screen_review_report_export(users, districts, as_user, demo_video, settings):
    client = as_user("gangnam")
    response = client.post(reverse("sewer:inspection_create"), {
        "pipe_id": "GN-T-1", "upstream_manhole": "MH-1", "downstream_manhole": "MH-2", "diameter_mm": 600,
        "material": "concrete", "length_m": "5", "inspected_on": "2021-06-01", "contractor": "테스트 업체",
        "start_chainage_m": "0", "end_chainage_m": "5", "district": districts.seocho.pk})
    inspection = Inspection.objects.get(pipe_id="GN-T-1")
    assert response.status_code == 302 and inspection.district == districts.gangnam  # own district only
    response = _upload(client, inspection, "GN-T-1.mp4", demo_video.path.read_bytes())
    assert response.status_code == 200
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SCREENED, inspection.status_message
    job = Job.objects.get(pk=inspection.job_id)
    assert job.state == Job.State.SUCCEEDED and job.result_url.endswith(f"/inspections/{inspection.pk}/review/")
    assert inspection.browser_video.name.endswith(".webm") and inspection.model_version.shipped
    # The player streams with byte ranges (seeking needs them).
    video = client.get(reverse("sewer:inspection_video", kwargs={"pk": inspection.pk}), HTTP_RANGE="bytes=0-99")
    assert video.status_code == 206 and video["Content-Range"].startswith("bytes 0-99/")
    assert b"".join(video.streaming_content)[:4] == b"\x1a\x45\xdf\xa3"
    ai = list(inspection.findings.all())
    assert ai and all(f.source == Finding.Source.AI and f.decision == Finding.Decision.PENDING for f in ai)
    # Review: reject one, relabel one, accept the rest; add a missed defect.
    page = client.get(reverse("sewer:inspection_review", kwargs={"pk": inspection.pk}))
    assert page.status_code == 200 and "결함 시간표" in page.content.decode()
    inspection.refresh_from_db()
    assert inspection.review_started_at is not None
    first, rest = ai[0], ai[1:]
    response = client.post(reverse("sewer:finding_review", kwargs={"pk": first.pk}),
                           {f"f{first.pk}-decision": "rejected", f"f{first.pk}-code": first.code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "저장했습니다" in response.content.decode()
    for n, finding in enumerate(rest):
        new_code = "BK" if n == 0 and finding.code != "BK" else finding.code
        client.post(reverse("sewer:finding_review", kwargs={"pk": finding.pk}),
                    {f"f{finding.pk}-decision": "accepted", f"f{finding.pk}-code": new_code,
                     f"f{finding.pk}-severity": "3"})
    client.post(reverse("sewer:finding_add", kwargs={"pk": inspection.pk}),
                {"code": "RI", "start_s": "2.5", "severity": "4", "clock": "12", "note": "놓친 뿌리"})
    added = inspection.findings.get(source=Finding.Source.OFFICER)
    assert added.code == "RI" and added.decision == Finding.Decision.ACCEPTED
    assert added.distance_source == "chainage" and 0 <= added.distance_m <= 5
    response = client.post(reverse("sewer:inspection_finish_review", kwargs={"pk": inspection.pk}), follow=True)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.REVIEWED, response.content.decode()[:500]
    assert inspection.structural_grade in "ABCDE" and inspection.operational_grade in "BCDE"  # RI sev 4 counts
    assert inspection.review_seconds >= 1
    if rest and rest[0].code != "BK":
        assert inspection.findings.get(pk=rest[0].pk).decision == Finding.Decision.RELABELLED
    # Reports.
    pdf = client.get(reverse("sewer:inspection_report_pdf", kwargs={"pk": inspection.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"NanumGothic" in pdf.content
    xlsx = client.get(reverse("sewer:inspection_report_xlsx", kwargs={"pk": inspection.pk}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "하수관로 CCTV 조사표" in values and "GN-T-1" in values and "RI" in values and "뿌리침입" in values
    # Training export: frames + AI Hub JSON our own reader accepts.
    export = client.get(reverse("sewer:training_export") + f"?inspection={inspection.pk}")
    assert export.status_code == 200
    folder = Path(settings.MEDIA_ROOT) / "export-check"
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        archive.extractall(folder)
    from seoul_digital.sewer.engine.datasets import read_dataset

    dataset = read_dataset(folder, "aihub")
    assert len(dataset) == inspection.findings.count()
    labelled = {code for s in dataset.samples for code in s.codes}
    assert "RI" in labelled and first.code not in {c for s in dataset.samples if s.meta == {} for c in ()}
    assert AuditLog.objects.filter(action="export", object_id=str(inspection.pk)).count() >= 3


@pytest.mark.parametrize("name,content,needle", [
    ("empty.mp4", b"", "빈 파일"),
    ("report.mp4", b"%PDF-1.7 not a video" * 50, "동영상 파일이 아닙니다"),
    ("broken.avi", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 300, "영상을 읽을 수 없습니다"),
])
def test_bad_uploads_get_a_clear_message_and_keep_the_inspection(users, districts, as_user, name, content, needle):
    inspection = _inspection(users.gangnam, districts.gangnam)
    response = _upload(as_user("gangnam"), inspection, name, content)
    assert needle in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT and not inspection.video
    assert not Job.objects.exists()


def test_upload_size_limit_comes_from_settings(users, districts, as_user, settings, demo_video):
    settings.SEWER_UPLOAD_MAX_BYTES = 1000
    inspection = _inspection(users.gangnam, districts.gangnam)
    response = _upload(as_user("gangnam"), inspection, "big.mp4", demo_video.path.read_bytes())
    assert "업로드 한도" in response.content.decode()
    inspection.refresh_from_db()
    assert not inspection.video


def test_failed_screening_keeps_the_inspection_and_says_why(users, districts, demo_video, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from seoul_digital.sewer.engine import screening

    def broken(*args, **kwargs):
        raise screening.VideoError("unreadable", "decoder gave up")

    monkeypatch.setattr(screening, "screen_video", broken)
    inspection = _inspection(users.gangnam, districts.gangnam)
    job = services.do_attach_video(users.gangnam, inspection, Upload("v.mp4", demo_video.path.read_bytes()))
    job.refresh_from_db()
    inspection.refresh_from_db()
    assert job.state == Job.State.FAILED and "영상을 읽을 수 없습니다" in job.error
    assert inspection.status == Inspection.Status.FAILED and "영상을 읽을 수 없습니다" in inspection.status_message
    assert inspection.video  # the upload is kept for a retry


def _screened(users, districts, codes):
    inspection = _inspection(users.gangnam, districts.gangnam, pipe_id="GN-T-2")
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.SCREENED,
                                                       video_info={"duration_s": 60.0})
    inspection.refresh_from_db()
    for i, code in enumerate(codes):
        Finding.objects.create(inspection=inspection, code=code, ai_code=code, start_s=5 * i, end_s=5 * i + 2,
                               peak_s=5 * i + 1, confidence=0.8)
    return inspection


def test_review_rules_and_dashboard_figures(users, districts):
    inspection = _screened(users, districts, ["CL", "DS", "TO", "BK"])
    cl, ds, to, bk = inspection.findings.order_by("start_s")
    officer = users.gangnam
    with pytest.raises(AccessDenied):
        services.do_review_finding(users.seocho, cl, decision="accepted", severity=2)
    services.do_review_finding(officer, cl, decision="accepted", severity=2)
    services.do_review_finding(officer, ds, decision="accepted", code="DG", severity=1)
    services.do_review_finding(officer, to, decision="rejected")
    with pytest.raises(ValidationError, match="검토하지 않은 결함이 1건"):
        services.do_finish_review(officer, inspection)
    services.do_review_finding(officer, bk, decision="accepted")
    with pytest.raises(ValidationError, match="심각도"):
        services.do_finish_review(officer, inspection)
    services.do_review_finding(officer, bk, decision="accepted", severity=5)
    services.do_add_finding(officer, inspection, code="RI", start_s=30, severity=3)
    inspection = services.do_finish_review(officer, inspection)
    assert inspection.structural_grade == "E"  # a severity-5 break
    assert Finding.objects.get(pk=ds.pk).decision == Finding.Decision.RELABELLED
    stats = selectors.district_stats(users.admin, districts.gangnam)
    # AI: 4 findings, CL and BK kept as is (2), DS relabelled, TO rejected; RI missed.
    assert stats["ai_findings"] == 4 and stats["ai_correct"] == 2 and stats["ai_rejected"] == 1
    assert stats["precision"] == pytest.approx(2 / 4)
    assert stats["recall"] == pytest.approx(2 / 4)  # of CL, BK, DG (relabelled) and RI
    assert stats["video_minutes"] == pytest.approx(1.0)
    assert selectors.district_stats(users.seocho, districts.gangnam)["inspections"] == 0  # scoped


def test_registry_choice_switches_a_districts_model(users, districts, tmp_path):
    import shutil

    from seoul_digital.sewer.engine.registry import shipped_model_dir

    shipped = services.ensure_shipped_model()
    assert services.model_for_district(districts.gangnam) == shipped
    copy = tmp_path / "model"
    shutil.copytree(shipped_model_dir(), copy)
    card = json.loads((copy / "model_card.json").read_text())
    card["version"] = "test-version-2"
    (copy / "model_card.json").write_text(json.dumps(card))
    with pytest.raises(AccessDenied):
        services.do_register_model(users.gangnam, copy)
    version = services.do_register_model(users.admin, copy, name="두 번째")
    assert (services.model_dir_of(version) / "model.onnx").is_file()
    with pytest.raises(AccessDenied):
        services.do_choose_model(users.gangnam, districts.gangnam, version)
    services.do_choose_model(users.admin, districts.gangnam, version)
    assert services.model_for_district(districts.gangnam) == version
    assert services.model_for_district(districts.seocho) == shipped
    with pytest.raises(ValidationError, match="이미 등록"):
        services.do_register_model(users.admin, copy)


def test_api_review_and_dashboard(users, districts, as_user):
    inspection = _screened(users, districts, ["CL"])
    finding = inspection.findings.get()
    client = as_user("gangnam")
    url = reverse("api:sewer_finding_review", kwargs={"finding_id": finding.pk})
    bad = client.post(url, json.dumps({"decision": "maybe"}), content_type="application/json")
    assert bad.status_code == 422
    ok = client.post(url, json.dumps({"decision": "accepted", "code": "CC", "severity": 2}),
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["decision"] == "relabelled" and ok.json()["code"] == "CC"
    listing = client.get(reverse("api:sewer_findings", kwargs={"inspection_id": inspection.pk})).json()
    assert listing[0]["ai_code"] == "CL"
    dash = client.get(reverse("api:sewer_dashboard", kwargs={"district_code": "11680"})).json()
    assert dash["inspections"] == 1 and dash["district"] == "11680"


def test_survey_is_summarised_per_district(users, districts, as_user):
    client = as_user("gangnam")
    for score, comment in [(5, "검토 시간이 줄었습니다"), (3, "검토 화면이 느립니다"), (4, "")]:
        client.post(reverse("sewer:survey_submit"), {"district": "11680", "score": score, "comment": comment})
    stats = selectors.district_stats(users.gangnam, districts.gangnam)
    assert stats["survey_count"] == 3 and stats["survey_mean"] == pytest.approx(4.0)
    assert stats["survey_histogram"] == [0, 0, 1, 1, 1]
    assert ("검토", 2) in stats["survey_keywords"]
    page = client.get(reverse("sewer:dashboard")).content.decode()
    assert "평균 4.0점" in page
