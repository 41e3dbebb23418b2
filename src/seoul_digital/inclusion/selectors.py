"""Every read of the inclusion app goes through ``restrict`` here."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.inclusion.engine import diagnosis as diag_engine
from seoul_digital.inclusion.engine import ledger
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
    Repetition,
    Robot,
    RobotClass,
    Supporter,
)

# The five districts that hold 40 education robots each (강남, 강동, 관악, 양천, 중랑).
ROBOT_DISTRICT_CODES = ("11680", "11740", "11620", "11470", "11260")
ROBOTS_PER_DISTRICT = 40
DEFAULT_REACH_TARGET = 4000


# --- people ---------------------------------------------------------------------------

def learners_for(user, action="view"):
    return Learner.objects.restrict(user, action).select_related("district")


def learner_for(user, pk, action="view") -> Learner:
    return get_restricted_or_404(learners_for(user, action), user, action, pk=pk)


def supporters_for(user, action="view"):
    return Supporter.objects.restrict(user, action).select_related("home_district", "user")


def supporter_for(user, pk, action="view") -> Supporter:
    return get_restricted_or_404(supporters_for(user, action), user, action, pk=pk)


def diagnoses_for(user, action="view"):
    return Diagnosis.objects.restrict(user, action).select_related("learner", "questionnaire")


def diagnosis_for(user, pk) -> Diagnosis:
    return get_restricted_or_404(diagnoses_for(user), user, "view", pk=pk)


def learner_gain(learner: Learner, user) -> diag_engine.Gain | None:
    diagnoses = list(diagnoses_for(user).filter(learner=learner).order_by("taken_at"))
    pre = next((d for d in diagnoses if d.kind == Diagnosis.Kind.PRE), None)
    post = next((d for d in reversed(diagnoses) if d.kind == Diagnosis.Kind.POST), None)
    if pre is None or post is None:
        return None
    return diag_engine.gain(pre.result, post.result)


# --- matching -------------------------------------------------------------------------

def runs_for(user):
    return MatchRun.objects.restrict(user, "view").select_related("district", "created_by")


def run_for(user, pk) -> MatchRun:
    return get_restricted_or_404(runs_for(user), user, "view", pk=pk)


def matches_for(user, action="view"):
    return Match.objects.restrict(user, action).select_related(
        "learner", "learner__district", "supporter", "supporter__home_district", "run")


def match_for(user, pk, action="view") -> Match:
    return get_restricted_or_404(matches_for(user, action), user, action, pk=pk)


# --- lessons, repetition, helpdesk ----------------------------------------------------

def lessons_for(user, action="view"):
    return Lesson.objects.restrict(user, action).select_related(
        "match", "match__learner", "match__supporter", "match__learner__district")


def lesson_for(user, pk, action="view") -> Lesson:
    return get_restricted_or_404(lessons_for(user, action), user, action, pk=pk)


def repetitions_for(user, action="view"):
    return Repetition.objects.restrict(user, action).select_related("learner", "content", "lesson")


def repetition_for(user, pk, action="view") -> Repetition:
    return get_restricted_or_404(repetitions_for(user, action), user, action, pk=pk)


def tickets_for(user, action="view"):
    return HelpdeskTicket.objects.restrict(user, action).select_related("learner", "district",
                                                                        "handled_by")


def ticket_for(user, pk, action="view") -> HelpdeskTicket:
    return get_restricted_or_404(tickets_for(user, action), user, action, pk=pk)


# --- reference data -------------------------------------------------------------------

def contents_for(user):
    return Content.objects.restrict(user, "view").filter(active=True)


def content_for(user, pk) -> Content:
    return get_restricted_or_404(contents_for(user), user, "view", pk=pk)


def fee_schedules_for(user):
    return FeeSchedule.objects.restrict(user, "view")


# --- money ----------------------------------------------------------------------------

def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def statement_for(user, supporter: Supporter, year: int, month: int) -> ledger.Statement:
    start, end = month_bounds(year, month)
    lessons = (lessons_for(user).filter(match__supporter=supporter, date__gte=start, date__lt=end)
               .select_related("match__learner"))
    rule = FeeSchedule.for_day(start).rule
    return ledger.monthly_statement([l.as_session() for l in lessons], year, month, rule)


# --- robots ---------------------------------------------------------------------------

def facilities_for(user, action="view"):
    return Facility.objects.restrict(user, action).select_related("district")


def robots_for(user, action="view"):
    return Robot.objects.restrict(user, action).select_related("district", "facility")


def robot_for(user, pk, action="view") -> Robot:
    return get_restricted_or_404(robots_for(user, action), user, action, pk=pk)


def robot_classes_for(user, action="view"):
    return RobotClass.objects.restrict(user, action).select_related("facility", "district", "content")


def reach_target() -> int:
    """The 4,000-learner target of district robot classes, from the programme plan in core."""
    from seoul_digital.core.models import ProgrammeTarget

    target = (ProgrammeTarget.objects.filter(programme__code="robots", label_ko__contains="자치구 연계")
              .values_list("value", flat=True).first())
    return int(target) if target else DEFAULT_REACH_TARGET


def _rollup(classes, districts) -> list[dict]:
    target_total = reach_target()
    per_district = round(target_total / len(ROBOT_DISTRICT_CODES))
    sums = {row["district_id"]: row for row in classes.values("district_id").annotate(
        classes=Count("id"),
        seniors=Coalesce0("attendance", Q(learner_type=RobotClass.LearnerType.SENIOR)),
        children=Coalesce0("attendance", Q(learner_type=RobotClass.LearnerType.CHILD)),
    )}
    rows = []
    for district in districts:
        found = sums.get(district.pk, {})
        seniors, children = found.get("seniors") or 0, found.get("children") or 0
        rows.append({"district": district.name, "district_code": district.code,
                     "classes": found.get("classes", 0), "seniors": seniors,
                     "children": children, "total": seniors + children,
                     "target": per_district,
                     "share": (seniors + children) / per_district if per_district else 0.0})
    return rows


def Coalesce0(field, condition):
    from django.db.models import Sum, Value
    from django.db.models.functions import Coalesce

    return Coalesce(Sum(field, filter=condition), Value(0))


def robot_districts(user=None):
    from seoul_digital.core.models import District

    districts = District.objects.filter(code__in=ROBOT_DISTRICT_CODES).order_by("code")
    if user is not None:
        districts = districts.restrict(user, "view")
        if user.role == "district_officer":
            districts = districts.filter(pk=user.district_id)
    return list(districts)


def robot_rollup(user) -> dict:
    rows = _rollup(robot_classes_for(user), robot_districts(user))
    total = sum(r["total"] for r in rows)
    target = reach_target()
    return {"rows": rows, "total": total, "target": target,
            "share": total / target if target else 0.0,
            "supporter_linked": robot_classes_for(user).filter(supporter_linked=True)
            .aggregate(n=Coalesce0("attendance", Q()))["n"]}


def robot_rollup_all() -> list[dict]:
    """For the CLI (no signed-in user): every robot district."""
    return _rollup(RobotClass.objects.all(), robot_districts())


def robot_status_counts(user) -> dict:
    counts = dict(robots_for(user).values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in Robot.Status.values}


# --- dashboard ------------------------------------------------------------------------

def _median(values):
    return statistics.median(values) if values else None


def _mean(values):
    return statistics.fmean(values) if values else None


def dashboard(user) -> dict:
    today = timezone.localdate()
    now = timezone.now()
    learners = learners_for(user)
    status_counts = dict(learners.values_list("status").annotate(n=Count("id")))
    total = sum(status_counts.values())
    matches = matches_for(user)
    started = matches.filter(status__in=(Match.Status.ACCEPTED, Match.Status.CLOSED))
    matched_learners = started.values("learner_id").distinct().count()
    waiting = list(learners.filter(status=Learner.Status.WAITING).values_list("waiting_since", flat=True))
    days_to_match = []
    for registered, responded in started.exclude(responded_at=None).values_list(
            "learner__registered_at", "responded_at"):
        days_to_match.append(max((responded - registered).total_seconds() / 86400, 0))
    travel = list(started.values_list("distance_km", flat=True))
    travel_minutes = list(started.values_list("travel_minutes", flat=True))
    closed = matches.filter(status=Match.Status.CLOSED)
    closed_n = closed.count()
    early_n = closed.exclude(close_reason=Match.CloseReason.COMPLETED).count()
    lessons = lessons_for(user)
    held = lessons.filter(status=Lesson.Status.HELD)
    held_n = held.count()
    satisfaction = [s for s in held.values_list("satisfaction", flat=True) if s]
    # Utilisation: held minutes this month against the cap, per active supporter.
    month_start, month_end = month_bounds(today.year, today.month)
    cap = FeeSchedule.for_day(today).monthly_cap_minutes
    supporters = supporters_for(user).filter(stage=Supporter.Stage.ACTIVE)
    minutes_by_supporter = dict(held.filter(date__gte=month_start, date__lt=month_end)
                                .values_list("match__supporter_id").annotate(n=SumMinutes()))
    utilisation = [(s, minutes_by_supporter.get(s.pk, 0) / cap) for s in supporters]
    # Diagnosis gains.
    gains = []
    by_learner: dict[int, list[Diagnosis]] = {}
    for d in diagnoses_for(user).order_by("taken_at"):
        by_learner.setdefault(d.learner_id, []).append(d)
    for items in by_learner.values():
        pre = next((d for d in items if d.kind == Diagnosis.Kind.PRE), None)
        post = next((d for d in reversed(items) if d.kind == Diagnosis.Kind.POST), None)
        if pre and post:
            gains.append(diag_engine.gain(pre.result, post.result))
    gain_summary = diag_engine.aggregate_gains(gains)
    tickets = tickets_for(user)
    resolved_hours = [t.hours_to_resolve for t in tickets.filter(status=HelpdeskTicket.Status.RESOLVED)]
    rollup = robot_rollup(user)
    lessons_by_month = Counter()
    for day in held.values_list("date", flat=True):
        lessons_by_month[f"{day.year}-{day.month:02d}"] += 1
    return {
        "learners": total,
        "status_counts": {s: status_counts.get(s, 0) for s in Learner.Status.values},
        "match_rate": (matched_learners / total) if total else None,
        "matched_learners": matched_learners,
        "waiting": len(waiting),
        "waiting_days_mean": _mean([(now - w).total_seconds() / 86400 for w in waiting]),
        "days_to_match_median": _median(days_to_match),
        "travel_km_mean": _mean(travel),
        "travel_minutes_mean": _mean(travel_minutes),
        "utilisation_mean": _mean([u for _, u in utilisation]),
        "utilisation": sorted(utilisation, key=lambda pair: -pair[1])[:15],
        "cap_minutes": cap,
        "lessons_held": held_n,
        "lessons_per_match": (held_n / started.count()) if started.exists() else None,
        "closed": closed_n,
        "early_closures": early_n,
        "early_share": (early_n / closed_n) if closed_n else None,
        "gain": gain_summary,
        "satisfaction_mean": _mean(satisfaction),
        "satisfaction_n": len(satisfaction),
        "tickets_open": tickets.filter(status=HelpdeskTicket.Status.OPEN).count(),
        "tickets_resolved": len(resolved_hours),
        "resolve_hours_median": _median(resolved_hours),
        "rollup": rollup,
        "lessons_by_month": sorted(lessons_by_month.items()),
        "match_status_counts": {s: matches.filter(status=s).count() for s in Match.Status.values},
    }


def SumMinutes():
    from django.db.models import Sum

    return Sum("minutes")
