"""The Data Supporters' workflow in a browser: a supporter uploads a version, the check runs
as a job, they record a decision on every finding and ask for approval; the reviewer
(foundation staff) approves; the readiness page shows it. axe-core on every page."""

from __future__ import annotations

import pytest

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CSV = ("관리번호,인허가일자,영업상태명,폐업일자,전화번호\n"
       "A1,20200101,영업/정상,,02-123-4567\n"
       "A2,2020-02-30,폐업,,021234567\n"
       "A3,2021-03-01,폐업,99991231,02-555-1234\n")


def test_supporter_reviews_and_reviewer_approves(browser_page, users, districts, tmp_path):
    from seoul_digital.quality import services
    from seoul_digital.quality.models import DatasetVersion

    dataset = services.do_create_dataset(users.admin, name="강남구 가상 인허가", provider="강남구",
                                         district=districts.gangnam)
    services.do_assign(users.admin, dataset, users.supporter)
    hidden = services.do_create_dataset(users.admin, name="배정 안 된 데이터셋", provider="서울특별시")
    upload = tmp_path / "licences.csv"
    upload.write_bytes(CSV.encode("cp949"))

    page = browser_page
    page.login("supporter")
    page.goto("/quality/")
    assert page.get_by_role("link", name=dataset.name).count() == 1
    assert page.get_by_text(hidden.name).count() == 0  # not assigned: not shown
    axe_check(page)
    page.get_by_role("link", name=dataset.name).click()
    page.get_by_role("link", name="새 버전 올리기").click()
    axe_check(page)
    page.set_input_files("input[type=file]", str(upload))
    page.fill("textarea[name=note]", "첫 판")
    page.get_by_role("button", name="올리고 검사하기").click()
    page.wait_for_load_state()
    if page.get_by_role("link", name="결과 새로 보기").count():
        page.get_by_role("link", name="결과 새로 보기").click()
    assert "검사 결과" in page.locator("h1").inner_text()
    assert page.get_by_text("날짜 대신 임의값(99991231 등)").count() >= 1
    axe_check(page)
    version = DatasetVersion.objects.get(dataset=dataset)
    assert version.state == DatasetVersion.State.CHECKED

    # a decision on every finding still pending
    while page.locator("form.review-form").count():
        pending = [i for i in range(page.locator("form.review-form").count())
                   if page.locator("form.review-form").nth(i).locator("xpath=..").inner_text()
                   .startswith("검토 전")]
        if not pending:
            break
        form = page.locator("form.review-form").nth(pending[0])
        form.locator("select").select_option("owner")
        form.locator("input[type=text]").fill("제공 기관 확인 요청")
        form.get_by_role("button", name="기록").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="검토자에게 승인 요청").click()
    page.wait_for_load_state()
    assert page.get_by_text("검토자에게 승인을 요청했습니다.").count() == 1
    version.refresh_from_db()
    assert version.state == DatasetVersion.State.SUBMITTED

    page.locator(".user-menu summary").click()
    page.locator("#logout-button").click()
    page.login("staff")
    page.goto(f"/quality/versions/{version.pk}/")
    axe_check(page)
    page.get_by_role("radio", name="승인").check()
    page.fill("textarea[name=comment]", "확인함")
    page.get_by_role("button", name="결정 기록").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    assert version.state == DatasetVersion.State.APPROVED
    page.goto(f"/quality/datasets/{dataset.pk}/readiness/")
    row = page.locator("tr", has_text="검토자 승인")
    assert "충족" in row.inner_text() and "미충족" not in row.inner_text()
    axe_check(page)
