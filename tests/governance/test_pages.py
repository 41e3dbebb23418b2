"""End to end through the pages: an admin imports a quarter's spending and sees 집행률, gaps
and alerts; staff see only their programme; edits keep their history."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def q1_file():
    from seoul_digital.governance.demo import demo_csv

    return SimpleUploadedFile("q1.csv", demo_csv(), content_type="text/csv")


def test_admin_imports_a_quarter_and_sees_rates_gaps_and_alerts(as_user):
    admin = as_user("admin")
    page = admin.get("/governance/budget/")
    assert "아직 집행 기록이 없습니다" in text_of(page)

    response = admin.post("/governance/spending/import/?year=2021",
                          {"file": q1_file(), "mode": "all", "year": "2021"})
    assert response.status_code == 302
    detail_url = response["Location"]
    detail = text_of(admin.get(detail_url))
    assert "검사 완료" in detail and "전체 25행 중 올바른 행 25, 거부 0" in detail

    response = admin.post(detail_url + "apply/", {"mode": "all"})
    assert response.status_code == 302
    assert "가져옴" in text_of(admin.get(detail_url))

    page = text_of(admin.get("/governance/budget/"))
    # 데이터 창출: 87.0 백만원 of 568.4 → 15.3%, plan 29.7% → −14.4%p, an alert.
    row = re.search(r"데이터 창출, 분석 및 활용 확산 568\.4 87\.0 481\.4 (\S+) (\S+) (\S+) (\S+) (.+?) ", page)
    assert row.groups()[:4] == ("15.3%", "29.7%", "−14.4%p", "82.0")
    assert "경보: 데이터 창출, 분석 및 활용 확산 — 누적 집행률 15.3%, 계획 29.7% 대비 −14.4%p" in page
    assert "경보: 서울 스마트시티센터 운영" in page
    assert "경보: 인건비" not in page
    assert "1분기 말 기준" in page
    # The chart's data travels as JSON beside the table.
    raw = admin.get("/governance/budget/").content.decode()
    assert 'id="chart-data"' in raw and "vendor/chartjs/chart.umd.min.js" in raw


def test_threshold_is_configurable(as_user, users):
    from seoul_digital.governance import services
    from seoul_digital.governance.models import FiscalYear

    admin = as_user("admin")
    year = FiscalYear.objects.get(year=2021)
    services.do_apply_spending_import(users.admin, services.do_check_spending_file(
        users.admin, year, q1_file(), mode="all"))
    assert "경보: 서울 스마트시티센터 운영" in text_of(admin.get("/governance/budget/"))
    response = admin.post("/governance/budget/settings/?year=2021", {"alert_threshold_pp": "12.5",
                                                                      "year": "2021"})
    assert response.status_code == 302
    page = text_of(admin.get("/governance/budget/"))
    assert "경보: 서울 스마트시티센터 운영" not in page  # −12.0%p is within 12.5
    assert "경보: 데이터 창출" in page
    bad = admin.post("/governance/budget/settings/?year=2021", {"alert_threshold_pp": "-1"})
    assert bad.status_code == 200 and "오류" in text_of(bad)
    assert FiscalYear.objects.get(year=2021).alert_threshold_pp == 12.5


def test_staff_see_and_change_only_their_programme(as_user, users):
    from seoul_digital.governance import services
    from seoul_digital.governance.models import FiscalYear, Spending

    year = FiscalYear.objects.get(year=2021)
    services.do_apply_spending_import(users.admin, services.do_check_spending_file(
        users.admin, year, q1_file(), mode="all"))
    staff = as_user("staff")
    page = text_of(staff.get("/governance/budget/"))
    assert "데이터 창출, 분석 및 활용 확산" in page
    assert "기술기업 해외진출 지원" not in page and "합계" not in page
    listing = text_of(staff.get("/governance/spending/"))
    assert "5건, 합계 87,000,000원" in listing
    assert "센터 임차료" not in listing
    edu = text_of(as_user("edu").get("/governance/spending/"))
    assert "2건, 합계 11,800,000원" in edu

    # Add a row to their own programme; another programme is not even offered.
    form = staff.get("/governance/spending/new/")
    assert "overseas" not in form.content.decode() and "기술기업 해외진출" not in text_of(form)
    data = users.staff.programme
    response = staff.post("/governance/spending/new/?year=2021", {
        "programme": data.pk, "date": "2021-03-05", "amount_krw": "1000", "description": "추가"})
    assert response.status_code == 302
    overseas = Spending.objects.filter(programme__code="overseas").first()
    response = staff.post("/governance/spending/new/?year=2021", {
        "programme": overseas.programme.pk, "date": "2021-03-05", "amount_krw": "1000"})
    assert response.status_code == 200 and "오류" in text_of(response)
    assert Spending.objects.filter(description="추가", created_by=users.staff).count() == 1
    # Editing: a date outside the fiscal year is refused with a message.
    own = Spending.objects.get(description="추가")
    response = staff.post(f"/governance/spending/{own.pk}/edit/", {
        "programme": data.pk, "date": "2022-01-05", "amount_krw": "1000", "description": "추가"})
    assert response.status_code == 200 and "회계연도 밖" in text_of(response)
    response = staff.post(f"/governance/spending/{own.pk}/edit/", {
        "programme": data.pk, "date": "2021-03-06", "amount_krw": "2000", "description": "추가"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.amount_krw == 2000


def test_organisation_edit_keeps_history(as_user, users):
    from seoul_digital.core.models import AuditLog
    from seoul_digital.governance.models import PositionGrade, Unit

    admin = as_user("admin")
    grade = PositionGrade.objects.get(code="grade4")
    response = admin.post(f"/governance/organisation/position/{grade.pk}/edit/", {
        "name_ko": "4급", "name_en": "Grade 4", "quota": "8", "current": "8",
        "counted_on": "2021-06-30", "sort_order": grade.sort_order})
    assert response.status_code == 302
    grade.refresh_from_db()
    assert grade.current == 8
    entry = AuditLog.objects.get(model="positiongrade", object_id=str(grade.pk))
    assert entry.before == {"current": 7, "counted_on": "2021-02-17"}
    assert entry.after == {"current": 8, "counted_on": "2021-06-30"}
    history = text_of(admin.get("/governance/organisation/history/"))
    assert "4급" in history and "'current': 7" in history
    assert "현원 42명 (정원 45명)" in text_of(admin.get("/governance/organisation/"))

    unit = Unit.objects.get(code="office")
    response = admin.post(f"/governance/organisation/unit/{unit.pk}/edit/", {
        "code": "office", "name_ko": "경영지원실", "name_en": "Management Support Office",
        "kind": "office", "duties_ko": "팀 총괄", "duties_en": "", "active": "on", "sort_order": 0,
        "programmes": []})
    assert response.status_code == 302
    assert "경영지원실" in text_of(admin.get("/governance/report/"))
    # Bad input: a negative quota is refused with a message and nothing changes.
    response = admin.post(f"/governance/organisation/position/{grade.pk}/edit/", {
        "name_ko": "4급", "quota": "-1", "current": "8", "counted_on": "2021-06-30", "sort_order": 0})
    assert response.status_code == 200 and "오류" in text_of(response)
    grade.refresh_from_db()
    assert grade.quota == 8


def test_new_unit(as_user):
    from seoul_digital.core.models import Programme
    from seoul_digital.governance.models import Unit

    admin = as_user("admin")
    response = admin.post("/governance/organisation/units/new/", {
        "code": "audit", "name_ko": "감사팀", "kind": "team", "duties_ko": "자체 감사",
        "active": "on", "sort_order": 9, "programmes": [Programme.objects.get(code="administration").pk]})
    assert response.status_code == 302
    unit = Unit.objects.get(code="audit")
    assert list(unit.programmes.values_list("code", flat=True)) == ["administration"]
    assert "1실 8팀" in text_of(admin.get("/governance/organisation/"))


def test_audit_register_notes_evidence_and_summary(as_user, users):
    from seoul_digital.governance.models import AuditItem

    admin = as_user("admin")
    register = text_of(admin.get("/governance/audit/"))
    assert re.search(r"계 12 7 3 2 0 시정·처리요구 4 1 3 0 0 건의 3 1 0 2 0 기타 5 5 0 0 0", register)
    item = AuditItem.objects.get(audit_year=2020, number=5)
    response = admin.post(f"/governance/audit/{item.pk}/notes/", {
        "date": "2021-05-10", "text": "감사 전담 인력 1명 배치 결정", "status_after": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and str(item.status_date) == "2021-05-10"
    register = text_of(admin.get("/governance/audit/"))
    assert re.search(r"계 12 8 3 1 0 .* 건의 3 2 0 1 0", register)

    response = admin.post(f"/governance/audit/{item.pk}/evidence/", {
        "file": SimpleUploadedFile("결정문.pdf", b"%PDF-1.4 decision"), "description": "인사 발령"})
    assert response.status_code == 302
    evidence = item.evidence.get()
    assert evidence.size == len(b"%PDF-1.4 decision")
    download = as_user("staff").get(f"/governance/audit/evidence/{evidence.pk}/download/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 decision"
    refused = admin.post(f"/governance/audit/{item.pk}/evidence/", {
        "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert refused.status_code == 302 and item.evidence.count() == 1

    detail = text_of(admin.get(f"/governance/audit/{item.pk}/"))
    assert "감사 전담 인력 1명 배치 결정" in detail and "결정문.pdf" in detail
    assert "'status': 'reviewing'" in detail and "'status': 'done'" in detail  # history
    staff_detail = text_of(as_user("staff").get(f"/governance/audit/{item.pk}/"))
    assert "변경 이력은 재단 관리자만" in staff_detail and "진행 기록 추가" not in staff_detail


def test_audit_item_edit(as_user):
    from seoul_digital.governance.models import AuditItem, Unit

    admin = as_user("admin")
    item = AuditItem.objects.get(audit_year=2020, number=2)
    response = admin.post(f"/governance/audit/{item.pk}/edit/", {
        "title": item.title, "kind": item.kind, "summary": item.summary,
        "action_plan": item.action_plan, "owner_unit": Unit.objects.get(code="general_affairs").pk,
        "due_date": "2021-06-30", "status": "in_progress"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner_unit.code == "general_affairs" and str(item.due_date) == "2021-06-30"


def test_adjustments_change_the_current_budget(as_user):
    from seoul_digital.core.models import Programme

    admin = as_user("admin")
    robots, admin_costs = Programme.objects.get(code="robots"), Programme.objects.get(code="administration")
    response = admin.post("/governance/budget/adjustments/?year=2021", {
        "kind": "transfer", "date": "2021-02-10", "programme": robots.pk,
        "source_programme": admin_costs.pk, "amount_thousand_krw": "4600", "reason": "콘텐츠 보완",
        "year": "2021"})
    assert response.status_code == 302
    page = text_of(admin.get("/governance/budget/"))
    assert "로봇 활용 디지털 격차해소 교육 100.0 " in page  # 95.4 + 4.6
    assert "행정운영경비 균등 계획 가정 1,269.6 " in page  # 1,274.24 − 4.6
    # A transfer without a source programme is refused with a message.
    response = admin.post("/governance/budget/adjustments/?year=2021", {
        "kind": "transfer", "date": "2021-02-10", "programme": robots.pk,
        "amount_thousand_krw": "1", "reason": "x", "year": "2021"})
    assert response.status_code == 200 and "전용은 예산을 내어 주는 사업" in text_of(response)
    staff_page = text_of(as_user("staff").get("/governance/budget/adjustments/"))
    assert "콘텐츠 보완" not in staff_page and "새 기록" not in staff_page
    assert "콘텐츠 보완" not in text_of(as_user("edu").get("/governance/budget/adjustments/"))


def test_rejected_rows_can_be_downloaded_to_fix(as_user):
    admin = as_user("admin")
    bad = "집행일,사업,금액,집행내용\n2021-01-05,data,100,ok\n2021-01-06,xx,100,bad\n"
    response = admin.post("/governance/spending/import/?year=2021", {
        "file": SimpleUploadedFile("b.csv", bad.encode()), "mode": "valid", "year": "2021"})
    detail = response["Location"]
    page = text_of(admin.get(detail))
    assert "알 수 없는 사업입니다: 'xx'" in page
    csv_text = admin.get(detail + "rejected.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("3,2021-01-06,xx,100,bad,알 수 없는 사업")
    response = admin.post(detail + "cancel/")
    assert "취소" in text_of(admin.get(detail))


def test_upload_errors_are_shown_on_the_form(as_user):
    admin = as_user("admin")
    response = admin.post("/governance/spending/import/?year=2021", {
        "file": SimpleUploadedFile("x.docx", b"PK"), "mode": "valid", "year": "2021"})
    assert response.status_code == 200
    assert "CSV, TSV, XLSX, XLS 파일만" in text_of(response)


def test_report_downloads(as_user):
    admin = as_user("admin")
    pdf = admin.get("/governance/report/download/pdf/?year=2021")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = admin.get("/governance/report/download/xlsx/?year=2021")
    assert xlsx.content.startswith(b"PK") and "governance-report-2021.xlsx" in xlsx["Content-Disposition"]


def test_english_pages_render(as_user):
    admin = as_user("admin")
    admin.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = admin.get("/governance/report/")
    assert page.status_code == 200
    assert "Data creation, analysis and use" in text_of(page)


def test_rejected_rows_csv_does_not_carry_formulas(as_user):
    admin = as_user("admin")
    bad = "집행일,사업,금액,집행내용\n2021-01-06,=HYPERLINK(\"x\"),-3000,@SUM(A1)\n"
    response = admin.post("/governance/spending/import/?year=2021", {
        "file": SimpleUploadedFile("f.csv", bad.encode()), "mode": "valid", "year": "2021"})
    row = admin.get(response["Location"] + "rejected.csv").content.decode("utf-8-sig").splitlines()[1]
    assert row.startswith("2,2021-01-06,\"'=HYPERLINK(\"\"x\"\")\",-3000,'@SUM(A1),")


@pytest.mark.parametrize("username", ["gwanak", "supporter", "applicant", "evaluator"])
def test_everyone_outside_the_foundation_gets_404(as_user, username):
    client = as_user(username)
    for url in ("/governance/", "/governance/budget/", "/governance/report/",
                "/governance/audit/", "/governance/report/download/pdf/"):
        assert client.get(url).status_code == 404, url
    for url in ("/api/v1/governance/budget/2021", "/api/v1/governance/audit-summary",
                "/api/v1/governance/report/2021"):
        assert client.get(url).status_code == 404, url


def test_staff_without_a_programme_see_no_spending(users, as_user):
    from seoul_digital.core.services import do_create_user
    from seoul_digital.governance import services
    from seoul_digital.governance.models import FiscalYear

    year = FiscalYear.objects.get(year=2021)
    services.do_apply_spending_import(users.admin, services.do_check_spending_file(
        users.admin, year, q1_file(), mode="all"))
    do_create_user(users.admin, username="newcomer", password="x-very-long-pass-1", role="staff")
    from tests.conftest import login_client
    from django.contrib.auth import get_user_model

    client = login_client(get_user_model().objects.get(username="newcomer"))
    assert "0건, 합계 0원" in text_of(client.get("/governance/spending/"))
    assert client.get("/api/v1/governance/budget/2021").json()["programmes"] == []
    assert client.get("/governance/budget/programmes/data/").status_code == 404
