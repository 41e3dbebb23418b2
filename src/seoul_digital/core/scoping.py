"""Query-level scoping: ``restrict(queryset, user, action)``, the one rule for who sees what.

Every scoped model declares a :class:`Scope`: which roles may view or change it, the lookup
from the model to its District, and (for supporters, applicants, evaluators) the lookup to
the user who owns a record. Foundation admins and staff see every district; a district
officer sees only rows whose district is theirs; anyone else sees only rows they own.
Anything not allowed is simply absent from the queryset, so views answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404

__all__ = ["Scope", "RestrictedQuerySet", "restrict", "get_restricted_or_404", "can"]

VIEW, CHANGE = "view", "change"
_ACTION_ALIASES = {"view": VIEW, "list": VIEW, "export": VIEW, "add": CHANGE, "change": CHANGE,
                   "delete": CHANGE, "review": CHANGE}


@dataclass(frozen=True)
class Scope:
    district: str | None = "district"
    """Lookup from the model to core.District (``"inspection__district"``); None when the
    model is not tied to a district (then officers see all rows their role may view)."""
    owner: str | None = None
    """Lookup from the model to the owning core.User for roles outside the foundation."""
    view: frozenset = field(default_factory=lambda: _officials())
    change: frozenset = field(default_factory=lambda: _officials())
    personal: bool = False
    """Rows belong to one person (API tokens): everyone but admins sees only their own."""
    extra: Callable | None = None
    """Optional ``extra(queryset, user, action) -> queryset`` for rules beyond the above
    (applied after them, for every role but admin)."""

    def roles_for(self, action: str) -> frozenset:
        return self.view if action == VIEW else self.change


def _officials() -> frozenset:
    from seoul_digital.core.roles import Role

    return Role.officials()


def _normalise_action(action: str) -> str:
    try:
        return _ACTION_ALIASES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; use one of {sorted(_ACTION_ALIASES)}") from None


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    from seoul_digital.core.roles import Role

    model = queryset.model
    scope: Scope | None = getattr(model, "scope", None)
    if not isinstance(scope, Scope):
        raise ImproperlyConfigured(f"{model.__name__} has no Scope; every scoped model declares one")
    action = _normalise_action(action)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    role = getattr(user, "role", None)
    if role not in scope.roles_for(action):
        return queryset.none()
    if role == Role.ADMIN:
        return queryset
    if scope.personal:
        result = _filter_by(queryset, scope.owner or "pk", user.pk)
    elif role == Role.STAFF:
        result = queryset
    elif role == Role.DISTRICT_OFFICER:
        if scope.district is None:
            result = queryset
        elif user.district_id is None:
            return queryset.none()
        else:
            result = _filter_by(queryset, scope.district, user.district_id)
    else:
        if scope.owner is None and scope.extra is None:
            return queryset.none()
        result = _filter_by(queryset, scope.owner, user.pk) if scope.owner else queryset
    if scope.extra is not None:
        result = scope.extra(result, user, action)
    return result


def _filter_by(queryset: models.QuerySet, lookup: str, value) -> models.QuerySet:
    if "__" not in lookup:
        return queryset.filter(**{lookup: value})
    # Multi-valued paths would duplicate rows; a subquery on primary keys never does.
    model = queryset.model
    return queryset.filter(pk__in=model._base_manager.filter(**{lookup: value}).values("pk"))


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW) -> "RestrictedQuerySet":
        return restrict(self, user, action)


def get_restricted_or_404(queryset_or_model, user, action: str = VIEW, **lookup):
    """The object if ``user`` may ``action`` it, else 404 (never 403: do not confirm it exists)."""
    queryset = (queryset_or_model._default_manager.all()
                if isinstance(queryset_or_model, type) else queryset_or_model)
    try:
        return restrict(queryset, user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can(user, action: str, obj: models.Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
