import datetime as dt

import pytest

from seoul_digital.inclusion.engine import ledger as g

DAY = dt.date(2021, 6, 8)


def session(id, day=DAY, start="10:00", minutes=90, **kw):
    return g.Session(id=id, day=day, start=dt.time.fromisoformat(start), minutes=minutes, **kw)


def codes(problems):
    return [p.code for p in problems]


def test_clean_booking_has_no_problems():
    assert g.check_booking(session("new", start="13:00"), [session(1)], [session(2, start="15:00")]) == []


def test_overlapping_bookings_are_refused_for_supporter_and_learner():
    new = session("new", start="11:00")
    problems = g.check_booking(new, [session(1, start="10:00")], [session(2, start="12:00")])
    assert codes(problems) == ["supporter_overlap", "learner_overlap"]
    assert problems[0].params["other"] == "2021-06-08 10:00-11:30"
    # Back to back is fine; cancelled sessions do not block.
    assert g.check_booking(session("new", start="11:30"), [session(1)]) == []
    assert g.check_booking(new, [session(1, status=g.CANCELLED)]) == []


def test_rebooking_itself_is_not_an_overlap():
    assert g.check_booking(session(1, start="10:30"), [session(1)]) == []


def test_monthly_cap_blocks_overtime_at_booking():
    rule = g.FeeRule()
    booked = [session(i, day=dt.date(2021, 6, 1 + i)) for i in range(13)]  # 13 × 90 = 1170
    assert g.check_booking(session("ok", day=dt.date(2021, 6, 20)), booked, rule=rule) == []
    booked.append(session(99, day=dt.date(2021, 6, 21)))                   # 1260 = the cap
    problems = g.check_booking(session("over", day=dt.date(2021, 6, 22), minutes=60), booked)
    assert codes(problems) == ["over_cap"]
    assert problems[0].params == {"used": 1260, "new": 60, "cap": 1260, "over": 60,
                                  "month": "2021-06"}
    # Another month has its own cap; cancelled sessions give their hours back.
    assert g.check_booking(session("july", day=dt.date(2021, 7, 1)), booked) == []
    booked[0] = session(0, day=dt.date(2021, 6, 1), status=g.CANCELLED)
    assert g.check_booking(session("over", day=dt.date(2021, 6, 22), minutes=60), booked) == []


def test_bad_minutes():
    assert codes(g.check_booking(session("x", minutes=0), [])) == ["bad_minutes"]


def test_statement_pays_held_sessions_only():
    sessions = [
        session(1, day=dt.date(2021, 6, 1), status=g.HELD, attendance=g.ATTENDED),
        session(2, day=dt.date(2021, 6, 2), status=g.HELD, attendance=g.LATE),
        session(3, day=dt.date(2021, 6, 3), status=g.HELD, attendance=g.NO_SHOW),
        session(4, day=dt.date(2021, 6, 4), status=g.HELD, attendance=g.ATTENDED, minutes=45),
        session(5, day=dt.date(2021, 6, 5), status=g.CANCELLED),
        session(6, day=dt.date(2021, 6, 28), status=g.PLANNED),
        session(7, day=dt.date(2021, 7, 1), status=g.HELD, attendance=g.ATTENDED),
    ]
    s = g.monthly_statement(sessions, 2021, 6)
    assert [line.note for line in s.lines] == ["", "", "no_show", "short", "cancelled", "planned"]
    assert s.paid_sessions == 2 and s.fee == 66_000
    assert s.held_sessions == 4 and s.held_minutes == 90 * 3 + 45
    assert s.planned_minutes == 90 and s.used_minutes == 405
    assert s.remaining_minutes == 1260 - 405
    assert s.utilisation == pytest.approx(315 / 1260)
    generous = g.monthly_statement(sessions, 2021, 6, g.FeeRule(rate_per_session=40_000, pay_no_show=True))
    assert generous.paid_sessions == 3 and generous.fee == 120_000


def test_full_month_at_the_cap_is_fourteen_sessions():
    sessions = [session(i, day=dt.date(2021, 6, 1 + i), status=g.HELD, attendance=g.ATTENDED)
                for i in range(14)]
    s = g.monthly_statement(sessions, 2021, 6)
    assert s.held_minutes == 1260 and s.fee == 14 * 33_000 and s.remaining_minutes == 0
