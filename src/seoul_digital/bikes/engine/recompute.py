"""Recompute every station from a status snapshot: stock → [min, target, max], risk,
alerts, surplus/deficit lists and truck routes. One function for the CLI, the app's job and
the benchmark. The routes come from the planner the replay benchmark measures
(:func:`planner.plan_moves` with an :class:`OursSettings` preset), not from a simpler
stand-in: what operators are given is what the figures in docs/bikes.md describe."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from seoul_digital.bikes.engine.live import StatusSnapshot
from seoul_digital.bikes.engine.ours_settings import OURS, OursSettings
from seoul_digital.bikes.engine.planner import plan_moves
from seoul_digital.bikes.engine.problems import Problems
from seoul_digital.bikes.engine.routing import RoutingParams, imbalance_lists, zones_kmeans
from seoul_digital.bikes.engine.safety_stock import SafetyStockParams, compute_bands
from seoul_digital.bikes.engine.stations import project_km

__all__ = ["RecomputeResult", "match_stock", "recompute", "prior_rates", "severity_of", "zone_fleet"]

SEVERITY = ("high", "medium", "low")


def severity_of(excess: np.ndarray, p_empty: np.ndarray, risk: np.ndarray) -> np.ndarray:
    """high: ≥ 1 avoidable dissatisfied user or P(empty) ≥ 0.5; medium: ≥ 0.3 user;
    low: anything else outside the band; '' inside it."""
    sev = np.where((excess >= 1.0) | ((risk == "empty_risk") & (p_empty >= 0.5)), "high",
                   np.where(excess >= 0.3, "medium", "low"))
    return np.where(risk == "ok", "", sev)


@dataclass
class RecomputeResult:
    stations: pd.DataFrame
    routes: list
    surplus: list
    deficit: list
    problems: Problems = field(default_factory=Problems)
    seconds: dict = field(default_factory=dict)
    horizon_hours: int = 3
    route_horizon_hours: int = 0  # look-ahead of the bands the routes were valued with

    @property
    def alerts(self) -> pd.DataFrame:
        f = self.stations
        a = f[f["risk"] != "ok"].copy()
        order = {"high": 0, "medium": 1, "low": 2}
        a["_o"] = a["severity"].map(order)
        return a.sort_values(["_o", "excess"], ascending=[True, False]).drop(columns="_o")

    def to_dict(self, with_stations: bool = True) -> dict:
        f = self.stations
        out = {"horizon_hours": self.horizon_hours, "route_horizon_hours": self.route_horizon_hours,
               "stations": int(len(f)), "with_stock": int(f["stock"].notna().sum()),
               "alerts": {"empty_risk": int((f["risk"] == "empty_risk").sum()),
                          "full_risk": int((f["risk"] == "full_risk").sum()),
                          "high": int((f["severity"] == "high").sum())},
               "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
               "problems": self.problems.to_dict(),
               "routes": [r.to_dict(f["station_no"].tolist()) for r in self.routes],
               "top_alerts": _records(self.alerts.head(20))}
        if with_stations:
            out["station_bands"] = _records(f)
        return out


def _records(frame: pd.DataFrame) -> list[dict]:
    cols = ["station_no", "name", "district", "docks", "stock", "low", "target", "high",
            "risk", "severity", "p_empty", "p_full", "expected_dissatisfied", "excess"]
    recs = []
    for row in frame[[c for c in cols if c in frame]].itertuples(index=False):
        d = row._asdict()
        for k, v in d.items():
            if isinstance(v, (np.floating, float)):
                d[k] = None if not np.isfinite(v) else round(float(v), 3)
            elif isinstance(v, np.integer):
                d[k] = int(v)
        recs.append(d)
    return recs


def match_stock(stations: pd.DataFrame, snapshot: StatusSnapshot | None) -> tuple[np.ndarray, Problems]:
    """Stock per station of the list (NaN: no status or a null count); snapshot rows for
    stations not on the list are counted."""
    problems = Problems()
    stock = np.full(len(stations), np.nan)
    if snapshot is None:
        problems.add("no_snapshot_stock_unknown", n=len(stations))
        return stock, problems
    index = {no: k for k, no in enumerate(stations["station_no"].astype(str))}
    by_st = {}
    if "st_id" in stations:
        by_st = {st: k for k, st in enumerate(stations["st_id"].astype(str)) if st}
    for row in snapshot.frame.itertuples(index=False):
        k = index.get(row.station_no)
        if k is None and row.st_id:
            k = by_st.get(row.st_id)
        if k is None:
            problems.add("snapshot_station_not_in_list", row.st_id or row.station_no)
            continue
        if np.isfinite(row.bikes):
            stock[k] = row.bikes
        else:
            problems.add("stock_null_station_kept_without_alert", row.st_id or row.station_no)
    missing = int(np.isnan(stock).sum())
    problems.add("stations_without_status", n=missing)
    return stock, problems


def prior_rates(demand, at: pd.Timestamp, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Expected rentals/returns per station for ``hours`` hours from ``at`` from a calibrated
    :class:`synth.DemandModel` (station × hour intensity); hours past the model's month wrap
    to the same weekday and hour of the month."""
    rent_all = demand.origin_rate
    ret_all = demand.expected_returns()
    idx = []
    for h in range(hours):
        t = pd.Timestamp(at).floor("h") + pd.Timedelta(hours=h)
        # Same weekday and hour inside the model month.
        candidates = np.flatnonzero((demand.hours.day_of_week == t.day_of_week) & (demand.hours.hour == t.hour))
        if t in demand.hours:
            idx.append(int(demand.hours.get_loc(t)))
        else:
            idx.append(int(candidates[len(candidates) // 2]) if len(candidates) else t.hour)
    return rent_all[:, idx], ret_all[:, idx]


def zone_fleet(stations: pd.DataFrame, trucks: int, seed: int = 0) -> list[tuple]:
    """``trucks`` trucks [(id, lat, lon, 0)], each at the centre of its own k-means zone of
    the stations, as the replay benchmark places them: from one central depot a 60-minute
    route cannot reach the outer districts."""
    if trucks <= 0 or stations.empty:
        return []
    lat, lon = stations["lat"].to_numpy(float), stations["lon"].to_numpy(float)
    x, y = project_km(lat, lon)
    zones = zones_kmeans(x, y, trucks, seed=seed)
    fleet = []
    for k in range(trucks):
        member = zones == k
        if member.any():
            fleet.append((k, float(lat[member].mean()), float(lon[member].mean()), 0))
    return fleet


def recompute(stations: pd.DataFrame, stock: np.ndarray, rent_rate: np.ndarray,
              return_rate: np.ndarray, *, params: SafetyStockParams = SafetyStockParams(),
              routing: RoutingParams | None = None, trucks: list | None = None,
              problems: Problems | None = None, alert_hours: int | None = None,
              plan: OursSettings = OURS) -> RecomputeResult:
    """Bands, risk and alerts for every station; routes when ``trucks`` are given as
    [(id, lat, lon, load)].

    ``rent_rate``/``return_rate``: (stations, hours) expected events per hour from the
    snapshot's hour on. Bands and alerts look ``alert_hours`` ahead (default: every column
    given). Routes are valued by the ``plan`` preset's own bands over ``plan.horizon`` hours
    (or as many columns as are given) and planned as in the replay benchmark: chunks of
    bikes priced at ``plan.min_value_per_bike`` users per bike, donors, routes of
    ``routing.budget_minutes`` less ``plan.slack_minutes``, the preset's search time."""
    t0 = time.perf_counter()
    problems = problems or Problems()
    rent_rate, return_rate = np.asarray(rent_rate, float), np.asarray(return_rate, float)
    hours = rent_rate.shape[1] if alert_hours is None else max(1, min(alert_hours, rent_rate.shape[1]))
    docks = stations["docks"].to_numpy(int)
    bands = compute_bands(rent_rate[:, :hours], return_rate[:, :hours], docks, params)
    t1 = time.perf_counter()
    known = np.isfinite(stock)
    s = np.where(known, stock, 0).astype(int)
    at = bands.at(s)
    risk = np.where(known, at["risk"], "ok")
    sev = severity_of(at["excess"], at["p_empty"], risk)
    frame = stations[["station_no", "name", "district", "district_code", "lat", "lon", "docks"]].copy()
    frame["stock"] = np.where(known, stock, np.nan)
    frame["low"], frame["target"], frame["high"] = bands.low, bands.target, bands.high
    frame["risk"], frame["severity"] = risk, sev
    frame["p_empty"] = np.where(known, at["p_empty"], np.nan)
    frame["p_full"] = np.where(known, at["p_full"], np.nan)
    frame["expected_dissatisfied"] = np.where(known, at["cost"], np.nan)
    frame["excess"] = np.where(known, at["excess"], 0.0)
    frame["rent_next_hour"] = rent_rate[:, 0]
    frame["return_next_hour"] = return_rate[:, 0]
    value = np.where(known, at["excess"], 0.0)
    s_for_lists = np.where(known, s, bands.target)
    surplus, deficit = imbalance_lists(s_for_lists, bands.low, bands.target, bands.high, value)
    t2 = time.perf_counter()
    routes = []
    route_hours = 0
    if trucks:
        route_hours = max(1, min(plan.horizon, rent_rate.shape[1]))
        # The preset's bands: its look-ahead and tolerance, as in the replay benchmark.
        route_bands = compute_bands(rent_rate[:, :route_hours], return_rate[:, :route_hours],
                                    docks, plan.safety_stock_params(), with_probabilities=False)
        # A station without a status gets no move: it is taken to sit at its target.
        s_routes = np.where(known, np.clip(s, 0, route_bands.capacity), route_bands.target)
        params_r = replace(routing or RoutingParams(), **plan.routing_overrides())
        x, y = project_km(frame["lat"].to_numpy(float), frame["lon"].to_numpy(float))
        tx, ty = project_km(np.array([t[1] for t in trucks], float), np.array([t[2] for t in trucks], float))
        fleet = [(t[0], float(tx[k]), float(ty[k]), int(t[3]), None) for k, t in enumerate(trucks)]
        # Trucks that leave one depot split the stations by cluster; trucks spread over the
        # city (:func:`zone_fleet`, as in the replay) take the stations nearest to them.
        one_depot = len({(t[1], t[2]) for t in trucks}) == 1
        routes = plan_moves(route_bands, s_routes, x, y, docks, fleet, params_r,
                            split_by_clusters=one_depot, **plan.move_kwargs())
    t3 = time.perf_counter()
    return RecomputeResult(frame.reset_index(drop=True), routes, surplus, deficit, problems,
                           {"bands": t1 - t0, "risk_and_lists": t2 - t1, "routes": t3 - t2,
                            "total": t3 - t0}, bands.horizon_hours, route_hours)
