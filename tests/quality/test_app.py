"""The quality app: catalogue, upload → check job, supporters' review, approval, readiness."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seoul_digital.core.models import AuditLog, Job
from seoul_digital.core.roles import Role
from seoul_digital.core.services import AccessDenied
from seoul_digital.quality import services
from seoul_digital.quality.models import Assignment, Dataset, DatasetVersion, FindingReview
from seoul_digital.quality.readiness import readiness_of
from tests.conftest import login_client

pytestmark = pytest.mark.django_db

CSV = ("관리번호,인허가일자,영업상태명,폐업일자,전화번호\n"
       "A1,20200101,영업/정상,,02-123-4567\n"
       "A2,2020-02-30,폐업,,021234567\n"
       "A3,2021-03-01,폐업,99991231,02-555-1234\n")


@pytest.fixture
def world(users, districts):
    from django.contrib.auth import get_user_model

    admin = users.admin
    youth = get_user_model().objects.create_user("youth9", password="x", role=Role.SUPPORTER)
    mine = services.do_create_dataset(admin, name="강남구 가상 인허가", provider="강남구",
                                      district=districts.gangnam)
    other = services.do_create_dataset(admin, name="서울시 가상 통계", provider="서울특별시")
    services.do_assign(admin, mine, users.supporter)
    services.do_assign(admin, other, youth)
    return type("W", (), {"admin": admin, "staff": users.staff, "supporter": users.supporter,
                          "youth": youth, "gangnam": users.gangnam, "seocho": users.seocho,
                          "mine": mine, "other": other})


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    """Uploads start their check after the commit; run those callbacks as a real commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield


def post(client, url, data):
    with _capture(execute=True):
        return client.post(url, data)


def upload(client, dataset, text=CSV, name="v.csv", encoding="cp949"):
    return post(client, reverse("quality:version_upload", args=[dataset.pk]),
                {"file": SimpleUploadedFile(name, text.encode(encoding)), "note": "첫 판"})


def test_supporters_see_only_what_is_assigned(world):
    client = login_client(world.supporter)
    page = client.get(reverse("quality:index")).content.decode()
    assert world.mine.name in page and world.other.name not in page
    assert client.get(reverse("quality:dataset_detail", args=[world.other.pk])).status_code == 404
    data = client.get(reverse("api:quality_datasets")).json()
    assert [d["name"] for d in data] == [world.mine.name]
    youth = login_client(world.youth)
    assert [d["name"] for d in youth.get(reverse("api:quality_datasets")).json()] == [world.other.name]
    staff = login_client(world.staff)
    assert {d["name"] for d in staff.get(reverse("api:quality_datasets")).json()} == {world.mine.name,
                                                                                      world.other.name}


def test_upload_runs_the_check_as_a_job_and_keeps_files(world):
    client = login_client(world.supporter)
    response = upload(client, world.mine)
    version = DatasetVersion.objects.get(dataset=world.mine)
    assert response.status_code == 302 and response.url == reverse("quality:version_detail", args=[version.pk])
    assert version.state == DatasetVersion.State.CHECKED
    job = Job.objects.get(pk=version.job_id)
    assert job.state == Job.State.SUCCEEDED and job.user == world.supporter
    assert job.district == world.mine.district
    report = version.report
    assert report["rows"] == 3 and report["encoding"] == "CP949"
    rules = {(f["rule"], f["column"]) for f in report["findings"]}
    assert ("date_invalid", "인허가일자") in rules and ("date_sentinel", "폐업일자") in rules
    assert ("closed_without_date", "폐업일자") in rules
    assert version.conformance_rate == pytest.approx(report["conformance_rate"])
    assert version.report_html and version.report_xlsx and version.clean_file and version.change_log
    assert version.fix_summary["changes_by_rule"]["phone_unformatted"] == 1
    page = client.get(reverse("quality:version_detail", args=[version.pk])).content.decode()
    assert "정합률" in page and "날짜 대신 임의값" in page
    html = client.get(reverse("quality:version_file", args=[version.pk, "html"]))
    assert html.status_code == 200 and "품질 검사 결과" in b"".join(html.streaming_content).decode()
    clean = client.get(reverse("quality:version_file", args=[version.pk, "clean"]))
    assert "02-123-4567" in b"".join(clean.streaming_content).decode("utf-8-sig")
    data = client.get(reverse("api:quality_report", args=[version.pk])).json()
    assert data["report"]["file"] == "v.csv"
    assert AuditLog.objects.filter(model="datasetversion", object_id=str(version.pk)).count() >= 2
    # versions are kept: a second upload is v2, v1 and its report stay
    upload(client, world.mine, CSV.replace("2020-02-30", "2020-02-28"), name="v2.csv", encoding="utf-8")
    numbers = list(DatasetVersion.objects.filter(dataset=world.mine).values_list("number", "report__rows"))
    assert sorted(numbers) == [(1, 3), (2, 3)]


def test_unreadable_upload_gives_a_report_not_a_crash(world):
    client = login_client(world.admin)
    response = post(client, reverse("quality:version_upload", args=[world.other.pk]),
                    {"file": SimpleUploadedFile("x.csv", b"\x00\x01\x02\x03" * 50)})
    version = DatasetVersion.objects.get(dataset=world.other)
    assert response.status_code == 302
    assert version.state == DatasetVersion.State.CHECKED and version.conformance_rate is None
    assert "binary" in version.check_error
    assert client.get(reverse("quality:version_detail", args=[version.pk])).status_code == 200


def test_empty_upload_is_refused_with_a_message(world):
    client = login_client(world.admin)
    response = client.post(reverse("quality:version_upload", args=[world.other.pk]),
                           {"file": SimpleUploadedFile("x.csv", b"")})
    assert response.status_code == 400 and DatasetVersion.objects.count() == 0


def test_review_submit_and_approve(world):
    supporter_client = login_client(world.supporter)
    upload(supporter_client, world.mine)
    version = DatasetVersion.objects.get(dataset=world.mine)
    reviews = FindingReview.objects.filter(version=version)
    assert reviews.filter(decision=FindingReview.Decision.FIXED, rule="phone_unformatted").exists()
    pending = list(reviews.filter(decision=FindingReview.Decision.PENDING))
    assert pending
    with pytest.raises(ValidationError, match="판단하지 않은"):
        services.do_submit(world.supporter, version)
    with pytest.raises(ValidationError):
        services.do_review_finding(world.supporter, version, rule=pending[0].rule,
                                   column=pending[0].column, decision="accepted", comment="")
    for review in pending:
        response = supporter_client.post(reverse("quality:version_review", args=[version.pk]), {
            "prefix": "r0", "r0-rule": review.rule, "r0-column": review.column,
            "r0-decision": "owner", "r0-comment": "제공 기관 확인 필요"})
        assert response.status_code == 302
    assert not FindingReview.objects.filter(version=version, decision="pending").exists()
    # a supporter cannot approve
    with pytest.raises(AccessDenied):
        services.do_decide(world.supporter, version, approve=True)
    supporter_client.post(reverse("quality:version_submit", args=[version.pk]))
    version.refresh_from_db()
    assert version.state == DatasetVersion.State.SUBMITTED and version.submitted_by == world.supporter
    staff_client = login_client(world.staff)
    response = staff_client.post(reverse("quality:version_decide", args=[version.pk]),
                                 {"decision": "return", "comment": ""})
    version.refresh_from_db()
    assert version.state == DatasetVersion.State.SUBMITTED  # a return needs a reason
    staff_client.post(reverse("quality:version_decide", args=[version.pk]),
                      {"decision": "approve", "comment": "확인함"})
    version.refresh_from_db()
    assert version.state == DatasetVersion.State.APPROVED and version.reviewed_by == world.staff
    r = readiness_of(world.mine)
    approval = next(i for i in r.items if i.label == "검토자 승인")
    assert approval.status == "met" and r.version == version
    with pytest.raises(ValidationError):
        services.do_review_finding(world.supporter, version, rule=pending[0].rule,
                                   column=pending[0].column, decision="owner")


def test_readiness_page_and_api(world):
    client = login_client(world.admin)
    page = client.get(reverse("quality:readiness", args=[world.mine.pk])).content.decode()
    assert "아직 올린 파일이 없습니다" in page
    upload(client, world.mine)
    page = client.get(reverse("quality:readiness", args=[world.mine.pk])).content.decode()
    for label in ("정합률 목표 달성", "UTF-8 인코딩", "키 중복 없음", "모든 발견 사항 검토", "검토자 승인",
                  "완전성", "유효성", "일관성", "정확성", "유일성"):
        assert label in page
    assert "미충족" in page  # states carry words, not only colour
    data = client.get(reverse("api:quality_readiness", args=[world.mine.pk])).json()
    encoding = next(i for i in data["items"] if i["label"] == "UTF-8 인코딩")
    assert encoding["status"] == "not_met" and data["ready"] is False
    assert set(data["dimensions"]) == {"completeness", "validity", "consistency", "accuracy", "uniqueness"}


def test_assignments_are_for_foundation_staff(world):
    with pytest.raises(AccessDenied):
        services.do_assign(world.gangnam, world.mine, world.youth)
    with pytest.raises(ValidationError):
        services.do_assign(world.admin, world.mine, world.gangnam)  # not a supporter
    client = login_client(world.staff)
    client.post(reverse("quality:dataset_assign", args=[world.mine.pk]), {"supporter": world.youth.pk})
    assert Assignment.objects.filter(dataset=world.mine, supporter=world.youth).exists()
    assert [d["name"] for d in login_client(world.youth).get(reverse("api:quality_datasets")).json()] == \
        [world.mine.name, world.other.name]
    a = Assignment.objects.get(dataset=world.mine, supporter=world.youth)
    client.post(reverse("quality:assignment_remove", args=[a.pk]), {"confirm": "yes"})
    assert not Assignment.objects.filter(pk=a.pk).exists()


def test_dataset_spec_is_validated_and_used(world):
    client = login_client(world.admin)
    response = client.post(reverse("quality:dataset_edit", args=[world.other.pk]), {
        "name": world.other.name, "provider": "서울특별시", "target_rate": "0.99",
        "status": "improving", "spec_yaml": "columns:\n  전화번호: {kind: colour}\n"})
    assert response.status_code == 400 and "unknown kind" in response.content.decode()
    client.post(reverse("quality:dataset_edit", args=[world.other.pk]), {
        "name": world.other.name, "provider": "서울특별시", "target_rate": "0.99", "status": "improving",
        "spec_yaml": "columns:\n  전화번호: text\n  폐업일자: {kind: date, sentinels: []}\n"})
    world.other.refresh_from_db()
    assert "전화번호: text" in world.other.spec_yaml
    upload(client, world.other)
    version = DatasetVersion.objects.get(dataset=world.other)
    rules = {f["rule"] for f in version.report["findings"]}
    assert "phone_unformatted" not in rules and "date_sentinel" not in rules
    assert version.report["spec"] == "spec"


def test_officer_edits_own_district_only(world):
    client = login_client(world.gangnam)
    assert client.get(reverse("quality:dataset_edit", args=[world.mine.pk])).status_code == 200
    assert client.get(reverse("quality:dataset_edit", args=[world.other.pk])).status_code == 404
    assert client.get(reverse("quality:dataset_create")).status_code == 404


def test_api_upload_and_version(world):
    client = login_client(world.supporter)
    response = post(client, reverse("api:quality_upload", args=[world.mine.pk]),
                    {"file": SimpleUploadedFile("a.csv", CSV.encode("utf-8"))})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1 and body["state"] == "checking"  # the check starts after the commit
    later = client.get(reverse("api:quality_version", args=[body["id"]])).json()
    assert later["state"] == "checked" and later["rows"] == 3 and later["job_id"]
    empty = client.post(reverse("api:quality_upload", args=[world.mine.pk]),
                        {"file": SimpleUploadedFile("b.csv", b"")})
    assert empty.status_code == 400 and "빈 파일" in empty.json()["detail"]


@pytest.mark.slow
def test_demo_loader_is_idempotent_without_shared_data(users, settings, tmp_path):
    from seoul_digital.quality import demo

    settings.SEOUL_DATA_DIR = None
    settings.MEDIA_ROOT = tmp_path
    lines = list(demo.load())
    assert any("versions checked: 6" in line for line in lines), lines
    assert Dataset.objects.count() == 30
    again = list(demo.load())
    assert any("(0 new)" in line for line in again) and any("versions checked: 0" in line for line in again)
    cinema = Dataset.objects.get(name="서울시 영화상영관 인허가 정보")
    version = cinema.versions.get()
    assert version.report["rows"] == 201 and version.conformance_rate is not None
    assert Assignment.objects.filter(dataset=cinema, supporter__username="supporter").exists()


def test_staff_of_other_programmes_look_but_do_not_change(world, users):
    edu = users.edu  # foundation staff of the digital-inclusion programme
    client = login_client(edu)
    assert client.get(reverse("quality:dataset_detail", args=[world.mine.pk])).status_code == 200
    assert client.get(reverse("quality:version_upload", args=[world.mine.pk])).status_code == 404
    with pytest.raises(AccessDenied):
        services.do_create_dataset(edu, name="x", provider="y")
    with pytest.raises(AccessDenied):
        services.do_assign(edu, world.mine, world.youth)
    from seoul_digital.quality import selectors

    assert selectors.can_approve(users.staff) and not selectors.can_approve(edu)
