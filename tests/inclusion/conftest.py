"""Fixtures for the inclusion app tests: a small 강남구 world built through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from seoul_digital.inclusion.engine.schedule import parse_windows


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def make_supporter(users, districts, today):
    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.models import Supporter

    counter = iter(range(1, 1000))

    def make(name="김영호", district=None, windows="화 오전; 목 오전", user=None, active=True,
             levels=("basic", "daily", "advanced"), devices=("android", "ios"), **extra):
        n = next(counter)
        s = services.do_apply_supporter(
            users.edu, name=name, phone=f"010-7100-{n:04d}", birth_date=dt.date(1958, 1, 1),
            home_district=district or districts.gangnam, devices=list(devices),
            levels=list(levels), windows=parse_windows(windows), **extra)
        if active:
            Supporter.objects.filter(pk=s.pk).update(stage=Supporter.Stage.ACTIVE, user=user,
                                                     training_completed_on=today)
            s.refresh_from_db()
        return s

    return make


@pytest.fixture
def make_learner(users, districts):
    from seoul_digital.inclusion import services

    counter = iter(range(1, 1000))

    def make(name="이순자", district=None, windows="화 오전", by=None, **extra):
        n = next(counter)
        extra.setdefault("consent", True)
        return services.do_register_learner(
            by or users.edu, name=name, phone=extra.pop("phone", f"010-5100-{n:04d}"),
            birth_date=extra.pop("birth_date", dt.date(1948, 5, 5)),
            district=district or districts.gangnam, address_area="역삼1동",
            windows=parse_windows(windows), **extra)

    return make


@pytest.fixture
def answers():
    from seoul_digital.inclusion.engine.diagnosis import QUESTIONNAIRE_V1

    def make(value=0, **by_skill):
        return {q.code: by_skill.get(s.code, value) for s in QUESTIONNAIRE_V1.skills
                for q in s.questions}

    return make


@pytest.fixture
def matched(users, make_supporter, make_learner, today):
    """A learner matched (accepted) with the demo ``supporter`` user's record."""
    from seoul_digital.inclusion import services

    supporter = make_supporter(user=users.supporter)
    learner = make_learner()
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    match = run.matches.get()
    services.do_confirm_match(users.edu, match)
    services.do_respond_to_match(users.supporter, match, accept=True)
    match.refresh_from_db()
    learner.refresh_from_db()
    return SimpleNamespace(supporter=supporter, learner=learner, match=match, run=run)


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)
