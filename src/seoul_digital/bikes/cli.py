"""`seoul-digital bikes …` commands. Import heavy modules inside commands, not here."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import click

from seoul_digital.bikes.engine.ours_settings import OURS, OURS_LEAN, PRESETS


def _bar(label: str):
    def report(done, total, message=""):
        if total:
            click.echo(f"\r{label}: {100 * done / total:5.1f}% {message[:40]:<40}", nl=False, err=True)
            if done >= total:
                click.echo("", err=True)
    return report


def _dump(payload, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        for key, value in payload.items():
            click.echo(f"{key}: {value if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False, default=str)}")


@click.group(help="따릉이 safety stock: synthetic trips, forecasts, [min, target, max], routes, replay.")
def group() -> None:
    pass


@group.command()
@click.option("--month", default="2018-05", show_default=True, help="YYYY-MM to simulate")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="CSV to write (OA-15182, CP949)")
@click.option("--stations", "station_file", type=click.Path(exists=True, dir_okay=False),
              help="station list (default: the real 2023-06 list, else a synthetic one)")
@click.option("--data-dir", type=click.Path(file_okay=False), help="folder of the real bikes data")
@click.option("--scale", default=1.0, show_default=True, type=float, help="demand multiplier")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--encoding", default="cp949", show_default=True, type=click.Choice(["cp949", "utf-8"]))
def synth(month, out, station_file, data_dir, scale, seed, encoding):
    """Synthetic trips for one month in the published 대여이력 (OA-15182) layout."""
    import re

    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.sources import load_sources
    from seoul_digital.bikes.engine.trips import write_trips

    if not re.fullmatch(r"\d{4}-\d{2}", month):
        raise click.BadParameter("use YYYY-MM, e.g. 2018-05", param_hint="--month")
    src = load_sources(station_file, data_dir, seed=seed)
    model = sy.build_demand(src.stations.usable, month, src.usage, src.uci, scale=scale, seed=seed)
    trips = sy.sample_trips(model, seed=seed, progress=_bar("sampling"))
    write_trips(trips, out, encoding=encoding)
    for note in src.notes:
        click.echo(note, err=True)
    for line in (src.problems.lines() + model.problems.lines()):
        click.echo(f"counted: {line}", err=True)
    click.echo(f"{len(trips):,} trips over {len(model.station_nos):,} stations → {out} "
               f"({encoding.upper()}); expected {model.calibration['expected_rentals']:,.0f}")


def _parse_depot(text):
    if not text:
        return None
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise click.BadParameter("use LAT,LON, e.g. 37.5665,126.9780", param_hint="--depot")
    return lat, lon


def _stations_with_ids(src, data_dir):
    """Usable stations with ST-ids attached from the 2025 API crosswalk where present."""
    from seoul_digital.bikes.engine import stations as st
    from seoul_digital.bikes.engine.sources import API_STATION_INFO, data_dir as find

    base = find(data_dir)
    crosswalk = None
    if base is not None and (base / API_STATION_INFO).exists():
        api = st.read_api_station_info(base / API_STATION_INFO)
        crosswalk = st.Crosswalk.from_station_list(api)
        crosswalk.attach(src.stations)
    return src.stations.usable, crosswalk


@group.command("safety-stock")
@click.option("--status", "status_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="bikeList / realtimeList JSON snapshot")
@click.option("--stations", "station_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--data-dir", type=click.Path(file_okay=False))
@click.option("--at", "at_text", default=None, help="snapshot time 'YYYY-MM-DD HH:MM' (default: now)")
@click.option("--horizon", default=3, show_default=True, type=click.IntRange(1, 12),
              help="hours the bands and alerts look ahead (the routes look as far as --preset does)")
@click.option("--trucks", default=5, show_default=True, type=click.IntRange(0, 500))
@click.option("--capacity", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--depot", default=None, help="LAT,LON where all trucks start (default: each truck at the "
              "centre of its own zone of stations, as in bench/bikes_replay.py)")
@click.option("--preset", type=click.Choice(sorted(PRESETS)), default="service", show_default=True,
              help="how the routes are planned: the benchmarked planner's presets (service: the most "
                   "rentals served; lean: fewer bikes moved); 60-minute routes, meant to be "
                   "recomputed every 15 minutes as in bench/bikes_replay.py")
@click.option("--all-stations/--alerts-only", default=False, help="include every station's band in the JSON")
@click.option("--json", "as_json", is_flag=True)
def safety_stock(status_file, station_file, data_dir, at_text, horizon, trucks, capacity, depot,
                 preset, all_stations, as_json):
    """Recompute [min, target, max], risk, alerts and truck routes for every station."""
    import time

    import numpy as np
    import pandas as pd

    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.live import read_status_file
    from seoul_digital.bikes.engine.recompute import match_stock, prior_rates, recompute, zone_fleet
    from seoul_digital.bikes.engine.routing import RoutingParams
    from seoul_digital.bikes.engine.sources import load_sources

    t0 = time.perf_counter()
    depot_ll = _parse_depot(depot)
    src = load_sources(station_file, data_dir)
    stations, crosswalk = _stations_with_ids(src, data_dir)
    try:
        snap = read_status_file(status_file, crosswalk.st_to_no if crosswalk else None)
    except ValueError as err:
        raise click.ClickException(str(err))
    at = pd.Timestamp(at_text) if at_text else pd.Timestamp.now().floor("min")
    demand = sy.build_demand(stations, at.strftime("%Y-%m"), src.usage, src.uci)
    plan = PRESETS[preset]
    # The routes' bands look as far ahead as the preset does; the alerts --horizon hours.
    rent, ret = prior_rates(demand, at, max(horizon, plan.horizon if trucks else 0))
    stock, problems = match_stock(stations, snap)
    problems.merge(snap.problems, "snapshot.")
    fleet = ([(k, depot_ll[0], depot_ll[1], 0) for k in range(trucks)] if depot_ll
             else zone_fleet(stations, trucks))
    result = recompute(stations, stock, rent, ret, trucks=fleet,
                       routing=RoutingParams(capacity=capacity, budget_minutes=60),
                       problems=problems, alert_hours=horizon, plan=plan)
    # Citizen-incentive stations for the rest of the day, per time band (2023 pilot form).
    from seoul_digital.bikes.engine.routing import incentive_list

    rest = max(1, 24 - at.hour)
    day_rent, day_ret = prior_rates(demand, at, rest)
    start_stock = np.where(np.isfinite(stock), stock, result.stations["target"].to_numpy())
    incentives = incentive_list(day_rent, day_ret, start_stock, stations["docks"].to_numpy(),
                                [(at.hour + h) % 24 for h in range(rest)],
                                stations["station_no"].tolist(), top=10)
    payload = {"at": str(at), "snapshot": snap.summary(), "sources": src.notes,
               "rates": "calibrated station × hour intensity (2018 totals × UCI profile)",
               **result.to_dict(with_stations=all_stations), "route_preset": preset,
               "incentives": incentives,
               "wall_seconds": round(time.perf_counter() - t0, 2)}
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{payload['stations']:,} stations ({payload['with_stock']:,} with stock) at {at}: "
               f"{payload['alerts']['empty_risk']} empty-risk, {payload['alerts']['full_risk']} "
               f"full-risk ({payload['alerts']['high']} high); bands in {result.seconds['bands']:.2f} s")
    for a in payload["top_alerts"][:10]:
        click.echo(f"  {a['station_no']:>6} {a['name'][:20]:<20} stock {a['stock']} band "
                   f"[{a['low']}, {a['target']}, {a['high']}] {a['risk']} ({a['severity']})")
    for line in problems.lines():
        click.echo(f"counted: {line}", err=True)
    if payload["routes"]:
        click.echo(f"routes ({preset} preset, moves valued over {result.route_horizon_hours} h):")
    for r in payload["routes"]:
        click.echo(f"  truck {r['truck']}: {len(r['stops'])} stops, {r['km']} km: " +
                   ", ".join(f"{s['station']}({s['quantity']:+d})" for s in r["stops"]))


@group.command()
@click.option("--trips", "trip_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="OA-15182 trip file (CP949 or UTF-8)")
@click.option("--policy", type=click.Choice(["none", "greedy", "ours"]), default="ours", show_default=True)
@click.option("--stations", "station_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--data-dir", type=click.Path(file_okay=False))
@click.option("--history", "history_file", type=click.Path(exists=True, dir_okay=False),
              help="earlier trips to learn the forecast from (ours); default: calendar mean of --trips")
@click.option("--forecast", type=click.Choice(["calendar", "lgbm"]), default="calendar", show_default=True)
@click.option("--trucks", default=40, show_default=True, type=click.IntRange(0, 1000))
@click.option("--capacity", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--period", default=15, show_default=True, type=click.IntRange(5, 720), help="minutes between decisions")
@click.option("--budget", default=60, show_default=True, type=click.IntRange(5, 720),
              help="minutes of work planned per truck route (as bench/bikes_replay.py)")
@click.option("--fill", default=0.6, show_default=True, type=click.FloatRange(0, 2), help="initial stock ÷ docks")
@click.option("--preset", type=click.Choice(sorted(PRESETS)), default="service", show_default=True,
              help="ours: service = as many rentals as the trucks allow; lean = fewer bikes moved "
                   "(each must avoid ≥ 0.6 users within 16 h); the options below override it")
@click.option("--min-value-per-bike", default=None, type=click.FloatRange(0, 10),
              help="ours: skip moves worth fewer avoided dissatisfied users per bike "
                   f"[service: {OURS.min_value_per_bike}, lean: {OURS_LEAN.min_value_per_bike}]")
@click.option("--donor-chunks", default=None, type=click.IntRange(1, 20),
              help="ours: lots of bikes a station with spare bikes may give in one stop")
@click.option("--slack", default=None, type=click.FloatRange(0, 60),
              help="ours: minutes its routes are planned short of --budget (traffic delays)")
@click.option("--horizon", default=None, type=click.IntRange(1, 48),
              help="hours the bands look ahead when valuing moves "
                   f"[service: {OURS.horizon}, lean: {OURS_LEAN.horizon}]")
@click.option("--overflow-penalty", default=None, type=click.FloatRange(0, 1),
              help="ours: users its bands charge per return above the docks (the replay serves them)")
@click.option("--tolerance-abs", default=None, type=click.FloatRange(0, 10),
              help="ours: users of excess a station may have and stay in its band")
@click.option("--tolerance-rel", default=None, type=click.FloatRange(0, 1),
              help="ours: the same as a share of the station's optimum (the larger counts)")
@click.option("--search-s", default=None, type=click.FloatRange(0, 10),
              help="ours: seconds of guided local search per truck route (0: first solution only)")
@click.option("--pickup-value", default=None, type=click.FloatRange(0, 10),
              help="ours: users credited per bike a truck picks up, so it loads spare bikes for "
                   "later routes; must stay below --min-value-per-bike "
                   f"[service: {OURS.pickup_value_per_bike}, lean: {OURS_LEAN.pickup_value_per_bike}]")
@click.option("--depot", default=None, help="LAT,LON where every truck starts (default: its zone's centre)")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True)
def replay(trip_file, policy, station_file, data_dir, history_file, forecast, trucks, capacity,
           period, budget, fill, preset, min_value_per_bike, donor_chunks, slack, horizon,
           overflow_penalty, tolerance_abs, tolerance_rel, search_s, pickup_value, depot, seed,
           as_json):
    """Replay trips against station stock with delayed trucks under a policy."""
    from seoul_digital.bikes.engine import replay as rp
    from seoul_digital.bikes.engine.pipeline import forecast_rates, replay_inputs
    from seoul_digital.bikes.engine.routing import RoutingParams, zones_kmeans
    from seoul_digital.bikes.engine.sources import load_sources
    from seoul_digital.bikes.engine.stations import project_km
    from seoul_digital.bikes.engine.trips import read_trips

    depot_ll = _parse_depot(depot)
    chosen = {"min_value_per_bike": min_value_per_bike, "donor_chunks": donor_chunks,
              "slack_minutes": slack, "horizon": horizon, "overflow_penalty": overflow_penalty,
              "tolerance_abs": tolerance_abs, "tolerance_rel": tolerance_rel, "search_s": search_s,
              "pickup_value_per_bike": pickup_value}
    try:
        ours = replace(PRESETS[preset], **{k: v for k, v in chosen.items() if v is not None})
    except ValueError as err:
        raise click.ClickException(str(err))
    src = load_sources(station_file, data_dir, with_uci=False)
    stations = src.stations.usable
    known = set(stations["station_no"].astype(str))
    try:
        trips = read_trips(trip_file, known)
    except ValueError as err:
        raise click.ClickException(str(err))
    if not len(trips):
        raise click.ClickException(f"{trip_file}: no usable trips ({trips.problems.lines()})")
    inputs = replay_inputs(trips.frame, stations)
    config = rp.ReplayConfig(trucks=trucks, capacity=capacity, period_min=period, initial_fill=fill,
                             seed=seed, depot_xy=(tuple(float(v[0]) for v in project_km([depot_ll[0]], [depot_ll[1]]))
                                                  if depot_ll else None))
    params = RoutingParams(capacity=capacity, speed_kmh=config.speed_kmh, stop_minutes=config.stop_minutes,
                           minutes_per_bike=config.minutes_per_bike, budget_minutes=budget,
                           detour=config.detour, **ours.routing_overrides())
    zones = zones_kmeans(inputs.x_km, inputs.y_km, max(trucks, 1), seed=seed)
    info = {}
    if policy == "none":
        pol = rp.NoPolicy()
    elif policy == "greedy":
        pol = rp.GreedyNearest(inputs.x_km, inputs.y_km, inputs.docks, params)
    else:
        history = read_trips(history_file, known).frame if history_file else None
        rent, ret, info = forecast_rates(history, trips.frame, stations, inputs.start, inputs.hours,
                                         method=forecast, seed=seed, horizon=ours.horizon)
        pol = rp.SafetyStockPolicy(inputs.x_km, inputs.y_km, inputs.docks, rent, ret, params,
                                   **ours.policy_kwargs())
    result = rp.replay(inputs.rent_s, inputs.return_s, inputs.origin, inputs.dest, inputs.docks,
                       inputs.x_km, inputs.y_km, pol, config, hours=inputs.hours, zones=zones,
                       progress=_bar("replay") if not as_json else rp.null_progress)
    payload = {**result.to_dict(), "trips_file": trips.report(), "stations": len(stations),
               "period_start": str(inputs.start), "hours": inputs.hours,
               "trips_outside_period": inputs.outside_period, "forecast": info,
               "config": {"trucks": trucks, "capacity": capacity, "period_min": period, "route_minutes": budget,
                          "initial_fill": fill, "depot": depot_ll,
                          **({"preset": preset, "ours": asdict(ours)} if policy == "ours" else {})}}
    _dump(payload, as_json)


@group.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="JSON file to write")
@click.option("--key", envvar="BIKES_LIVE_KEY", default="", help="Seoul OpenAPI key ($BIKES_LIVE_KEY)")
@click.option("--url", envvar="BIKES_LIVE_URL", default=None,
              help="URL template with {key} {start} {end} ($BIKES_LIVE_URL)")
@click.option("--enable/--no-enable", envvar="BIKES_LIVE_ENABLED", default=False,
              help="the poller is off unless enabled ($BIKES_LIVE_ENABLED=1)")
def poll(out, key, url, enable):
    """Fetch the live bikeList once and save it as a snapshot file (off by default)."""
    from seoul_digital.bikes.engine.live import DEFAULT_BIKELIST_URL, BikeListPoller

    poller = BikeListPoller(key, url or DEFAULT_BIKELIST_URL, enabled=enable)
    try:
        snap = poller.fetch()
    except (RuntimeError, OSError, ValueError) as err:
        raise click.ClickException(str(err))
    rows = [{"stationId": r.st_id, "stationName": f"{r.station_no}. {r.name}" if r.station_no else r.name,
             "rackTotCnt": None if r.racks != r.racks else str(int(r.racks)),
             "parkingBikeTotCnt": None if r.bikes != r.bikes else str(int(r.bikes)),
             "shared": None if r.shared != r.shared else str(int(r.shared)),
             "stationLatitude": None if r.lat != r.lat else str(r.lat),
             "stationLongitude": None if r.lon != r.lon else str(r.lon)}
            for r in snap.frame.itertuples(index=False)]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"rentBikeStatus": {"list_total_count": len(rows), "row": rows}}, fh, ensure_ascii=False)
    click.echo(f"{len(rows)} stations → {out}; " + ("; ".join(snap.problems.lines()) or "no problems"))
