"""Open-data quality programme: datasets under improvement, their versions with reports,
the Data Supporters assigned to them, and the supporters' review of each finding.

Who sees what (``Scope``):
  * foundation admins and staff see every dataset;
  * a district officer sees the datasets their 자치구 provides (``Dataset.district``);
    city-wide datasets (no district) are the foundation's;
  * a Data Supporter (청년 데이터 서포터즈, a user with role ``supporter``) sees only the
    datasets assigned to them (``Assignment``) — their versions, reports and reviews.
Approving a version is for foundation staff (the reviewer), checked in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope

WITH_SUPPORTERS = Role.officials() | {Role.SUPPORTER}
# The foundation programme that runs open-data quality (데이터 창출, 분석 및 활용 확산): its
# staff manage datasets and approve versions; other foundation staff may look, not change.
QUALITY_PROGRAMME = "data"


def is_programme_staff(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.ADMIN:
        return True
    programme = getattr(user, "programme", None)
    return user.role == Role.STAFF and programme is not None and programme.code == QUALITY_PROGRAMME


def _programme_staff_change_only(queryset, user, action):
    """Foundation staff of other programmes see the datasets but do not change them."""
    if action == "change" and user.role == Role.STAFF and not is_programme_staff(user):
        return queryset.none()
    return queryset
# The only K-DATA 데이터 품질인증 grade figure found in public sources: 플래티늄 requires a
# 정합률 of 99.97 % (press coverage of the certification). Each dataset may set its own target.
DEFAULT_TARGET_RATE = 0.9997


class Dataset(models.Model):
    class Status(models.TextChoices):
        IMPROVING = "improving", _("개선 중")
        READY = "ready", _("인증 준비 완료")
        OPENED = "opened", _("개방")

    name = models.CharField(_("데이터셋 이름"), max_length=200)
    portal_id = models.CharField(_("열린데이터광장 ID"), max_length=30, blank=True,
                                 help_text=_("예: OA-13252 (모르면 비워 두세요)"))
    provider = models.CharField(_("제공 기관"), max_length=100)
    category = models.CharField(_("분야"), max_length=50, blank=True)
    district = models.ForeignKey("core.District", verbose_name=_("제공 자치구"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="quality_datasets",
                                 help_text=_("자치구가 제공하는 데이터셋이면 고르세요. 서울시 전체 데이터셋은 비워 둡니다."))
    description = models.TextField(_("설명"), blank=True)
    spec_yaml = models.TextField(_("검사 명세(YAML)"), blank=True,
                                 help_text=_("비워 두면 열 이름과 값으로 규칙을 고릅니다."))
    target_rate = models.FloatField(_("목표 정합률"), default=DEFAULT_TARGET_RATE,
                                    validators=[MinValueValidator(0.5), MaxValueValidator(1.0)])
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.IMPROVING)
    created_at = models.DateTimeField(_("등록일시"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", owner="assignments__supporter", view=WITH_SUPPORTERS,
                  change=WITH_SUPPORTERS,
                  extra=_programme_staff_change_only)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("품질 개선 데이터셋")
        verbose_name_plural = _("품질 개선 데이터셋")

    def __str__(self) -> str:
        return self.name

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class Assignment(models.Model):
    """A Data Supporter working on a dataset. Supporters see only what is assigned to them."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="assignments",
                                verbose_name=_("데이터셋"))
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="quality_assignments", verbose_name=_("데이터 서포터즈"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("배정일시"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="dataset__district", owner="supporter", view=WITH_SUPPORTERS,
                  change=Role.foundation(),
                  extra=_programme_staff_change_only)

    class Meta:
        ordering = ["dataset", "supporter__username"]
        constraints = [models.UniqueConstraint(fields=["dataset", "supporter"],
                                               name="quality_one_assignment_per_supporter")]
        verbose_name = _("서포터즈 배정")
        verbose_name_plural = _("서포터즈 배정")

    def __str__(self) -> str:
        return f"{self.dataset} — {self.supporter}"


def _upload_to(instance, filename: str) -> str:
    return f"quality/{instance.dataset_id}/{filename}"


class DatasetVersion(models.Model):
    """One uploaded file of a dataset, with the check's report and the fixer's output."""

    class State(models.TextChoices):
        CHECKING = "checking", _("검사 중")
        CHECKED = "checked", _("검토 중")
        FAILED = "failed", _("검사 실패")
        SUBMITTED = "submitted", _("승인 요청")
        APPROVED = "approved", _("승인")
        RETURNED = "returned", _("반려")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions",
                                verbose_name=_("데이터셋"))
    number = models.PositiveIntegerField(_("버전"))
    file = models.FileField(_("파일"), upload_to=_upload_to, max_length=300)
    original_name = models.CharField(_("원래 파일 이름"), max_length=255)
    size_bytes = models.BigIntegerField(_("크기(바이트)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.TextField(_("변경 내용"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("올린 사람"))
    uploaded_at = models.DateTimeField(_("올린 일시"), default=timezone.now)
    state = models.CharField(_("상태"), max_length=20, choices=State.choices, default=State.CHECKING)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    report = models.JSONField(_("검사 보고서"), null=True, blank=True)
    fix_summary = models.JSONField(_("정리 결과"), null=True, blank=True)
    conformance_rate = models.FloatField(_("정합률"), null=True, blank=True)
    rows = models.BigIntegerField(_("행 수"), null=True, blank=True)
    error_cells = models.BigIntegerField(_("오류 셀"), null=True, blank=True)
    checked_cells = models.BigIntegerField(_("검사한 셀"), null=True, blank=True)
    report_html = models.FileField(max_length=300, blank=True)
    report_xlsx = models.FileField(max_length=300, blank=True)
    clean_file = models.FileField(max_length=300, blank=True)
    change_log = models.FileField(max_length=300, blank=True)
    check_error = models.TextField(_("검사 실패 사유"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("승인자"))
    reviewed_at = models.DateTimeField(_("승인 일시"), null=True, blank=True)
    review_comment = models.TextField(_("승인 의견"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="dataset__district", owner="dataset__assignments__supporter",
                  view=WITH_SUPPORTERS, change=WITH_SUPPORTERS,
                  extra=_programme_staff_change_only)
    audit_exclude = ("report", "fix_summary")

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"],
                                               name="quality_version_number_unique")]
        verbose_name = _("데이터셋 버전")
        verbose_name_plural = _("데이터셋 버전")

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

    @property
    def is_checked(self) -> bool:
        return self.report is not None and self.state != self.State.CHECKING


class FindingReview(models.Model):
    """A supporter's decision on one finding (rule × column) of a version's report."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("검토 전")
        FIXED = "fixed", _("자동 수정 확인")
        OWNER = "owner", _("제공 기관에 수정 요청")
        ACCEPTED = "accepted", _("문제 아님(사유 기록)")

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="reviews")
    rule = models.CharField(_("규칙"), max_length=50)
    column = models.CharField(_("열"), max_length=300, blank=True)
    decision = models.CharField(_("판단"), max_length=20, choices=Decision.choices,
                                default=Decision.PENDING)
    comment = models.TextField(_("의견"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="version__dataset__district",
                  owner="version__dataset__assignments__supporter",
                  view=WITH_SUPPORTERS, change=WITH_SUPPORTERS,
                  extra=_programme_staff_change_only)

    class Meta:
        ordering = ["version", "rule", "column"]
        constraints = [models.UniqueConstraint(fields=["version", "rule", "column"],
                                               name="quality_one_review_per_finding")]
        verbose_name = _("발견 사항 검토")
        verbose_name_plural = _("발견 사항 검토")

    def __str__(self) -> str:
        return f"{self.version} {self.rule} {self.column}"
