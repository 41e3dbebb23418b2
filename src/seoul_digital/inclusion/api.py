"""API routes of the Digital inclusion programme, mounted at /api/v1/inclusion/.

Same selectors and services as the pages: lists mask personal data, a single learner's
record is an audited personal-data view, writes go through the services and answer 400
with the messages on refusal.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from seoul_digital.core import audit
from seoul_digital.core.formatting import mask_name, mask_phone
from seoul_digital.core.models import District
from seoul_digital.core.services import AccessDenied
from seoul_digital.inclusion import access, selectors, services
from seoul_digital.inclusion.engine.schedule import WindowError, parse_windows
from seoul_digital.inclusion.explain import reason_text
from seoul_digital.inclusion.models import Learner, Match

router = Router(tags=["inclusion"])


def _need(request, *groups):
    if not access.in_group(request.auth, *groups):
        raise Http404


def _refuse(err: ValidationError):
    raise HttpError(400, " ".join(err.messages))


class LearnerRow(Schema):
    id: int
    name: str
    phone: str
    district: str
    status: str
    level: str
    waiting_days: int
    waiting_reason: str


class LearnerOut(Schema):
    id: int
    name: str
    phone: str
    birth_date: dt.date
    district: str
    address_area: str
    device: str
    language: str
    availability: str
    status: str
    level: str
    waiting_reason: str


class LearnerIn(Schema):
    name: str
    phone: str
    birth_date: dt.date
    district: str
    address_area: str
    windows: str
    device: str = "android"
    language: str = "ko"
    gender: str = ""
    gender_preference: str = ""
    channel: str = "phone"
    consent: bool = False
    notes: str = ""


def _row(l: Learner) -> dict:
    return {"id": l.pk, "name": mask_name(l.name), "phone": mask_phone(l.phone),
            "district": l.district.name_ko, "status": l.status, "level": l.level,
            "waiting_days": l.waiting_days,
            "waiting_reason": reason_text(l.waiting_reason) if l.status == Learner.Status.WAITING else ""}


@router.get("/learners", response=list[LearnerRow], url_name="inclusion_learners")
def learners(request, status: str = "", limit: int = 100):
    _need(request, "office", "supporter")
    queryset = selectors.learners_for(request.auth)
    if status:
        queryset = queryset.filter(status=status)
    return [_row(l) for l in queryset[: max(1, min(limit, 1000))]]


@router.post("/learners", response={201: LearnerOut}, url_name="inclusion_learner_create")
def learner_create(request, payload: LearnerIn):
    _need(request, "office")
    district = _district(payload.district)
    try:
        windows = parse_windows(payload.windows)
    except WindowError as err:
        raise HttpError(400, str(err)) from None
    try:
        learner = services.do_register_learner(
            request.auth, name=payload.name, phone=payload.phone, birth_date=payload.birth_date,
            district=district, address_area=payload.address_area, windows=windows,
            device=payload.device, language=payload.language, gender=payload.gender,
            gender_preference=payload.gender_preference, channel=payload.channel,
            consent=payload.consent, notes=payload.notes, request=request)
    except ValidationError as err:
        _refuse(err)
    except AccessDenied:
        raise Http404 from None
    return Status(201, _detail(learner))


def _district(name: str) -> District:
    """A district from its Korean/English name or MOIS code; 400 when it is none of the 25."""
    from seoul_digital.common.districts import UnknownDistrict, resolve

    try:
        return District.objects.get(code=resolve(name).mois_code)
    except (UnknownDistrict, District.DoesNotExist):
        raise HttpError(400, f"'{name}' is not one of Seoul's 25 districts") from None


def _detail(l: Learner) -> dict:
    return {"id": l.pk, "name": l.name, "phone": l.phone, "birth_date": l.birth_date,
            "district": l.district.name_ko, "address_area": l.address_area, "device": l.device,
            "language": l.language, "availability": l.windows_label, "status": l.status,
            "level": l.level,
            "waiting_reason": reason_text(l.waiting_reason) if l.status == Learner.Status.WAITING else ""}


@router.get("/learners/{learner_id}", response=LearnerOut, url_name="inclusion_learner")
def learner(request, learner_id: int):
    _need(request, "office", "supporter")
    found = selectors.learner_for(request.auth, learner_id)
    audit.record_personal_view(request, found, ["name", "phone", "birth_date", "address_area"])
    return _detail(found)


class SupporterRow(Schema):
    id: int
    name: str
    district: str
    stage: str
    levels: list[str]
    devices: list[str]
    availability: str
    max_learners: int


@router.get("/supporters", response=list[SupporterRow], url_name="inclusion_supporters")
def supporters(request, stage: str = ""):
    _need(request, "office")
    queryset = selectors.supporters_for(request.auth)
    if stage:
        queryset = queryset.filter(stage=stage)
    return [{"id": s.pk, "name": mask_name(s.name), "district": s.home_district.name_ko,
             "stage": s.stage, "levels": s.levels, "devices": s.devices,
             "availability": s.windows_label, "max_learners": s.max_learners} for s in queryset]


class RunIn(Schema):
    district: str | None = None
    allow_adjacent: bool = True
    max_travel_minutes: float | None = None


class RunOut(Schema):
    id: int
    state: str
    job_id: int | None = None
    stats: dict


class ProposalOut(Schema):
    id: int
    learner: int
    supporter: int
    status: str
    cost: int
    reasons: list[str]
    common_windows: str
    travel_minutes: float
    distance_km: float


class UnmatchedOut(Schema):
    learner: int
    reason: str


class RunDetailOut(Schema):
    id: int
    state: str
    stats: dict
    proposals: list[ProposalOut]
    unmatched: list[UnmatchedOut]


@router.post("/match-runs", response={201: RunOut}, url_name="inclusion_run_create")
def run_create(request, payload: RunIn):
    from seoul_digital.core.jobs import start_job

    _need(request, "programme")
    district = _district(payload.district) if payload.district else None
    try:
        run = services.do_create_match_run(request.auth, district=district,
                                           allow_adjacent=payload.allow_adjacent,
                                           max_travel_minutes=payload.max_travel_minutes,
                                           request=request)
    except ValidationError as err:
        _refuse(err)
    job = start_job(request.auth, "seoul_digital.inclusion.jobs.run_matching",
                    title=f"matching run {run.pk}", district=district, request=request,
                    run_id=run.pk)
    run.refresh_from_db()
    return Status(201, {"id": run.pk, "state": run.state, "job_id": job.pk, "stats": run.stats})


def _proposal(m: Match) -> dict:
    return {"id": m.pk, "learner": m.learner_id, "supporter": m.supporter_id, "status": m.status,
            "cost": m.cost, "reasons": [reason_text(r) for r in m.reasons],
            "common_windows": m.common_windows, "travel_minutes": m.travel_minutes,
            "distance_km": m.distance_km}


@router.get("/match-runs/{run_id}", response=RunDetailOut, url_name="inclusion_run")
def run_detail(request, run_id: int):
    _need(request, "programme")
    run = selectors.run_for(request.auth, run_id)
    waiting = selectors.learners_for(request.auth).filter(status=Learner.Status.WAITING,
                                                          waiting_reason__run=run.pk)
    return {"id": run.pk, "state": run.state, "stats": run.stats,
            "proposals": [_proposal(m) for m in selectors.matches_for(request.auth).filter(run=run)],
            "unmatched": [{"learner": l.pk, "reason": reason_text(l.waiting_reason)} for l in waiting]}


@router.get("/matches", response=list[ProposalOut], url_name="inclusion_matches")
def matches(request, status: str = "", limit: int = 200):
    _need(request, "office", "supporter")
    queryset = selectors.matches_for(request.auth)
    if status:
        queryset = queryset.filter(status=status)
    return [_proposal(m) for m in queryset[: max(1, min(limit, 1000))]]


@router.post("/matches/{match_id}/confirm", response=ProposalOut, url_name="inclusion_match_confirm")
def match_confirm(request, match_id: int):
    _need(request, "programme")
    match = selectors.match_for(request.auth, match_id, "change")
    try:
        services.do_confirm_match(request.auth, match, request=request)
    except ValidationError as err:
        _refuse(err)
    return _proposal(match)


class RespondIn(Schema):
    accept: bool
    note: str = ""


class RespondOut(Schema):
    match: ProposalOut
    new_proposal: ProposalOut | None = None


@router.post("/matches/{match_id}/respond", response=RespondOut, url_name="inclusion_match_respond")
def match_respond(request, match_id: int, payload: RespondIn):
    _need(request, "supporter", "programme")
    match = selectors.match_for(request.auth, match_id, "change")
    try:
        match, new = services.do_respond_to_match(request.auth, match, accept=payload.accept,
                                                  note=payload.note, request=request)
    except AccessDenied:
        raise Http404 from None
    except ValidationError as err:
        _refuse(err)
    return {"match": _proposal(match), "new_proposal": _proposal(new) if new else None}


class LessonRow(Schema):
    id: int
    match: int
    learner: str
    date: dt.date
    start_time: dt.time
    minutes: int
    status: str
    attendance: str
    place_type: str


class LessonIn(Schema):
    match_id: int
    date: dt.date
    start_time: dt.time
    minutes: int | None = None
    place_type: str = "community"
    place_note: str = ""


def _lesson(l) -> dict:
    return {"id": l.pk, "match": l.match_id, "learner": mask_name(l.match.learner.name),
            "date": l.date, "start_time": l.start_time, "minutes": l.minutes, "status": l.status,
            "attendance": l.attendance, "place_type": l.place_type}


@router.get("/lessons", response=list[LessonRow], url_name="inclusion_lessons")
def lessons(request, since: dt.date | None = None, limit: int = 200):
    _need(request, "office", "supporter")
    queryset = selectors.lessons_for(request.auth).order_by("date", "start_time")
    if since:
        queryset = queryset.filter(date__gte=since)
    return [_lesson(l) for l in queryset[: max(1, min(limit, 1000))]]


@router.post("/lessons", response={201: LessonRow}, url_name="inclusion_lesson_create")
def lesson_create(request, payload: LessonIn):
    _need(request, "supporter", "programme")
    match = selectors.match_for(request.auth, payload.match_id, "change")
    own = access.supporter_record(request.auth)
    if not access.is_programme_staff(request.auth) and (own is None or own.pk != match.supporter_id):
        raise Http404
    try:
        lesson = services.do_book_lesson(request.auth, match, date=payload.date,
                                         start_time=payload.start_time, minutes=payload.minutes,
                                         place_type=payload.place_type,
                                         place_note=payload.place_note, request=request)
    except ValidationError as err:
        _refuse(err)
    return Status(201, _lesson(lesson))


class StatementLineOut(Schema):
    date: dt.date
    start: str
    minutes: int
    learner: str
    status: str
    paid: bool
    fee: int
    note: str


class StatementOut(Schema):
    supporter: int
    month: str
    held_sessions: int
    held_minutes: int
    planned_minutes: int
    cap_minutes: int
    remaining_minutes: int
    paid_sessions: int
    rate_per_session: int
    fee: int
    lines: list[StatementLineOut]


@router.get("/statements/{supporter_id}/{year}/{month}", response=StatementOut,
            url_name="inclusion_statement")
def statement(request, supporter_id: int, year: int, month: int):
    _need(request, "programme", "supporter")
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise HttpError(400, "month must be 1–12")
    supporter = selectors.supporter_for(request.auth, supporter_id)
    s = selectors.statement_for(request.auth, supporter, year, month)
    return {"supporter": supporter.pk, "month": f"{year}-{month:02d}",
            "held_sessions": s.held_sessions, "held_minutes": s.held_minutes,
            "planned_minutes": s.planned_minutes, "cap_minutes": s.cap_minutes,
            "remaining_minutes": s.remaining_minutes, "paid_sessions": s.paid_sessions,
            "rate_per_session": s.rate_per_session, "fee": s.fee,
            "lines": [{"date": line.session.day, "start": line.session.start.strftime("%H:%M"),
                       "minutes": line.session.minutes, "learner": mask_name(line.session.label),
                       "status": line.session.status, "paid": line.paid, "fee": line.fee,
                       "note": line.note} for line in s.lines]}


class RobotRow(Schema):
    id: int
    serial: str
    district: str
    facility: str
    status: str


@router.get("/robots", response=list[RobotRow], url_name="inclusion_robots")
def robots(request, status: str = ""):
    _need(request, "office", "foundation")
    queryset = selectors.robots_for(request.auth)
    if status:
        queryset = queryset.filter(status=status)
    return [{"id": r.pk, "serial": r.serial, "district": r.district.name_ko,
             "facility": r.facility.name if r.facility_id else "", "status": r.status}
            for r in queryset]


class RollupRow(Schema):
    district: str
    district_code: str
    classes: int
    seniors: int
    children: int
    total: int
    target: int


class RollupOut(Schema):
    rows: list[RollupRow]
    total: int
    target: int
    supporter_linked: int


@router.get("/robot-rollup", response=RollupOut, url_name="inclusion_rollup")
def robot_rollup(request):
    _need(request, "office", "foundation")
    return selectors.robot_rollup(request.auth)


class DashboardOut(Schema):
    learners: int
    status_counts: dict
    match_rate: float | None
    waiting: int
    waiting_days_mean: float | None
    days_to_match_median: float | None
    travel_km_mean: float | None
    utilisation_mean: float | None
    lessons_per_match: float | None
    early_share: float | None
    gain_mean: float
    gain_learners: int
    satisfaction_mean: float | None
    resolve_hours_median: float | None
    robot_reach_total: int
    robot_reach_target: int


@router.get("/dashboard", response=DashboardOut, url_name="inclusion_dashboard")
def dashboard(request):
    _need(request, "officials")
    d = selectors.dashboard(request.auth)
    return {**{k: d[k] for k in ("learners", "status_counts", "match_rate", "waiting",
                                 "waiting_days_mean", "days_to_match_median", "travel_km_mean",
                                 "utilisation_mean", "lessons_per_match", "early_share",
                                 "satisfaction_mean", "resolve_hours_median")},
            "gain_mean": d["gain"].mean_gain, "gain_learners": d["gain"].learners,
            "robot_reach_total": d["rollup"]["total"], "robot_reach_target": d["rollup"]["target"]}


class ContentOut(Schema):
    code: str
    kind: str
    level: str
    skill: str
    title_ko: str
    title_en: str
    objective_ko: str
    minutes: int
    robot: bool
    partner_ko: str


@router.get("/contents", response=list[ContentOut], url_name="inclusion_contents")
def contents(request, level: str = ""):
    _need(request, "officials", "supporter")
    queryset = selectors.contents_for(request.auth)
    if level:
        queryset = queryset.filter(level=level)
    return list(queryset)


__all__ = ["router"]
