"""Every write of the inclusion app: validated, permission-checked, audited, atomic.

Services raise ``django.core.exceptions.ValidationError`` with plain-words messages (keyed
by form field where there is one); nothing is saved when they do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.core import audit
from seoul_digital.core.roles import Role
from seoul_digital.core.services import AccessDenied, do_create, do_update, ensure_can
from seoul_digital.inclusion import access
from seoul_digital.inclusion.engine import diagnosis as diag_engine
from seoul_digital.inclusion.engine import ledger
from seoul_digital.inclusion.engine import matching as engine
from seoul_digital.inclusion.explain import booking_text
from seoul_digital.inclusion.models import (
    Content,
    Diagnosis,
    Facility,
    FeeSchedule,
    HelpdeskTicket,
    Learner,
    Lesson,
    Match,
    MatchRun,
    Questionnaire,
    Repetition,
    Robot,
    RobotCheckout,
    RobotClass,
    RobotMaintenance,
    Supporter,
)
from seoul_digital.inclusion.phone import PhoneError, normalise_phone

LEARNER_MIN_AGE = 65
SUPPORTER_MIN_AGE = 55


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except PhoneError as err:
        raise ValidationError({"phone": str(err)}) from None


def _windows_json(windows) -> list[dict]:
    return [w.as_dict() for w in sorted(set(windows))]


def _check_district_allowed(user, district) -> None:
    if user.role == Role.DISTRICT_OFFICER and district.pk != user.district_id:
        raise ValidationError({"district": _("다른 자치구의 기록은 만들 수 없습니다. 담당 자치구(%(d)s)를 고르세요.")
                               % {"d": user.district}})


# ---------------------------------------------------------------------------------------
# Learners


def _duplicate_of(phone: str, birth_date: dt.date, exclude_pk=None) -> Learner | None:
    # Deliberately unrestricted: one person is one learner across all districts.
    found = Learner.objects.filter(phone=phone, birth_date=birth_date)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def _duplicate_error(existing: Learner) -> ValidationError:
    return ValidationError({"phone": _(
        "같은 전화번호와 생년월일로 이미 등록된 분이 있습니다(교육생 번호 %(n)s, %(when)s 등록). "
        "새로 등록하지 말고 기존 기록을 여세요.") % {
            "n": existing.pk, "when": timezone.localtime(existing.registered_at).strftime("%Y-%m-%d")}})


def do_register_learner(user, *, name: str, phone: str, birth_date: dt.date, district,
                        address_area: str, windows: Iterable, device: str = "android",
                        language: str = "ko", gender: str = "", gender_preference: str = "",
                        channel: str = "phone", consent: bool = False, notes: str = "",
                        request=None) -> Learner:
    errors = {}
    if not consent:
        errors["consent"] = _("개인정보 수집·이용에 동의해야 등록할 수 있습니다. 동의를 받았다면 표시하세요.")
    try:
        phone = _phone(phone)
    except ValidationError as err:
        errors.update(err.message_dict)
    today = timezone.localdate()
    if birth_date is None or birth_date > today:
        errors["birth_date"] = _("생년월일을 확인하세요.")
    else:
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
        if age < LEARNER_MIN_AGE:
            errors["birth_date"] = _("이 교육은 만 %(min)s세 이상 어르신이 대상입니다(지금 만 %(age)s세).") % {
                "min": LEARNER_MIN_AGE, "age": age}
    windows = list(windows or [])
    if not windows:
        errors["windows"] = _("수업 받을 수 있는 요일과 시간을 하나 이상 고르세요.")
    if errors:
        raise ValidationError(errors)
    _check_district_allowed(user, district)
    existing = _duplicate_of(phone, birth_date)
    if existing is not None:
        raise _duplicate_error(existing)
    try:
        with transaction.atomic():
            return do_create(user, Learner, request=request, name=name.strip(), phone=phone,
                             birth_date=birth_date, district=district,
                             address_area=address_area.strip(), availability=_windows_json(windows),
                             device=device, language=language, gender=gender,
                             gender_preference=gender_preference, channel=channel, consent=True,
                             notes=notes, registered_by=user, waiting_since=timezone.now())
    except IntegrityError:
        # Someone registered the same person a moment ago.
        existing = _duplicate_of(phone, birth_date)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    except ValidationError as err:
        if "__all__" in getattr(err, "message_dict", {}) and _duplicate_of(phone, birth_date):
            raise _duplicate_error(_duplicate_of(phone, birth_date)) from None
        raise


def do_update_learner(user, learner: Learner, *, request=None, **changes) -> Learner:
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    if "windows" in changes:
        windows = list(changes.pop("windows") or [])
        if not windows:
            raise ValidationError({"windows": _("수업 받을 수 있는 요일과 시간을 하나 이상 고르세요.")})
        changes["availability"] = _windows_json(windows)
    if "district" in changes:
        _check_district_allowed(user, changes["district"])
    phone = changes.get("phone", learner.phone)
    birth_date = changes.get("birth_date", learner.birth_date)
    existing = _duplicate_of(phone, birth_date, exclude_pk=learner.pk)
    if existing is not None:
        raise _duplicate_error(existing)
    with transaction.atomic():
        return do_update(user, learner, request=request, **changes)


# ---------------------------------------------------------------------------------------
# Supporters


def do_apply_supporter(user, *, name: str, phone: str, birth_date: dt.date, home_district,
                       districts=(), gender: str = "", languages=("ko",), devices=(),
                       levels=(), windows=(), max_learners: int = 6, experience: str = "",
                       motivation: str = "", request=None) -> Supporter:
    errors = {}
    try:
        phone = _phone(phone)
    except ValidationError as err:
        errors.update(err.message_dict)
    today = timezone.localdate()
    if birth_date is None or birth_date > today:
        errors["birth_date"] = _("생년월일을 확인하세요.")
    else:
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
        if age < SUPPORTER_MIN_AGE:
            errors["birth_date"] = _("어디나지원단은 만 %(min)s세 이상이 지원할 수 있습니다(지금 만 %(age)s세).") % {
                "min": SUPPORTER_MIN_AGE, "age": age}
    if not devices:
        errors["devices"] = _("다룰 줄 아는 기기를 하나 이상 고르세요.")
    if not levels:
        errors["levels"] = _("가르칠 수 있는 수준을 하나 이상 고르세요.")
    if errors:
        raise ValidationError(errors)
    _check_district_allowed(user, home_district)
    with transaction.atomic():
        supporter = do_create(user, Supporter, request=request, name=name.strip(), phone=phone,
                              birth_date=birth_date, gender=gender, home_district=home_district,
                              languages=sorted(set(languages) | {"ko"}), devices=sorted(set(devices)),
                              levels=sorted(set(levels)), availability=_windows_json(windows),
                              max_learners=max_learners, experience=experience,
                              motivation=motivation)
        covered = list(districts) or [home_district]
        supporter.districts.set(covered)
        audit.record(user, "update", supporter, request=request,
                     after={"districts": sorted(d.name_ko for d in covered)})
    return supporter


def do_update_supporter(user, supporter: Supporter, *, districts=None, windows=None,
                        request=None, **changes) -> Supporter:
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    if windows is not None:
        changes["availability"] = _windows_json(windows)
    with transaction.atomic():
        supporter = do_update(user, supporter, request=request, **changes)
        if districts is not None:
            before = sorted(d.name_ko for d in supporter.districts.all())
            supporter.districts.set(list(districts) or [supporter.home_district])
            after = sorted(d.name_ko for d in supporter.districts.all())
            if before != after:
                audit.record(user, "update", supporter, request=request,
                             before={"districts": before}, after={"districts": after})
    return supporter


STAGE_MOVES = {
    Supporter.Stage.APPLIED: (Supporter.Stage.SCREENING, Supporter.Stage.REJECTED),
    Supporter.Stage.SCREENING: (Supporter.Stage.TRAINING, Supporter.Stage.REJECTED),
    Supporter.Stage.TRAINING: (Supporter.Stage.ACTIVE, Supporter.Stage.LEFT),
    Supporter.Stage.ACTIVE: (Supporter.Stage.PAUSED, Supporter.Stage.LEFT),
    Supporter.Stage.PAUSED: (Supporter.Stage.ACTIVE, Supporter.Stage.LEFT),
    Supporter.Stage.REJECTED: (),
    Supporter.Stage.LEFT: (),
}


def do_move_supporter(user, supporter: Supporter, stage: str, *, note: str = "",
                      training_completed_on: dt.date | None = None, request=None) -> Supporter:
    allowed = STAGE_MOVES.get(supporter.stage, ())
    if stage not in allowed:
        raise ValidationError({"stage": _("'%(from)s' 단계에서 '%(to)s'(으)로 바로 옮길 수 없습니다.") % {
            "from": supporter.get_stage_display(), "to": Supporter.Stage(stage).label}})
    changes = {"stage": stage, "stage_changed_at": timezone.now()}
    if note:
        changes["screening_note"] = (supporter.screening_note + "\n" + note).strip()
    if stage == Supporter.Stage.ACTIVE:
        completed = training_completed_on or supporter.training_completed_on
        if completed is None:
            raise ValidationError({"training_completed_on": _("활동을 시작하려면 직무 교육 수료일을 적으세요.")})
        if not supporter.availability:
            raise ValidationError({"stage": _("활동 가능 시간이 없습니다. 먼저 시간을 적어야 매칭할 수 있습니다.")})
        changes["training_completed_on"] = completed
    if stage in (Supporter.Stage.PAUSED, Supporter.Stage.LEFT):
        running = supporter.matches.filter(status__in=Match.LIVE).count()
        if running:
            raise ValidationError({"stage": _("진행 중이거나 제안된 매칭 %(n)s건이 있습니다. 먼저 매칭을 종료하거나 반려하세요.")
                                   % {"n": running}})
    with transaction.atomic():
        return do_update(user, supporter, request=request, **changes)


# ---------------------------------------------------------------------------------------
# Diagnosis


def active_questionnaire() -> Questionnaire:
    found = Questionnaire.objects.filter(active=True).order_by("-version").first()
    if found is None:
        form = diag_engine.questionnaire()
        found, _created = Questionnaire.objects.get_or_create(
            code=form.code, version=form.version, defaults={"definition": form.as_dict()})
    return found


def do_record_diagnosis(user, learner: Learner, *, kind: str, answers: dict,
                        questionnaire: Questionnaire | None = None, request=None) -> Diagnosis:
    questionnaire = questionnaire or active_questionnaire()
    if kind == Diagnosis.Kind.POST and not learner.diagnoses.filter(kind=Diagnosis.Kind.PRE).exists():
        raise ValidationError(_("사후 진단 전에 사전 진단이 있어야 변화(향상도)를 볼 수 있습니다."))
    try:
        result = diag_engine.diagnose(questionnaire.form, answers)
    except diag_engine.DiagnosisError as err:
        raise ValidationError(_("진단 응답을 확인하세요: %(err)s") % {"err": err}) from None
    with transaction.atomic():
        diagnosis = do_create(user, Diagnosis, request=request, learner=learner,
                              questionnaire=questionnaire, kind=kind,
                              answers={k: int(v) for k, v in answers.items()},
                              skill_scores=result.skill_scores, skill_levels=result.skill_levels,
                              band_scores=result.band_scores, overall_level=result.overall_level,
                              overall_score=result.overall_score, taken_by=user)
        # The learner's teaching level follows the latest diagnosis (written by the system:
        # a supporter may diagnose but not edit a registration).
        before = learner.level
        Learner.objects.filter(pk=learner.pk).update(level=result.overall_level)
        learner.level = result.overall_level
        if before != result.overall_level:
            audit.record(user, "update", learner, request=request, before={"level": before},
                         after={"level": result.overall_level}, note="diagnosis")
    return diagnosis


# ---------------------------------------------------------------------------------------
# Matching


def _engine_people(learners, supporters, today: dt.date, policy: engine.MatchPolicy):
    supporter_ids = [s.pk for s in supporters]
    live = {}
    for sid in Match.objects.filter(supporter_id__in=supporter_ids, status__in=Match.LIVE).values_list(
            "supporter_id", flat=True):
        live[sid] = live.get(sid, 0) + 1
    month_start = today.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    booked = {}
    for sid, minutes in Lesson.objects.filter(
            match__supporter_id__in=supporter_ids, date__gte=month_start, date__lt=next_month,
            status__in=(Lesson.Status.PLANNED, Lesson.Status.HELD)).values_list(
            "match__supporter_id", "minutes"):
        booked[sid] = booked.get(sid, 0) + minutes
    engine_supporters = []
    for s in supporters:
        current = live.get(s.pk, 0)
        engine_supporters.append(engine.Supporter(
            id=s.pk, home_district=s.home_district.name_ko, windows=s.windows,
            districts=tuple(d.name_ko for d in s.districts.all()),
            levels=frozenset(s.levels), devices=frozenset(s.devices),
            languages=frozenset(s.languages or ["ko"]), gender=s.gender,
            max_learners=s.max_learners, current_learners=current,
            committed_minutes=max(current * policy.plan_minutes, booked.get(s.pk, 0))))
    learner_ids = [l.pk for l in learners]
    excluded: dict[int, set] = {}
    for lid, sid in Match.objects.filter(
            learner_id__in=learner_ids,
            status__in=(Match.Status.DECLINED, Match.Status.REJECTED)).values_list("learner_id", "supporter_id"):
        excluded.setdefault(lid, set()).add(sid)
    previous = {}
    for lid, sid in (Match.objects.filter(learner_id__in=learner_ids, status=Match.Status.CLOSED,
                                          close_reason=Match.CloseReason.COMPLETED)
                     .order_by("closed_at").values_list("learner_id", "supporter_id")):
        previous[lid] = sid
    engine_learners = []
    now = timezone.now()
    for l in learners:
        engine_learners.append(engine.Learner(
            id=l.pk, district=l.district.name_ko, windows=l.windows, level=l.level or "basic",
            device=l.device, language=l.language, gender=l.gender,
            gender_preference=l.gender_preference,
            waiting_days=max((now - l.waiting_since).days, 0),
            previous_supporter=previous.get(l.pk), declined_by=frozenset(excluded.get(l.pk, ()))))
    return engine_learners, engine_supporters


def policy_for(run: MatchRun, today: dt.date) -> engine.MatchPolicy:
    fees = FeeSchedule.for_day(today)
    options = run.policy or {}
    limit = options.get("max_travel_minutes")
    return engine.MatchPolicy(session_minutes=fees.session_minutes,
                              sessions_per_month=fees.sessions_per_learner_month,
                              monthly_cap_minutes=fees.monthly_cap_minutes,
                              allow_adjacent=bool(options.get("allow_adjacent", True)),
                              max_travel_minutes=float(limit) if limit else None)


def do_create_match_run(user, *, district=None, allow_adjacent: bool = True,
                        max_travel_minutes: float | None = None, trigger: str = "staff",
                        request=None) -> MatchRun:
    if not access.is_programme_staff(user) and trigger == "staff":
        raise AccessDenied("only programme staff run matching")
    if max_travel_minutes is not None and not 10 <= max_travel_minutes <= 180:
        raise ValidationError({"max_travel_minutes": _("이동 시간 한도는 10~180분 사이로 적으세요.")})
    return do_create(user, MatchRun, request=request, check=trigger == "staff", created_by=user,
                     district=district, trigger=trigger,
                     policy={"allow_adjacent": allow_adjacent,
                             "max_travel_minutes": max_travel_minutes})


def execute_match_run(run: MatchRun, *, learner_ids=None, progress=None, user=None) -> MatchRun:
    """Run the engine for the waiting learners of ``run`` and save proposals and waiting
    reasons in one transaction. Called by the job and, for one learner, on decline/closure."""
    from seoul_digital.common.progress import null_progress

    progress = progress or null_progress
    user = user or run.created_by
    today = timezone.localdate()
    policy = policy_for(run, today)
    with transaction.atomic():
        learners = Learner.objects.select_for_update().filter(status=Learner.Status.WAITING)
        if run.district_id:
            learners = learners.filter(district_id=run.district_id)
        if learner_ids is not None:
            learners = learners.filter(pk__in=learner_ids)
        learners = list(learners.select_related("district").order_by("pk"))
        supporters = list(Supporter.objects.filter(stage=Supporter.Stage.ACTIVE)
                          .select_related("home_district").prefetch_related("districts").order_by("pk"))
        engine_learners, engine_supporters = _engine_people(learners, supporters, today, policy)
        result = engine.match(engine_learners, engine_supporters, policy, progress=progress)
        by_id = {l.pk: l for l in learners}
        now = timezone.now()
        for p in result.proposals:
            match = Match.objects.create(
                run=run, learner_id=p.learner_id, supporter_id=p.supporter_id, cost=p.cost,
                priority=p.priority, breakdown=p.breakdown, reasons=[r.as_dict() for r in p.reasons],
                common_windows=p.as_dict()["common_windows"],
                travel_minutes=round(p.travel_minutes, 1), distance_km=round(p.distance_km, 2),
                proposed_at=now)
            audit.record(user, "create", match, after=audit.snapshot(match), note=f"match run {run.pk}")
            learner = by_id[p.learner_id]
            Learner.objects.filter(pk=learner.pk).update(status=Learner.Status.MATCHING,
                                                         waiting_reason=None)
        for u in result.unmatched:
            reason = {**u.reason.as_dict(), "run": run.pk, "at": now.isoformat()}
            Learner.objects.filter(pk=u.learner_id).update(waiting_reason=reason)
        stats = dict(result.stats)
        run.stats = stats
        run.state = MatchRun.State.DONE
        run.save(update_fields=["stats", "state"])
        audit.record(user, "update", run, after={"state": "done", "matched": stats["matched"],
                                                 "unmatched": stats["unmatched"]})
    return run


def _rematch(user, learner: Learner, trigger: str, request=None) -> Match | None:
    run = do_create_match_run(user, trigger=trigger, request=request)
    execute_match_run(run, learner_ids=[learner.pk], user=user)
    return run.matches.filter(learner=learner).first()


def _set_learner(user, learner: Learner, request=None, **changes) -> None:
    """Learner status bookkeeping done by the system on behalf of ``user``."""
    before = {k: getattr(learner, k) for k in changes}
    Learner.objects.filter(pk=learner.pk).update(**changes)
    for k, v in changes.items():
        setattr(learner, k, v)
    audit.record(user, "update", learner, request=request,
                 before={k: audit._json_value(v) for k, v in before.items()},
                 after={k: audit._json_value(v) for k, v in changes.items()})


def _require_status(match: Match, *statuses) -> None:
    if match.status not in statuses:
        raise ValidationError(_("이 매칭은 지금 '%(status)s' 상태라서 이 일을 할 수 없습니다.") % {
            "status": match.get_status_display()})


def do_confirm_match(user, match: Match, request=None) -> Match:
    _require_status(match, Match.Status.PROPOSED)
    if match.supporter.stage != Supporter.Stage.ACTIVE:
        raise ValidationError(_("지원단이 지금 활동 중이 아닙니다. 이 제안을 반려하고 다시 매칭하세요."))
    with transaction.atomic():
        return do_update(user, match, request=request, status=Match.Status.CONFIRMED,
                         confirmed_at=timezone.now(), confirmed_by=user)


def do_reject_proposal(user, match: Match, note: str, request=None) -> Match:
    _require_status(match, Match.Status.PROPOSED, Match.Status.CONFIRMED)
    if not note.strip():
        raise ValidationError({"note": _("반려하는 까닭을 적어 주세요.")})
    with transaction.atomic():
        do_update(user, match, request=request, status=Match.Status.REJECTED,
                  response_note=note.strip(), responded_at=timezone.now())
        _set_learner(user, match.learner, request, status=Learner.Status.WAITING,
                     waiting_reason={"code": "proposal_rejected", "params": {"note": note.strip()}})
    return match


def do_respond_to_match(user, match: Match, *, accept: bool, note: str = "",
                        request=None) -> tuple[Match, Match | None]:
    """The supporter accepts or declines a confirmed match. A decline puts the learner back
    on the waiting list (keeping their waiting time) and matches them again at once;
    returns (match, new proposal or None)."""
    _require_status(match, Match.Status.CONFIRMED)
    own = access.supporter_record(user)
    if not access.is_programme_staff(user) and (own is None or own.pk != match.supporter_id):
        raise AccessDenied("only the matched supporter (or programme staff) may respond")
    if not accept and not note.strip():
        raise ValidationError({"note": _("거절하는 까닭을 적어 주세요. 다음 매칭에 참고합니다.")})
    with transaction.atomic():
        if accept:
            do_update(user, match, request=request, check=False, status=Match.Status.ACCEPTED,
                      responded_at=timezone.now())
            _set_learner(user, match.learner, request, status=Learner.Status.LEARNING,
                         waiting_reason=None)
            return match, None
        do_update(user, match, request=request, check=False, status=Match.Status.DECLINED,
                  responded_at=timezone.now(), response_note=note.strip())
        _set_learner(user, match.learner, request, status=Learner.Status.WAITING,
                     waiting_reason={"code": "declined", "params": {"note": note.strip()}})
        new = _rematch(user, match.learner, "decline", request)
    return match, new


def do_close_match(user, match: Match, *, reason: str, note: str = "", rematch: bool = False,
                   request=None) -> tuple[Match, Match | None]:
    _require_status(match, Match.Status.ACCEPTED, Match.Status.CONFIRMED)
    if reason not in Match.CloseReason.values:
        raise ValidationError({"reason": _("종료 사유를 고르세요.")})
    if reason != Match.CloseReason.COMPLETED and not note.strip():
        raise ValidationError({"note": _("수료가 아닌 종료는 까닭을 적어 주세요.")})
    now = timezone.now()
    with transaction.atomic():
        do_update(user, match, request=request, status=Match.Status.CLOSED, closed_at=now,
                  close_reason=reason, close_note=note.strip())
        # Planned lessons from now on are cancelled so the hours are free again.
        for lesson in match.lessons.filter(status=Lesson.Status.PLANNED, date__gte=timezone.localdate()):
            do_update(user, lesson, request=request, check=False, status=Lesson.Status.CANCELLED,
                      notes=(lesson.notes + "\n" + _("매칭 종료로 취소")).strip())
        learner = match.learner
        if reason == Match.CloseReason.COMPLETED:
            _set_learner(user, learner, request, status=Learner.Status.FINISHED)
            return match, None
        if not rematch:
            _set_learner(user, learner, request, status=Learner.Status.WITHDRAWN)
            return match, None
        _set_learner(user, learner, request, status=Learner.Status.WAITING,
                     waiting_since=now,
                     waiting_reason={"code": "closed_early", "params": {"note": note.strip()}})
        new = _rematch(user, learner, "closure", request)
    return match, new


# ---------------------------------------------------------------------------------------
# Lessons


def _sessions_for(supporter_id, learner_id, day: dt.date):
    month_start = day.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    supporter_lessons = (Lesson.objects.filter(match__supporter_id=supporter_id,
                                               date__gte=month_start, date__lt=next_month)
                         .select_related("match__learner"))
    learner_lessons = Lesson.objects.filter(match__learner_id=learner_id, date=day).select_related(
        "match__learner")
    return ([l.as_session() for l in supporter_lessons], [l.as_session() for l in learner_lessons])


def _check_booking(lesson_id, match: Match, day, start, minutes, status) -> None:
    rule = FeeSchedule.for_day(day).rule
    new = ledger.Session(id=lesson_id, day=day, start=start, minutes=minutes, status=status)
    supporter_sessions, learner_sessions = _sessions_for(match.supporter_id, match.learner_id, day)
    problems = ledger.check_booking(new, supporter_sessions, learner_sessions, rule)
    if problems:
        raise ValidationError([booking_text(p) for p in problems])


def do_book_lesson(user, match: Match, *, date: dt.date, start_time: dt.time,
                   minutes: int | None = None, place_type: str = "community",
                   place_note: str = "", request=None) -> Lesson:
    _require_status(match, Match.Status.ACCEPTED)
    minutes = minutes or FeeSchedule.for_day(date).session_minutes
    with transaction.atomic():
        # One booking at a time per supporter, so two bookings cannot both pass the cap.
        Supporter.objects.select_for_update().filter(pk=match.supporter_id).first()
        _check_booking(None, match, date, start_time, minutes, Lesson.Status.PLANNED)
        return do_create(user, Lesson, request=request, match=match, date=date,
                         start_time=start_time, minutes=minutes, place_type=place_type,
                         place_note=place_note, created_by=user)


def do_log_lesson(user, lesson: Lesson, *, status: str, attendance: str = "",
                  minutes: int | None = None, contents: Iterable[Content] = (), notes: str = "",
                  satisfaction: int | None = None, request=None) -> Lesson:
    if lesson.match.status not in (Match.Status.ACCEPTED, Match.Status.CLOSED):
        raise ValidationError(_("수업 중인 매칭의 수업만 기록할 수 있습니다."))
    if status == Lesson.Status.HELD and lesson.date > timezone.localdate():
        raise ValidationError({"status": _("아직 오지 않은 날의 수업은 '진행함'으로 기록할 수 없습니다.")})
    contents = list(contents)
    if status == Lesson.Status.HELD and not contents:
        raise ValidationError({"contents": _("진행한 수업은 다룬 콘텐츠를 하나 이상 고르세요.")})
    minutes = minutes or lesson.minutes
    with transaction.atomic():
        Supporter.objects.select_for_update().filter(pk=lesson.match.supporter_id).first()
        if status != Lesson.Status.CANCELLED and (minutes != lesson.minutes or lesson.status == Lesson.Status.CANCELLED):
            _check_booking(lesson.pk, lesson.match, lesson.date, lesson.start_time, minutes, status)
        lesson = do_update(user, lesson, request=request, status=status,
                           attendance=attendance if status == Lesson.Status.HELD else "",
                           minutes=minutes, notes=notes, satisfaction=satisfaction,
                           logged_at=timezone.now())
        before = sorted(lesson.contents.values_list("code", flat=True))
        lesson.contents.set(contents)
        after = sorted(c.code for c in contents)
        if before != after:
            audit.record(user, "update", lesson, request=request, before={"contents": before},
                         after={"contents": after})
    return lesson


def do_cancel_lesson(user, lesson: Lesson, *, note: str = "", request=None) -> Lesson:
    if lesson.status != Lesson.Status.PLANNED:
        raise ValidationError(_("예정된 수업만 취소할 수 있습니다."))
    with transaction.atomic():
        return do_update(user, lesson, request=request, status=Lesson.Status.CANCELLED,
                         notes=(lesson.notes + "\n" + note).strip())


# ---------------------------------------------------------------------------------------
# Repetition


def do_assign_repetition(user, learner: Learner, *, content: Content, mode: str,
                         lesson: Lesson | None = None, due_on: dt.date | None = None,
                         robot_class: RobotClass | None = None, note: str = "",
                         request=None) -> Repetition:
    if lesson is not None and (lesson.match.learner_id != learner.pk or lesson.status != Lesson.Status.HELD):
        raise ValidationError({"lesson": _("반복 교육은 이 교육생이 마친 수업 뒤에 배정합니다.")})
    if robot_class is not None and robot_class.district_id != learner.district_id:
        raise ValidationError({"robot_class": _("로봇 수업이 교육생의 자치구에서 열리지 않습니다.")})
    with transaction.atomic():
        return do_create(user, Repetition, request=request, learner=learner, lesson=lesson,
                         content=content, mode=mode, due_on=due_on, robot_class=robot_class,
                         note=note)


def do_finish_repetition(user, repetition: Repetition, *, done: bool, request=None) -> Repetition:
    if repetition.status != Repetition.Status.ASSIGNED:
        raise ValidationError(_("이미 끝난 반복 교육입니다."))
    with transaction.atomic():
        return do_update(user, repetition, request=request,
                         status=Repetition.Status.DONE if done else Repetition.Status.SKIPPED,
                         done_at=timezone.now())


# ---------------------------------------------------------------------------------------
# Helpdesk


def do_open_ticket(user, *, category: str, question: str, district=None, learner=None,
                   channel: str = "phone", request=None) -> HelpdeskTicket:
    if learner is not None:
        district = learner.district
    if district is None:
        raise ValidationError({"district": _("자치구를 고르세요.")})
    if not question.strip():
        raise ValidationError({"question": _("문의 내용을 적어 주세요.")})
    _check_district_allowed(user, district)
    with transaction.atomic():
        return do_create(user, HelpdeskTicket, request=request, learner=learner, district=district,
                         channel=channel, category=category, question=question.strip(),
                         handled_by=user)


def do_answer_ticket(user, ticket: HelpdeskTicket, *, answer: str, resolve: bool,
                     request=None) -> HelpdeskTicket:
    if not answer.strip():
        raise ValidationError({"answer": _("답변을 적어 주세요.")})
    if ticket.status == HelpdeskTicket.Status.RESOLVED:
        raise ValidationError(_("이미 해결된 상담입니다."))
    changes = {"answer": answer.strip(), "handled_by": user}
    if resolve:
        changes.update(status=HelpdeskTicket.Status.RESOLVED, resolved_at=timezone.now())
    with transaction.atomic():
        return do_update(user, ticket, request=request, **changes)


# ---------------------------------------------------------------------------------------
# Fees


def do_set_fee_schedule(user, *, request=None, **fields) -> FeeSchedule:
    if not access.is_programme_staff(user):
        raise AccessDenied("only programme staff set fees")
    if FeeSchedule.objects.filter(effective_from=fields.get("effective_from")).exists():
        raise ValidationError({"effective_from": _("그 날짜부터 적용되는 기준이 이미 있습니다.")})
    with transaction.atomic():
        return do_create(user, FeeSchedule, request=request, **fields)


# ---------------------------------------------------------------------------------------
# Robots


def do_add_facility(user, *, name: str, district, kind: str, request=None) -> Facility:
    _check_district_allowed(user, district)
    if Facility.objects.filter(district=district, name=name.strip()).exists():
        raise ValidationError({"name": _("이 자치구에 같은 이름의 시설이 이미 있습니다.")})
    with transaction.atomic():
        return do_create(user, Facility, request=request, name=name.strip(), district=district,
                         kind=kind)


def do_add_robot(user, *, serial: str, district, facility=None, model_name: str = "",
                 request=None) -> Robot:
    _check_district_allowed(user, district)
    serial = serial.strip().upper()
    if Robot.objects.filter(serial=serial).exists():
        raise ValidationError({"serial": _("일련번호 %(s)s 로봇이 이미 등록되어 있습니다.") % {"s": serial}})
    with transaction.atomic():
        return do_create(user, Robot, request=request, serial=serial, district=district,
                         facility=facility, model_name=model_name)


def do_checkout_robot(user, robot: Robot, *, facility: Facility, due_back: dt.date,
                      note: str = "", request=None) -> RobotCheckout:
    if robot.status in (Robot.Status.REPAIR, Robot.Status.LOST):
        raise ValidationError(_("%(serial)s 로봇은 지금 '%(status)s' 상태라 대여할 수 없습니다.") % {
            "serial": robot.serial, "status": robot.get_status_display()})
    if facility.district_id != robot.district_id:
        raise ValidationError({"facility": _("로봇은 배치된 자치구 안의 시설에만 대여합니다.")})
    if due_back < timezone.localdate():
        raise ValidationError({"due_back": _("반납 예정일이 지났습니다. 오늘이나 그 뒤로 고르세요.")})
    with transaction.atomic():
        Robot.objects.select_for_update().filter(pk=robot.pk).first()
        if robot.checkouts.filter(returned_at__isnull=True).exists():
            raise ValidationError(_("%(serial)s 로봇은 이미 대여 중입니다. 먼저 반납 처리하세요.") % {
                "serial": robot.serial})
        return do_create(user, RobotCheckout, request=request, robot=robot, facility=facility,
                         due_back=due_back, by=user, note=note)


def do_return_robot(user, robot: Robot, *, status: str = Robot.Status.CHARGING,
                    request=None) -> RobotCheckout:
    checkout = robot.checkouts.filter(returned_at__isnull=True).first()
    if checkout is None:
        raise ValidationError(_("%(serial)s 로봇은 대여 중이 아닙니다.") % {"serial": robot.serial})
    with transaction.atomic():
        do_update(user, checkout, request=request, returned_at=timezone.now())
        if status != robot.status:
            do_update(user, robot, request=request, status=status)
    return checkout


def do_set_robot_status(user, robot: Robot, *, status: str, note: str = "",
                        request=None) -> Robot:
    if status == Robot.Status.DEPLOYED and robot.maintenance.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("수리 접수가 열려 있습니다. 수리를 마친 뒤 '배치됨'으로 바꾸세요."))
    changes = {"status": status}
    if note:
        changes["note"] = note
    with transaction.atomic():
        return do_update(user, robot, request=request, **changes)


def do_open_maintenance(user, robot: Robot, *, problem: str, request=None) -> RobotMaintenance:
    if not problem.strip():
        raise ValidationError({"problem": _("고장 내용을 적어 주세요.")})
    with transaction.atomic():
        ticket = do_create(user, RobotMaintenance, request=request, robot=robot,
                           problem=problem.strip(), by=user)
        if robot.status != Robot.Status.REPAIR:
            do_update(user, robot, request=request, status=Robot.Status.REPAIR)
    return ticket


def do_close_maintenance(user, ticket: RobotMaintenance, *, resolution: str,
                         request=None) -> RobotMaintenance:
    if ticket.closed_at:
        raise ValidationError(_("이미 처리된 수리입니다."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("처리 결과를 적어 주세요.")})
    with transaction.atomic():
        do_update(user, ticket, request=request, closed_at=timezone.now(),
                  resolution=resolution.strip())
        robot = ticket.robot
        if not robot.maintenance.filter(closed_at__isnull=True).exists():
            do_update(user, robot, request=request, status=Robot.Status.DEPLOYED)
    return ticket


def do_record_robot_class(user, *, facility: Facility, date: dt.date, programme: str,
                          learner_type: str, robots: Iterable[Robot], attendance: int,
                          content: Content | None = None, supporter_linked: bool = False,
                          note: str = "", request=None) -> RobotClass:
    robots = list(robots)
    if not robots:
        raise ValidationError({"robots": _("사용한 로봇을 하나 이상 고르세요.")})
    wrong_place = [r.serial for r in robots if r.district_id != facility.district_id]
    if wrong_place:
        raise ValidationError({"robots": _("다른 자치구 로봇은 쓸 수 없습니다: %(s)s") % {"s": ", ".join(wrong_place)}})
    unusable = [r.serial for r in robots if r.status in (Robot.Status.REPAIR, Robot.Status.LOST)]
    if unusable:
        raise ValidationError({"robots": _("수리 중이거나 분실된 로봇이 있습니다: %(s)s") % {"s": ", ".join(unusable)}})
    if attendance is None or attendance < 1:
        raise ValidationError({"attendance": _("참석 인원은 1명 이상이어야 합니다.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("아직 열리지 않은 수업은 기록할 수 없습니다.")})
    _check_district_allowed(user, facility.district)
    with transaction.atomic():
        robot_class = do_create(user, RobotClass, request=request, facility=facility,
                                district=facility.district, date=date, programme=programme,
                                content=content, learner_type=learner_type, attendance=attendance,
                                supporter_linked=supporter_linked, note=note, recorded_by=user)
        robot_class.robots.set(robots)
        audit.record(user, "update", robot_class, request=request,
                     after={"robots": sorted(r.serial for r in robots)})
    return robot_class


def do_link_supporter_account(user, supporter: Supporter, account, request=None) -> Supporter:
    if account.role != Role.SUPPORTER:
        raise ValidationError(_("어디나지원단 역할의 계정만 연결할 수 있습니다."))
    if not account.is_active:
        raise ValidationError(_("사용 중지된 계정은 연결할 수 없습니다."))
    if supporter.user_id is not None:
        raise ValidationError(_("이미 로그인 계정이 연결되어 있습니다."))
    if Supporter.objects.filter(user=account).exists():
        raise ValidationError(_("이 계정은 다른 지원단 기록에 이미 연결되어 있습니다."))
    ensure_can(user, "change", supporter)
    with transaction.atomic():
        return do_update(user, supporter, request=request, user=account)
