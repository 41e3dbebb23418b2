"""Siting records: runs (one recommendation for one district), their sites, edited weights,
and Seoul overview snapshots. Every model is scoped by district (a 강남구 officer sees only
강남구's runs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope


AREA_TYPE_CHOICES = {"residential": _("주거"), "commercial": _("상업"), "business": _("업무"),
                     "mixed": _("혼합")}


class WeightProfile(models.Model):
    """A district's edited weights YAML (overrides the packaged engine/weights/<구>.yaml)."""

    district = models.OneToOneField("core.District", on_delete=models.CASCADE,
                                    related_name="siting_weights", verbose_name=_("자치구"))
    yaml_text = models.TextField(_("가중치(YAML)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("수정 일시"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.officials())

    class Meta:
        verbose_name = _("입지 가중치")
        verbose_name_plural = _("입지 가중치")

    def __str__(self) -> str:
        return f"{self.district} 가중치"


class SitingRun(models.Model):
    """One recommendation: parameters in, summary, map layers and ranked sites out."""

    class Mode(models.TextChoices):
        KNEE = "knee", _("권장 개수(곡선의 무릎)")
        COUNT = "count", _("개수 지정")
        BUDGET = "budget", _("예산")
        TARGET = "target", _("목표 커버율")

    class State(models.TextChoices):
        QUEUED = "queued", _("대기")
        RUNNING = "running", _("계산 중")
        SUCCEEDED = "succeeded", _("완료")
        FAILED = "failed", _("실패")

    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="siting_runs",
                                 verbose_name=_("자치구"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="siting_runs")
    created_at = models.DateTimeField(_("만든 일시"), default=timezone.now)
    title = models.CharField(_("제목"), max_length=200, blank=True)
    mode = models.CharField(_("방식"), max_length=10, choices=Mode.choices, default=Mode.KNEE)
    parameters = models.JSONField(_("조건"), default=dict, blank=True)
    existing_file = models.FileField(_("기존 CCTV 파일"), upload_to="siting/existing/", blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("상태"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("실패 사유"), blank=True)
    summary = models.JSONField(null=True, blank=True)
    map_data = models.JSONField(null=True, blank=True)  # boundary, dongs, heat, existing (WGS84)
    synthetic = models.BooleanField(_("합성 자료"), default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.officials())
    audit_exclude = ("summary", "map_data")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("입지 분석")
        verbose_name_plural = _("입지 분석")

    def __str__(self) -> str:
        return self.title or f"{self.district} 입지 분석 #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def coverage_before(self):
        return (self.summary or {}).get("coverage_before")

    @property
    def coverage_after(self):
        return (self.summary or {}).get("coverage_after")


class SitingSite(models.Model):
    run = models.ForeignKey(SitingRun, on_delete=models.CASCADE, related_name="sites")
    rank = models.PositiveIntegerField(_("순위"))
    lat = models.FloatField(_("위도"))
    lon = models.FloatField(_("경도"))
    score = models.FloatField(_("수요 점수"))
    demand_covered = models.FloatField(_("새로 감시하는 수요"))
    demand_share = models.FloatField(_("구 전체 수요 중 비율"))
    residents_covered = models.PositiveIntegerField(_("새로 감시하는 주민(명)"), default=0)
    area_type = models.CharField(_("지역 유형"), max_length=20)
    dong = models.CharField(_("행정동"), max_length=50)
    reasons = models.JSONField(default=list)
    why = models.TextField(_("추천 이유"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="run__district", view=Role.officials(), change=Role.officials())

    class Meta:
        ordering = ["run", "rank"]
        unique_together = [("run", "rank")]
        verbose_name = _("추천 입지")
        verbose_name_plural = _("추천 입지")

    def __str__(self) -> str:
        return f"{self.run_id}-{self.rank} {self.dong}"

    @property
    def area_type_label(self) -> str:
        return str(AREA_TYPE_CHOICES.get(self.area_type, self.area_type))


class OverviewSnapshot(models.Model):
    """District comparison for all of Seoul, computed by a job (rows as JSON)."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    rows = models.JSONField(default=list)
    synthetic = models.BooleanField(default=False)
    notes = models.JSONField(default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Public statistics of every district: all officials may read; the foundation refreshes.
    scope = Scope(district=None, view=Role.officials(), change=Role.foundation())
    audit_exclude = ("rows",)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("서울 자치구 비교")
        verbose_name_plural = _("서울 자치구 비교")

    def __str__(self) -> str:
        return f"서울 비교 {self.created_at:%Y-%m-%d %H:%M}"
