"""Safety-stock bands: against a Monte Carlo simulation, shapes, vectorisation."""

from __future__ import annotations

import numpy as np
import pytest

from seoul_digital.bikes.engine.safety_stock import SafetyStockParams, compute_bands, expected_path


def _simulate(rent, ret, docks, s0, params, runs=4000, seed=0):
    """Direct event simulation of the same soft-capacity station (per-hour constant rates)."""
    rng = np.random.default_rng(seed)
    cap = int(np.ceil(docks * params.overflow))
    total = np.zeros(runs)
    for r in range(runs):
        s, cost = s0, 0.0
        for lam, mu in zip(rent, ret):
            t = 0.0
            while True:
                t += rng.exponential(1.0 / (lam + mu))
                if t > 1.0:
                    break
                if rng.random() < lam / (lam + mu):
                    if s == 0:
                        cost += 1
                    else:
                        s -= 1
                else:
                    if s >= cap:
                        cost += 1
                    else:
                        cost += params.overflow_penalty if s >= docks else 0.0
                        s += 1
        total[r] = cost
    return total.mean(), total.std() / np.sqrt(runs)


@pytest.mark.parametrize("s0", [0, 3, 8])
def test_dissatisfaction_matches_simulation(s0):
    params = SafetyStockParams()
    rent, ret = [4.0, 6.0, 2.0], [1.0, 2.0, 5.0]
    bands = compute_bands([rent], [ret], [8], params)
    mean, se = _simulate(rent, ret, 8, s0, params)
    assert abs(bands.cost[0, s0] - mean) < 4 * se + 0.05


def test_band_shapes():
    # Only rentals: more bikes is never worse, the band starts well above zero.
    b = compute_bands([[2, 2, 2]], [[0, 0, 0]], [10])
    cost = b.cost[0, : b.capacity[0] + 1]
    assert np.all(np.diff(cost) <= 1e-12) and b.low[0] >= 5 and b.target[0] >= b.low[0]
    # Only returns: an empty station is best, the band tops out well below the cap.
    b = compute_bands([[0, 0, 0]], [[3, 3, 3]], [10])
    assert b.low[0] == 0 and b.target[0] == 0 and b.high[0] < 10
    # No demand: any stock will do.
    b = compute_bands([[0, 0]], [[0, 0]], [10])
    assert b.low[0] == 0 and b.high[0] == b.capacity[0]


def test_band_is_an_interval_around_the_optimum_and_probabilities_monotone():
    rng = np.random.default_rng(5)
    n = 200
    rent, ret = rng.gamma(1.5, 1.5, (n, 3)), rng.gamma(1.5, 1.5, (n, 3))
    docks = rng.integers(5, 30, n)
    b = compute_bands(rent, ret, docks)
    assert np.all(b.low <= b.target) and np.all(b.target <= b.high) and np.all(b.high <= b.capacity)
    for i in range(n):
        cost = b.cost[i, : b.capacity[i] + 1]
        ok = cost <= cost.min() + max(0.3, 0.1 * cost.min())
        inside = np.flatnonzero(ok)
        assert inside[0] == b.low[i] and inside[-1] == b.high[i]
        assert np.all(ok[b.low[i]: b.high[i] + 1])  # convex F: no holes in the band
        assert np.all(np.diff(b.p_empty[i, : b.capacity[i] + 1]) <= 1e-9)


def test_vectorised_equals_one_station_at_a_time():
    rng = np.random.default_rng(1)
    rent, ret = rng.gamma(1.0, 3.0, (30, 2)), rng.gamma(1.0, 3.0, (30, 2))
    rent[0] = 40.0  # one busy station needs more steps per hour than the rest
    docks = rng.integers(5, 25, 30)
    together = compute_bands(rent, ret, docks)
    for i in range(30):
        alone = compute_bands(rent[i:i + 1], ret[i:i + 1], docks[i:i + 1])
        k = alone.capacity[0] + 1
        assert np.allclose(together.cost[i, :k], alone.cost[0, :k], atol=0.02)
        assert (together.low[i], together.high[i]) == (alone.low[0], alone.high[0])


def test_expected_path_drains_with_rentals():
    mean, lo, hi = expected_path([3, 3, 3], [0, 0, 0], 10, 8)
    # 8 bikes against 9 expected rentals: nearly empty at the end, never below 0.
    assert mean[0] == 8 and np.all(np.diff(mean) < 0) and 0 < mean[-1] < 1.5
    assert np.all(lo <= mean + 1e-9) and np.all(hi >= mean - 1e-9)


def test_refused_returns_cost_the_refusal_penalty():
    # Only returns: every dissatisfied user is a return refused at the cap (2 × docks), so F
    # scales with the charge per refusal; returns between the docks and the cap cost nothing.
    ret = np.full((1, 4), 6.0)
    rent = np.zeros((1, 4))
    docks = np.array([5])
    full = compute_bands(rent, ret, docks, SafetyStockParams(overflow_penalty=0.0))
    light = compute_bands(rent, ret, docks, SafetyStockParams(overflow_penalty=0.0, refusal_penalty=0.3))
    finite = np.isfinite(full.cost[0])
    assert full.cost[0, 10] > 5  # from the cap, most of 24 expected returns are refused
    np.testing.assert_allclose(light.cost[0, finite], 0.3 * full.cost[0, finite], rtol=1e-9)
