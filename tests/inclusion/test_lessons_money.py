"""Lessons: booking checks (overlap, monthly cap), logging, repetition; statements and fees."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seoul_digital.core.models import AuditLog
from seoul_digital.inclusion import selectors, services
from seoul_digital.inclusion.models import Content, FeeSchedule, Lesson, Repetition

pytestmark = pytest.mark.django_db


def month_days(today, n):
    """n distinct dates of the current month (past and future alike)."""
    first = today.replace(day=1)
    return [first + dt.timedelta(days=i) for i in range(n)]


def test_book_and_log_a_lesson_as_the_supporter(as_user, matched, today):
    client = as_user("supporter")
    day = today - dt.timedelta(days=1)
    response = client.post(reverse("inclusion:lesson_book", args=[matched.match.pk]),
                           {"date": day.isoformat(), "start_time": "10:00", "minutes": "90",
                            "place_type": "community", "place_note": "역삼1동 주민센터"})
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.status == Lesson.Status.PLANNED and lesson.created_by.username == "supporter"
    contents = list(Content.objects.filter(code__in=["B09", "B10"]))
    response = client.post(reverse("inclusion:lesson_log", args=[lesson.pk]), {
        "status": "held", "attendance": "attended", "minutes": "90",
        "contents": [c.pk for c in contents], "notes": "사진 보내기 연습", "satisfaction": "5"})
    # After a held lesson the supporter is taken to assign repetition.
    assert response.status_code == 302
    assert reverse("inclusion:repetition_assign", args=[matched.learner.pk]) in response["Location"]
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.HELD and lesson.satisfaction == 5
    assert sorted(lesson.contents.values_list("code", flat=True)) == ["B09", "B10"]
    assert AuditLog.objects.filter(model="lesson", after__contents=["B09", "B10"]).exists()
    response = client.post(
        reverse("inclusion:repetition_assign", args=[matched.learner.pk]) + f"?lesson={lesson.pk}",
        {"content": contents[0].pk, "mode": "robot", "lesson": lesson.pk})
    assert response.status_code == 302
    repetition = Repetition.objects.get()
    assert repetition.lesson == lesson and repetition.mode == "robot"


def test_overlapping_bookings_are_refused_for_supporter_and_learner(users, matched, make_learner,
                                                                   today):
    day = today + dt.timedelta(days=3)
    services.do_book_lesson(users.edu, matched.match, date=day, start_time=dt.time(10, 0))
    with pytest.raises(ValidationError) as err:
        services.do_book_lesson(users.edu, matched.match, date=day, start_time=dt.time(11, 0))
    text = " ".join(err.value.messages)
    assert "지원단이 그 시간에 다른 수업이 있습니다" in text
    assert "교육생이 그 시간에 다른 수업이 있습니다" in text
    assert Lesson.objects.count() == 1
    # Back to back is fine.
    services.do_book_lesson(users.edu, matched.match, date=day, start_time=dt.time(11, 30))


def test_overlap_message_through_the_page(as_user, users, matched, today):
    day = today + dt.timedelta(days=3)
    services.do_book_lesson(users.edu, matched.match, date=day, start_time=dt.time(10, 0))
    response = as_user("supporter").post(
        reverse("inclusion:lesson_book", args=[matched.match.pk]),
        {"date": day.isoformat(), "start_time": "10:30", "minutes": "90", "place_type": "home"})
    assert response.status_code == 400
    assert "다른 수업이 있습니다" in response.content.decode()
    assert Lesson.objects.count() == 1


def test_supporter_past_the_monthly_cap_is_blocked_at_booking(users, matched, today):
    for day in month_days(today, 14):   # 14 × 90 = 1260 minutes = the cap
        services.do_book_lesson(users.edu, matched.match, date=day, start_time=dt.time(7, 0))
    last_day = month_days(today, 15)[-1]
    with pytest.raises(ValidationError) as err:
        services.do_book_lesson(users.edu, matched.match, date=last_day, start_time=dt.time(7, 0),
                                minutes=30)
    message = " ".join(err.value.messages)
    assert "1290분" in message and "월 한도 1260분" in message and "30분 넘습니다" in message
    assert Lesson.objects.count() == 14
    # A cancelled lesson gives its hours back.
    services.do_cancel_lesson(users.edu, Lesson.objects.filter(date__gte=today).first()
                              or Lesson.objects.last())
    services.do_book_lesson(users.edu, matched.match, date=last_day, start_time=dt.time(7, 0),
                            minutes=30)


def test_logging_longer_than_booked_cannot_pass_the_cap(users, matched, today):
    days = month_days(today, 14)
    lessons = [services.do_book_lesson(users.edu, matched.match, date=d, start_time=dt.time(7, 0))
               for d in days]
    past = next(l for l in lessons if l.date <= today)
    content = Content.objects.first()
    with pytest.raises(ValidationError, match="월 한도"):
        services.do_log_lesson(users.edu, past, status="held", attendance="attended", minutes=120,
                               contents=[content])
    past.refresh_from_db()
    assert past.status == Lesson.Status.PLANNED and past.minutes == 90


def test_log_checks(users, matched, today):
    future = services.do_book_lesson(users.edu, matched.match, date=today + dt.timedelta(days=2),
                                     start_time=dt.time(10, 0))
    with pytest.raises(ValidationError, match="아직 오지 않은 날"):
        services.do_log_lesson(users.edu, future, status="held", attendance="attended",
                               contents=[Content.objects.first()])
    past = services.do_book_lesson(users.edu, matched.match, date=today - dt.timedelta(days=2),
                                   start_time=dt.time(10, 0))
    with pytest.raises(ValidationError, match="콘텐츠"):
        services.do_log_lesson(users.edu, past, status="held", attendance="attended")
    with pytest.raises(ValidationError, match="출석"):
        services.do_log_lesson(users.edu, past, status="held", attendance="",
                               contents=[Content.objects.first()])


def test_robot_repetition_needs_a_robot_content(users, matched, today):
    online_only = Content.objects.filter(robot=False).first()
    with pytest.raises(ValidationError, match="로봇에 실려 있지 않습니다"):
        services.do_assign_repetition(users.edu, matched.learner, content=online_only, mode="robot")
    rep = services.do_assign_repetition(users.edu, matched.learner, content=online_only,
                                        mode="online")
    services.do_finish_repetition(users.edu, rep, done=True)
    rep.refresh_from_db()
    assert rep.status == Repetition.Status.DONE and rep.done_at


def _held(users, match, day, minutes=90, attendance="attended"):
    lesson = services.do_book_lesson(users.edu, match, date=day, start_time=dt.time(10, 0),
                                     minutes=minutes)
    services.do_log_lesson(users.edu, lesson, status="held", attendance=attendance, minutes=minutes,
                           contents=[Content.objects.first()])
    return lesson


def test_statement_counts_hours_and_fees_and_exports_xlsx(as_user, users, matched, today):
    from openpyxl import load_workbook

    first = today.replace(day=1)
    if today.day < 4:
        pytest.skip("needs three past days in the month")
    _held(users, matched.match, first)
    _held(users, matched.match, first + dt.timedelta(days=1), attendance="no_show")
    _held(users, matched.match, first + dt.timedelta(days=2), minutes=45)
    services.do_book_lesson(users.edu, matched.match, date=today + dt.timedelta(days=1),
                            start_time=dt.time(10, 0))
    s = selectors.statement_for(users.edu, matched.supporter, today.year, today.month)
    assert (s.held_sessions, s.paid_sessions, s.fee) == (3, 1, 33_000)
    assert s.held_minutes == 225 and s.planned_minutes == 90 and s.remaining_minutes == 1260 - 315
    page = as_user("supporter").get(reverse("inclusion:statement", args=[
        matched.supporter.pk, today.year, today.month])).content.decode()
    assert "33,000원" in page and "불참(미지급)" in page and "시간 미달(미지급)" in page
    response = as_user("supporter").get(reverse("inclusion:statement_xlsx", args=[
        matched.supporter.pk, today.year, today.month]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["활동비 합계(원)", 33000] in [r[:2] for r in rows]
    assert ["진행한 시간(분)", 225] in [r[:2] for r in rows]
    learner_cells = [r[3] for r in rows[5:9]]
    assert all("*" in str(v) for v in learner_cells if v)  # names masked in the export
    assert AuditLog.objects.filter(action="export", model="supporter").exists()


def test_fee_rate_is_configurable_from_a_date(as_user, users, matched, today):
    first = today.replace(day=1)
    if today.day < 2:
        pytest.skip("needs a past day in the month")
    _held(users, matched.match, first)
    response = as_user("edu").post(reverse("inclusion:fee_list"), {
        "effective_from": first.isoformat(), "rate_per_session": "40000", "session_minutes": "90",
        "monthly_cap_minutes": "1260", "min_paid_minutes": "60", "sessions_per_learner_month": "2"})
    assert response.status_code == 302
    assert FeeSchedule.for_day(today).rate_per_session == 40_000
    s = selectors.statement_for(users.edu, matched.supporter, today.year, today.month)
    assert s.fee == 40_000
    again = as_user("edu").post(reverse("inclusion:fee_list"), {
        "effective_from": first.isoformat(), "rate_per_session": "1", "session_minutes": "90",
        "monthly_cap_minutes": "1260", "min_paid_minutes": "60", "sessions_per_learner_month": "2"})
    assert again.status_code == 400 and "이미 있습니다" in again.content.decode()


def test_supporters_see_only_their_own_schedule(as_user, users, matched, make_supporter,
                                               make_learner, today):
    other = make_supporter(name="박민수", windows="목 오전")
    make_learner(windows="목 오전")
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    theirs = run.matches.get()
    assert theirs.supporter == other
    services.do_confirm_match(users.edu, theirs)
    services.do_respond_to_match(users.edu, theirs, accept=True)
    mine = services.do_book_lesson(users.edu, matched.match, date=today + dt.timedelta(days=1),
                                   start_time=dt.time(9, 0))
    not_mine = services.do_book_lesson(users.edu, theirs, date=today + dt.timedelta(days=1),
                                       start_time=dt.time(9, 0))
    client = as_user("supporter")
    assert set(selectors.lessons_for(users.supporter)) == {mine}
    assert client.get(reverse("inclusion:lesson_log", args=[not_mine.pk])).status_code == 404
    assert client.get(reverse("inclusion:statement", args=[other.pk, today.year, today.month])).status_code == 404
    assert client.post(reverse("inclusion:lesson_cancel", args=[not_mine.pk])).status_code == 404


def test_cli_statement_writes_the_same_xlsx(users, matched, today, tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from seoul_digital.inclusion.cli import group

    if today.day < 2:
        pytest.skip("needs a past day in the month")
    _held(users, matched.match, today.replace(day=1))
    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(group, ["statement", "--supporter", str(matched.supporter.pk),
                                        "--month", f"{today.year}-{today.month:02d}",
                                        "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]
    assert ["활동비 합계(원)", 33000] in [r[:2] for r in rows]
    bad = CliRunner().invoke(group, ["statement", "--supporter", "999999", "--month", "2021-06",
                                     "--out", str(out)])
    assert bad.exit_code != 0 and "no supporter with id 999999" in bad.output
