"""Who may use which part of the inclusion app, in one place.

Groups of users:
  * ``programme`` — foundation admins and staff bound to an inclusion programme (``edu``):
    everything, every district (matching, confirming, fees, statements);
  * ``office``    — ``programme`` plus district officers (their own district): people,
    helpdesk, robots and classes;
  * ``foundation``— any foundation employee (admin, staff): non-personal overviews
    (dashboard, contents, robot roll-up);
  * ``supporter`` — a supporter, for their own learners, matches, lessons and statement.
Other foundation staff (e.g. the data team) see no personal data here.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from seoul_digital.core.roles import Role, has_role

__all__ = [
    "GROUPS",
    "in_group",
    "is_programme_staff",
    "learners_of_supporter",
    "require",
    "scope_extra",
    "supporter_record",
    "via_learner",
    "visible_matches",
]

INCLUSION_APP = "inclusion"


def is_programme_staff(user) -> bool:
    """Admins, and foundation staff whose programme is served by this app."""
    if not has_role(user, Role.foundation()):
        return False
    if user.role == Role.ADMIN:
        return True
    cached = getattr(user, "_inclusion_programme_staff", None)
    if cached is None:
        programme = getattr(user, "programme", None)
        cached = bool(programme is not None and programme.app_label == INCLUSION_APP)
        user._inclusion_programme_staff = cached
    return cached


GROUPS = {
    "programme": lambda u: is_programme_staff(u),
    "office": lambda u: is_programme_staff(u) or has_role(u, {Role.DISTRICT_OFFICER}),
    "foundation": lambda u: has_role(u, Role.foundation()),
    "officials": lambda u: has_role(u, Role.officials()),
    "supporter": lambda u: has_role(u, {Role.SUPPORTER}),
}


def in_group(user, *groups: str) -> bool:
    return any(GROUPS[g](user) for g in groups)


def require(*groups: str):
    """View decorator: anonymous → login; signed in but not in any group → 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not in_group(request.user, *groups):
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.inclusion_groups = groups
        return wrapper

    return decorator


def scope_extra(*, personal: bool, supporter=None):
    """The ``Scope.extra`` of a model: other foundation staff may read non-personal
    records only; supporters are narrowed by ``supporter(queryset, user, action)``."""

    def extra(queryset, user, action):
        if user.role == Role.STAFF and not is_programme_staff(user):
            if personal or action != "view":
                return queryset.none()
        if user.role == Role.SUPPORTER and supporter is not None:
            return supporter(queryset, user, action)
        return queryset

    return extra


# Supporters see a learner while a match with them is confirmed or running.
_OPEN_FOR_SUPPORTER = ("confirmed", "accepted")


def _open_match_learners(user):
    from seoul_digital.inclusion.models import Match

    return (Match.objects.filter(supporter__user=user, status__in=_OPEN_FOR_SUPPORTER)
            .values("learner_id"))


def learners_of_supporter(queryset, user, action):
    if action != "view":
        return queryset.none()  # supporters never edit a learner's registration
    return queryset.filter(pk__in=_open_match_learners(user))


def via_learner(queryset, user, action):
    return queryset.filter(learner_id__in=_open_match_learners(user))


def visible_matches(queryset, user, action):
    from seoul_digital.inclusion.models import Match

    # A supporter never sees proposals staff have not confirmed, nor rejected ones.
    return queryset.filter(status__in=Match.SUPPORTER_VISIBLE)


def supporter_record(user):
    """The signed-in supporter's own Supporter row, or None."""
    from seoul_digital.inclusion.models import Supporter

    if not has_role(user, {Role.SUPPORTER}):
        return None
    return Supporter.objects.filter(user=user).first()
