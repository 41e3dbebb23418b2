"""The platform's roles and every role check, in one place."""

from __future__ import annotations

from functools import wraps

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

__all__ = ["Role", "has_role", "role_required"]


class Role(models.TextChoices):
    ADMIN = "admin", _("재단 관리자")
    STAFF = "staff", _("재단 사업 담당자")
    DISTRICT_OFFICER = "district_officer", _("자치구 담당자")
    SUPPORTER = "supporter", _("어디나지원단")
    APPLICANT = "applicant", _("기업 신청자")
    EVALUATOR = "evaluator", _("평가위원")

    @classmethod
    def all(cls) -> frozenset[str]:
        return frozenset(cls.values)

    @classmethod
    def admins(cls) -> frozenset[str]:
        return frozenset({cls.ADMIN})

    @classmethod
    def foundation(cls) -> frozenset[str]:
        """Foundation employees: see every district."""
        return frozenset({cls.ADMIN, cls.STAFF})

    @classmethod
    def officials(cls) -> frozenset[str]:
        """Foundation employees and district officers: the people who run programmes."""
        return frozenset({cls.ADMIN, cls.STAFF, cls.DISTRICT_OFFICER})


def has_role(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles):
    """View decorator: signed-in users without the role get 404 (no hint that a page exists).

    Anonymous users are sent to the login page as usual.
    """
    from django.contrib.auth.views import redirect_to_login

    allowed = frozenset().union(*[r if isinstance(r, (set, frozenset)) else {r} for r in roles])

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
