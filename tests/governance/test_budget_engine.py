"""Budget execution math (engine only, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from seoul_digital.governance.engine import budget as b

D = Decimal


def plan_line(budget_krw, quarters=None, name="line"):
    return b.PlanLine(name, budget_krw, tuple(D(q) for q in quarters) if quarters else None)


def test_quarters():
    assert [b.quarter_of(dt.date(2021, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert b.quarter_end(2021, 1) == dt.date(2021, 3, 31)
    assert b.quarter_end(2021, 2) == dt.date(2021, 6, 30)
    assert b.quarter_end(2021, 4) == dt.date(2021, 12, 31)
    with pytest.raises(ValueError):
        b.quarter_end(2021, 5)


def test_planned_share_weights_lines_by_their_budget():
    # The 2021 데이터 창출 programme: 389.4 planned 160 in Q1 of 389.4; 179 allocated, planned
    # 50 of 1,000 in Q1. Weighted: (389.4 × 160/389.4 + 179 × 0.05) / 568.4.
    lines = [plan_line(389_400_000, ["160", "153", "46", "30.4"]),
             plan_line(179_000_000, ["50", "250", "400", "300"])]
    programme = b.ProgrammeInput("data", "데이터", 568_400_000, lines)
    status = b.evaluate_programme(programme, 2021, 1, 10)
    expected = (D(389_400_000) * D(160) / D("389.4") + D(179_000_000) * D("0.05")) / D(568_400_000)
    assert status.at(1).planned_share == expected
    assert status.at(4).planned_share == 1
    assert status.at(1).planned_cumulative_krw == 168_950_000


def test_execution_rate_gap_balance_and_projection():
    programme = b.ProgrammeInput("p", "P", 1_000_000_000, [plan_line(1_000_000_000, [100, 200, 300, 400])],
                                 spending=[(dt.date(2021, 2, 1), 40_000_000),
                                           (dt.date(2021, 3, 31), 20_000_000),
                                           (dt.date(2021, 4, 1), 999_000_000)])  # Q2: outside Q1
    q1 = b.evaluate_programme(programme, 2021, 1, 5).at(1)
    assert q1.cumulative_spend_krw == 60_000_000
    assert q1.balance_krw == 940_000_000
    assert q1.execution_rate == D("0.06")
    assert q1.planned_share == D("0.1")
    assert q1.gap_pp == D("-4.0")
    assert q1.behind is False  # 4%p behind, threshold 5
    # No catch-up: the 40,000,000 behind plan lapses; the rest is spent as planned.
    assert q1.projected_spend_krw == 60_000_000 + 900_000_000
    assert q1.projected_unspent_krw == 40_000_000
    assert b.evaluate_programme(programme, 2021, 1, "3.9").at(1).behind is True


def test_later_quarters_carry_the_plan_only():
    programme = b.ProgrammeInput("p", "P", 400, [plan_line(400, [1, 1, 1, 1])],
                                 spending=[(dt.date(2021, 5, 1), 100)])
    status = b.evaluate_programme(programme, 2021, 1, 10)
    assert status.at(1).cumulative_spend_krw == 0
    for quarter in (2, 3, 4):
        row = status.at(quarter)
        assert not row.evaluated and row.execution_rate is None and row.gap_pp is None
        assert not row.behind
    assert [q.quarter_plan_krw for q in status.quarters] == [100, 100, 100, 100]
    assert status.at(2).planned_cumulative_krw == 200


def test_lines_without_a_plan_are_paced_evenly():
    programme = b.ProgrammeInput("personnel", "인건비", 2_814_743_000, [plan_line(2_814_743_000)])
    status = b.evaluate_programme(programme, 2021, 2, 10)
    assert status.plan_assumed_even
    assert [q.planned_share for q in status.quarters] == [D("0.25"), D("0.5"), D("0.75"), D(1)]


def test_movements_change_the_current_budget_from_their_date():
    programme = b.ProgrammeInput(
        "p", "P", 1_000_000, [plan_line(1_000_000, [1, 1, 1, 1])],
        movements=[b.Movement(dt.date(2021, 2, 1), "carry_in", 200_000),
                   b.Movement(dt.date(2021, 5, 1), "transfer_out", 100_000),
                   b.Movement(dt.date(2021, 8, 1), "transfer_in", 50_000),
                   b.Movement(dt.date(2021, 11, 1), "carry_forward", 30_000)],
        spending=[(dt.date(2021, 12, 31), 1_000_000)])
    status = b.evaluate_programme(programme, 2021, 4, 10)
    assert [q.current_budget_krw for q in status.quarters] == [1_200_000, 1_100_000, 1_150_000, 1_150_000]
    q4 = status.at(4)
    assert q4.carry_forward_krw == 30_000
    # 1,150,000 − 1,000,000 spent − 30,000 carried forward = 120,000 lapses.
    assert q4.projected_unspent_krw == 120_000
    assert q4.balance_krw == 150_000


def test_movement_validation():
    with pytest.raises(ValueError):
        b.Movement(dt.date(2021, 1, 1), "gift", 1)
    with pytest.raises(ValueError):
        b.Movement(dt.date(2021, 1, 1), "carry_in", -1)


def test_ahead_of_plan_never_projects_unspent_money():
    programme = b.ProgrammeInput("p", "P", 1000, [plan_line(1000, [1, 1, 1, 1])],
                                 spending=[(dt.date(2021, 3, 1), 600)])
    q1 = b.evaluate_programme(programme, 2021, 1, 10).at(1)
    assert q1.gap_pp == D(35)
    assert q1.projected_spend_krw == 1000 and q1.projected_unspent_krw == 0


def test_spending_outside_the_year_is_ignored():
    programme = b.ProgrammeInput("p", "P", 1000, [], spending=[(dt.date(2020, 12, 31), 500),
                                                               (dt.date(2022, 1, 1), 500)])
    assert b.evaluate_programme(programme, 2021, 4, 10).at(4).cumulative_spend_krw == 0


def test_total_recomputes_rates_from_sums_and_alerts_sort_by_gap():
    a = b.ProgrammeInput("a", "A", 1000, [plan_line(1000, [1, 1, 1, 1])],
                         spending=[(dt.date(2021, 3, 1), 50)])
    c = b.ProgrammeInput("c", "C", 3000, [plan_line(3000, [1, 1, 1, 1])],
                         spending=[(dt.date(2021, 3, 1), 300)])
    statuses = [b.evaluate_programme(p, 2021, 1, 10) for p in (a, c)]
    total = b.evaluate_total(statuses, 10).at(1)
    assert total.current_budget_krw == 4000 and total.cumulative_spend_krw == 350
    assert total.execution_rate == D(350) / D(4000)
    assert total.planned_share == D("0.25")
    alerts = b.alerts_for(statuses, 1, 10)
    assert [x.code for x in alerts] == ["a", "c"]  # −20%p before −15%p
    assert alerts[0].gap_pp == D(-20)


def test_zero_budget_has_no_rate():
    status = b.evaluate_programme(b.ProgrammeInput("z", "Z", 0, []), 2021, 1, 10)
    assert status.at(1).execution_rate is None and not status.at(1).behind
