"""The issue's "Done when" walked in a real browser, with axe on every page:
the helpdesk registers a senior by phone, diagnoses, matches and confirms; the supporter
accepts, books and logs a lesson, assigns robot repetition and downloads the statement;
robot classes roll up by district.

Uses the shared ``browser_page`` fixture (Chromium via Playwright, Korean locale) and
``axe_check`` from tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


class Walk:
    def __init__(self, page):
        self.page = page
        self.checked = []

    def go(self, path):
        self.page.goto(path)
        self.check()

    def check(self):
        self.page.wait_for_load_state()
        axe_check(self.page)
        self.checked.append(self.page.url)

    def submit(self, selector="main form button[type=submit].primary"):
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check()

    def login(self, username):
        self.page.context.clear_cookies()
        self.page.login(username)


def test_done_when_story(browser_page, users, districts):
    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.engine.schedule import parse_windows
    from seoul_digital.inclusion.models import Facility, Learner, Lesson, Match, Robot, Supporter

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

    walk = Walk(browser_page)
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
