"""The demo loader sets up the walk-through of issue 7 and is safe to run twice."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_story_is_in_place_and_idempotent(users, as_user):
    from django.urls import reverse
    from django.utils import timezone

    from seoul_digital.inclusion import demo, selectors
    from seoul_digital.inclusion.models import Learner, Match, Robot, Supporter

    lines = list(demo.load())
    assert any(line.startswith("robots: 200") for line in lines)
    assert list(demo.load()) == ["already loaded"]
    assert Robot.objects.count() == 200
    assert sorted(set(Robot.objects.values_list("district__code", flat=True))) == [
        "11260", "11470", "11620", "11680", "11740"]
    mine = Supporter.objects.get(user=users.supporter)
    # The supporter has a request to answer, learners in lessons and this month's hours.
    assert Match.objects.filter(supporter=mine, status=Match.Status.CONFIRMED).count() == 1
    assert Match.objects.filter(supporter=mine, status=Match.Status.ACCEPTED).exists()
    today = timezone.localdate()
    statement = selectors.statement_for(users.supporter, mine, today.year, today.month)
    assert statement.used_minutes > 0
    # Waiting learners carry a reason; robot classes roll up.
    waiting = Learner.objects.filter(status=Learner.Status.WAITING)
    assert waiting.exists() and all(l.waiting_reason for l in waiting)
    assert selectors.robot_rollup(users.edu)["total"] > 0
    for name in ("inclusion:index", "inclusion:dashboard", "inclusion:rollup", "inclusion:match_list"):
        assert as_user("edu").get(reverse(name)).status_code == 200
    assert as_user("supporter").get(reverse("inclusion:my_home")).status_code == 200
