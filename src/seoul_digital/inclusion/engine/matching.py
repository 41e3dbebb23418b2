"""Learner × supporter matching, solved optimally as a min-cost flow (OR-Tools).

Hard constraints (a pair is *feasible* only when all hold):
  * place   – the learner lives in a district the supporter covers, or (when allowed) in a
              district bordering one of them, or (when a limit is set) the estimated travel
              time is within the limit;
  * time    – their weekly windows share room for one whole session (see :mod:`.schedule`);
  * not declined before – a supporter who declined this learner is not proposed again;
  * capacity – a supporter takes at most ``max_learners`` learners at once, and the monthly
              plan of all their learners stays within the monthly hour cap
              (``sessions_per_month × session_minutes`` per learner).

Soft costs (integers, :class:`CostWeights`) make a feasible pair better or worse: travel
minutes, level the supporter does not teach, a device they do not know, a language they do
not speak, a gender preference the learner asked for and did not get; a learner's previous
supporter gets a bonus (keeping existing pairs), and long waiting gives a learner priority.

The solver first matches as many learners as possible, then, among all such assignments,
takes the one of least total cost (``solve_max_flow_with_min_cost``): this is optimal, not a
heuristic. :func:`solve_greedy` is the same-input baseline the benchmark compares against.
Every proposal carries its reasons and cost breakdown; every unmatched learner a reason.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.inclusion.engine import geo
from seoul_digital.inclusion.engine.schedule import (
    WORDS,
    Window,
    common_windows,
    format_windows,
    mask_words,
    start_mask,
)

__all__ = [
    "DEVICES",
    "DEVICE_KO",
    "LEVELS",
    "LEVEL_KO",
    "CostWeights",
    "Learner",
    "MatchPolicy",
    "MatchResult",
    "MatchingError",
    "Problem",
    "Proposal",
    "Reason",
    "Supporter",
    "Unmatched",
    "describe",
    "greedy_match",
    "match",
    "prepare",
    "solve_greedy",
    "solve_optimal",
]

LEVELS = ("basic", "daily", "advanced")
LEVEL_KO = {"basic": "기초", "daily": "생활", "advanced": "심화"}
DEVICES = ("android", "ios", "other")
DEVICE_KO = {"android": "안드로이드", "ios": "아이폰", "other": "기타 기기"}
GENDER_CODES = {"": 0, "F": 1, "M": 2}


class MatchingError(ValueError):
    """Input the matcher cannot use; the message names the person and the field."""


@dataclass(frozen=True)
class Learner:
    id: Hashable
    district: str                      # Korean district name, e.g. "강남구"
    windows: tuple[Window, ...]
    level: str = "basic"
    device: str = "android"
    language: str = "ko"
    gender: str = ""
    gender_preference: str = ""        # "" (no preference), "F" or "M"
    point: tuple[float, float] | None = None
    waiting_days: int = 0
    previous_supporter: Hashable | None = None
    declined_by: frozenset = frozenset()  # supporter ids that declined this learner


@dataclass(frozen=True)
class Supporter:
    id: Hashable
    home_district: str
    windows: tuple[Window, ...]
    districts: tuple[str, ...] = ()    # districts covered; empty = home district only
    levels: frozenset = frozenset({"basic", "daily"})
    devices: frozenset = frozenset({"android"})
    languages: frozenset = frozenset({"ko"})
    gender: str = ""
    max_learners: int = 6
    current_learners: int = 0
    committed_minutes: int | None = None  # this month; None → current learners' plans
    point: tuple[float, float] | None = None

    @property
    def covered(self) -> tuple[str, ...]:
        return self.districts or (self.home_district,)


@dataclass(frozen=True)
class CostWeights:
    travel_per_minute: int = 1
    level_gap: int = 40
    device_gap: int = 30
    language_gap: int = 50
    gender_gap: int = 60
    keep_pair_bonus: int = 40
    wait_bonus_per_week: int = 5
    wait_bonus_cap: int = 60
    base: int = 100  # added to every arc so that no arc cost is negative

    def __post_init__(self):
        if self.base < self.keep_pair_bonus + self.wait_bonus_cap:
            raise MatchingError("base must cover keep_pair_bonus + wait_bonus_cap")


@dataclass(frozen=True)
class MatchPolicy:
    session_minutes: int = 90
    sessions_per_month: int = 2
    monthly_cap_minutes: int = 21 * 60
    allow_adjacent: bool = True
    max_travel_minutes: float | None = None
    weights: CostWeights = field(default_factory=CostWeights)
    travel: geo.TravelModel = field(default_factory=geo.TravelModel)

    @property
    def plan_minutes(self) -> int:
        """Minutes a supporter commits per learner per month."""
        return self.session_minutes * self.sessions_per_month


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass
class Proposal:
    learner_id: Hashable
    supporter_id: Hashable
    cost: int               # pair cost: travel + gaps − keep bonus
    priority: int           # waiting bonus of the learner (lowers the objective)
    breakdown: dict
    reasons: list[Reason]
    common: tuple[Window, ...]
    travel_minutes: float
    distance_km: float

    def as_dict(self) -> dict:
        return {"learner": self.learner_id, "supporter": self.supporter_id, "cost": self.cost,
                "priority": self.priority, "breakdown": self.breakdown,
                "reasons": [r.as_dict() for r in self.reasons],
                "common_windows": format_windows(self.common),
                "travel_minutes": round(self.travel_minutes, 1),
                "distance_km": round(self.distance_km, 2)}


@dataclass
class Unmatched:
    learner_id: Hashable
    reason: Reason

    def as_dict(self) -> dict:
        return {"learner": self.learner_id, "reason": self.reason.as_dict()}


@dataclass
class MatchResult:
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    stats: dict

    def as_dict(self) -> dict:
        return {"stats": self.stats, "proposals": [p.as_dict() for p in self.proposals],
                "unmatched": [u.as_dict() for u in self.unmatched]}


# ---------------------------------------------------------------------------------------
# Preparing the problem: arrays, capacities and the feasible arcs with their costs.


@dataclass
class Problem:
    learners: Sequence[Learner]
    supporters: Sequence[Supporter]
    policy: MatchPolicy
    capacity: np.ndarray          # per supporter: learners they can still take
    capacity_by_count: np.ndarray
    minutes_left: np.ndarray
    arc_learner: np.ndarray       # feasible arcs (to supporters with capacity)
    arc_supporter: np.ndarray
    arc_cost: np.ndarray          # solver cost: base + pair cost − waiting bonus
    arc_pair_cost: np.ndarray
    counts: dict[str, np.ndarray]  # per learner: nearby, with common time, not declined, open
    learner_masks: list[int]
    supporter_masks: list[int]
    seconds: float


def _bit(vocab: dict[str, int], value: str, who: str) -> int:
    if value not in vocab:
        raise MatchingError(f"{who}: unknown value '{value}' (use one of {sorted(vocab)})")
    return vocab[value]


def _resolve_district(name: str, who: str) -> str:
    from seoul_digital.common.districts import UnknownDistrict, resolve

    try:
        return resolve(name).name_ko
    except UnknownDistrict as err:
        raise MatchingError(f"{who}: {err}") from None


def _validate(learners: Sequence[Learner], supporters: Sequence[Supporter]) -> None:
    seen = set()
    for learner in learners:
        if learner.id in seen:
            raise MatchingError(f"learner {learner.id}: the same id appears twice")
        seen.add(learner.id)
    seen = set()
    for supporter in supporters:
        if supporter.id in seen:
            raise MatchingError(f"supporter {supporter.id}: the same id appears twice")
        seen.add(supporter.id)


def prepare(learners: Sequence[Learner], supporters: Sequence[Supporter],
            policy: MatchPolicy = MatchPolicy(), progress: ProgressCallback = null_progress,
            ) -> Problem:
    started = time.perf_counter()
    _validate(learners, supporters)
    w = policy.weights
    nl, ns = len(learners), len(supporters)
    level_bit = {name: i for i, name in enumerate(LEVELS)}
    device_bit = {name: i for i, name in enumerate(DEVICES)}
    languages = sorted({lang for l in learners for lang in [l.language]}
                       | {lang for s in supporters for lang in s.languages})
    if len(languages) > 62:
        raise MatchingError(f"{len(languages)} languages; at most 62 are supported")
    lang_bit = {name: i for i, name in enumerate(languages)}
    sup_index = {s.id: i for i, s in enumerate(supporters)}

    # Learners.
    l_dist = np.empty(nl, dtype=np.int64)
    l_lat = np.empty(nl)
    l_lon = np.empty(nl)
    l_level = np.empty(nl, dtype=np.int64)
    l_device = np.empty(nl, dtype=np.int64)
    l_lang = np.empty(nl, dtype=np.int64)
    l_pref = np.empty(nl, dtype=np.int64)
    l_wait = np.empty(nl, dtype=np.int64)
    l_prev = np.full(nl, -1, dtype=np.int64)
    l_words = np.zeros((nl, WORDS), dtype=np.uint64)
    learner_masks = []
    declined: dict[int, list[int]] = {}
    for i, l in enumerate(learners):
        who = f"learner {l.id}"
        district = _resolve_district(l.district, who)
        l_dist[i] = geo.DISTRICT_INDEX[district]
        l_lat[i], l_lon[i] = geo.point_of(district, l.point)
        l_level[i] = _bit(level_bit, l.level, who + " level")
        l_device[i] = _bit(device_bit, l.device, who + " device")
        l_lang[i] = lang_bit[l.language]
        l_pref[i] = _bit(GENDER_CODES, l.gender_preference or "", who + " gender preference")
        l_wait[i] = max(int(l.waiting_days), 0)
        if l.previous_supporter is not None and l.previous_supporter in sup_index:
            l_prev[i] = sup_index[l.previous_supporter]
        mask = start_mask(l.windows, policy.session_minutes)
        learner_masks.append(mask)
        l_words[i] = mask_words(mask)
        if l.declined_by:
            declined[i] = [sup_index[s] for s in l.declined_by if s in sup_index]

    # Supporters.
    adjacency = geo.adjacency_matrix()
    s_cover = np.zeros((ns, len(geo.DISTRICT_NAMES)), dtype=bool)
    s_lat = np.empty(ns)
    s_lon = np.empty(ns)
    s_levels = np.zeros(ns, dtype=np.int64)
    s_devices = np.zeros(ns, dtype=np.int64)
    s_langs = np.zeros(ns, dtype=np.int64)
    s_gender = np.empty(ns, dtype=np.int64)
    s_words = np.zeros((ns, WORDS), dtype=np.uint64)
    capacity_by_count = np.empty(ns, dtype=np.int64)
    minutes_left = np.empty(ns, dtype=np.int64)
    supporter_masks = []
    for j, s in enumerate(supporters):
        who = f"supporter {s.id}"
        home = _resolve_district(s.home_district, who)
        for district in s.covered:
            s_cover[j, geo.DISTRICT_INDEX[_resolve_district(district, who)]] = True
        s_lat[j], s_lon[j] = geo.point_of(home, s.point)
        for level in s.levels:
            s_levels[j] |= 1 << _bit(level_bit, level, who + " level")
        for device in s.devices:
            s_devices[j] |= 1 << _bit(device_bit, device, who + " device")
        for lang in s.languages:
            s_langs[j] |= 1 << lang_bit[lang]
        s_gender[j] = _bit(GENDER_CODES, s.gender or "", who + " gender")
        mask = start_mask(s.windows, policy.session_minutes)
        supporter_masks.append(mask)
        s_words[j] = mask_words(mask)
        committed = (s.committed_minutes if s.committed_minutes is not None
                     else s.current_learners * policy.plan_minutes)
        capacity_by_count[j] = max(s.max_learners - s.current_learners, 0)
        minutes_left[j] = max(policy.monthly_cap_minutes - committed, 0)
    capacity = np.minimum(capacity_by_count, minutes_left // max(policy.plan_minutes, 1))
    s_reach = s_cover | ((s_cover.astype(np.int64) @ adjacency.astype(np.int64)) > 0
                         if policy.allow_adjacent else False)
    s_open = capacity > 0

    counts = {k: np.zeros(nl, dtype=np.int64) for k in ("nearby", "time", "allowed", "open")}
    arcs_l, arcs_s, arcs_cost, arcs_pair = [], [], [], []
    wait_bonus = np.minimum(l_wait // 7 * w.wait_bonus_per_week, w.wait_bonus_cap)
    limit = policy.max_travel_minutes
    travel = policy.travel
    groups = [np.flatnonzero(l_dist == d) for d in range(len(geo.DISTRICT_NAMES))]
    total = max(nl, 1)
    done = 0
    for d, rows_all in enumerate(groups):
        if rows_all.size == 0:
            continue
        cols = np.arange(ns) if limit is not None else np.flatnonzero(s_reach[:, d])
        step = max(1, 1_000_000 // max(cols.size, 1))
        for start in range(0, rows_all.size, step):
            rows = rows_all[start:start + step]
            done += rows.size
            if cols.size == 0:
                continue
            km = travel.distance_km(l_lat[rows][:, None], l_lon[rows][:, None],
                                    s_lat[cols][None, :], s_lon[cols][None, :])
            minutes = travel.minutes(km)
            place = np.broadcast_to(s_reach[cols, d][None, :], (rows.size, cols.size))
            if limit is not None:
                place = place | (minutes <= limit)
            time_ok = np.zeros((rows.size, cols.size), dtype=bool)
            for k in range(WORDS):
                time_ok |= (l_words[rows, k][:, None] & s_words[cols, k][None, :]) != 0
            both = place & time_ok
            counts["nearby"][rows] = place.sum(axis=1)
            counts["time"][rows] = both.sum(axis=1)
            if declined:
                col_pos = {int(c): p for p, c in enumerate(cols)}
                for r, li in enumerate(rows):
                    for sj in declined.get(int(li), ()):
                        p = col_pos.get(sj)
                        if p is not None:
                            both[r, p] = False
            counts["allowed"][rows] = both.sum(axis=1)
            feasible = both & s_open[cols][None, :]
            counts["open"][rows] = feasible.sum(axis=1)
            r, c = np.nonzero(feasible)
            if r.size == 0:
                continue
            li, sj = rows[r], cols[c]
            pair = (np.rint(minutes[r, c] * w.travel_per_minute).astype(np.int64)
                    + w.level_gap * (((s_levels[sj] >> l_level[li]) & 1) == 0)
                    + w.device_gap * (((s_devices[sj] >> l_device[li]) & 1) == 0)
                    + w.language_gap * (((s_langs[sj] >> l_lang[li]) & 1) == 0)
                    + w.gender_gap * ((l_pref[li] > 0) & (s_gender[sj] != l_pref[li]))
                    - w.keep_pair_bonus * (l_prev[li] == sj))
            arcs_l.append(li)
            arcs_s.append(sj)
            arcs_pair.append(pair.astype(np.int64))
            arcs_cost.append((w.base + pair - wait_bonus[li]).astype(np.int64))
        progress(done, total, f"candidate pairs for {geo.DISTRICT_NAMES[d]}")

    def cat(parts, dtype):
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return Problem(
        learners=learners, supporters=supporters, policy=policy, capacity=capacity,
        capacity_by_count=capacity_by_count, minutes_left=minutes_left,
        arc_learner=cat(arcs_l, np.int64), arc_supporter=cat(arcs_s, np.int64),
        arc_cost=cat(arcs_cost, np.int64), arc_pair_cost=cat(arcs_pair, np.int64),
        counts=counts, learner_masks=learner_masks, supporter_masks=supporter_masks,
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------
# Solving.


def solve_optimal(problem: Problem, flow: int | None = None) -> np.ndarray:
    """Indices of the chosen arcs. ``flow=None``: as many matches as possible, least cost
    among those. ``flow=k``: exactly ``k`` matches (must be reachable), least cost."""
    from ortools.graph.python import min_cost_flow

    nl, ns = len(problem.learners), len(problem.supporters)
    n_arcs = problem.arc_learner.size
    if n_arcs == 0 or flow == 0:
        return np.zeros(0, dtype=np.int64)
    source, sink = 0, nl + ns + 1
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        problem.arc_learner + 1, problem.arc_supporter + nl + 1,
        np.ones(n_arcs, dtype=np.int64), problem.arc_cost)
    learners_with_arcs = np.unique(problem.arc_learner)
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.zeros(learners_with_arcs.size, dtype=np.int64), learners_with_arcs + 1,
        np.ones(learners_with_arcs.size, dtype=np.int64),
        np.zeros(learners_with_arcs.size, dtype=np.int64))
    open_supporters = np.flatnonzero(problem.capacity > 0)
    smcf.add_arcs_with_capacity_and_unit_cost(
        open_supporters + nl + 1, np.full(open_supporters.size, sink, dtype=np.int64),
        problem.capacity[open_supporters].astype(np.int64),
        np.zeros(open_supporters.size, dtype=np.int64))
    if flow is None:
        # Offer every learner; the solver sends as much as the graph carries, cheapest.
        smcf.set_node_supply(source, nl)
        smcf.set_node_supply(sink, -nl)
        status = smcf.solve_max_flow_with_min_cost()
    else:
        smcf.set_node_supply(source, int(flow))
        smcf.set_node_supply(sink, -int(flow))
        status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise MatchingError(f"min-cost flow did not reach an optimum (status {status})")
    flows = smcf.flows(arcs)
    return np.flatnonzero(flows > 0)


def solve_greedy(problem: Problem) -> np.ndarray:
    """Baseline: longest-waiting learner first (input order breaks ties), each takes the
    cheapest feasible supporter who still has room. Same arcs and costs as the optimum."""
    nl = len(problem.learners)
    if problem.arc_learner.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((problem.arc_cost, problem.arc_learner))
    starts = np.searchsorted(problem.arc_learner[order], np.arange(nl + 1))
    waiting = np.array([l.waiting_days for l in problem.learners])
    left = problem.capacity.copy()
    chosen = []
    arc_s = problem.arc_supporter[order]
    for li in np.lexsort((np.arange(nl), -waiting)):
        for pos in range(starts[li], starts[li + 1]):
            sj = arc_s[pos]
            if left[sj] > 0:
                left[sj] -= 1
                chosen.append(order[pos])
                break
    return np.array(sorted(chosen), dtype=np.int64)


# ---------------------------------------------------------------------------------------
# Explaining.


def _pair_details(problem: Problem, li: int, sj: int) -> tuple[dict, list[Reason], tuple, float, float]:
    policy, w = problem.policy, problem.policy.weights
    l, s = problem.learners[li], problem.supporters[sj]
    ld = _resolve_district(l.district, "")
    home = _resolve_district(s.home_district, "")
    covered = {_resolve_district(d, "") for d in s.covered}
    lat1, lon1 = geo.point_of(ld, l.point)
    lat2, lon2 = geo.point_of(home, s.point)
    km = float(policy.travel.distance_km(lat1, lon1, lat2, lon2))
    minutes = float(policy.travel.minutes(km))
    reasons = []
    if ld in covered:
        reasons.append(Reason("same_district", {"district": ld}))
    elif policy.allow_adjacent and any(ld in geo.ADJACENT.get(d, ()) for d in covered):
        near = sorted(d for d in covered if ld in geo.ADJACENT.get(d, ()))
        reasons.append(Reason("adjacent_district", {"district": ld, "supporter_district": near[0]}))
    else:
        reasons.append(Reason("within_travel", {"minutes": round(minutes),
                                                "limit": policy.max_travel_minutes}))
    common = common_windows(problem.learner_masks[li], problem.supporter_masks[sj],
                            policy.session_minutes)
    reasons.append(Reason("common_time", {"windows": format_windows(common)}))
    breakdown = {"travel": int(round(minutes * w.travel_per_minute))}
    level_ok = l.level in s.levels
    breakdown["level"] = 0 if level_ok else w.level_gap
    reasons.append(Reason("level_fit" if level_ok else "level_gap", {"level": LEVEL_KO[l.level]}))
    device_ok = l.device in s.devices
    breakdown["device"] = 0 if device_ok else w.device_gap
    reasons.append(Reason("device_fit" if device_ok else "device_gap",
                          {"device": DEVICE_KO[l.device]}))
    language_ok = l.language in s.languages
    breakdown["language"] = 0 if language_ok else w.language_gap
    if l.language != "ko" or not language_ok:
        reasons.append(Reason("language_fit" if language_ok else "language_gap",
                              {"language": l.language}))
    gender_ok = not l.gender_preference or s.gender == l.gender_preference
    breakdown["gender"] = 0 if gender_ok else w.gender_gap
    if l.gender_preference:
        reasons.append(Reason("gender_fit" if gender_ok else "gender_gap",
                              {"gender": l.gender_preference}))
    keeps = l.previous_supporter is not None and l.previous_supporter == s.id
    breakdown["keep_pair"] = -w.keep_pair_bonus if keeps else 0
    if keeps:
        reasons.append(Reason("keeps_pair", {}))
    reasons.append(Reason("capacity", {"learners_left": int(problem.capacity[sj]),
                                       "minutes_left": int(problem.minutes_left[sj])}))
    if l.waiting_days:
        reasons.append(Reason("waiting", {"days": int(l.waiting_days)}))
    return breakdown, reasons, common, minutes, km * policy.travel.detour


def _unmatched_reason(problem: Problem, li: int) -> Reason:
    c = {k: int(v[li]) for k, v in problem.counts.items()}
    if problem.learner_masks[li] == 0:
        return Reason("no_time_given", {"session_minutes": problem.policy.session_minutes})
    if c["nearby"] == 0:
        district = _resolve_district(problem.learners[li].district, "")
        return Reason("no_supporter_nearby", {"district": district})
    if c["time"] == 0:
        return Reason("no_common_time", {"nearby": c["nearby"]})
    if c["allowed"] == 0:
        return Reason("declined_before", {"count": c["time"]})
    if c["open"] == 0:
        return Reason("supporters_full", {"count": c["allowed"]})
    return Reason("taken_by_others", {"count": c["open"]})


def assemble(problem: Problem, chosen: np.ndarray, *, method: str, solve_seconds: float,
             ) -> MatchResult:
    proposals = []
    matched = set()
    w = problem.policy.weights
    for arc in chosen:
        li, sj = int(problem.arc_learner[arc]), int(problem.arc_supporter[arc])
        breakdown, reasons, common, minutes, km = _pair_details(problem, li, sj)
        learner = problem.learners[li]
        priority = min(max(learner.waiting_days, 0) // 7 * w.wait_bonus_per_week, w.wait_bonus_cap)
        proposals.append(Proposal(
            learner_id=learner.id, supporter_id=problem.supporters[sj].id,
            cost=int(problem.arc_pair_cost[arc]), priority=int(priority), breakdown=breakdown,
            reasons=reasons, common=common, travel_minutes=minutes, distance_km=km))
        matched.add(li)
    unmatched = [Unmatched(problem.learners[i].id, _unmatched_reason(problem, i))
                 for i in range(len(problem.learners)) if i not in matched]
    n = len(problem.learners)
    stats = {
        "method": method,
        "learners": n,
        "supporters": len(problem.supporters),
        "supporter_places": int(problem.capacity.sum()),
        "candidate_pairs": int(problem.arc_learner.size),
        "matched": len(proposals),
        "unmatched": len(unmatched),
        "match_rate": (len(proposals) / n) if n else 0.0,
        "objective": int(problem.arc_cost[chosen].sum() - w.base * len(chosen)) if len(chosen) else 0,
        "pair_cost_total": int(problem.arc_pair_cost[chosen].sum()) if len(chosen) else 0,
        "mean_travel_minutes": (float(np.mean([p.travel_minutes for p in proposals]))
                                if proposals else 0.0),
        "prepare_seconds": round(problem.seconds, 4),
        "solve_seconds": round(solve_seconds, 4),
    }
    return MatchResult(proposals=proposals, unmatched=unmatched, stats=stats)


def match(learners: Sequence[Learner], supporters: Sequence[Supporter],
          policy: MatchPolicy = MatchPolicy(), progress: ProgressCallback = null_progress,
          ) -> MatchResult:
    """The optimal assignment with its explanations (see the module docstring)."""
    problem = prepare(learners, supporters, policy, progress)
    progress(0.9, 1.0, "solving")
    started = time.perf_counter()
    chosen = solve_optimal(problem)
    return assemble(problem, chosen, method="min_cost_flow",
                    solve_seconds=time.perf_counter() - started)


def greedy_match(learners: Sequence[Learner], supporters: Sequence[Supporter],
                 policy: MatchPolicy = MatchPolicy()) -> MatchResult:
    problem = prepare(learners, supporters, policy)
    started = time.perf_counter()
    chosen = solve_greedy(problem)
    return assemble(problem, chosen, method="greedy", solve_seconds=time.perf_counter() - started)


# ---------------------------------------------------------------------------------------
# Plain-text reasons for the CLI (the web app renders the same codes through gettext).

_REASON_TEXT_KO = {
    "same_district": "같은 자치구({district})",
    "adjacent_district": "이웃 자치구({supporter_district} → {district})",
    "within_travel": "이동 시간 약 {minutes}분(한도 {limit}분)",
    "common_time": "함께 가능한 시간: {windows}",
    "level_fit": "{level} 수준 지도 가능",
    "level_gap": "{level} 수준은 지도 경험이 적음",
    "device_fit": "{device} 사용법을 앎",
    "device_gap": "{device} 사용 경험이 적음",
    "language_fit": "{language} 가능",
    "language_gap": "{language} 불가",
    "gender_fit": "희망 성별 반영",
    "gender_gap": "희망 성별과 다름",
    "keeps_pair": "이전에 함께한 지원단",
    "capacity": "남은 자리 {learners_left}명, 이달 남은 시간 {minutes_left}분",
    "waiting": "{days}일째 대기",
    "no_time_given": "가능한 시간이 없거나 {session_minutes}분 수업이 들어갈 만큼 길지 않음",
    "no_supporter_nearby": "{district}와 이웃 자치구에서 활동하는 지원단이 없음",
    "no_common_time": "가까운 지원단 {nearby}명 중 시간이 맞는 사람이 없음",
    "declined_before": "시간이 맞는 지원단 {count}명이 모두 이미 거절함",
    "supporters_full": "조건이 맞는 지원단 {count}명의 자리나 이달 시간이 모두 참",
    "taken_by_others": "조건이 맞는 지원단 {count}명의 남은 자리가 더 오래 기다린 분께 배정됨",
}


def describe(reason: Reason) -> str:
    template = _REASON_TEXT_KO.get(reason.code, reason.code)
    try:
        return template.format(**reason.params)
    except (KeyError, IndexError):
        return template


def windows_of(items: Iterable[Window]) -> tuple[Window, ...]:
    return tuple(sorted(items))
