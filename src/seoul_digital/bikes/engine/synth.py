"""Synthetic trips in the published OA-15182 layout.

A time-varying Poisson process per station pair: origin i rents at rate
``λ_i(t) = R_i · h(t) · (1 − α z_i g(t))`` and sends each trip to j with probability
``∝ T_ij (1 + α z_j g(t))`` where

- ``R_i`` is the station's real monthly rental total (공공자전거 대여소별 이용정보 2018; stations
  missing from it get the mean of their 5 nearest calibrated neighbours, counted),
- ``h(t)`` is the real city-wide hourly count of the UCI file for that hour (weather and
  holidays included) or, outside its year, its mean hour × day-type profile,
- ``T_ij`` is a doubly-constrained gravity model (exp(−d/L), balanced by iterative
  proportional fitting to each station's real rentals and returns),
- ``z_i`` is the station's net-attraction score (returns − rentals, from the same data) and
  ``g(t)`` +1 in the morning peak, −1 in the evening peak: commuters' tidal flows.

Durations follow the distance at a lognormal riding speed; bike numbers are drawn from a
fleet pool (the published files carry real ones; nothing here depends on them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.bikes.engine.problems import Problems
from seoul_digital.bikes.engine.stations import distance_matrix_km
from seoul_digital.bikes.engine.trips import TRIP_COLUMNS

__all__ = ["DemandModel", "build_demand", "sample_trips", "month_hours", "DEFAULT_HOUR_PROFILE"]

# Share of a day's rentals per hour (UCI 2017-12..2018-11 means, per mille).
DEFAULT_HOUR_PROFILE = {
    "workday": [28, 22, 15, 10, 7, 8, 20, 44, 75, 41, 30, 34, 38, 38, 39, 43, 50, 66, 97, 73,
                64, 62, 56, 39],
    "offday": [41, 33, 25, 17, 11, 8, 10, 16, 26, 31, 34, 40, 48, 55, 58, 62, 66, 71, 69, 64,
               62, 59, 52, 40],
}
AM_PEAK, PM_PEAK = range(7, 10), range(17, 20)


def month_hours(month: str) -> pd.DatetimeIndex:
    start = pd.Timestamp(f"{month}-01")
    end = start + pd.offsets.MonthBegin(1)
    return pd.date_range(start, end, freq="h", inclusive="left")


def _tide(hours: pd.DatetimeIndex, offday: np.ndarray) -> np.ndarray:
    h = hours.hour
    g = np.where(np.isin(h, AM_PEAK), 1.0, np.where(np.isin(h, PM_PEAK), -1.0, 0.0))
    return np.where(offday, 0.3 * g, g)


@dataclass
class DemandModel:
    """Everything needed to sample (and to know the true intensity of) one month."""

    station_nos: list[str]
    names: list[str]
    docks: np.ndarray
    hours: pd.DatetimeIndex
    origin_rate: np.ndarray  # (stations, hours) expected rentals per hour
    od: np.ndarray  # (stations, stations) balanced gravity weights (row-normalised)
    z: np.ndarray  # net-attraction score per station
    tide: np.ndarray  # g(t) per hour
    dist_km: np.ndarray
    alpha: float
    weather: pd.DataFrame | None
    calibration: dict = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    def destination_probs(self, band: float) -> np.ndarray:
        w = self.od * np.clip(1.0 + self.alpha * self.z[None, :] * band, 0.05, None)
        total = w.sum(axis=1, keepdims=True)
        empty = total[:, 0] <= 0
        w[empty, :] = 0.0
        w[empty, np.flatnonzero(empty)] = 1.0  # a station that never rents: any row will do
        return w / np.maximum(w.sum(axis=1, keepdims=True), 1e-12)

    def expected_returns(self) -> np.ndarray:
        """(stations, hours) expected returns, arrival hour approximated by the rental hour."""
        out = np.zeros_like(self.origin_rate)
        for band in np.unique(self.tide):
            cols = self.tide == band
            out[:, cols] = self.destination_probs(band).T @ self.origin_rate[:, cols]
        return out


def _hour_profile(hours: pd.DatetimeIndex, uci: pd.DataFrame | None,
                  problems: Problems) -> tuple[np.ndarray, pd.DataFrame | None]:
    if uci is not None and len(uci):
        covered = uci.reindex(hours)
        if covered["count"].notna().mean() > 0.9:
            missing = covered["count"].isna()
            if missing.any():
                problems.add("profile_hours_missing_in_uci_filled", str(hours[missing][0]),
                             n=int(missing.sum()))
            prof = covered["count"].astype(float)
            # A missing hour takes the mean of the same hour on other days of the month.
            prof = prof.fillna(prof.groupby(prof.index.hour).transform("mean")).fillna(0.0)
            return prof.to_numpy(), covered
        # Outside the UCI year: its mean by day type and hour, scaled by calendar month.
        u = uci[uci["functioning"]]
        off_u = (u.index.day_of_week >= 5) | u["holiday"].to_numpy()
        table = u.groupby([off_u, u.index.hour])["count"].mean()
        month_mean = u.groupby(u.index.month)["count"].mean()
        scale = month_mean.get(hours[0].month, month_mean.mean()) / month_mean.mean()
        off = hours.day_of_week >= 5
        prof = np.array([table.get((bool(o), h), 0.0) for o, h in zip(off, hours.hour)]) * scale
        problems.add("month_outside_uci_year_profile_used", str(hours[0].date()), n=1)
        return prof, None
    off = hours.day_of_week >= 5
    prof = np.array([DEFAULT_HOUR_PROFILE["offday" if o else "workday"][h]
                     for o, h in zip(off, hours.hour)], float)
    return prof, None


def _ipf(base: np.ndarray, rows: np.ndarray, cols: np.ndarray, iters: int = 30) -> np.ndarray:
    t = base.copy()
    cols = cols * rows.sum() / max(cols.sum(), 1e-9)
    for _ in range(iters):
        t *= (rows / np.maximum(t.sum(axis=1), 1e-12))[:, None]
        t *= (cols / np.maximum(t.sum(axis=0), 1e-12))[None, :]
    return t


def build_demand(stations: pd.DataFrame, month: str, usage: pd.DataFrame | None = None,
                 uci: pd.DataFrame | None = None, *, scale: float = 1.0, length_km: float = 1.5,
                 alpha: float = 0.5, seed: int = 0) -> DemandModel:
    """Calibrate the intensity for ``month`` ("2018-05") over ``stations`` (a usable
    station frame: station_no, name, lat, lon, docks)."""
    problems = Problems()
    rng = np.random.default_rng(seed)
    stations = stations.reset_index(drop=True)
    nos = stations["station_no"].astype(str).tolist()
    n = len(nos)
    hours = month_hours(month)
    dist = distance_matrix_km(stations["lat"].to_numpy(float), stations["lon"].to_numpy(float))
    ym = month.replace("-", "")
    rent = np.full(n, np.nan)
    ret = np.full(n, np.nan)
    calib_month = None
    if usage is not None and len(usage):
        months = sorted(usage["month"].unique())
        calib_month = ym if ym in months else min(months, key=lambda m: abs(int(m) - int(ym)))
        if calib_month != ym:
            problems.add("usage_month_missing_nearest_used", f"{ym} → {calib_month}")
        u = usage[usage["month"] == calib_month].groupby("station_no")[["rentals", "returns"]].sum()
        rent = stations["station_no"].map(u["rentals"]).to_numpy(float).copy()
        ret = stations["station_no"].map(u["returns"]).to_numpy(float).copy()
    matched = np.isfinite(rent) & (rent + np.nan_to_num(ret) > 0)
    if matched.sum() >= 5:
        idx = np.flatnonzero(matched)
        for i in np.flatnonzero(~matched):
            near = idx[np.argsort(dist[i, idx])[:5]]
            rent[i], ret[i] = rent[near].mean(), ret[near].mean()
        problems.add("stations_rate_imputed_from_neighbours", "", n=int((~matched).sum()))
        ret = np.where(np.isfinite(ret), ret, rent)
    else:
        # No usable monthly totals: lognormal rates around the 2018-05 median (~600/month).
        rent = rng.lognormal(np.log(600.0), 0.8, n)
        ret = rent * rng.lognormal(0.0, 0.15, n)
        problems.add("no_usage_totals_synthetic_rates", "", n=n)
    # Day lengths differ between months: totals are per calendar month as published.
    rent, ret = rent * scale, ret * scale
    profile, weather = _hour_profile(hours, uci, problems)
    offday = hours.day_of_week >= 5
    if weather is not None and "holiday" in weather:
        offday = offday | weather["holiday"].fillna(False).to_numpy(bool)
    tide = _tide(hours, offday)
    z = np.clip((ret - rent) / np.maximum(ret + rent, 1.0) * 4.0, -1.0, 1.0)
    share = profile / max(profile.sum(), 1e-9)  # (hours,)
    shape = share[None, :] * np.clip(1.0 - alpha * z[:, None] * tide[None, :], 0.05, None)
    shape /= shape.sum(axis=1, keepdims=True)
    origin_rate = rent[:, None] * shape
    base = np.exp(-dist / length_km)
    base[dist > 15] = 0.0
    np.fill_diagonal(base, np.exp(-0.6 / length_km))  # round trips (leisure)
    od = _ipf(base, rent, ret)
    od = od / np.maximum(od.sum(axis=1, keepdims=True), 1e-12)
    calibration = {"month": month, "calibrated_on": calib_month, "stations": n,
                   "stations_with_real_totals": int(matched.sum()),
                   "expected_rentals": float(origin_rate.sum()),
                   "profile": "uci_hourly" if weather is not None else
                   ("uci_mean_profile" if uci is not None else "built_in_profile")}
    return DemandModel(nos, stations["name"].astype(str).tolist(),
                       stations["docks"].to_numpy(int), hours, origin_rate, od, z, tide, dist,
                       alpha, weather, calibration, problems)


def sample_trips(model: DemandModel, *, seed: int = 0,
                 progress: ProgressCallback = null_progress) -> pd.DataFrame:
    """Draw one realisation; returns a frame with the OA-15182 Korean columns, sorted by
    rental time, plus helper columns (``_o``, ``_d`` station indices, ``_rent_s`` seconds)."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(model.origin_rate)  # (stations, hours)
    n = len(model.station_nos)
    origins, dests, hour_idx = [], [], []
    bands = np.unique(model.tide)
    for b_i, band in enumerate(bands):
        cols = np.flatnonzero(model.tide == band)
        probs = model.destination_probs(band)
        cum = np.cumsum(probs, axis=1)
        sub = counts[:, cols]
        for i in range(n):
            k = int(sub[i].sum())
            if k == 0:
                continue
            hrs = np.repeat(cols, sub[i])
            d = np.searchsorted(cum[i], rng.random(k) * cum[i, -1], side="right")
            origins.append(np.full(k, i))
            dests.append(np.minimum(d, n - 1))
            hour_idx.append(hrs)
        progress(b_i + 1, len(bands), f"band {band:+.1f}")
    if origins:
        o, d, h = np.concatenate(origins), np.concatenate(dests), np.concatenate(hour_idx)
    else:
        o = d = h = np.zeros(0, int)
    start = model.hours[0]
    rent_s = h * 3600 + rng.integers(0, 3600, len(h))
    km = model.dist_km[o, d] * 1.35
    speed = rng.lognormal(np.log(9.0), 0.3, len(o))  # km/h
    minutes = np.where(o == d, rng.lognormal(np.log(35.0), 0.6, len(o)),
                       km / speed * 60 + rng.uniform(1, 4, len(o)))
    minutes = np.clip(minutes, 2, 240)
    metres = np.where(o == d, minutes / 60 * speed * 1000 * 0.8, km * 1000 * rng.uniform(0.95, 1.1, len(o)))
    dur_s = np.round(minutes * 60).astype(np.int64)
    order = np.argsort(rent_s, kind="stable")
    o, d, rent_s, dur_s, metres = o[order], d[order], rent_s[order], dur_s[order], metres[order]
    rent_time = start + pd.to_timedelta(rent_s, unit="s")
    return_time = rent_time + pd.to_timedelta(dur_s, unit="s")
    nos = np.array(model.station_nos, dtype=object)
    names = np.array(model.names, dtype=object)
    docks = np.maximum(model.docks, 1)
    fleet = int(max(docks.sum() * 1.1, 100))
    frame = pd.DataFrame({
        "자전거번호": [f"SPB-{k:05d}" for k in rng.integers(1, fleet + 1, len(o))],
        "대여일시": rent_time.strftime("%Y-%m-%d %H:%M:%S"),
        "대여 대여소번호": nos[o], "대여 대여소명": names[o],
        "대여거치대": (rng.integers(0, 1 << 30, len(o)) % docks[o]) + 1,
        "반납일시": return_time.strftime("%Y-%m-%d %H:%M:%S"),
        "반납대여소번호": nos[d], "반납대여소명": names[d],
        "반납거치대": (rng.integers(0, 1 << 30, len(o)) % docks[d]) + 1,
        "이용시간(분)": np.maximum(1, np.round(dur_s / 60)).astype(int),
        "이용거리(M)": np.round(metres, -1).astype(int),
    })
    frame["_o"], frame["_d"], frame["_rent_s"] = o, d, rent_s
    frame["_return_s"] = rent_s + dur_s
    assert list(frame.columns[:len(TRIP_COLUMNS)]) == TRIP_COLUMNS
    return frame
