"""Permission-checked reads for core records."""

from __future__ import annotations

from seoul_digital.core.models import ApiToken, AuditLog, District, Job, Programme
from seoul_digital.core.scoping import get_restricted_or_404

__all__ = ["districts_for", "programmes_for_dashboard", "jobs_for", "job_for", "audit_entries",
           "tokens_for", "token_for"]


def districts_for(user):
    return District.objects.restrict(user, "view")


def programmes_for_dashboard(user):
    return list(Programme.objects.restrict(user, "view").prefetch_related("targets"))


def jobs_for(user):
    return Job.objects.restrict(user, "view").select_related("district", "user")


def job_for(user, pk) -> Job:
    return get_restricted_or_404(jobs_for(user), user, "view", pk=pk)


def audit_entries(user):
    return AuditLog.objects.restrict(user, "view").select_related("user", "district")


def tokens_for(user):
    # Tokens are personal: even admins list only their own here.
    return ApiToken.objects.restrict(user, "view").filter(user=user)


def token_for(user, pk) -> ApiToken:
    return get_restricted_or_404(tokens_for(user), user, "change", pk=pk)


def users_for(user):
    from seoul_digital.core.models import User

    return User.objects.restrict(user, "change").select_related("district", "programme").order_by("username")


def user_for(user, pk):
    return get_restricted_or_404(users_for(user), user, "change", pk=pk)
