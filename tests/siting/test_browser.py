"""The siting pages in a real browser: the map draws its layers offline, axe finds nothing
serious, and the form works with the keyboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def finished_run(reference_data, users, synth_dir, settings, tmp_path):
    from seoul_digital.core.models import District
    from seoul_digital.core.services import do_create
    from seoul_digital.siting import jobs
    from seoul_digital.siting.models import SitingRun

    settings.SITING_DATA_DIR = str(synth_dir)
    settings.MEDIA_ROOT = tmp_path / "media"
    district = District.objects.get(code="11680")
    run = do_create(users.gangnam, SitingRun, district=district, created_by=users.gangnam,
                    title="브라우저 시험", mode="count", parameters={"count": 5, "radius": 50.0})
    jobs.run_siting(None, lambda *a, **k: None, run_id=run.pk)
    run.refresh_from_db()
    assert run.state == "succeeded", run.error
    return run


def test_run_page_draws_the_map_and_passes_axe(browser_page, finished_run):
    page = browser_page
    page.login("gangnam")
    page.goto(reverse("siting:run_detail", kwargs={"pk": finished_run.pk}))
    page.wait_for_selector(".site-label")  # numbered recommended sites on the map
    assert page.locator(".site-label").count() == 5
    assert page.locator(".leaflet-control-layers").is_visible()
    assert page.locator(".map-legend").inner_text().count("–") >= 5
    assert page.locator("table.data-table tbody tr").count() == 5
    assert page.locator("#curve-chart").is_visible()
    axe_check(page)


def test_district_form_and_manual_pass_axe(browser_page, finished_run):
    page = browser_page
    page.login("gangnam")
    page.goto(reverse("siting:district", kwargs={"code": "11680"}))
    page.get_by_label("개수 지정").check()
    page.get_by_label("설치 개소 수").fill("2")
    axe_check(page)
    page.keyboard.press("Tab")
    page.get_by_role("button", name="분석 시작").click()
    page.wait_for_selector(".site-label")
    assert "브라우저 시험" not in page.title()
    page.goto(reverse("siting:manual"))
    axe_check(page)
    page.goto(reverse("siting:weights", kwargs={"code": "11680"}))
    axe_check(page)
