"""Dashboard figures computed from a small, fully known world."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seoul_digital.inclusion import selectors, services
from seoul_digital.inclusion.models import Content, HelpdeskTicket, Learner

pytestmark = pytest.mark.django_db


def test_dashboard_figures(as_user, users, districts, make_supporter, make_learner, answers, today):
    make_supporter(name="김영호", windows="화 오전; 목 오전")
    a = make_learner(name="가나다", windows="화 오전")
    b = make_learner(name="라마바", windows="목 오전")
    make_learner(name="사아자", district=districts.gwanak, windows="화 오전")  # waits
    for learner in (a, b):
        services.do_record_diagnosis(users.edu, learner, kind="pre", answers=answers(0))
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    matches = list(run.matches.order_by("learner__name"))
    assert len(matches) == 2
    for m in matches:
        services.do_confirm_match(users.edu, m)
        services.do_respond_to_match(users.edu, m, accept=True)
    content = Content.objects.first()
    day = today - dt.timedelta(days=1)
    for m, start, satisfaction in ((matches[0], dt.time(9, 0), 5), (matches[1], dt.time(11, 0), 3)):
        lesson = services.do_book_lesson(users.edu, m, date=day, start_time=start)
        services.do_log_lesson(users.edu, lesson, status="held", attendance="attended",
                               contents=[content], satisfaction=satisfaction)
    services.do_record_diagnosis(users.edu, a, kind="post", answers=answers(3))
    services.do_close_match(users.edu, matches[0], reason="completed")
    services.do_close_match(users.edu, matches[1], reason="health", note="입원")
    ticket = services.do_open_ticket(users.edu, category="device", question="글자 크기", learner=a)
    HelpdeskTicket.objects.filter(pk=ticket.pk).update(opened_at=timezone.now() - dt.timedelta(hours=6))
    ticket.refresh_from_db()
    services.do_answer_ticket(users.edu, ticket, answer="안내함", resolve=True)

    d = selectors.dashboard(users.edu)
    assert d["learners"] == 3 and d["matched_learners"] == 2
    assert d["match_rate"] == pytest.approx(2 / 3)
    assert d["waiting"] == 1
    assert d["lessons_held"] == 2 and d["lessons_per_match"] == pytest.approx(1.0)
    assert (d["closed"], d["early_closures"], d["early_share"]) == (2, 1, 0.5)
    assert d["gain"].learners == 1 and d["gain"].mean_gain == 100.0
    assert d["satisfaction_mean"] == pytest.approx(4.0)
    assert d["resolve_hours_median"] == pytest.approx(6.0, abs=0.05)
    assert d["status_counts"][Learner.Status.FINISHED] == 1
    assert d["status_counts"][Learner.Status.WITHDRAWN] == 1
    assert d["travel_km_mean"] == pytest.approx(2.6, abs=0.01)  # same district: 2 km × 1.3
    # A district officer elsewhere counts only their district.
    seocho = selectors.dashboard(users.seocho)
    assert seocho["learners"] == 0 and seocho["match_rate"] is None
    page = as_user("edu").get(reverse("inclusion:dashboard")).content.decode()
    assert "66.7%" in page and "50.0%" in page
    assert 'data-chart="reach"' in page and 'id="data-status"' in page


def test_other_staff_see_no_personal_figures(as_user, make_learner):
    make_learner()
    from seoul_digital.core.models import User

    d = selectors.dashboard(User.objects.get(username="staff"))
    assert d["learners"] == 0
    assert as_user("staff").get(reverse("inclusion:dashboard")).status_code == 200
