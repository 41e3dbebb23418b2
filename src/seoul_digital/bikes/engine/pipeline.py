"""Glue used by the CLI, the benchmark and the app: trips → station-hour counts → forecast
rates → replay inputs. Plain Python like the rest of the engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoul_digital.bikes.engine import forecast as fc
from seoul_digital.bikes.engine.stations import project_km
from seoul_digital.bikes.engine.trips import hourly_counts

__all__ = ["ReplayInputs", "replay_inputs", "forecast_rates"]


@dataclass
class ReplayInputs:
    start: pd.Timestamp
    hours: int
    rent_s: np.ndarray
    return_s: np.ndarray
    origin: np.ndarray
    dest: np.ndarray
    station_nos: list[str]
    docks: np.ndarray
    x_km: np.ndarray
    y_km: np.ndarray
    outside_period: int = 0


def replay_inputs(trips: pd.DataFrame, stations: pd.DataFrame, start=None, hours=None) -> ReplayInputs:
    """``trips``: as from :func:`trips.read_trips` (rent_time, return_time, origin, dest as
    station numbers); ``stations``: usable station frame. Trips of stations without a row
    must have been counted by the reader (``known_stations``); any left are counted here."""
    nos = stations["station_no"].astype(str).tolist()
    index = {no: k for k, no in enumerate(nos)}
    if start is None:
        start = trips["rent_time"].min().floor("D")
    start = pd.Timestamp(start)
    if hours is None:
        end = (trips["rent_time"].max() + pd.Timedelta(hours=1)).ceil("D")
        hours = int((end - start) / pd.Timedelta(hours=1))
    o = trips["origin"].map(index)
    d = trips["dest"].map(index)
    rent_s = (trips["rent_time"] - start).dt.total_seconds().to_numpy()
    ret_s = (trips["return_time"] - start).dt.total_seconds().to_numpy()
    ok = o.notna().to_numpy() & d.notna().to_numpy() & (rent_s >= 0) & (rent_s < hours * 3600)
    x, y = project_km(stations["lat"].to_numpy(float), stations["lon"].to_numpy(float))
    return ReplayInputs(start, hours, rent_s[ok], ret_s[ok], o[ok].to_numpy(int),
                        d[ok].to_numpy(int), nos, stations["docks"].to_numpy(int), x, y,
                        int((~ok).sum()))


def forecast_rates(history: pd.DataFrame | None, target: pd.DataFrame, stations: pd.DataFrame,
                   target_start, target_hours: int, *, method: str = "lgbm", horizon: int = 3,
                   fit_stations: int = 600, seed: int = 0, weather_history=None,
                   weather_target=None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Per-station hourly rental and return rates for the target period.

    ``history`` (trips of an earlier period) trains the model; lags come from ``target``'s
    own counts at least ``horizon`` hours old, so every rate is a true ``horizon``-hour-ahead
    forecast. ``method``: "calendar" (mean per station × day type × hour of the history) or
    "lgbm" (global count model, fitted on a sample of ``fit_stations`` stations).
    Without history the target's own calendar mean is used (in-sample; said in the info)."""
    nos = stations["station_no"].astype(str).tolist()
    t_start = pd.Timestamp(target_start)
    t_hours = pd.date_range(t_start, periods=target_hours, freq="h")
    t_cal = fc.calendar_features(t_hours)
    y_rent, y_ret = hourly_counts(target, nos, t_start, target_hours)
    info = {"method": method, "horizon_hours": horizon}
    if history is None or len(history) == 0:
        info.update(method="calendar", note="no history: calendar mean of the replayed trips (in-sample)")
        out = []
        for y in (y_rent, y_ret):
            out.append(fc.CalendarMean().fit(y, t_cal).predict(t_cal))
        return out[0], out[1], info
    h_start = history["rent_time"].min().floor("D")
    h_hours_n = int(((history["rent_time"].max() + pd.Timedelta(hours=1)).ceil("D") - h_start)
                    / pd.Timedelta(hours=1))
    h_hours = pd.date_range(h_start, periods=h_hours_n, freq="h")
    h_cal = fc.calendar_features(h_hours)
    h_rent, h_ret = hourly_counts(history, nos, h_start, h_hours_n)
    rng = np.random.default_rng(seed)
    out = []
    for hist, tgt, label in ((h_rent, y_rent, "rentals"), (h_ret, y_ret, "returns")):
        cm = fc.CalendarMean().fit(hist, h_cal)
        if method == "calendar":
            out.append(cm.predict(t_cal))
            continue
        sample = np.sort(rng.choice(len(nos), min(fit_stations, len(nos)), replace=False))
        model = fc.CountForecaster(horizon=horizon, use_weather=weather_history is not None,
                                   n_estimators=200, seed=seed)
        model.fit(hist[sample], h_cal, weather_history)
        # The history's calendar mean of every station, not only the sample, feeds the model.
        model.calendar = cm
        pred = model.predict(tgt, t_cal, weather_target)
        in_mae = fc.mae(tgt[:, horizon + 168:], pred[:, horizon + 168:])
        cm_mae = fc.mae(tgt[:, horizon + 168:], cm.predict(t_cal)[:, horizon + 168:])
        info[f"{label}_mae"] = round(in_mae, 3)
        info[f"{label}_calendar_mae"] = round(cm_mae, 3)
        info[f"{label}_dispersion"] = round(float(model.dispersion), 2)
        out.append(pred)
    return out[0], out[1], info
