"""Core records every programme shares: districts, users and roles, audit log, jobs, tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope

__all__ = [
    "District",
    "Programme",
    "ProgrammeTarget",
    "User",
    "AuditLog",
    "Job",
    "ApiToken",
]


class BilingualName(models.Model):
    name_ko = models.CharField(_("이름(한국어)"), max_length=100)
    name_en = models.CharField(_("이름(영어)"), max_length=100)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ko").startswith("en") else self.name_ko

    def __str__(self) -> str:
        return self.name


class District(BilingualName):
    """One of Seoul's 25 자치구, keyed by its 행정안전부 code."""

    code = models.CharField(_("행정구역코드"), max_length=5, unique=True)
    kostat_code = models.CharField(_("통계청 코드"), max_length=5, unique=True)

    objects = RestrictedQuerySet.as_manager()
    # Reference data: everyone signed in may read the district list.
    scope = Scope(district="pk", view=Role.all(), change=Role.admins())

    class Meta:
        ordering = ["code"]
        verbose_name = _("자치구")
        verbose_name_plural = _("자치구")


class Programme(BilingualName):
    """A line of the foundation's 2021 plan with its budget, as reported to the council."""

    code = models.SlugField(unique=True)
    strategy_ko = models.CharField(max_length=100)
    strategy_en = models.CharField(max_length=100)
    budget_2021_thousand_krw = models.BigIntegerField(_("2021 예산(천원)"))
    app_label = models.CharField(max_length=50, blank=True, help_text="platform app serving it")
    summary_ko = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.all(), change=Role.admins())

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("사업")
        verbose_name_plural = _("사업")

    @property
    def strategy(self) -> str:
        return self.strategy_en if (get_language() or "ko").startswith("en") else self.strategy_ko

    @property
    def summary(self) -> str:
        return self.summary_en if (get_language() or "ko").startswith("en") else self.summary_ko


class ProgrammeTarget(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    label_ko = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit_ko = models.CharField(max_length=20, blank=True)
    unit_en = models.CharField(max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.all(), change=Role.admins())

    class Meta:
        ordering = ["programme", "sort_order"]

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "ko").startswith("en") else self.label_ko

    @property
    def unit(self) -> str:
        return self.unit_en if (get_language() or "ko").startswith("en") else self.unit_ko


class PlatformUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. The role decides what they may do; officers are bound to one
    district, programme staff to one programme."""

    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.STAFF)
    district = models.ForeignKey(District, verbose_name=_("자치구"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="users")
    programme = models.ForeignKey(Programme, verbose_name=_("담당 사업"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="staff")
    large_text = models.BooleanField(_("큰 글씨"), default=False)

    objects = PlatformUserManager()
    scope = Scope(district="district", owner="pk", view=Role.all(), change=Role.admins())
    audit_exclude = ("password", "last_login")

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def clean(self):
        super().clean()
        if self.role == Role.DISTRICT_OFFICER and self.district_id is None:
            raise ValidationError({"district": _("자치구 담당자는 소속 자치구가 있어야 합니다.")})

    @property
    def is_foundation(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF)

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username


class AuditLog(models.Model):
    """Who did what to which record, with before/after; also each view of personal data."""

    class Action(models.TextChoices):
        CREATE = "create", _("생성")
        UPDATE = "update", _("수정")
        DELETE = "delete", _("삭제")
        VIEW_PERSONAL = "view_personal", _("개인정보 열람")
        EXPORT = "export", _("내보내기")
        LOGIN = "login", _("로그인")
        LOGIN_FAILED = "login_failed", _("로그인 실패")
        LOGOUT = "logout", _("로그아웃")

    at = models.DateTimeField(_("일시"), default=timezone.now, db_index=True)
    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="audit_entries")
    username = models.CharField(_("사용자"), max_length=150, blank=True)
    action = models.CharField(_("행위"), max_length=20, choices=Action.choices, db_index=True)
    app_label = models.CharField(max_length=50, blank=True)
    model = models.CharField(_("대상 종류"), max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("대상"), max_length=200, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    note = models.CharField(_("비고"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.admins(), change=frozenset())

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["app_label", "model", "object_id"])]
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"


class Job(models.Model):
    """A long piece of work (screening a video, running a check) run by a worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("대기")
        RUNNING = "running", _("실행 중")
        SUCCEEDED = "succeeded", _("완료")
        FAILED = "failed", _("실패")

    title = models.CharField(_("작업"), max_length=200)
    function = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="jobs")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(_("상태"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(_("진행률"), default=0.0)
    message = models.CharField(_("진행 상황"), max_length=300, blank=True)
    error = models.TextField(_("실패 사유"), blank=True)
    result = models.JSONField(null=True, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", owner="user", view=Role.all(), change=Role.all())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("작업")
        verbose_name_plural = _("작업")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int:
        return int(round(min(max(self.progress, 0.0), 100.0)))


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("이름"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, owner="user", personal=True, view=Role.all(), change=Role.all())
    audit_exclude = ("key_hash",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 토큰")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
