"""Forecast: calendar baseline, count model, metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from seoul_digital.bikes.engine import forecast as fc


def _series(days=56, n=12, seed=0):
    """Station-hour counts with a daily level that moves (weather-like), Poisson noise."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range("2018-04-01", periods=24 * days, freq="h")
    cal = fc.calendar_features(hours)
    shape = np.where(cal["offday"], 1.0, 1.0 + 2.0 * np.isin(cal["hour"], [8, 18]))
    level = np.repeat(np.exp(rng.normal(0, 0.5, days)), 24)
    base = rng.uniform(0.5, 4.0, n)[:, None]
    y = rng.poisson(base * shape[None, :] * level[None, :]).astype(float)
    return hours, cal, y


def test_calendar_mean_recovers_cell_means():
    hours, cal, y = _series(days=28, n=3)
    cm = fc.CalendarMean().fit(y, cal)
    pred = cm.predict(cal)
    mask = (cal["offday"] == 0) & (cal["hour"] == 8)
    assert np.allclose(pred[:, mask.to_numpy()][:, 0], y[:, mask.to_numpy()].mean(axis=1))


def test_count_model_beats_calendar_mean_out_of_sample():
    hours, cal, y = _series()
    split = 24 * 42
    train = np.arange(y.shape[1]) < split
    model = fc.CountForecaster(horizon=1, use_weather=False, n_estimators=150).fit(
        np.where(train, y, np.nan), cal, mask=train)
    pred = model.predict(y, cal)
    cm = fc.CalendarMean().fit(np.where(train, y, np.nan), cal).predict(cal)
    test = ~train
    ours, base = fc.mae(y[:, test], pred[:, test]), fc.mae(y[:, test], cm[:, test])
    assert ours < 0.95 * base
    # The predictive distribution is calibrated-ish: ~80 % inside the 10–90 % band.
    q = model.quantiles(pred[:, test], [0.1, 0.9])
    inside = ((y[:, test] >= q[0]) & (y[:, test] <= q[1])).mean()
    assert 0.7 < inside < 0.97


def test_lags_never_see_the_future():
    hours, cal, y = _series(days=14, n=2)
    model = fc.CountForecaster(horizon=3, use_weather=False, n_estimators=30).fit(y, cal)
    changed = y.copy()
    changed[:, -2:] += 50  # the last two hours change: a 3-hour-ahead forecast of them cannot
    a, b = model.predict(y, cal), model.predict(changed, cal)
    assert np.allclose(a[:, :-2], b[:, :-2]) and np.allclose(a[:, -2:], b[:, -2:])


def test_pinball_and_crps():
    y = np.array([0.0, 2.0, 5.0])
    assert fc.pinball(y, np.array([1.0, 1.0, 1.0]), 0.5) == pytest.approx((0.5 + 0.5 + 2.0) / 3)
    # CRPS of a (nearly) certain forecast equals the absolute error for integer outcomes.
    assert fc.crps_negbin(np.array([3.0]), np.array([1e-9]), np.inf) == pytest.approx(3.0, abs=1e-6)
    # A sharper correct forecast scores better than a vague one.
    rng = np.random.default_rng(0)
    obs = rng.poisson(4.0, 500).astype(float)
    good = fc.crps_negbin(obs, np.full(500, 4.0), np.inf)
    vague = fc.crps_negbin(obs, np.full(500, 4.0), 0.5)
    assert good < vague
    emp = fc.crps_empirical(np.array([1.0]), {0: np.array([0.0, 2.0])}, np.array([0]))
    assert emp == pytest.approx(1.0 - 0.5)  # E|X−y| − ½E|X−X'| = 1 − ½·1
