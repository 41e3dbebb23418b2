"""Permission-checked reads for the siting app (every read goes through ``restrict``)."""

from __future__ import annotations

from seoul_digital.core.models import District
from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.siting.models import OverviewSnapshot, SitingRun, SitingSite, WeightProfile

__all__ = ["districts_for", "district_for", "runs_for", "run_for", "sites_for", "weights_for",
           "latest_overview"]


def districts_for(user):
    return District.objects.restrict(user, "view").order_by("code")


def district_for(user, code: str) -> District:
    return get_restricted_or_404(District, user, "view", code=code)


def runs_for(user, district: District | None = None):
    qs = SitingRun.objects.restrict(user, "view").select_related("district", "created_by", "job")
    return qs.filter(district=district) if district is not None else qs


def run_for(user, pk, action: str = "view") -> SitingRun:
    return get_restricted_or_404(SitingRun.objects.select_related("district", "job"), user, action, pk=pk)


def sites_for(user, run: SitingRun):
    return SitingSite.objects.restrict(user, "view").filter(run=run).order_by("rank")


def weights_for(user, district: District) -> WeightProfile | None:
    return WeightProfile.objects.restrict(user, "view").filter(district=district).first()


def latest_overview(user) -> OverviewSnapshot | None:
    return OverviewSnapshot.objects.restrict(user, "view").first()
