"""restrict(user, action): the one rule for who sees and changes what."""

import pytest
from django.http import Http404

from seoul_digital.core.jobs import start_job
from seoul_digital.core.models import AuditLog, Job, User
from seoul_digital.core.scoping import Scope, can, get_restricted_or_404, restrict


@pytest.fixture
def jobs(users, districts):
    made = {}
    for name, user in (("gangnam", users.gangnam), ("seocho", users.seocho)):
        made[name] = start_job(user, "tests.core.jobfuncs.count_to", title=f"{name} job",
                               district=user.district, n=2)
    made["supporter"] = start_job(users.supporter, "tests.core.jobfuncs.count_to",
                                  title="supporter job", n=1)
    return made


@pytest.mark.django_db
def test_foundation_sees_every_district(users, jobs):
    for who in (users.admin, users.staff):
        assert set(Job.objects.restrict(who, "view")) == set(jobs.values())


@pytest.mark.django_db
def test_officer_sees_only_own_district(users, jobs):
    assert list(Job.objects.restrict(users.gangnam, "view")) == [jobs["gangnam"]]
    assert list(Job.objects.restrict(users.seocho, "view")) == [jobs["seocho"]]


@pytest.mark.django_db
def test_other_roles_see_only_their_own(users, jobs):
    assert list(Job.objects.restrict(users.supporter, "view")) == [jobs["supporter"]]
    assert list(Job.objects.restrict(users.applicant, "view")) == []


@pytest.mark.django_db
def test_anonymous_and_inactive_see_nothing(users, jobs):
    from django.contrib.auth.models import AnonymousUser

    assert not Job.objects.restrict(AnonymousUser(), "view").exists()
    users.admin.is_active = False
    assert not Job.objects.restrict(users.admin, "view").exists()


@pytest.mark.django_db
def test_foreign_object_is_404_not_403(users, jobs):
    with pytest.raises(Http404):
        get_restricted_or_404(Job, users.seocho, "view", pk=jobs["gangnam"].pk)
    assert get_restricted_or_404(Job, users.gangnam, "view", pk=jobs["gangnam"].pk) == jobs["gangnam"]
    with pytest.raises(Http404):
        get_restricted_or_404(Job, users.gangnam, "view", pk="not-a-number")


@pytest.mark.django_db
def test_role_lists_per_action(users):
    # Audit entries: only admins may view, nobody may change.
    AuditLog.objects.create(username="x", action="login")
    assert AuditLog.objects.restrict(users.admin, "view").count() == 1
    assert AuditLog.objects.restrict(users.staff, "view").count() == 0
    assert AuditLog.objects.restrict(users.admin, "change").count() == 0


@pytest.mark.django_db
def test_can_and_unknown_action(users, jobs):
    assert can(users.gangnam, "change", jobs["gangnam"])
    assert not can(users.seocho, "change", jobs["gangnam"])
    with pytest.raises(ValueError, match="unknown action"):
        restrict(Job.objects.all(), users.admin, "fly")


@pytest.mark.django_db
def test_officer_without_district_sees_nothing(users, jobs):
    ghost = User(username="ghost", role="district_officer")
    ghost.district_id = None
    assert not Job.objects.restrict(ghost, "view").exists()


def test_model_without_scope_is_a_configuration_error():
    from django.contrib.auth.models import Group
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        restrict(Group.objects.all(), None)


@pytest.mark.django_db
def test_multi_valued_lookup_does_not_duplicate_rows(users, districts):
    # A scope whose district path crosses a reverse relation (District → users) must not
    # return a row once per match.
    scope = Scope(district="users__district")
    from seoul_digital.core.models import District

    original = District.scope
    try:
        District.scope = Scope(district=scope.district, view=original.view, change=original.change)
        rows = list(District.objects.restrict(users.gangnam, "view"))
    finally:
        District.scope = original
    assert rows == [districts.gangnam]


@pytest.mark.django_db
def test_personal_records_are_private_to_their_owner_except_for_admins(users):
    from seoul_digital.core.models import ApiToken
    from seoul_digital.core.services import do_create_token

    token, _key = do_create_token(users.gangnam, "mine")
    assert list(ApiToken.objects.restrict(users.gangnam, "view")) == [token]
    for outsider in (users.staff, users.seocho, users.supporter):
        assert not ApiToken.objects.restrict(outsider, "view").exists()
    assert list(ApiToken.objects.restrict(users.admin, "view")) == [token]
