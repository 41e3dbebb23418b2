"""Digital inclusion records: supporters (어디나지원단), learners, diagnosis, contents,
matching, lessons, repetition, helpdesk, fees, robots and robot classes.

Who sees what (``Scope`` + :func:`access.scope_extra`):
  * foundation admins and the programme's staff (``edu``) see every district;
  * other foundation staff see the non-personal records (contents, robots, classes) only;
  * a district officer sees the records of their district;
  * a supporter sees their own record, the learners matched to them, their matches,
    lessons, repetitions and diagnoses of those learners — nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope
from seoul_digital.inclusion import access
from seoul_digital.inclusion.engine import ledger
from seoul_digital.inclusion.engine.schedule import Window, format_windows

OFFICIALS = Role.officials()
WITH_SUPPORTER = Role.officials() | {Role.SUPPORTER}
FOUNDATION = Role.foundation()


def _english() -> bool:
    return (get_language() or "ko").startswith("en")


class Level(models.TextChoices):
    BASIC = "basic", _("기초")
    DAILY = "daily", _("생활")
    ADVANCED = "advanced", _("심화")


class Device(models.TextChoices):
    ANDROID = "android", _("안드로이드 폰")
    IOS = "ios", _("아이폰")
    OTHER = "other", _("기타 기기")


class Gender(models.TextChoices):
    FEMALE = "F", _("여성")
    MALE = "M", _("남성")


class Language(models.TextChoices):
    KOREAN = "ko", _("한국어")
    CHINESE = "zh", _("중국어")
    ENGLISH = "en", _("영어")
    VIETNAMESE = "vi", _("베트남어")
    JAPANESE = "ja", _("일본어")


def windows_of(data) -> tuple[Window, ...]:
    return tuple(sorted(Window.from_dict(d) for d in (data or [])))


# ---------------------------------------------------------------------------------------
# Programme settings and reference data


class FeeSchedule(models.Model):
    """Activity-fee rate and hour cap from a date on (the latest one on or before a day
    applies). Configurable by programme staff; the 2021 figures are the defaults."""

    effective_from = models.DateField(_("적용 시작일"), unique=True, error_messages={
        "unique": _("그 날짜부터 적용되는 기준이 이미 있습니다.")})
    rate_per_session = models.PositiveIntegerField(_("1회 활동비(원)"), default=33_000)
    session_minutes = models.PositiveSmallIntegerField(_("1회 수업 시간(분)"), default=90)
    monthly_cap_minutes = models.PositiveIntegerField(_("월 활동 한도(분)"), default=21 * 60)
    min_paid_minutes = models.PositiveSmallIntegerField(_("활동비 최소 시간(분)"), default=60)
    pay_no_show = models.BooleanField(_("교육생 불참 시에도 지급"), default=False)
    sessions_per_learner_month = models.PositiveSmallIntegerField(
        _("교육생 1명당 월 수업 계획(회)"), default=2)
    note = models.CharField(_("메모"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=WITH_SUPPORTER, change=FOUNDATION,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("활동비 기준")
        verbose_name_plural = _("활동비 기준")

    def __str__(self) -> str:
        return f"{self.effective_from} · {self.rate_per_session:,}원/{self.session_minutes}분"

    def clean(self):
        if self.min_paid_minutes > self.session_minutes:
            raise ValidationError({"min_paid_minutes": _("최소 시간은 1회 수업 시간보다 길 수 없습니다.")})
        if self.monthly_cap_minutes < self.session_minutes:
            raise ValidationError({"monthly_cap_minutes": _("월 한도가 1회 수업 시간보다 짧습니다.")})

    @property
    def rule(self) -> ledger.FeeRule:
        return ledger.FeeRule(rate_per_session=self.rate_per_session,
                              session_minutes=self.session_minutes,
                              monthly_cap_minutes=self.monthly_cap_minutes,
                              min_paid_minutes=self.min_paid_minutes,
                              pay_no_show=self.pay_no_show)

    @property
    def cap_hours(self) -> float:
        return self.monthly_cap_minutes / 60

    @classmethod
    def for_day(cls, day: dt.date) -> FeeSchedule:
        found = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return found or cls(effective_from=dt.date(2021, 1, 1))


class Content(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", _("기본 콘텐츠")
        PARTNER = "partner", _("협력 과정")

    code = models.CharField(_("코드"), max_length=10, unique=True)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices, default=Kind.CORE)
    level = models.CharField(_("수준"), max_length=10, choices=Level.choices)
    skill = models.CharField(_("역량"), max_length=30)
    title_ko = models.CharField(_("제목(한국어)"), max_length=100)
    title_en = models.CharField(_("제목(영어)"), max_length=100)
    objective_ko = models.CharField(_("학습 목표(한국어)"), max_length=200)
    objective_en = models.CharField(_("학습 목표(영어)"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("시간(분)"), default=90)
    robot = models.BooleanField(_("로봇 반복 교육 가능"), default=False)
    partner_ko = models.CharField(_("협력 기관"), max_length=60, blank=True)
    partner_en = models.CharField(_("협력 기관(영어)"), max_length=60, blank=True)
    active = models.BooleanField(_("사용 중"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.all(), change=FOUNDATION,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["kind", "sort_order", "code"]
        verbose_name = _("교육 콘텐츠")
        verbose_name_plural = _("교육 콘텐츠")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if _english() else self.title_ko

    @property
    def objective(self) -> str:
        return self.objective_en if _english() else self.objective_ko

    @property
    def partner(self) -> str:
        return self.partner_en if _english() else self.partner_ko


class Questionnaire(models.Model):
    """A version of the diagnosis questionnaire (the engine's definition, frozen as JSON
    so old diagnoses keep the questions they were asked)."""

    code = models.SlugField(_("설문 코드"), max_length=40)
    version = models.PositiveSmallIntegerField(_("판"))
    definition = models.JSONField(_("문항"))
    active = models.BooleanField(_("사용 중"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=WITH_SUPPORTER, change=FOUNDATION,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="inclusion_questionnaire_version")]
        verbose_name = _("역량 진단 설문")
        verbose_name_plural = _("역량 진단 설문")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def form(self):
        from seoul_digital.inclusion.engine.diagnosis import Questionnaire as Form

        return Form.from_dict(self.definition)


# ---------------------------------------------------------------------------------------
# People


class Supporter(models.Model):
    """A member of 어디나지원단 (retired people with IT skills, 55+), from application on."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("지원서 접수")
        SCREENING = "screening", _("심사 중")
        TRAINING = "training", _("직무 교육 중")
        ACTIVE = "active", _("활동 중")
        PAUSED = "paused", _("활동 쉼")
        REJECTED = "rejected", _("선발 안 됨")
        LEFT = "left", _("활동 종료")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("로그인 계정"), null=True,
                                blank=True, on_delete=models.SET_NULL,
                                related_name="inclusion_supporter")
    name = models.CharField(_("이름"), max_length=40)
    phone = models.CharField(_("전화번호"), max_length=20)
    birth_date = models.DateField(_("생년월일"))
    gender = models.CharField(_("성별"), max_length=1, choices=Gender.choices, blank=True)
    home_district = models.ForeignKey("core.District", verbose_name=_("사는 자치구"),
                                      on_delete=models.PROTECT, related_name="+")
    districts = models.ManyToManyField("core.District", verbose_name=_("활동 자치구"),
                                       related_name="+", blank=True)
    languages = models.JSONField(_("가능 언어"), default=list, blank=True)
    devices = models.JSONField(_("아는 기기"), default=list, blank=True)
    levels = models.JSONField(_("지도 가능 수준"), default=list, blank=True)
    availability = models.JSONField(_("활동 가능 시간"), default=list, blank=True)
    max_learners = models.PositiveSmallIntegerField(_("동시에 맡을 교육생 수"), default=6)
    stage = models.CharField(_("단계"), max_length=12, choices=Stage.choices,
                             default=Stage.APPLIED, db_index=True)
    experience = models.TextField(_("IT 경력"), blank=True)
    motivation = models.TextField(_("지원 동기"), blank=True)
    screening_note = models.TextField(_("심사 메모"), blank=True)
    training_completed_on = models.DateField(_("직무 교육 수료일"), null=True, blank=True)
    applied_on = models.DateField(_("지원일"), default=dt.date.today)
    stage_changed_at = models.DateTimeField(_("단계 변경 일시"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="home_district", owner="user", view=WITH_SUPPORTER, change=OFFICIALS,
                  extra=access.scope_extra(personal=True))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("어디나지원단원")
        verbose_name_plural = _("어디나지원단")

    def __str__(self) -> str:
        from seoul_digital.core.formatting import mask_name

        return _("지원단 %(name)s") % {"name": mask_name(self.name)}

    @property
    def windows(self) -> tuple[Window, ...]:
        return windows_of(self.availability)

    @property
    def windows_label(self) -> str:
        return format_windows(self.windows)

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Learner(models.Model):
    """A senior (65+) registered by the helpdesk on the phone or at a venue."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("매칭 대기")
        MATCHING = "matching", _("매칭 진행 중")
        LEARNING = "learning", _("수업 중")
        FINISHED = "finished", _("수료")
        WITHDRAWN = "withdrawn", _("그만둠")

    class Channel(models.TextChoices):
        PHONE = "phone", _("전화")
        VENUE = "venue", _("현장 방문")

    name = models.CharField(_("이름"), max_length=40)
    phone = models.CharField(_("전화번호"), max_length=20)
    birth_date = models.DateField(_("생년월일"))
    gender = models.CharField(_("성별"), max_length=1, choices=Gender.choices, blank=True)
    gender_preference = models.CharField(_("희망하는 지원단 성별"), max_length=1,
                                         choices=Gender.choices, blank=True)
    district = models.ForeignKey("core.District", verbose_name=_("자치구"),
                                 on_delete=models.PROTECT, related_name="+")
    address_area = models.CharField(_("사는 동네(동)"), max_length=40)
    device = models.CharField(_("쓰는 기기"), max_length=10, choices=Device.choices,
                              default=Device.ANDROID)
    language = models.CharField(_("편한 언어"), max_length=5, choices=Language.choices,
                                default=Language.KOREAN)
    availability = models.JSONField(_("수업 가능 시간"), default=list, blank=True)
    channel = models.CharField(_("등록 경로"), max_length=10, choices=Channel.choices,
                               default=Channel.PHONE)
    consent = models.BooleanField(_("개인정보 수집·이용 동의"), default=False)
    level = models.CharField(_("진단 수준"), max_length=10, choices=Level.choices, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.WAITING, db_index=True)
    waiting_since = models.DateTimeField(_("대기 시작"), default=timezone.now)
    waiting_reason = models.JSONField(_("대기 사유"), null=True, blank=True)
    notes = models.TextField(_("메모"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("등록한 사람"),
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    registered_at = models.DateTimeField(_("등록 일시"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=WITH_SUPPORTER, change=OFFICIALS,
                  extra=access.scope_extra(personal=True,
                                           supporter=access.learners_of_supporter))

    class Meta:
        ordering = ["-registered_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["phone", "birth_date"],
                                               name="inclusion_learner_one_person")]
        verbose_name = _("교육생")
        verbose_name_plural = _("교육생")

    def __str__(self) -> str:
        from seoul_digital.core.formatting import mask_name

        return _("교육생 %(name)s") % {"name": mask_name(self.name)}

    @property
    def windows(self) -> tuple[Window, ...]:
        return windows_of(self.availability)

    @property
    def windows_label(self) -> str:
        return format_windows(self.windows)

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def waiting_days(self) -> int:
        return max((timezone.now() - self.waiting_since).days, 0)


class Diagnosis(models.Model):
    class Kind(models.TextChoices):
        PRE = "pre", _("사전 진단")
        POST = "post", _("사후 진단")

    learner = models.ForeignKey(Learner, verbose_name=_("교육생"), on_delete=models.CASCADE,
                                related_name="diagnoses")
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("설문"),
                                      on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("구분"), max_length=5, choices=Kind.choices, default=Kind.PRE)
    answers = models.JSONField(_("응답"))
    skill_scores = models.JSONField(_("역량별 점수"))
    skill_levels = models.JSONField(_("역량별 수준"))
    band_scores = models.JSONField(_("수준별 점수"))
    overall_level = models.CharField(_("종합 수준"), max_length=10, choices=Level.choices)
    overall_score = models.FloatField(_("종합 점수"))
    taken_at = models.DateTimeField(_("진단 일시"), default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("진단한 사람"),
                                 null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="learner__district", view=WITH_SUPPORTER, change=WITH_SUPPORTER,
                  extra=access.scope_extra(personal=True, supporter=access.via_learner))

    class Meta:
        ordering = ["learner", "taken_at"]
        verbose_name = _("역량 진단")
        verbose_name_plural = _("역량 진단")

    def __str__(self) -> str:
        return f"{self.learner} {self.get_kind_display()} {self.taken_at:%Y-%m-%d}"

    @property
    def result(self):
        from seoul_digital.inclusion.engine.diagnosis import Diagnosis as Result

        return Result(self.questionnaire.code, self.questionnaire.version, self.skill_scores,
                      self.skill_levels, self.band_scores, self.overall_level, self.overall_score)


# ---------------------------------------------------------------------------------------
# Matching


class MatchRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("대기")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("실행한 사람"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("실행 일시"), default=timezone.now)
    district = models.ForeignKey("core.District", verbose_name=_("자치구"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("비우면 서울 전체"))
    policy = models.JSONField(_("매칭 조건"), default=dict)
    stats = models.JSONField(_("결과 요약"), default=dict, blank=True)
    state = models.CharField(_("상태"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("실패 사유"), blank=True)
    trigger = models.CharField(_("계기"), max_length=20, default="staff")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=OFFICIALS, change=FOUNDATION,
                  extra=access.scope_extra(personal=True))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("매칭 실행")
        verbose_name_plural = _("매칭 실행")

    def __str__(self) -> str:
        return _("매칭 실행 %(n)s") % {"n": self.pk}


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("제안됨(담당자 확인 전)")
        CONFIRMED = "confirmed", _("확정(지원단 응답 대기)")
        ACCEPTED = "accepted", _("수업 중")
        DECLINED = "declined", _("지원단이 거절")
        REJECTED = "rejected", _("담당자가 반려")
        CLOSED = "closed", _("종료")

    class CloseReason(models.TextChoices):
        COMPLETED = "completed", _("과정 수료")
        LEARNER_REQUEST = "learner_request", _("교육생이 그만두기를 원함")
        HEALTH = "health", _("건강 문제")
        UNREACHABLE = "unreachable", _("연락이 닿지 않음")
        SUPPORTER_LEFT = "supporter_left", _("지원단 활동 중단")
        MISMATCH = "mismatch", _("서로 맞지 않음")
        MOVED = "moved", _("이사")
        OTHER = "other", _("기타")

    LIVE = ("proposed", "confirmed", "accepted")            # hold a supporter place
    SUPPORTER_VISIBLE = ("confirmed", "accepted", "declined", "closed")

    run = models.ForeignKey(MatchRun, verbose_name=_("매칭 실행"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="matches")
    learner = models.ForeignKey(Learner, verbose_name=_("교육생"), on_delete=models.CASCADE,
                                related_name="matches")
    supporter = models.ForeignKey(Supporter, verbose_name=_("지원단"), on_delete=models.PROTECT,
                                  related_name="matches")
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED, db_index=True)
    cost = models.IntegerField(_("적합도 비용"), default=0)
    priority = models.IntegerField(_("대기 우선순위"), default=0)
    breakdown = models.JSONField(_("비용 내역"), default=dict, blank=True)
    reasons = models.JSONField(_("매칭 이유"), default=list, blank=True)
    common_windows = models.CharField(_("함께 가능한 시간"), max_length=300, blank=True)
    travel_minutes = models.FloatField(_("예상 이동 시간(분)"), default=0)
    distance_km = models.FloatField(_("예상 이동 거리(km)"), default=0)
    proposed_at = models.DateTimeField(_("제안 일시"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("확정 일시"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("확정한 사람"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    responded_at = models.DateTimeField(_("지원단 응답 일시"), null=True, blank=True)
    response_note = models.CharField(_("거절·반려 사유"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("종료 일시"), null=True, blank=True)
    close_reason = models.CharField(_("종료 사유"), max_length=20, choices=CloseReason.choices,
                                    blank=True)
    close_note = models.CharField(_("종료 메모"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="learner__district", owner="supporter__user", view=WITH_SUPPORTER,
                  change=WITH_SUPPORTER,
                  extra=access.scope_extra(personal=True, supporter=access.visible_matches))

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("매칭")
        verbose_name_plural = _("매칭")

    def __str__(self) -> str:
        return f"{self.learner} ↔ {self.supporter}"

    @property
    def early_closure(self) -> bool:
        return self.status == self.Status.CLOSED and self.close_reason != self.CloseReason.COMPLETED


# ---------------------------------------------------------------------------------------
# Lessons, repetition, helpdesk


class Lesson(models.Model):
    class PlaceType(models.TextChoices):
        HOME = "home", _("교육생 집")
        COMMUNITY = "community", _("주민센터")
        SENIOR_CENTRE = "senior_centre", _("노인복지관·경로당")
        LIBRARY = "library", _("도서관")
        CAFE = "cafe", _("카페")
        ONLINE = "online", _("비대면(전화·영상)")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        PLANNED = ledger.PLANNED, _("예정")
        HELD = ledger.HELD, _("진행함")
        CANCELLED = ledger.CANCELLED, _("취소")

    class Attendance(models.TextChoices):
        ATTENDED = ledger.ATTENDED, _("출석")
        LATE = ledger.LATE, _("지각")
        NO_SHOW = ledger.NO_SHOW, _("불참")

    match = models.ForeignKey(Match, verbose_name=_("매칭"), on_delete=models.PROTECT,
                              related_name="lessons")
    date = models.DateField(_("날짜"))
    start_time = models.TimeField(_("시작 시각"))
    minutes = models.PositiveSmallIntegerField(_("시간(분)"), default=90)
    place_type = models.CharField(_("장소"), max_length=15, choices=PlaceType.choices,
                                  default=PlaceType.COMMUNITY)
    place_note = models.CharField(_("장소 설명"), max_length=100, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED, db_index=True)
    attendance = models.CharField(_("출석"), max_length=10, choices=Attendance.choices, blank=True)
    contents = models.ManyToManyField(Content, verbose_name=_("다룬 콘텐츠"), blank=True,
                                      related_name="lessons")
    notes = models.TextField(_("수업 메모"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("교육생 만족도(1~5)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    logged_at = models.DateTimeField(_("기록 일시"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="match__learner__district", owner="match__supporter__user",
                  view=WITH_SUPPORTER, change=WITH_SUPPORTER,
                  extra=access.scope_extra(personal=True))

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("1:1 수업")
        verbose_name_plural = _("1:1 수업")

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M} {self.match.learner}"

    def clean(self):
        if self.satisfaction is not None and not 1 <= self.satisfaction <= 5:
            raise ValidationError({"satisfaction": _("만족도는 1~5 중에서 고르세요.")})
        if self.status == self.Status.HELD and not self.attendance:
            raise ValidationError({"attendance": _("진행한 수업은 출석 여부를 고르세요.")})

    @property
    def end_time(self) -> dt.time:
        start = dt.datetime.combine(self.date, self.start_time)
        return (start + dt.timedelta(minutes=self.minutes)).time()

    def as_session(self) -> ledger.Session:
        from seoul_digital.core.formatting import mask_name

        return ledger.Session(id=self.pk, day=self.date, start=self.start_time,
                              minutes=self.minutes, status=self.status,
                              attendance=self.attendance, supporter=self.match.supporter_id,
                              learner=self.match.learner_id,
                              label=mask_name(self.match.learner.name))


class Repetition(models.Model):
    """Repetition after a 1:1 lesson: with the education robots (at a class) or online."""

    class Mode(models.TextChoices):
        ROBOT = "robot", _("로봇 반복 교육")
        ONLINE = "online", _("온라인(모바일) 반복 교육")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("배정됨")
        DONE = "done", _("마침")
        SKIPPED = "skipped", _("못 함")

    learner = models.ForeignKey(Learner, verbose_name=_("교육생"), on_delete=models.CASCADE,
                                related_name="repetitions")
    lesson = models.ForeignKey(Lesson, verbose_name=_("이어지는 수업"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="repetitions")
    content = models.ForeignKey(Content, verbose_name=_("콘텐츠"), on_delete=models.PROTECT,
                                related_name="+")
    mode = models.CharField(_("방식"), max_length=10, choices=Mode.choices, default=Mode.ROBOT)
    robot_class = models.ForeignKey("RobotClass", verbose_name=_("로봇 수업"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="repetitions")
    due_on = models.DateField(_("언제까지"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(_("배정 일시"), default=timezone.now)
    done_at = models.DateTimeField(_("마친 일시"), null=True, blank=True)
    note = models.CharField(_("메모"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="learner__district", view=WITH_SUPPORTER, change=WITH_SUPPORTER,
                  extra=access.scope_extra(personal=True, supporter=access.via_learner))

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        verbose_name = _("반복 교육")
        verbose_name_plural = _("반복 교육")

    def __str__(self) -> str:
        return f"{self.learner} · {self.content.code} · {self.get_mode_display()}"

    def clean(self):
        if self.mode == self.Mode.ROBOT and self.content_id and not self.content.robot:
            raise ValidationError({"content": _("이 콘텐츠는 로봇에 실려 있지 않습니다. 온라인 반복을 고르세요.")})


class HelpdeskTicket(models.Model):
    class Category(models.TextChoices):
        DEVICE = "device", _("기기 사용법")
        LESSON = "lesson", _("수업 내용 질문")
        SCHEDULE = "schedule", _("일정 변경·취소")
        APP = "app", _("앱·서비스 오류")
        SAFETY = "safety", _("사기·보안 걱정")
        COMPLAINT = "complaint", _("불편·건의")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        OPEN = "open", _("답변 전")
        RESOLVED = "resolved", _("해결됨")

    class Channel(models.TextChoices):
        PHONE = "phone", _("전화")
        VISIT = "visit", _("방문")
        ONLINE = "online", _("온라인")

    learner = models.ForeignKey(Learner, verbose_name=_("교육생"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tickets")
    district = models.ForeignKey("core.District", verbose_name=_("자치구"),
                                 on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("경로"), max_length=10, choices=Channel.choices,
                               default=Channel.PHONE)
    category = models.CharField(_("분류"), max_length=12, choices=Category.choices)
    question = models.TextField(_("문의 내용"))
    answer = models.TextField(_("답변"), blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("접수 일시"), default=timezone.now)
    resolved_at = models.DateTimeField(_("해결 일시"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("담당자"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=True))

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("헬프데스크 상담")
        verbose_name_plural = _("헬프데스크 상담")

    def __str__(self) -> str:
        return _("상담 %(n)s") % {"n": self.pk}

    @property
    def hours_to_resolve(self) -> float | None:
        if not self.resolved_at:
            return None
        return (self.resolved_at - self.opened_at).total_seconds() / 3600


# ---------------------------------------------------------------------------------------
# Robots


class Facility(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("주민센터")
        SENIOR_WELFARE = "senior_welfare", _("노인복지시설")
        DAYCARE = "daycare", _("어린이집")
        OTHER = "other", _("기타")

    name = models.CharField(_("시설 이름"), max_length=80)
    district = models.ForeignKey("core.District", verbose_name=_("자치구"),
                                 on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("종류"), max_length=15, choices=Kind.choices)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"],
                                               name="inclusion_facility_name")]
        verbose_name = _("교육 시설")
        verbose_name_plural = _("교육 시설")

    def __str__(self) -> str:
        return self.name


class Robot(models.Model):
    class Status(models.TextChoices):
        DEPLOYED = "deployed", _("배치됨")
        CHARGING = "charging", _("충전 중")
        REPAIR = "repair", _("수리 중")
        LOST = "lost", _("분실")

    serial = models.CharField(_("일련번호"), max_length=30, unique=True)
    district = models.ForeignKey("core.District", verbose_name=_("자치구"),
                                 on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, verbose_name=_("보관 시설"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="robots")
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.DEPLOYED, db_index=True)
    model_name = models.CharField(_("모델"), max_length=40, blank=True)
    note = models.CharField(_("메모"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["serial"]
        verbose_name = _("교육로봇")
        verbose_name_plural = _("교육로봇")

    def __str__(self) -> str:
        return self.serial

    def clean(self):
        if self.facility_id and self.facility.district_id != self.district_id:
            raise ValidationError({"facility": _("보관 시설이 로봇의 자치구에 있지 않습니다.")})

    @property
    def open_checkout(self):
        return self.checkouts.filter(returned_at__isnull=True).first()


class RobotCheckout(models.Model):
    robot = models.ForeignKey(Robot, verbose_name=_("로봇"), on_delete=models.CASCADE,
                              related_name="checkouts")
    facility = models.ForeignKey(Facility, verbose_name=_("가져간 시설"), on_delete=models.PROTECT,
                                 related_name="+")
    checked_out_at = models.DateTimeField(_("대여 일시"), default=timezone.now)
    due_back = models.DateField(_("반납 예정일"))
    returned_at = models.DateTimeField(_("반납 일시"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("처리한 사람"), null=True,
                           blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("메모"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="robot__district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["-checked_out_at", "-pk"]
        verbose_name = _("로봇 대여")
        verbose_name_plural = _("로봇 대여")

    def __str__(self) -> str:
        return f"{self.robot} → {self.facility}"


class RobotMaintenance(models.Model):
    robot = models.ForeignKey(Robot, verbose_name=_("로봇"), on_delete=models.CASCADE,
                              related_name="maintenance")
    problem = models.CharField(_("고장 내용"), max_length=300)
    opened_at = models.DateTimeField(_("접수 일시"), default=timezone.now)
    closed_at = models.DateTimeField(_("처리 일시"), null=True, blank=True)
    resolution = models.CharField(_("처리 결과"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="robot__district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("로봇 수리")
        verbose_name_plural = _("로봇 수리")

    def __str__(self) -> str:
        return f"{self.robot}: {self.problem[:40]}"


class RobotClass(models.Model):
    class Programme(models.TextChoices):
        KAKAOTALK = "kakaotalk", _("카카오톡 사용법")
        VOICE_PHISHING = "voice_phishing", _("보이스피싱 예방")
        STORYTELLING = "storytelling", _("동화 구연")
        REPETITION = "repetition", _("1:1 수업 복습")

    class LearnerType(models.TextChoices):
        SENIOR = "senior", _("어르신")
        CHILD = "child", _("어린이")

    facility = models.ForeignKey(Facility, verbose_name=_("시설"), on_delete=models.PROTECT,
                                 related_name="classes")
    district = models.ForeignKey("core.District", verbose_name=_("자치구"),
                                 on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("날짜"))
    programme = models.CharField(_("교육 내용"), max_length=20, choices=Programme.choices)
    content = models.ForeignKey(Content, verbose_name=_("복습 콘텐츠"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    learner_type = models.CharField(_("대상"), max_length=10, choices=LearnerType.choices)
    robots = models.ManyToManyField(Robot, verbose_name=_("사용한 로봇"), related_name="classes")
    attendance = models.PositiveIntegerField(_("참석 인원"))
    supporter_linked = models.BooleanField(_("어디나지원단 연계"), default=False)
    note = models.CharField(_("메모"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=OFFICIALS, change=OFFICIALS,
                  extra=access.scope_extra(personal=False))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("로봇 수업")
        verbose_name_plural = _("로봇 수업")

    def __str__(self) -> str:
        return f"{self.date} {self.facility} {self.get_programme_display()}"

    def clean(self):
        if self.facility_id and self.district_id and self.facility.district_id != self.district_id:
            raise ValidationError({"facility": _("시설이 고른 자치구에 있지 않습니다.")})
        if self.programme == self.Programme.STORYTELLING and self.learner_type != self.LearnerType.CHILD:
            raise ValidationError({"learner_type": _("동화 구연은 어린이 대상 수업입니다.")})
        if self.programme == self.Programme.REPETITION and not self.content_id:
            raise ValidationError({"content": _("복습 수업은 복습할 콘텐츠를 고르세요.")})
