"""The issue's "Done when" walked in a real browser, with axe on every page:
the helpdesk registers a senior by phone, diagnoses, matches and confirms; the supporter
accepts, books and logs a lesson, assigns robot repetition and downloads the statement;
robot classes roll up by district.

Runs headless Chromium (/usr/bin/chromium) through Playwright; skipped when either is
missing unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "seoul-demo-2021"


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} missing (REQUIRE_BROWSER=1)")
        pytest.skip(f"{CHROMIUM} missing")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Walk:
    def __init__(self, browser, base):
        from axe_playwright_python.sync_playwright import Axe

        self.context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.base = base
        self.axe = Axe()
        self.checked = []

    def go(self, path):
        self.page.goto(self.base + path)
        self.check()

    def check(self):
        self.page.wait_for_load_state()
        result = self.axe.run(self.page)
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                   for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{self.page.url}: {serious}"
        self.checked.append(self.page.url)

    def submit(self, selector="main form button[type=submit].primary"):
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check()

    def login(self, username):
        self.context.clear_cookies()
        self.page.goto(self.base + "/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")


def test_done_when_story(browser, live_server, users, districts):
    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.engine.schedule import parse_windows
    from seoul_digital.inclusion.models import Facility, Learner, Lesson, Match, Robot, Supporter

    for username in ("edu", "supporter"):
        user = getattr(users, username)
        user.set_password(PASSWORD)
        user.save()
    record = services.do_apply_supporter(
        users.edu, name="김영호", phone="010-7000-0001", birth_date=dt.date(1958, 1, 1),
        home_district=districts.gangnam, devices=["android", "ios"],
        levels=["basic", "daily", "advanced"], windows=parse_windows("화 오전; 목 오전"))
    Supporter.objects.filter(pk=record.pk).update(stage="active", user=users.supporter,
                                                  training_completed_on=dt.date(2021, 3, 31))
    facility = Facility.objects.create(name="역삼1동 주민센터", district=districts.gangnam,
                                       kind="community")
    robot = Robot.objects.create(serial="RB-GN-001", district=districts.gangnam, facility=facility)
    yesterday = dt.date.today() - dt.timedelta(days=1)

    walk = Walk(browser, live_server.url)
    page = walk.page

    # 1. The helpdesk registers a senior by phone; a malformed number is refused first.
    walk.login("edu")
    walk.go("/inclusion/")
    page.click("a[href='/inclusion/learners/new/']")
    walk.check()
    page.fill("#id_name", "홍길순")
    page.fill("#id_phone", "010-1234-567")
    page.fill("#id_birth_date", "1948-05-05")
    page.select_option("#id_district", str(districts.gangnam.pk))
    page.fill("#id_address_area", "역삼1동")
    page.check("#id_device_0")
    page.check("#id_slots_1_am")
    page.check("#id_consent")
    walk.submit()
    assert "11자리" in page.content() and Learner.objects.count() == 0
    page.fill("#id_phone", "010-1234-5678")
    page.check("#id_consent")
    walk.submit()
    learner = Learner.objects.get()

    # 2. Diagnosis: one answer per statement ("with help").
    assert f"/inclusion/learners/{learner.pk}/diagnosis/" in page.url
    for radio in page.query_selector_all("input[type=radio][value='1']"):
        radio.check()
    walk.submit()
    assert "진단 결과" in page.content()

    # 3. Matching run and staff confirmation.
    page.click("a[href='/inclusion/runs/new/']")
    walk.check()
    walk.submit()
    assert "/inclusion/runs/" in page.url and "같은 자치구" in page.content()
    walk.submit("main form[action$='/confirm/'] button")
    match = Match.objects.get()
    assert match.status == "confirmed"

    # 4. The supporter accepts, books yesterday's lesson, logs it, assigns repetition.
    walk.login("supporter")
    walk.go("/inclusion/me/")
    page.click(f"a[href='/inclusion/matches/{match.pk}/respond/']")
    walk.check()
    page.check("input[name=answer][value=accept]")
    walk.submit()
    page.click(f"a[href='/inclusion/matches/{match.pk}/lessons/new/']")
    walk.check()
    page.fill("#id_date", yesterday.isoformat())
    page.fill("#id_start_time", "10:00")
    page.select_option("#id_place_type", "community")
    walk.submit()
    lesson = Lesson.objects.get()
    page.click(f"a[href='/inclusion/lessons/{lesson.pk}/log/']")
    walk.check()
    page.check("input[name=status][value=held]")
    page.check("input[name=attendance][value=attended]")
    page.check("input[name=contents] >> nth=0")
    walk.submit()
    assert "/repetition/" in page.url
    page.check("input[name=mode][value=robot]")
    walk.submit()
    lesson.refresh_from_db()
    assert lesson.status == "held" and learner.repetitions.count() == 1

    # 5. The month's statement, on screen and as XLSX.
    walk.go(f"/inclusion/supporters/{record.pk}/statement/{yesterday.year}/{yesterday.month}/")
    assert "33,000원" in page.content()
    with page.expect_download() as download:
        page.click("a[href$='.xlsx']")
    assert download.value.suggested_filename.endswith(".xlsx")

    # 6. A robot class is recorded and rolls up by district.
    walk.login("edu")
    walk.go(f"/inclusion/robot-classes/new/?district={districts.gangnam.pk}")
    page.select_option("#id_facility", str(facility.pk))
    page.fill("#id_date", yesterday.isoformat())
    page.select_option("#id_programme", "voice_phishing")
    page.check("input[name=learner_type][value=senior]")
    page.select_option("#id_robots", [str(robot.pk)])
    page.fill("#id_attendance", "18")
    walk.submit()
    walk.go("/inclusion/robot-classes/rollup/")
    assert "18명 / 목표 4,000명" in page.content()
    for path in ("/inclusion/dashboard/", f"/inclusion/learners/{learner.pk}/",
                 f"/inclusion/learners/{learner.pk}/card/", "/inclusion/contents/"):
        walk.go(path)
    assert len(walk.checked) >= 15
