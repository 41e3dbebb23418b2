"""In Chromium: an admin uploads a quarter's spending, imports it and sees the alerts; the
pages with parameters pass axe-core (the sweep in tests/e2e covers the others)."""

from __future__ import annotations

import pytest

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_admin_imports_a_quarter_and_sees_alerts(browser_page, tmp_path):
    from seoul_digital.governance.demo import demo_csv
    from seoul_digital.governance.models import AuditItem

    page = browser_page
    path = tmp_path / "q1.csv"
    path.write_bytes(demo_csv())
    page.login("admin")
    page.goto("/governance/spending/import/")
    page.set_input_files("#id_file", str(path))
    page.check("input[name=mode][value=all]")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "전체 25행 중 올바른 행 25, 거부 0" in page.inner_text("main")
    axe_check(page)
    page.click("form[action$='/apply/'] button[type=submit]")
    page.wait_for_load_state()
    assert "25행을 가져왔습니다" in page.inner_text("main")

    page.goto("/governance/budget/")
    alerts = page.inner_text("#alerts-heading + ul")
    assert "데이터 창출, 분석 및 활용 확산" in alerts and "서울 스마트시티센터 운영" in alerts
    assert page.locator("#plan-actual-chart").is_visible()
    axe_check(page)

    page.click("#alerts-heading + ul a >> nth=0")
    page.wait_for_load_state()
    assert "−14.4%p" in page.inner_text("#quarter-table")
    axe_check(page)

    item = AuditItem.objects.get(audit_year=2020, number=1)
    page.goto(f"/governance/audit/{item.pk}/")
    page.fill("#id_date", "2021-04-30")
    page.fill("#id_text", "상반기 결산 계획 보고")
    page.select_option("#id_status_after", "done")
    page.click("form[action$='/notes/'] button[type=submit]")
    page.wait_for_load_state()
    assert "상반기 결산 계획 보고" in page.inner_text("main")
    axe_check(page)
    page.goto("/governance/audit/")
    first_row = page.locator("#audit-summary tbody tr").first.locator("td").all_inner_texts()
    assert first_row == ["12", "8", "2", "2", "0"]
