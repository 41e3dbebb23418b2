"""The officer's review in a real browser: the player plays and seeks, a decision saves
without a page reload, and the sewer pages pass axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def screened(users, districts, tmp_path):
    from django.core.files import File

    from seoul_digital.common.progress import null_progress
    from seoul_digital.sewer import services
    from seoul_digital.sewer.engine.screening import probe_video
    from seoul_digital.sewer.engine.synth import generate_video
    from seoul_digital.sewer.jobs import run_screening

    report = generate_video(tmp_path / "b.mp4", seed=41, length_m=4.0, fps=15.0, defects=2,
                            width=480, height=320)
    inspection = services.do_create_inspection(
        users.gangnam, district=districts.gangnam, pipe_id="GN-B-1", upstream_manhole="MH-1",
        downstream_manhole="MH-2", diameter_mm=600, material="concrete", length_m=4,
        inspected_on=dt.date(2021, 6, 1), contractor="테스트")
    with open(report.path, "rb") as handle:
        inspection.video.save("b.mp4", File(handle), save=False)
    info = probe_video(report.path)
    inspection.video_info = {"duration_s": info.duration_s, "fps": info.fps}
    inspection.save()
    run_screening(inspection, null_progress)
    inspection.refresh_from_db()
    assert inspection.findings.exists(), "the shipped model flags nothing in this clip"
    return inspection


def test_review_in_the_browser(browser_page, screened):
    page = browser_page
    page.login("gangnam")
    page.goto(reverse("sewer:inspection_review", kwargs={"pk": screened.pk}))
    page.wait_for_function("document.getElementById('inspection-video').readyState >= 1")
    axe_check(page)
    finding = screened.findings.order_by("start_s").last()
    page.click(f".timeline button[data-jump='{finding.start_s}']")
    page.wait_for_function(f"Math.abs(document.getElementById('inspection-video').currentTime - {finding.start_s}) < 1")
    card = page.locator(f"#finding-{finding.pk}")
    card.locator("select[name$='-decision']").select_option("rejected")
    card.locator("button[type=submit]").click()
    page.wait_for_selector(f"#finding-{finding.pk} .message-success")
    finding.refresh_from_db()
    assert finding.decision == "rejected"
    for route in ("sewer:index", "sewer:dashboard", "sewer:registry"):
        page.goto(reverse(route))
        axe_check(page)
    page.goto(reverse("sewer:inspection_detail", kwargs={"pk": screened.pk}))
    axe_check(page)
