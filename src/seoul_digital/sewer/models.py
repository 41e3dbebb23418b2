"""AI sewer inspection records: inspections (one pipe segment's video), the findings the AI
proposes and officers review, model versions and each district's choice, and the pilot's
satisfaction survey."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.models import District, Job
from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope
from seoul_digital.sewer.engine import taxonomy

__all__ = ["ModelVersion", "DistrictModel", "Inspection", "Finding", "SurveyResponse",
           "DEFECT_CHOICES", "GRADE_CHOICES"]

DEFECT_CHOICES = [(c.code, f"{c.code} {c.name_ko}") for c in taxonomy.CLASSES if c.is_defect]
GRADE_CHOICES = [(g, g) for g in ("A", "B", "C", "D", "E")]


class ModelVersion(models.Model):
    """A trained classifier in the registry (ONNX + model card on disk)."""

    version = models.CharField(_("버전"), max_length=80, unique=True)
    name = models.CharField(_("이름"), max_length=120, blank=True)
    path = models.CharField(_("모델 폴더"), max_length=500,
                            help_text=_("model.onnx와 model_card.json이 있는 폴더"))
    card = models.JSONField(_("모델 카드"), default=dict)
    f2_ciw = models.FloatField(_("F2-CIW"), null=True, blank=True)
    f1_normal = models.FloatField(_("F1-Normal"), null=True, blank=True)
    metrics_split = models.CharField(_("지표 기준"), max_length=40, blank=True)
    shipped = models.BooleanField(_("기본 제공"), default=False)
    notes = models.TextField(_("메모"), blank=True)
    created_at = models.DateTimeField(_("등록일"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("모델 버전")
        verbose_name_plural = _("모델 버전")

    def __str__(self) -> str:
        return self.name or self.version


class DistrictModel(models.Model):
    """Which model version a district's screenings use (the rollout switch)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="sewer_model",
                                    verbose_name=_("자치구"))
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="districts",
                                      verbose_name=_("모델 버전"))
    chosen_at = models.DateTimeField(_("지정일"), default=timezone.now)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.foundation())

    class Meta:
        verbose_name = _("자치구 사용 모델")
        verbose_name_plural = _("자치구 사용 모델")

    def __str__(self) -> str:
        return f"{self.district} → {self.model_version}"


class Inspection(models.Model):
    """One CCTV inspection of one pipe segment (manhole to manhole)."""

    class Material(models.TextChoices):
        CONCRETE = "concrete", _("흄관(콘크리트)")
        PVC = "pvc", _("PVC")
        PE = "pe", _("PE")
        GRP = "grp", _("유리섬유복합관(GRP)")
        CAST_IRON = "cast_iron", _("주철관")
        LINER = "liner", _("라이닝(갱생)관")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        DRAFT = "draft", _("영상 대기")
        QUEUED = "queued", _("분석 대기")
        SCREENING = "screening", _("AI 분석 중")
        SCREENED = "screened", _("검토 대기")
        FAILED = "failed", _("분석 실패")
        REVIEWED = "reviewed", _("검토 완료")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="sewer_inspections",
                                 verbose_name=_("자치구"))
    pipe_id = models.CharField(_("관로 번호"), max_length=60)
    upstream_manhole = models.CharField(_("상류 맨홀"), max_length=60)
    downstream_manhole = models.CharField(_("하류 맨홀"), max_length=60)
    diameter_mm = models.PositiveIntegerField(_("관경(mm)"), validators=[MinValueValidator(100), MaxValueValidator(5000)])
    material = models.CharField(_("관종"), max_length=20, choices=Material.choices, default=Material.CONCRETE)
    length_m = models.DecimalField(_("연장(m)"), max_digits=8, decimal_places=2,
                                   validators=[MinValueValidator(0.5)])
    inspected_on = models.DateField(_("조사일"))
    contractor = models.CharField(_("조사 업체"), max_length=100)
    start_chainage_m = models.DecimalField(_("시작 거리(m)"), max_digits=8, decimal_places=2, default=0,
                                           help_text=_("영상 첫 화면의 거리. 화면 거리 표시를 읽지 못할 때 보간에 씁니다."))
    end_chainage_m = models.DecimalField(_("끝 거리(m)"), max_digits=8, decimal_places=2, null=True, blank=True,
                                         help_text=_("비워 두면 시작 거리 + 연장으로 봅니다."))
    notes = models.TextField(_("메모"), blank=True)

    video = models.FileField(_("조사 영상"), upload_to="sewer/videos/%Y/%m/", blank=True, max_length=300)
    video_name = models.CharField(_("원본 파일명"), max_length=255, blank=True)
    video_size = models.BigIntegerField(_("파일 크기"), default=0)
    video_info = models.JSONField(_("영상 정보"), default=dict, blank=True)
    browser_video = models.FileField(_("재생용 영상"), upload_to="sewer/playback/%Y/%m/", blank=True, max_length=300)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_message = models.CharField(_("상태 설명"), max_length=500, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="inspections", verbose_name=_("분석 모델"))
    screened_at = models.DateTimeField(_("분석일"), null=True, blank=True)
    screening_seconds = models.FloatField(_("분석 소요(초)"), null=True, blank=True)
    frames_sampled = models.PositiveIntegerField(_("분석 프레임 수"), default=0)
    timeline = models.JSONField(_("결함 점수 추이"), default=dict, blank=True)
    review_started_at = models.DateTimeField(_("검토 시작"), null=True, blank=True)
    review_seconds = models.PositiveIntegerField(_("검토 시간(초)"), default=0)
    reviewed_at = models.DateTimeField(_("검토 완료일"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("검토자"))
    structural_grade = models.CharField(_("구조 등급"), max_length=1, choices=GRADE_CHOICES, blank=True)
    operational_grade = models.CharField(_("운영 등급"), max_length=1, choices=GRADE_CHOICES, blank=True)
    grade_detail = models.JSONField(_("등급 근거"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.officials())
    audit_exclude = ("timeline",)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("관로 조사")
        verbose_name_plural = _("관로 조사")

    def __str__(self) -> str:
        return f"{self.pipe_id} ({self.upstream_manhole}→{self.downstream_manhole})"

    @property
    def end_chainage(self) -> float:
        if self.end_chainage_m is not None:
            return float(self.end_chainage_m)
        return float(self.start_chainage_m) + float(self.length_m)

    @property
    def duration_s(self) -> float:
        return float((self.video_info or {}).get("duration_s") or 0.0)

    @property
    def has_video(self) -> bool:
        return bool(self.video)

    @property
    def playback_url(self) -> str:
        from django.urls import reverse

        return reverse("sewer:inspection_video", kwargs={"pk": self.pk})


class Finding(models.Model):
    """A defect in one inspection: proposed by the AI or added by an officer, then reviewed."""

    class Source(models.TextChoices):
        AI = "ai", _("AI")
        OFFICER = "officer", _("담당자 추가")

    class Decision(models.TextChoices):
        PENDING = "pending", _("미검토")
        ACCEPTED = "accepted", _("확인")
        RELABELLED = "relabelled", _("분류 수정")
        REJECTED = "rejected", _("오탐(기각)")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings",
                                   verbose_name=_("관로 조사"))
    code = models.CharField(_("결함"), max_length=2, choices=DEFECT_CHOICES)
    ai_code = models.CharField(_("AI 분류"), max_length=2, blank=True)
    source = models.CharField(_("출처"), max_length=10, choices=Source.choices, default=Source.AI)
    decision = models.CharField(_("검토 결과"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    start_s = models.FloatField(_("시작(초)"), validators=[MinValueValidator(0)])
    end_s = models.FloatField(_("끝(초)"), validators=[MinValueValidator(0)])
    peak_s = models.FloatField(_("대표 시점(초)"), validators=[MinValueValidator(0)])
    confidence = models.FloatField(_("신뢰도"), null=True, blank=True)
    distance_m = models.FloatField(_("거리(m)"), null=True, blank=True)
    distance_source = models.CharField(_("거리 근거"), max_length=20, blank=True)
    clock = models.PositiveSmallIntegerField(_("시계 방향"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    severity = models.PositiveSmallIntegerField(_("심각도"), null=True, blank=True,
                                                validators=[MinValueValidator(1), MaxValueValidator(5)])
    thumbnail = models.CharField(_("썸네일"), max_length=300, blank=True)
    heatmap = models.CharField(_("히트맵"), max_length=300, blank=True)
    note = models.CharField(_("메모"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="inspection__district", view=Role.officials(), change=Role.officials())

    class Meta:
        ordering = ["inspection", "start_s", "id"]
        verbose_name = _("결함")
        verbose_name_plural = _("결함")

    def __str__(self) -> str:
        return f"{self.code} @ {self.start_s:.1f}s"

    @property
    def class_name(self) -> str:
        return taxonomy.BY_CODE[self.code].name_ko

    @property
    def group(self) -> str:
        return taxonomy.BY_CODE[self.code].group

    @property
    def counts_as_defect(self) -> bool:
        return self.decision in (self.Decision.ACCEPTED, self.Decision.RELABELLED)


class SurveyResponse(models.Model):
    """An officer's satisfaction with the tool (pilot evaluation): 1–5 and a comment."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="sewer_survey",
                                 verbose_name=_("자치구"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="survey_responses")
    score = models.PositiveSmallIntegerField(_("만족도"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("의견"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.officials())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("만족도 조사")
        verbose_name_plural = _("만족도 조사")

    def __str__(self) -> str:
        return f"{self.district} {self.score}/5"
