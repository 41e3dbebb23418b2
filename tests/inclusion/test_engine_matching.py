"""Matching engine: hard constraints hold, costs add up, the optimum is the optimum."""


import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from seoul_digital.inclusion.engine import matching as m
from seoul_digital.inclusion.engine import synth
from seoul_digital.inclusion.engine.schedule import parse_windows

TUE_AM = parse_windows("화 오전")
THU_PM = parse_windows("목 오후")


def learner(id, district="강남구", windows=TUE_AM, **kw):
    return m.Learner(id=id, district=district, windows=windows, **kw)


def supporter(id, district="강남구", windows=TUE_AM, **kw):
    return m.Supporter(id=id, home_district=district, windows=windows, **kw)


def pairs(result):
    return {(p.learner_id, p.supporter_id) for p in result.proposals}


def reasons(result):
    return {u.learner_id: u.reason for u in result.unmatched}


def test_same_district_and_common_time_match_with_explanation():
    result = m.match([learner("a")], [supporter("s")])
    assert pairs(result) == {("a", "s")}
    codes = [r.code for r in result.proposals[0].reasons]
    assert codes[:2] == ["same_district", "common_time"]
    assert result.proposals[0].reasons[1].params["windows"] == "화 09:00-12:00"
    assert "level_fit" in codes and "device_fit" in codes and "capacity" in codes


def test_far_district_is_infeasible_and_says_so():
    # 노원구 does not border 강남구.
    result = m.match([learner("a", "노원구")], [supporter("s", "강남구")])
    assert not result.proposals
    assert reasons(result)["a"].code == "no_supporter_nearby"
    assert reasons(result)["a"].params == {"district": "노원구"}


def test_adjacent_district_only_when_allowed():
    people = ([learner("a", "서초구")], [supporter("s", "강남구")])
    assert pairs(m.match(*people)) == {("a", "s")}
    assert m.match(*people).proposals[0].reasons[0].code == "adjacent_district"
    strict = m.MatchPolicy(allow_adjacent=False)
    assert not m.match(*people, policy=strict).proposals


def test_travel_time_limit_reaches_beyond_neighbours():
    # 광진구 and 성동구 border each other; 송파구 ↔ 성동구 do not, but are close.
    people = ([learner("a", "성동구")], [supporter("s", "송파구")])
    assert not m.match(*people).proposals
    near = m.match(*people, policy=m.MatchPolicy(max_travel_minutes=60))
    assert pairs(near) == {("a", "s")}
    assert near.proposals[0].reasons[0].code == "within_travel"
    too_short = m.match(*people, policy=m.MatchPolicy(max_travel_minutes=15))
    assert not too_short.proposals


def test_no_common_time_means_no_match():
    result = m.match([learner("a", windows=TUE_AM)], [supporter("s", windows=THU_PM)])
    assert not result.proposals
    assert reasons(result)["a"].code == "no_common_time"
    assert reasons(result)["a"].params == {"nearby": 1}


def test_learner_without_times_gets_that_reason():
    result = m.match([learner("a", windows=parse_windows("화 10:00-11:00"))], [supporter("s")])
    assert reasons(result)["a"].code == "no_time_given"


def test_capacity_by_count_and_by_monthly_hours():
    learners = [learner(f"l{i}") for i in range(5)]
    by_count = m.match(learners, [supporter("s", max_learners=3, current_learners=1)])
    assert len(by_count.proposals) == 2
    assert {u.reason.code for u in by_count.unmatched} == {"taken_by_others"}
    # 1260-minute cap, 180 minutes per learner, 1000 already committed → one more learner.
    by_hours = m.match(learners, [supporter("s", max_learners=10, committed_minutes=1000)])
    assert len(by_hours.proposals) == 1
    full = m.match(learners[:1], [supporter("s", max_learners=10, committed_minutes=1200)])
    assert reasons(full)["l0"].code == "supporters_full"


def test_a_supporter_who_declined_is_not_proposed_again():
    people = [learner("a", declined_by=frozenset({"s1"}))], [supporter("s1"), supporter("s2")]
    assert pairs(m.match(*people)) == {("a", "s2")}
    only = m.match(people[0], people[1][:1])
    assert reasons(only)["a"].code == "declined_before"


def test_soft_costs_pick_the_better_fit():
    # Equal places and times; only s2 knows iPhones and teaches the daily level.
    l = learner("a", device="ios", level="daily")
    s1 = supporter("s1", devices=frozenset({"android"}), levels=frozenset({"basic"}))
    s2 = supporter("s2", devices=frozenset({"ios"}), levels=frozenset({"basic", "daily"}))
    result = m.match([l], [s1, s2])
    assert pairs(result) == {("a", "s2")}
    # Without the better one, the worse fit still matches and says what is missing.
    worse = m.match([l], [s1])
    codes = {r.code for r in worse.proposals[0].reasons}
    assert {"device_gap", "level_gap"} <= codes
    w = m.CostWeights()
    assert worse.proposals[0].cost - result.proposals[0].cost == w.device_gap + w.level_gap


def test_gender_preference_only_counts_when_asked():
    f, mm = supporter("f", gender="F"), supporter("m", gender="M")
    asked = m.match([learner("a", gender_preference="F")], [mm, f])
    assert pairs(asked) == {("a", "f")}
    assert "gender_fit" in {r.code for r in asked.proposals[0].reasons}
    not_asked = m.match([learner("a")], [mm, f])
    assert "gender_fit" not in {r.code for r in not_asked.proposals[0].reasons}
    assert not_asked.proposals[0].breakdown["gender"] == 0


def test_previous_supporter_is_kept_when_fit_is_otherwise_equal():
    result = m.match([learner("a", previous_supporter="s2")], [supporter("s1"), supporter("s2")])
    assert pairs(result) == {("a", "s2")}
    assert "keeps_pair" in {r.code for r in result.proposals[0].reasons}


def test_language_need_is_a_soft_cost():
    speaks = supporter("zh", languages=frozenset({"ko", "zh"}))
    result = m.match([learner("a", language="zh")], [supporter("ko"), speaks])
    assert pairs(result) == {("a", "zh")}


def test_longer_waiting_learner_gets_the_last_place():
    people = [learner("new", waiting_days=0), learner("old", waiting_days=60)]
    result = m.match(people, [supporter("s", max_learners=1)])
    assert pairs(result) == {("old", "s")}
    assert reasons(result)["new"].code == "taken_by_others"


def test_breakdown_adds_up_to_the_cost_used_by_the_solver():
    learners, supporters = synth.people(300, 40, seed=7)
    problem = m.prepare(learners, supporters)
    result = m.assemble(problem, m.solve_optimal(problem), method="t", solve_seconds=0)
    assert result.proposals
    for p in result.proposals:
        assert sum(p.breakdown.values()) == p.cost


def test_bad_input_is_named():
    with pytest.raises(m.MatchingError, match="learner x: 'Atlantis'"):
        m.match([learner("x", "Atlantis")], [])
    with pytest.raises(m.MatchingError, match="learner x device"):
        m.match([learner("x", device="pager")], [])
    with pytest.raises(m.MatchingError, match="same id appears twice"):
        m.match([learner("x"), learner("x")], [])


def _brute_force_objective(problem):
    """Max matches, then min cost, by the Hungarian method on capacity-expanded columns."""
    nl = len(problem.learners)
    columns = [j for j in range(len(problem.supporters)) for _ in range(int(problem.capacity[j]))]
    big = 10 ** 7
    cost = np.full((nl, len(columns) + nl), big, dtype=np.int64)
    arc = {(int(l), int(s)): int(c - problem.policy.weights.base)
           for l, s, c in zip(problem.arc_learner, problem.arc_supporter, problem.arc_cost)}
    for col, j in enumerate(columns):
        for i in range(nl):
            if (i, j) in arc:
                cost[i, col] = arc[(i, j)]
    penalty = 10 ** 5  # leaving a learner out costs more than any rearrangement saves
    for i in range(nl):
        cost[i, len(columns) + i] = penalty
    rows, cols = linear_sum_assignment(cost)
    matched = [(r, c) for r, c in zip(rows, cols) if c < len(columns) and cost[r, c] < big]
    return len(matched), sum(int(cost[r, c]) for r, c in matched)


@pytest.mark.parametrize("seed", range(6))
def test_min_cost_flow_equals_an_independent_exact_solver(seed):
    learners, supporters = synth.people(60, 8, seed=seed)
    problem = m.prepare(learners, supporters)
    ours = m.assemble(problem, m.solve_optimal(problem), method="t", solve_seconds=0)
    greedy = m.assemble(problem, m.solve_greedy(problem), method="g", solve_seconds=0)
    count, objective = _brute_force_objective(problem)
    assert ours.stats["matched"] == count
    assert ours.stats["objective"] == objective
    assert greedy.stats["matched"] <= count
    if greedy.stats["matched"] == count:
        assert greedy.stats["objective"] >= objective


def test_fixed_flow_is_never_worse_than_greedy_at_the_same_size():
    learners, supporters = synth.people(400, 40, seed=3)
    problem = m.prepare(learners, supporters)
    greedy = m.solve_greedy(problem)
    at_k = m.solve_optimal(problem, flow=len(greedy))
    assert len(at_k) == len(greedy)
    assert problem.arc_cost[at_k].sum() <= problem.arc_cost[greedy].sum()


def test_every_proposal_respects_the_hard_constraints():
    learners, supporters = synth.people(500, 50, seed=11)
    result = m.match(learners, supporters)
    by_id = {s.id: s for s in supporters}
    learners_by_id = {l.id: l for l in learners}
    taken = {}
    for p in result.proposals:
        s, l = by_id[p.supporter_id], learners_by_id[p.learner_id]
        assert p.common, "a proposal without common time"
        covered = set(s.covered)
        from seoul_digital.common.districts import ADJACENT
        assert l.district in covered or any(l.district in ADJACENT[d] for d in covered)
        taken[s.id] = taken.get(s.id, 0) + 1
    for sid, n in taken.items():
        s = by_id[sid]
        assert n <= s.max_learners - s.current_learners
        assert (s.current_learners + n) * m.MatchPolicy().plan_minutes <= 21 * 60
    assert len(result.proposals) + len(result.unmatched) == len(learners)
