"""Writes of the bikes app (audited): station list sync and recomputations."""

from __future__ import annotations


import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.core import audit
from seoul_digital.core.models import District
from seoul_digital.core.services import AccessDenied
from seoul_digital.core.roles import Role, has_role
from seoul_digital.bikes.models import Recomputation, RouteStop, Station, StationBand, TruckRoute

__all__ = ["do_sync_stations", "do_recompute", "station_frame", "simulated_snapshot",
           "load_engine_sources"]


def _ensure_foundation(user):
    if user is not None and not has_role(user, Role.foundation()):
        raise AccessDenied("only foundation admins and staff change the bikes data")


@transaction.atomic
def do_sync_stations(user, frame: pd.DataFrame, *, request=None, source: str = "") -> dict:
    """Create or update stations from an engine station frame (usable rows)."""
    _ensure_foundation(user)
    by_code = {d.code: d for d in District.objects.all()}
    existing = {s.station_no: s for s in Station.objects.all()}
    new, changed = [], []
    for row in frame.itertuples(index=False):
        fields = {"st_id": row.st_id or "", "name": str(row.name)[:200],
                  "district": by_code.get(row.district_code), "address": str(row.address)[:300],
                  "lat": float(row.lat), "lon": float(row.lon), "docks": int(row.docks)}
        obj = existing.get(row.station_no)
        if obj is None:
            new.append(Station(station_no=row.station_no, **fields))
        else:
            diff = any(getattr(obj, k) != v for k, v in fields.items())
            if diff:
                for k, v in fields.items():
                    setattr(obj, k, v)
                changed.append(obj)
    Station.objects.bulk_create(new, batch_size=1000)
    if changed:
        Station.objects.bulk_update(changed, ["st_id", "name", "district", "address", "lat", "lon",
                                              "docks"], batch_size=1000)
    summary = {"created": len(new), "updated": len(changed), "source": source[:200]}
    audit.record(user, "update", None, after=summary, request=request,
                 note=f"bikes station list sync: {len(new)} new, {len(changed)} updated",
                 object_repr="따릉이 대여소 목록")
    return summary


def station_frame() -> pd.DataFrame:
    """Stations in the database as the engine's station frame (every station, unscoped:
    the recomputation is city-wide; what a user sees is scoped at read time)."""
    rows = list(Station.objects.select_related("district").order_by("station_no"))
    return pd.DataFrame({
        "pk": [s.pk for s in rows], "station_no": [s.station_no for s in rows],
        "st_id": [s.st_id for s in rows], "name": [s.name for s in rows],
        "district": [s.district.name_ko if s.district else "" for s in rows],
        "district_code": [s.district.code if s.district else "" for s in rows],
        "address": [s.address for s in rows],
        "lat": [s.lat for s in rows], "lon": [s.lon for s in rows],
        "docks": [s.docks for s in rows], "has_coords": [True] * len(rows)})


def load_engine_sources():
    """Real 2018 totals and UCI file where ../shared is present (else None, None)."""
    from django.conf import settings

    from seoul_digital.bikes.engine.sources import load_sources

    folder = (settings.SEOUL_DATA_DIR / "bikes") if getattr(settings, "SEOUL_DATA_DIR", None) else None
    src = load_sources(None, folder)
    return src.usage, src.uci


def simulated_snapshot(stations: pd.DataFrame, demand, at: pd.Timestamp, *, seed: int = 0,
                       null_share: float = 0.01):
    """A bikeList-shaped snapshot for the demo: one synthetic day replayed without trucks
    from 00:00 to ``at`` (so empties and overflows are where demand puts them), with a few
    null counts like real snapshots have."""
    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.live import parse_status
    from seoul_digital.bikes.engine.replay import NoPolicy, ReplayConfig, replay
    from seoul_digital.bikes.engine.stations import project_km

    import dataclasses

    day0 = pd.Timestamp(at).normalize()
    cols = np.flatnonzero((demand.hours >= day0) & (demand.hours < pd.Timestamp(at)))
    if not len(cols):  # a time outside the model month: the same weekday inside it
        same = np.flatnonzero(demand.hours.day_of_week == day0.day_of_week)
        first = same[len(same) // 2] - demand.hours[same[len(same) // 2]].hour
        cols = np.arange(first, first + pd.Timestamp(at).hour)
    one_day = dataclasses.replace(demand, hours=demand.hours[cols],
                                  origin_rate=demand.origin_rate[:, cols], tide=demand.tide[cols])
    day = sy.sample_trips(one_day, seed=seed)
    start_s, end_s = 0.0, len(cols) * 3600.0
    x, y = project_km(stations["lat"].to_numpy(float), stations["lon"].to_numpy(float))
    res = replay(day["_rent_s"].to_numpy() - start_s, day["_return_s"].to_numpy() - start_s,
                 day["_o"].to_numpy(), day["_d"].to_numpy(), stations["docks"].to_numpy(int), x, y,
                 NoPolicy(), ReplayConfig(trucks=0, initial_fill=0.6), hours=(end_s - start_s) / 3600)
    rng = np.random.default_rng(seed)
    rows = []
    for k, row in enumerate(stations.itertuples(index=False)):
        bikes = res.final_stock[k]
        # Synthetic lists have no ST-ids; the demo gives them a made-up one in the real form.
        rows.append({"stationId": row.st_id or f"ST-{row.station_no}", "stationName": f"{row.station_no}. {row.name}",
                     "rackTotCnt": str(int(row.docks)),
                     "parkingBikeTotCnt": None if rng.random() < null_share else str(int(bikes)),
                     "shared": str(int(round(100 * bikes / max(row.docks, 1)))),
                     "stationLatitude": f"{row.lat:.6f}", "stationLongitude": f"{row.lon:.6f}"})
    return parse_status({"rentBikeStatus": {"row": rows}}, "demo (simulated)", at)


def do_recompute(user, snapshot, *, at=None, horizon: int = 3, trucks: int = 5, capacity: int = 20,
                 source: str = Recomputation.Source.FILE, source_label: str = "", demand=None,
                 preset: str = Recomputation.RoutePreset.SERVICE, request=None,
                 progress: ProgressCallback = null_progress) -> Recomputation:
    """Recompute every station from ``snapshot`` (engine StatusSnapshot) and store the run.
    Bands and alerts look ``horizon`` hours ahead; the truck routes come from the
    benchmarked planner in its ``preset`` (``service`` or ``lean``), 60-minute routes."""
    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.ours_settings import PRESETS
    from seoul_digital.bikes.engine.forecast import nb_quantiles
    from seoul_digital.bikes.engine.recompute import match_stock, prior_rates, recompute, zone_fleet
    from seoul_digital.bikes.engine.routing import RoutingParams
    from seoul_digital.bikes.engine.safety_stock import expected_path

    _ensure_foundation(user)
    if preset not in PRESETS:
        raise ValueError(f"unknown route preset {preset!r}: one of {', '.join(sorted(PRESETS))}")
    plan = PRESETS[preset]
    stations = station_frame()
    if stations.empty:
        raise ValueError("no stations yet: load the station list first (demo data or sync)")
    at = pd.Timestamp(at if at is not None else (snapshot.taken_at if snapshot is not None and snapshot.taken_at is not None else timezone.localtime().replace(tzinfo=None)))
    if at.tzinfo is not None:
        at = at.tz_convert("Asia/Seoul").tz_localize(None)
    progress(0.05, 1, "수요 모델")
    if demand is None:
        usage, uci = load_engine_sources()
        demand = sy.build_demand(stations, at.strftime("%Y-%m"), usage, uci)
    # The routes' bands look further ahead than the alerts (the preset's horizon).
    rent_d, ret_d = prior_rates(demand, at, max(horizon, plan.horizon if trucks else 0))
    # The demand model may list stations in another order (or miss new ones): align by number.
    pos = {no: k for k, no in enumerate(demand.station_nos)}
    idx = np.array([pos.get(no, -1) for no in stations["station_no"]])
    rent = np.where(idx[:, None] >= 0, rent_d[np.maximum(idx, 0)], 0.0)
    ret = np.where(idx[:, None] >= 0, ret_d[np.maximum(idx, 0)], 0.0)
    progress(0.4, 1, "안전재고 계산")
    stock, problems = match_stock(stations, snapshot)
    problems.add("stations_without_demand_model_zero_rates", n=int((idx < 0).sum()))
    if snapshot is not None:
        problems.merge(snapshot.problems, "snapshot.")
    result = recompute(stations, stock, rent, ret, trucks=zone_fleet(stations, trucks),
                       routing=RoutingParams(capacity=capacity, budget_minutes=60),
                       problems=problems, alert_hours=horizon, plan=plan)
    rent, ret = rent[:, :horizon], ret[:, :horizon]  # the station pages chart the alerts' hours
    progress(0.7, 1, "저장")
    f = result.stations
    q = {name: nb_quantiles(arr, 50.0, [0.1, 0.9]) for name, arr in (("rent", rent), ("ret", ret))}
    with transaction.atomic():
        run = Recomputation.objects.create(
            taken_at=timezone.make_aware(at.to_pydatetime()) if timezone.is_naive(at.to_pydatetime()) else at.to_pydatetime(),
            source=source, source_label=source_label[:300],
            horizon_hours=horizon, route_preset=preset, stations=len(f),
            with_stock=int(f["stock"].notna().sum()),
            empty_risk=int((f["risk"] == "empty_risk").sum()),
            full_risk=int((f["risk"] == "full_risk").sum()),
            seconds=float(result.seconds["total"]), problems=result.problems.to_dict(),
            forecast_note="calibrated station × hour intensity (2018 totals × UCI hourly profile)",
            created_by=user if getattr(user, "is_authenticated", False) else None)
        pks = stations["pk"].to_numpy()
        bands = []
        for k, row in enumerate(f.itertuples(index=False)):
            stock_k = None if not np.isfinite(row.stock) else int(row.stock)
            forecast = {"rent": [round(float(v), 3) for v in rent[k]],
                        "ret": [round(float(v), 3) for v in ret[k]],
                        "rent_q10": q["rent"][0][k].tolist(), "rent_q90": q["rent"][1][k].tolist(),
                        "ret_q10": q["ret"][0][k].tolist(), "ret_q90": q["ret"][1][k].tolist()}
            if stock_k is not None:
                mean, lo, hi = expected_path(rent[k], ret[k], int(row.docks), stock_k)
                forecast["stock_mean"] = [round(float(v), 2) for v in mean]
                forecast["stock_q10"] = [int(v) for v in lo]
                forecast["stock_q90"] = [int(v) for v in hi]
            bands.append(StationBand(
                run=run, station_id=int(pks[k]), stock=stock_k, low=int(row.low),
                target=int(row.target), high=int(row.high), risk=row.risk, severity=row.severity,
                p_empty=None if not np.isfinite(row.p_empty) else float(row.p_empty),
                p_full=None if not np.isfinite(row.p_full) else float(row.p_full),
                expected_dissatisfied=(None if not np.isfinite(row.expected_dissatisfied)
                                       else float(row.expected_dissatisfied)),
                excess=float(row.excess), forecast=forecast))
        StationBand.objects.bulk_create(bands, batch_size=1000)
        for r in result.routes:
            route = TruckRoute.objects.create(run=run, truck=r.truck, km=r.km, minutes=r.minutes,
                                              bikes_moved=r.bikes_moved)
            RouteStop.objects.bulk_create([
                RouteStop(route=route, order=n, station_id=int(pks[s.station]), quantity=s.quantity,
                          arrive_min=s.arrive_min) for n, s in enumerate(r.stops)])
        audit.record(user, "create", run, after={"stations": run.stations, "empty_risk": run.empty_risk,
                                                 "full_risk": run.full_risk, "routes": len(result.routes),
                                                 "source": source},
                     request=request)
    progress(1, 1, "완료")
    return run
