"""Supporter hours against the monthly cap, activity fees, and the checks made at booking.

Programme rules (defaults of :class:`FeeRule`, configurable per period in the app):
  * a supporter is paid ``rate_per_session`` (33,000 KRW) for each held 1:1 session
    (90 minutes); a held session shorter than ``min_paid_minutes`` is recorded, not paid;
    a session where the learner did not come is paid only with ``pay_no_show``;
  * planned and held minutes of one calendar month may not pass ``monthly_cap_minutes``
    (about 21 hours). A booking that would pass it is refused, as is one that overlaps
    another booking of the same supporter or the same learner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

__all__ = [
    "ATTENDED",
    "CANCELLED",
    "HELD",
    "LATE",
    "NO_SHOW",
    "PLANNED",
    "FeeRule",
    "Problem",
    "Session",
    "Statement",
    "StatementLine",
    "check_booking",
    "month_used_minutes",
    "monthly_statement",
]

PLANNED, HELD, CANCELLED = "planned", "held", "cancelled"
ATTENDED, LATE, NO_SHOW = "attended", "late", "no_show"


@dataclass(frozen=True)
class FeeRule:
    rate_per_session: int = 33_000
    session_minutes: int = 90
    monthly_cap_minutes: int = 21 * 60
    min_paid_minutes: int = 60
    pay_no_show: bool = False

    def __post_init__(self):
        if self.rate_per_session < 0 or self.session_minutes <= 0 or self.monthly_cap_minutes <= 0:
            raise ValueError("rate must be ≥ 0; session length and monthly cap must be > 0")


@dataclass(frozen=True)
class Session:
    id: Hashable
    day: dt.date
    start: dt.time
    minutes: int
    status: str = PLANNED
    attendance: str = ""
    supporter: Hashable = None
    learner: Hashable = None
    label: str = ""

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.minutes

    @property
    def counts(self) -> bool:
        """Planned and held sessions use up the month's hours; cancelled ones do not."""
        return self.status in (PLANNED, HELD)

    def overlaps(self, other: Session) -> bool:
        return (self.day == other.day and self.start_minute < other.end_minute
                and other.start_minute < self.end_minute)

    def time_label(self) -> str:
        end = self.end_minute
        return f"{self.day.isoformat()} {self.start:%H:%M}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True)
class Problem:
    code: str  # supporter_overlap, learner_overlap, over_cap, bad_minutes
    params: dict = field(default_factory=dict)


def _same_month(day: dt.date, year: int, month: int) -> bool:
    return day.year == year and day.month == month


def month_used_minutes(sessions: Iterable[Session], year: int, month: int,
                       exclude: Hashable = None) -> int:
    return sum(s.minutes for s in sessions
               if s.counts and _same_month(s.day, year, month)
               and (exclude is None or s.id != exclude))


def check_booking(new: Session, supporter_sessions: Iterable[Session],
                  learner_sessions: Iterable[Session] = (), rule: FeeRule = FeeRule(),
                  ) -> list[Problem]:
    """Everything wrong with booking (or re-timing) ``new``; empty when it may be saved.
    Sessions with ``new.id`` are the booking itself and are left out of the comparison."""
    problems: list[Problem] = []
    if new.minutes <= 0 or new.minutes > 8 * 60:
        problems.append(Problem("bad_minutes", {"minutes": new.minutes}))
        return problems
    supporter_sessions = [s for s in supporter_sessions if s.id != new.id or new.id is None]
    learner_sessions = [s for s in learner_sessions if s.id != new.id or new.id is None]
    if new.counts:
        for other in supporter_sessions:
            if other.counts and new.overlaps(other):
                problems.append(Problem("supporter_overlap", {"other": other.time_label(),
                                                              "label": other.label}))
                break
        for other in learner_sessions:
            if other.counts and new.overlaps(other):
                problems.append(Problem("learner_overlap", {"other": other.time_label(),
                                                            "label": other.label}))
                break
        used = month_used_minutes(supporter_sessions, new.day.year, new.day.month)
        if used + new.minutes > rule.monthly_cap_minutes:
            problems.append(Problem("over_cap", {
                "used": used, "new": new.minutes, "cap": rule.monthly_cap_minutes,
                "over": used + new.minutes - rule.monthly_cap_minutes,
                "month": f"{new.day.year}-{new.day.month:02d}"}))
    return problems


@dataclass(frozen=True)
class StatementLine:
    session: Session
    paid: bool
    fee: int
    note: str  # why a session is not paid: planned, cancelled, short, no_show


@dataclass(frozen=True)
class Statement:
    year: int
    month: int
    lines: tuple[StatementLine, ...]
    held_sessions: int
    held_minutes: int
    planned_minutes: int
    paid_sessions: int
    fee: int
    cap_minutes: int
    rate_per_session: int

    @property
    def used_minutes(self) -> int:
        return self.held_minutes + self.planned_minutes

    @property
    def remaining_minutes(self) -> int:
        return max(self.cap_minutes - self.used_minutes, 0)

    @property
    def utilisation(self) -> float:
        """Held hours as a share of the cap."""
        return self.held_minutes / self.cap_minutes if self.cap_minutes else 0.0


def monthly_statement(sessions: Iterable[Session], year: int, month: int,
                      rule: FeeRule = FeeRule()) -> Statement:
    lines = []
    held = held_minutes = planned_minutes = paid = 0
    for s in sorted((s for s in sessions if _same_month(s.day, year, month)),
                    key=lambda s: (s.day, s.start_minute, str(s.id))):
        note = ""
        if s.status == PLANNED:
            planned_minutes += s.minutes
            note = "planned"
        elif s.status == CANCELLED:
            note = "cancelled"
        else:
            held += 1
            held_minutes += s.minutes
            if s.attendance == NO_SHOW and not rule.pay_no_show:
                note = "no_show"
            elif s.minutes < rule.min_paid_minutes:
                note = "short"
        is_paid = s.status == HELD and not note
        paid += is_paid
        lines.append(StatementLine(s, is_paid, rule.rate_per_session if is_paid else 0, note))
    return Statement(year, month, tuple(lines), held, held_minutes, planned_minutes, paid,
                     paid * rule.rate_per_session, rule.monthly_cap_minutes,
                     rule.rate_per_session)
