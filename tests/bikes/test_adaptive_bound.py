"""The adaptive (no foresight) bound: its DP, its forward accounting, its value table."""

from __future__ import annotations

import numpy as np
import pytest

from seoul_digital.bikes.engine.adaptive_bound import (adaptive_point, bikes_needed,
                                                       service_ceiling, value_table)
from seoul_digital.bikes.engine.safety_stock import SafetyStockParams, compute_bands

LOSS_ONLY = SafetyStockParams(overflow_penalty=0.0, refusal_penalty=0.0)


def _stations(n=24, hours=12, seed=0):
    rng = np.random.default_rng(seed)
    rent = rng.uniform(0, 4, (n, hours))
    ret = rent * rng.uniform(0.5, 1.3, (n, 1))  # most stations drain, some fill
    docks = rng.integers(3, 20, n)
    return rent, ret, docks, np.round(docks * 0.6).astype(int)


def test_without_moves_the_bound_is_the_bands_expected_loss():
    rent, ret, docks, start = _stations()
    bands = compute_bands(rent, ret, docks, LOSS_ONLY, with_probabilities=False)
    point = adaptive_point(rent, ret, docks, start, price=1e6)
    assert point.added == 0 and point.removed == 0
    assert point.lost == pytest.approx(bands.cost[np.arange(len(docks)), start].sum(), rel=1e-9)
    assert point.rentals == pytest.approx(rent.sum())


def test_the_forward_pass_spends_what_the_dp_promised_and_cheaper_bikes_serve_more():
    rent, ret, docks, start = _stations()
    points = [adaptive_point(rent, ret, docks, start, price=p, net_price=p / 2)
              for p in (0.2, 0.6, 1.5)]
    for p in points:
        # With the net price at half the price a bike added costs the price, one removed nothing.
        assert p.objective == pytest.approx(p.lost + p.price * p.added, rel=1e-9)
        assert 0 < p.lost < p.rentals
    served = [p.served_share for p in points]
    added = [p.added for p in points]
    assert served == sorted(served, reverse=True) and added == sorted(added, reverse=True)
    assert served[0] > 0.99 > served[-1]
    # Paying the pool for the bikes it takes back (a higher net price) makes bikes removed
    # worth something and every bound it gives is still valid, just a different one.
    balanced = adaptive_point(rent, ret, docks, start, price=0.6, net_price=0.6)
    assert balanced.removed > 0 and points[1].removed == 0
    assert balanced.objective == pytest.approx(balanced.lost + 0.9 * balanced.added
                                               - 0.3 * balanced.removed, rel=1e-9)
    # Serving what the cheapest point serves takes at least the bikes it needs (a bound
    # from points that bracket it cannot be weaker than one of them).
    need = bikes_needed(points, served[0])
    assert 0 < need <= added[0] + 1e-6
    assert service_ceiling(points, added[0]) >= served[0] - 1e-9
    assert service_ceiling(points, 0.0) < served[-1] + 1e-9


def test_a_station_that_cannot_be_resupplied_loses_more_and_values_its_bikes_more():
    rent, ret, docks, _start = _stations(n=6, hours=8)
    never = value_table(rent, ret, docks, price=0.5, control_every_min=8 * 60 + 60, params=LOSS_ONLY)
    often = value_table(rent, ret, docks, price=0.5, control_every_min=15, params=LOSS_ONLY)
    bands = compute_bands(rent, ret, docks, LOSS_ONLY, with_probabilities=False)
    finite = np.isfinite(bands.cost)
    width = never.shape[2]
    # No resupply within the rates: the table's first hour is the bands' F.
    np.testing.assert_allclose(never[0][finite[:, :width]], bands.cost[:, :width][finite[:, :width]],
                               rtol=1e-5)
    ok = np.isfinite(often)
    assert (often[ok] <= never[ok] + 1e-5).all()
    # The first bike at an empty station is worth more when no truck can come later.
    assert ((never[0, :, 0] - never[0, :, 1]) >= (often[0, :, 0] - often[0, :, 1]) - 1e-6).all()


def test_bad_prices_are_refused():
    rent, ret, docks, start = _stations(n=2, hours=2)
    with pytest.raises(ValueError, match="price"):
        adaptive_point(rent, ret, docks, start, price=0.0)
    with pytest.raises(ValueError, match="net_price"):
        adaptive_point(rent, ret, docks, start, price=1.0, net_price=-0.8)
    with pytest.raises(ValueError, match="period_min"):
        adaptive_point(rent, ret, docks, start, price=1.0, period_min=7)
    with pytest.raises(ValueError, match="multiple of 15"):
        value_table(rent, ret, docks, price=0.5, control_every_min=20)


def test_rarer_decisions_need_more_bikes_for_the_same_service():
    rent, ret, docks, start = _stations()
    often = adaptive_point(rent, ret, docks, start, price=0.6, net_price=0.3, period_min=15)
    hourly = adaptive_point(rent, ret, docks, start, price=0.6, net_price=0.3, period_min=60)
    rare = adaptive_point(rent, ret, docks, start, price=0.6, net_price=0.3, period_min=180)
    # Each keeps fewer chances to act than the one before: its optimum can only be worse.
    assert often.objective <= hourly.objective + 1e-9 <= rare.objective + 2e-9
    assert rare.lost > often.lost
