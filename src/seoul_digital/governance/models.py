"""Governance records: organisation, staffing, board and finance; budget cost lines, quarterly
plans, 이월/전용, spending and its imports; the council's audit register.

Seed figures (the 2021 work report to the council) are loaded by migration 0002. Every write
goes through ``services`` (audited); every read through ``selectors`` (``restrict``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope

__all__ = [
    "Unit", "PositionGrade", "ExtraPersonnel", "Board", "BoardRole", "FinanceLine",
    "FinanceFigure", "FiscalYear", "CostLine", "QuarterPlan", "BudgetAdjustment",
    "SpendingImport", "Spending", "AuditItem", "AuditProgressNote", "AuditEvidence",
]

FOUNDATION = Role.foundation()
ADMINS = Role.admins()


def _english() -> bool:
    return (get_language() or "ko").startswith("en")


def _own_programme(queryset, user, action):
    """Programme staff see and change only their own programme's rows."""
    if user.role == Role.STAFF:
        return queryset.filter(programme_id=user.programme_id) if user.programme_id else queryset.none()
    return queryset


def _own_imports(queryset, user, action):
    if user.role == Role.STAFF:
        return queryset.filter(uploaded_by_id=user.pk)
    return queryset


def _own_adjustments(queryset, user, action):
    if user.role == Role.STAFF:
        if not user.programme_id:
            return queryset.none()
        return queryset.filter(models.Q(programme_id=user.programme_id)
                               | models.Q(source_programme_id=user.programme_id))
    return queryset


# Reference records of the organisation: all foundation employees read, admins change.
REFERENCE_SCOPE = Scope(district=None, view=FOUNDATION, change=ADMINS)


class Bilingual(models.Model):
    name_ko = models.CharField(_("이름(한국어)"), max_length=200)
    name_en = models.CharField(_("이름(영어)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return (self.name_en or self.name_ko) if _english() else self.name_ko

    def __str__(self) -> str:
        return self.name


# --- Organisation ---------------------------------------------------------------------------

class Unit(Bilingual):
    """An organisational unit (실 or 팀) with its duties and the programmes it carries."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("실")
        TEAM = "team", _("팀")

    code = models.SlugField(_("코드"), unique=True)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey("self", verbose_name=_("상위 조직"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    duties_ko = models.TextField(_("담당업무(한국어)"))
    duties_en = models.TextField(_("담당업무(영어)"), blank=True)
    programmes = models.ManyToManyField("core.Programme", verbose_name=_("담당 사업"), blank=True,
                                        related_name="governance_units")
    active = models.BooleanField(_("운영 중"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("조직")
        verbose_name_plural = _("조직")

    @property
    def duties(self) -> str:
        return (self.duties_en or self.duties_ko) if _english() else self.duties_ko


class PositionGrade(Bilingual):
    """One grade of the staffing table (상근임원, 1급 … 7급): 정원 and 현원."""

    code = models.SlugField(_("코드"), unique=True)
    quota = models.PositiveIntegerField(_("정원"))
    current = models.PositiveIntegerField(_("현원"))
    counted_on = models.DateField(_("기준일"))
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("직급별 인력")
        verbose_name_plural = _("직급별 인력")

    @property
    def gap(self) -> int:
        """과부족: negative when short of the quota."""
        return self.current - self.quota


class ExtraPersonnel(Bilingual):
    """People working outside the quota (정원 외 인력): acting chair, seconded officials…"""

    count = models.PositiveIntegerField(_("인원"), null=True, blank=True,
                                        help_text=_("보고서에 인원이 없으면 비워 둡니다."))
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("정원 외 인력")
        verbose_name_plural = _("정원 외 인력")


class Board(Bilingual):
    """The board of directors: its member quota and functions (roles in :class:`BoardRole`)."""

    member_quota = models.PositiveIntegerField(_("임원 정원"))
    functions_ko = models.TextField(_("기능(한국어)"))
    functions_en = models.TextField(_("기능(영어)"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        verbose_name = _("이사회")
        verbose_name_plural = _("이사회")

    @property
    def functions(self) -> str:
        return (self.functions_en or self.functions_ko) if _english() else self.functions_ko


class BoardRole(models.Model):
    """A kind of seat on the board and how many people hold it (no personal names)."""

    class Category(models.TextChoices):
        CHAIR = "chair", _("이사장")
        DIRECTOR = "director", _("이사")
        AUDITOR = "auditor", _("감사")

    class Appointment(models.TextChoices):
        EX_OFFICIO = "ex_officio", _("당연직")
        NON_STANDING = "non_standing", _("비상임")
        STANDING = "standing", _("상임")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="roles")
    category = models.CharField(_("구분"), max_length=10, choices=Category.choices)
    appointment = models.CharField(_("임용 형태"), max_length=15, choices=Appointment.choices,
                                   blank=True)
    seats_filled = models.PositiveIntegerField(_("현원"))
    note_ko = models.CharField(_("비고"), max_length=200, blank=True)
    note_en = models.CharField(_("비고(영어)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("이사회 직위")
        verbose_name_plural = _("이사회 직위")

    def __str__(self) -> str:
        appointment = self.get_appointment_display() if self.appointment else ""
        return f"{appointment}{self.get_category_display()}"

    @property
    def note(self) -> str:
        return (self.note_en or self.note_ko) if _english() else self.note_ko


class FinanceLine(Bilingual):
    """A line of the balance-sheet summary (유동자산, 비유동자산, 부채, 자본)."""

    class Side(models.TextChoices):
        ASSETS = "assets", _("자산")
        CLAIMS = "claims", _("부채 및 자본")

    code = models.SlugField(_("코드"), unique=True)
    side = models.CharField(_("구분"), max_length=10, choices=Side.choices)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["side", "sort_order"]
        verbose_name = _("재무 항목")
        verbose_name_plural = _("재무 항목")


class FinanceFigure(models.Model):
    line = models.ForeignKey(FinanceLine, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("연도"))
    amount_eok = models.DecimalField(_("금액(억원)"), max_digits=12, decimal_places=1)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["line", "-year"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="gov_finance_line_year")]
        verbose_name = _("재무 수치")
        verbose_name_plural = _("재무 수치")

    def __str__(self) -> str:
        return f"{self.line} {self.year}"


# --- Budget ---------------------------------------------------------------------------------

class FiscalYear(models.Model):
    """A fiscal year (calendar year) and the monitoring settings that go with it."""

    year = models.PositiveSmallIntegerField(_("회계연도"), unique=True,
                                            validators=[MinValueValidator(2000),
                                                        MaxValueValidator(2100)])
    alert_threshold_pp = models.DecimalField(
        _("경보 기준(%p)"), max_digits=5, decimal_places=1, default=Decimal("10.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
        help_text=_("누적 집행률이 계획보다 이 값(퍼센트포인트) 넘게 뒤처지면 경보를 냅니다."))

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["-year"]
        verbose_name = _("회계연도")
        verbose_name_plural = _("회계연도")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class CostLine(models.Model):
    """A budget line of a programme (천원) and, where the report gives one, its quarterly
    execution plan. The lines of a programme add up to its 예산액 in ``core.Programme``."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="cost_lines")
    programme = models.ForeignKey("core.Programme", verbose_name=_("사업"),
                                  on_delete=models.PROTECT, related_name="cost_lines")
    code = models.SlugField(_("코드"))
    name_ko = models.CharField(_("세부사업명"), max_length=200)
    name_en = models.CharField(_("세부사업명(영어)"), max_length=200, blank=True)
    budget_thousand_krw = models.BigIntegerField(_("예산액(천원)"), validators=[MinValueValidator(0)])
    pending_thousand_krw = models.BigIntegerField(
        _("추가 확보 추진액(천원)"), default=0, validators=[MinValueValidator(0)],
        help_text=_("계획에는 들어 있으나 아직 배정되지 않은 금액(예산현액에 넣지 않음)."))
    note_ko = models.TextField(_("비고"), blank=True)
    note_en = models.TextField(_("비고(영어)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["programme__sort_order", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"],
                                               name="gov_costline_year_code")]
        verbose_name = _("세부사업")
        verbose_name_plural = _("세부사업")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (self.name_en or self.name_ko) if _english() else self.name_ko

    @property
    def note(self) -> str:
        return (self.note_en or self.note_ko) if _english() else self.note_ko


class QuarterPlan(models.Model):
    """Planned execution of a cost line in one quarter, in 백만원 as the report gives it."""

    cost_line = models.ForeignKey(CostLine, on_delete=models.CASCADE, related_name="quarter_plans")
    quarter = models.PositiveSmallIntegerField(_("분기"), validators=[MinValueValidator(1),
                                                                     MaxValueValidator(4)])
    amount_million_krw = models.DecimalField(_("계획액(백만원)"), max_digits=10, decimal_places=1,
                                             validators=[MinValueValidator(Decimal("0"))])
    activity_ko = models.CharField(_("집행 내용"), max_length=200, blank=True)
    activity_en = models.CharField(_("집행 내용(영어)"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["cost_line", "quarter"]
        constraints = [models.UniqueConstraint(fields=["cost_line", "quarter"],
                                               name="gov_quarterplan_line_quarter")]
        verbose_name = _("분기별 집행계획")
        verbose_name_plural = _("분기별 집행계획")

    def __str__(self) -> str:
        return f"{self.cost_line} Q{self.quarter}"

    @property
    def activity(self) -> str:
        return (self.activity_en or self.activity_ko) if _english() else self.activity_ko


class BudgetAdjustment(models.Model):
    """이월/전용 log: a dated change of a programme's budget with its reason."""

    class Kind(models.TextChoices):
        CARRY_IN = "carry_in", _("전년도 이월")
        CARRY_FORWARD = "carry_forward", _("다음연도 이월")
        TRANSFER = "transfer", _("전용")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("구분"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("일자"))
    programme = models.ForeignKey("core.Programme", verbose_name=_("대상 사업"),
                                  on_delete=models.PROTECT, related_name="budget_adjustments")
    source_programme = models.ForeignKey(
        "core.Programme", verbose_name=_("전용 원 사업"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="budget_adjustments_out",
        help_text=_("전용일 때만: 예산을 내어 주는 사업."))
    amount_thousand_krw = models.BigIntegerField(_("금액(천원)"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("사유"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=FOUNDATION, change=ADMINS, extra=_own_adjustments)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("이월·전용")
        verbose_name_plural = _("이월·전용")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.programme} {self.amount_thousand_krw:,}천원"

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.TRANSFER:
            if not self.source_programme_id:
                errors["source_programme"] = _("전용은 예산을 내어 주는 사업을 골라야 합니다.")
            elif self.source_programme_id == self.programme_id:
                errors["source_programme"] = _("같은 사업끼리는 전용할 수 없습니다.")
        elif self.source_programme_id:
            errors["source_programme"] = _("전용 원 사업은 전용일 때만 적습니다.")
        if self.date and self.fiscal_year_id and self.date.year != self.fiscal_year.year:
            errors["date"] = _("일자가 %(year)s 회계연도 밖입니다.") % {"year": self.fiscal_year.year}
        if errors:
            raise ValidationError(errors)


class SpendingImport(models.Model):
    """One uploaded spending file: its content hash, what the check found and what was done."""

    class Mode(models.TextChoices):
        VALID_ROWS = "valid", _("올바른 행만 가져오기")
        ALL_OR_NOTHING = "all", _("모두 올바를 때만 가져오기")

    class Status(models.TextChoices):
        CHECKED = "checked", _("검사 완료(가져오기 전)")
        IMPORTED = "imported", _("가져옴")
        PARTIAL = "partial", _("일부 가져옴")
        REJECTED = "rejected", _("가져오지 않음")
        CANCELLED = "cancelled", _("취소")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(_("파일"), upload_to="governance/imports/%Y/")
    original_name = models.CharField(_("파일 이름"), max_length=255)
    sha256 = models.CharField(_("내용 해시(SHA-256)"), max_length=64, db_index=True)
    mode = models.CharField(_("가져오기 방식"), max_length=10, choices=Mode.choices,
                            default=Mode.VALID_ROWS)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.CHECKED)
    rows_total = models.PositiveIntegerField(_("전체 행"), default=0)
    rows_accepted = models.PositiveIntegerField(_("올바른 행"), default=0)
    rows_rejected = models.PositiveIntegerField(_("거부된 행"), default=0)
    rows_imported = models.PositiveIntegerField(_("가져온 행"), default=0)
    amount_imported_krw = models.BigIntegerField(_("가져온 금액(원)"), default=0)
    rejections = models.JSONField(_("거부 사유"), default=list, blank=True)
    file_problem = models.CharField(max_length=30, blank=True)
    file_problem_detail = models.CharField(max_length=300, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="governance_imports")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=FOUNDATION, change=FOUNDATION, extra=_own_imports)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("집행액 가져오기")
        verbose_name_plural = _("집행액 가져오기")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.CHECKED

    @property
    def is_applied(self) -> bool:
        return self.status in (self.Status.IMPORTED, self.Status.PARTIAL)


class Spending(models.Model):
    """One actual spending (집행) of a programme, in won."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="spending")
    programme = models.ForeignKey("core.Programme", verbose_name=_("사업"),
                                  on_delete=models.PROTECT, related_name="spending")
    cost_line = models.ForeignKey(CostLine, verbose_name=_("세부사업"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="spending")
    date = models.DateField(_("집행일"))
    amount_krw = models.BigIntegerField(_("집행액(원)"), validators=[MinValueValidator(1)])
    description = models.CharField(_("집행 내용"), max_length=300, blank=True)
    batch = models.ForeignKey(SpendingImport, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="rows")
    source_line = models.PositiveIntegerField(_("파일 행 번호"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=FOUNDATION, change=FOUNDATION, extra=_own_programme)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["fiscal_year", "programme", "date"])]
        verbose_name = _("집행 내역")
        verbose_name_plural = _("집행 내역")

    def __str__(self) -> str:
        return f"{self.date} {self.programme} {self.amount_krw:,}원"

    def clean(self):
        super().clean()
        errors = {}
        if self.date and self.fiscal_year_id and self.date.year != self.fiscal_year.year:
            errors["date"] = _("집행일이 %(year)s 회계연도 밖입니다.") % {"year": self.fiscal_year.year}
        if self.cost_line_id and self.programme_id and self.cost_line.programme_id != self.programme_id:
            errors["cost_line"] = _("세부사업이 고른 사업에 속하지 않습니다.")
        if errors:
            raise ValidationError(errors)


# --- Audit register -------------------------------------------------------------------------

class AuditItem(models.Model):
    """One item the council raised in its administrative audit, with its follow-up status."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("시정·처리요구")
        RECOMMENDATION = "recommendation", _("건의")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        DONE = "done", _("완료")
        IN_PROGRESS = "in_progress", _("추진중")
        REVIEWING = "reviewing", _("검토중")
        NOT_REFLECTED = "not_reflected", _("미반영")

    audit_year = models.PositiveSmallIntegerField(_("감사 연도"))
    committee = models.CharField(_("위원회"), max_length=100)
    number = models.PositiveSmallIntegerField(_("번호"))
    kind = models.CharField(_("유형"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("제목"), max_length=200)
    summary = models.TextField(_("요지"))
    action_plan = models.TextField(_("조치 계획"), blank=True)
    owner_unit = models.ForeignKey(Unit, verbose_name=_("담당 조직"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="audit_items")
    due_date = models.DateField(_("완료 예정일"), null=True, blank=True)
    status = models.CharField(_("처리 상태"), max_length=15, choices=Status.choices,
                              default=Status.REVIEWING)
    status_date = models.DateField(_("상태 기준일"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["audit_year", "number"]
        constraints = [models.UniqueConstraint(fields=["audit_year", "committee", "number"],
                                               name="gov_audititem_number")]
        verbose_name = _("행정사무감사 처리 항목")
        verbose_name_plural = _("행정사무감사 처리 항목")

    def __str__(self) -> str:
        return f"{self.audit_year}-{self.number} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status != self.Status.DONE
                    and self.due_date < dt.date.today())


class AuditProgressNote(models.Model):
    item = models.ForeignKey(AuditItem, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("일자"))
    text = models.TextField(_("진행 내용"))
    status_after = models.CharField(_("변경 후 상태"), max_length=15,
                                    choices=AuditItem.Status.choices, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("진행 기록")
        verbose_name_plural = _("진행 기록")

    def __str__(self) -> str:
        return f"{self.item.number} {self.date}"


class AuditEvidence(models.Model):
    item = models.ForeignKey(AuditItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("파일"), upload_to="governance/evidence/%Y/")
    original_name = models.CharField(_("파일 이름"), max_length=255)
    size = models.PositiveBigIntegerField(_("크기(바이트)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("설명"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = REFERENCE_SCOPE

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("증빙 자료")
        verbose_name_plural = _("증빙 자료")

    def __str__(self) -> str:
        return self.original_name
