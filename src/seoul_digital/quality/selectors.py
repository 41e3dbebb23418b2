"""Every read of the quality app goes through ``restrict`` here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, Subquery

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.quality.models import (Assignment, Dataset, DatasetVersion, FindingReview,
                                          is_programme_staff)


def datasets_for(user, action: str = "view"):
    latest = DatasetVersion.objects.filter(dataset=OuterRef("pk")).order_by("-number")
    return (Dataset.objects.restrict(user, action).select_related("district")
            .annotate(version_count=Count("versions", distinct=True),
                      latest_rate=Subquery(latest.values("conformance_rate")[:1]),
                      latest_state=Subquery(latest.values("state")[:1]),
                      latest_number=Subquery(latest.values("number")[:1]))
            .order_by("name", "pk"))


def dataset_for(user, pk, action: str = "view") -> Dataset:
    return get_restricted_or_404(Dataset.objects.select_related("district"), user, action, pk=pk)


def search_datasets(user, q: str = "", status: str = "", mine: bool = False):
    qs = datasets_for(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(provider__icontains=q) | Q(portal_id__icontains=q)
                       | Q(category__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assignments__supporter=user).distinct()
    return qs


def versions_for(user, dataset=None, action: str = "view"):
    qs = DatasetVersion.objects.restrict(user, action).select_related("dataset", "uploaded_by",
                                                                      "reviewed_by", "job")
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    return qs


def version_for(user, pk, action: str = "view") -> DatasetVersion:
    return get_restricted_or_404(DatasetVersion.objects.select_related("dataset", "dataset__district",
                                                                       "uploaded_by", "job"),
                                 user, action, pk=pk)


def assignments_for(user, dataset=None, action: str = "view"):
    qs = Assignment.objects.restrict(user, action).select_related("supporter", "dataset")
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    return qs


def assignment_for(user, pk, action: str = "view") -> Assignment:
    return get_restricted_or_404(Assignment.objects.select_related("dataset", "supporter"), user,
                                 action, pk=pk)


def reviews_for(user, version, action: str = "view") -> dict[tuple[str, str], FindingReview]:
    qs = FindingReview.objects.restrict(user, action).filter(version=version).select_related("reviewed_by")
    return {(r.rule, r.column): r for r in qs}


def supporters_to_assign(user):
    """Data Supporters a foundation employee may assign (users with role supporter)."""
    if not is_programme_staff(user):
        return get_user_model().objects.none()
    return get_user_model().objects.filter(role=Role.SUPPORTER, is_active=True).order_by("username")


def can_approve(user) -> bool:
    """The reviewer: foundation admins and the staff of the quality programme."""
    return is_programme_staff(user)


def can_manage_datasets(user) -> bool:
    return can_approve(user)


def can_edit_dataset(user, dataset) -> bool:
    if can_manage_datasets(user):
        return True
    return (user.is_authenticated and user.role == Role.DISTRICT_OFFICER
            and dataset.district_id is not None and dataset.district_id == user.district_id)


def can_work_on(user, dataset) -> bool:
    """Upload versions and review findings: foundation, the district's officer, assigned supporters."""
    return Dataset.objects.restrict(user, "change").filter(pk=dataset.pk).exists()
