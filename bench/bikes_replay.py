"""One month of synthetic trips over every station of the 2023-06 list, replayed under
policies with the same trucks: none / greedy-nearest / ours (forecast → safety-stock
bands → OR-Tools routes) in its two presets, ``ours`` (service first) and ``ours-lean``
(bikes moved first). Goals: ours serves ≥ 97 %; ours moves ≤ 0.7× greedy's bikes at equal
or better service. The ``--horizon`` … ``--search-s`` options change ``ours`` only;
``ours-lean`` is always the ``lean`` preset (``bikes/engine/ours_settings.py``).

History (April) and replay month (May) are drawn independently from the calibrated demand
model; ours learns only from April and from May counts at least ``--horizon`` hours old (so
every rate inside the bands' look-ahead is a true forecast).
Usage: python bench/bikes_replay.py [--month 2018-05] [--start-day 0] [--days 31] [--trucks 40] [--period 15]
       [--forecast lgbm] [--donor-chunks 4] [--slack 4] [--plan-until HOUR]
       [--overflow-penalty 0] [--refusal-penalty 0.3] [--tolerance-abs 0.1] [--tolerance-rel 0.05] [--search-s 0.02]
       [--pickup-value 0] [--diagnose]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

import pandas as pd  # noqa: E402

from seoul_digital.bikes.engine import synth  # noqa: E402
from seoul_digital.bikes.engine.diagnose import MoveOutcomes, classify_losses  # noqa: E402
from seoul_digital.bikes.engine.pipeline import forecast_rates, replay_inputs  # noqa: E402
from seoul_digital.bikes.engine.replay import (GreedyNearest, NoPolicy, ReplayConfig,  # noqa: E402
                                               SafetyStockPolicy, replay)
from seoul_digital.bikes.engine.routing import RoutingParams, zones_kmeans  # noqa: E402
from seoul_digital.bikes.engine.ours_settings import OURS, OURS_LEAN, OursSettings  # noqa: E402
from seoul_digital.bikes.engine.sources import load_sources  # noqa: E402


def as_trips(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"rent_time": pd.to_datetime(frame["대여일시"]),
                         "return_time": pd.to_datetime(frame["반납일시"]),
                         "origin": frame["대여 대여소번호"].astype(str),
                         "dest": frame["반납대여소번호"].astype(str)})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--month", default="2018-05")
    ap.add_argument("--history-month", default=None)
    ap.add_argument("--days", type=int, default=None, help="replay only N days")
    ap.add_argument("--start-day", type=int, default=0,
                    help="replay from this day of the month (0: the 1st) with every station at "
                         "--fill; the forecast still sees the month from its 1st day")
    ap.add_argument("--trucks", type=int, default=40)
    ap.add_argument("--capacity", type=int, default=20)
    ap.add_argument("--period", type=int, default=15,
                    help="minutes between decisions (a truck that is done waits at most this long "
                         "for its next route; the same for every policy)")
    ap.add_argument("--budget", type=int, default=60, help="minutes of work planned per route")
    ap.add_argument("--fill", type=float, default=0.6)
    ap.add_argument("--forecast", choices=["lgbm", "calendar", "oracle"],
                    help="oracle = the generator's true intensity (a diagnostic ceiling, not a forecast)", default="lgbm")
    ap.add_argument("--policies", default="none,greedy,ours,ours-lean")
    ap.add_argument("--horizon", type=int, default=OURS.horizon, help="safety-stock horizon, hours")
    ap.add_argument("--km-per-user", type=float, default=OURS.km_per_user)
    ap.add_argument("--sink-value", type=float, default=OURS.sink_value_per_bike,
                    help="users per bike credited for taking bikes from stations above their docks")
    ap.add_argument("--min-value-per-bike", type=float, default=OURS.min_value_per_bike,
                    help="ours moves no chunk of bikes worth fewer users per bike than this")
    ap.add_argument("--plan-until", type=int, default=None,
                    help="ours: decisions from --plan-from to this clock hour look ahead at least "
                         "to it (midday sees the evening peak); default: fixed --horizon")
    ap.add_argument("--plan-from", type=int, default=5)
    ap.add_argument("--max-horizon", type=int, default=16,
                    help="longest look-ahead with --plan-until, hours (the forecast is then made "
                         "this many hours ahead, so no rate in any band uses fresher counts)")
    ap.add_argument("--donor-chunks", type=int, default=OURS.donor_chunks,
                    help="ours: chunks of 5 bikes one in-band donor station offers")
    ap.add_argument("--slack", type=float, default=OURS.slack_minutes,
                    help="ours: plan routes this many minutes under --budget (room for delays)")
    ap.add_argument("--overflow-penalty", type=float, default=OURS.overflow_penalty,
                    help="ours' bands: users charged per return above the docks (the replay serves "
                         "those returns; the app's bands charge 0.1 for crowding)")
    ap.add_argument("--refusal-penalty", type=float, default=OURS.refusal_penalty,
                    help="ours' bands: users charged per return refused at 2 × docks")
    ap.add_argument("--tolerance-abs", type=float, default=OURS.tolerance_abs,
                    help="ours' bands: a station is in band while its expected dissatisfied users "
                         "are within max(abs, rel × optimum) of the optimum")
    ap.add_argument("--tolerance-rel", type=float, default=OURS.tolerance_rel)
    ap.add_argument("--search-s", type=float, default=OURS.search_s,
                    help="ours: seconds of guided local search per truck route (0: first solution "
                         "and plain descent only)")
    ap.add_argument("--pickup-value", type=float, default=OURS.pickup_value_per_bike,
                    help="ours: users credited per bike picked up, so trucks load spare bikes for "
                         "later routes (must stay below --min-value-per-bike; lean: 0.3)")
    ap.add_argument("--diagnose", action="store_true",
                    help="ours: classify every rental lost at an empty station by the station's "
                         "state at the latest decision; every policy: what its drops kept and its "
                         "pickups cost at their station (bikes/engine/diagnose.py)")
    ap.add_argument("--zones", action="store_true",
                    help="ours with fixed truck zones (cluster-first); default: nearest idle truck")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        ours = OursSettings(horizon=args.horizon, km_per_user=args.km_per_user,
                            sink_value_per_bike=args.sink_value,
                            min_value_per_bike=args.min_value_per_bike, donor_chunks=args.donor_chunks,
                            slack_minutes=args.slack, overflow_penalty=args.overflow_penalty,
                            refusal_penalty=args.refusal_penalty,
                            tolerance_abs=args.tolerance_abs, tolerance_rel=args.tolerance_rel,
                            search_s=args.search_s, pickup_value_per_bike=args.pickup_value)
    except ValueError as err:
        ap.error(str(err))
    t0 = time.perf_counter()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} "
          f"({os.cpu_count()} CPUs)")
    print(f"fleet: {args.trucks} trucks × {args.capacity} bikes, decisions every {args.period} min, "
          f"routes of up to {args.budget} min, the same for every policy")
    src = load_sources(seed=args.seed)
    stations = src.stations.usable
    hist_month = args.history_month or str((pd.Period(args.month) - 1))
    models = {}
    frames = {}
    for label, month, seed in (("history", hist_month, args.seed + 1), ("replay", args.month, args.seed)):
        models[label] = synth.build_demand(stations, month, src.usage, src.uci, seed=seed)
        frames[label] = as_trips(synth.sample_trips(models[label], seed=seed))
    month_start = pd.Timestamp(f"{args.month}-01")
    skip = 24 * args.start_day  # hours of the month before the replay starts
    month_hours = len(models["replay"].hours)
    hours = month_hours - skip if args.days is None else 24 * args.days
    if args.start_day < 0 or hours <= 0 or skip + hours > month_hours:
        ap.error(f"--start-day {args.start_day} --days {args.days}: the month has "
                 f"{month_hours // 24} days")
    start = month_start + pd.Timedelta(hours=skip)
    end = start + pd.Timedelta(hours=hours)
    # Trips up to the replay's end: the forecast's lags may use the days before the start.
    seen = frames["replay"][frames["replay"]["rent_time"] < end]
    target = seen[seen["rent_time"] >= start]
    inputs = replay_inputs(target, stations, start, hours)
    prep = time.perf_counter() - t0
    print(f"{'; '.join(src.notes)}")
    print(f"stations {len(stations):,} (docks {int(stations['docks'].sum()):,}), "
          f"replay {start:%Y-%m-%d} + {hours} h: {len(inputs.rent_s):,} trips; history {hist_month}: "
          f"{len(frames['history']):,} trips; set-up {prep:.1f} s")
    forecasts = {}

    def forecast_for(lookahead: int):
        """Rates made ``lookahead`` hours ahead: no rate inside a band may use fresher counts."""
        if lookahead not in forecasts:
            t = time.perf_counter()
            if args.forecast == "oracle":
                m = models["replay"]
                rates = (m.origin_rate[:, skip:skip + hours], m.expected_returns()[:, skip:skip + hours],
                         {"method": "oracle (true intensity; diagnostic only)"})
            else:
                rent, ret, info = forecast_rates(frames["history"], seen, stations, month_start,
                                                 skip + hours, method=args.forecast, seed=args.seed,
                                                 horizon=lookahead)
                rates = (rent[:, skip:], ret[:, skip:], info)
            print(f"forecast ({args.forecast}, {lookahead} h ahead) {time.perf_counter() - t:.1f} s: "
                  f"{rates[2]}", flush=True)
            forecasts[lookahead] = rates
        return forecasts[lookahead]
    config = ReplayConfig(trucks=args.trucks, capacity=args.capacity, period_min=args.period,
                          initial_fill=args.fill, seed=args.seed)

    def routing_params(settings: OursSettings) -> RoutingParams:
        return RoutingParams(capacity=args.capacity, speed_kmh=config.speed_kmh,
                             stop_minutes=config.stop_minutes, minutes_per_bike=config.minutes_per_bike,
                             budget_minutes=args.budget, detour=config.detour,
                             **settings.routing_overrides())

    zones = zones_kmeans(inputs.x_km, inputs.y_km, args.trucks, seed=args.seed)

    def safety_stock(settings: OursSettings, plan_until=None) -> SafetyStockPolicy:
        lookahead = settings.horizon if plan_until is None else max(settings.horizon, args.max_horizon)
        rent_rate, ret_rate, _info = forecast_for(lookahead)
        return SafetyStockPolicy(inputs.x_km, inputs.y_km, inputs.docks, rent_rate, ret_rate,
                                 routing_params(settings), zones=zones if args.zones else None,
                                 plan_until_hour=plan_until, plan_from_hour=args.plan_from,
                                 max_horizon=args.max_horizon, start_hour=start.hour,
                                 record_states=args.diagnose, **settings.policy_kwargs())

    policies = {
        "none": lambda: NoPolicy(),
        "greedy": lambda: GreedyNearest(inputs.x_km, inputs.y_km, inputs.docks, routing_params(ours)),
        "ours": lambda: safety_stock(ours, args.plan_until),
        "ours-lean": lambda: safety_stock(OURS_LEAN),
    }
    results = {}
    for name in args.policies.split(","):
        policy = policies[name]()
        diagnose = args.diagnose and isinstance(policy, SafetyStockPolicy)
        lost = [] if diagnose else None
        outcomes = MoveOutcomes(len(inputs.docks)) if args.diagnose and name != "none" else None
        res = replay(inputs.rent_s, inputs.return_s, inputs.origin, inputs.dest, inputs.docks,
                     inputs.x_km, inputs.y_km, policy, config, hours=hours, zones=zones, lost=lost,
                     outcomes=outcomes)
        if hasattr(policy, "band_seconds"):
            res.extra["safety_stock_s"] = round(policy.band_seconds, 1)
            res.extra["routing_s"] = round(policy.route_seconds, 1)
        if diagnose:
            res.extra["lost_rentals_by_state"] = classify_losses(lost, policy.decisions)
        if outcomes is not None:
            res.extra["move_outcomes"] = outcomes.summary()
        results[name] = res
        by_hour = [0] * 24
        for h, c in enumerate(res.empty_by_hour or []):
            by_hour[h % 24] += c
        res.extra["empty_rentals_by_hour_of_day"] = by_hour
        print(f"  {name}: {res.runtime_s:.1f} s; empty rentals {res.empty_rentals:,}, refused returns "
              f"{res.refused_returns:,}, overflow returns {res.overflow_returns:,}, {res.extra}", flush=True)
    print()
    head = f"{'policy':<10}{'served':>9}{'dissatisfied':>14}{'zero-bike st-min':>18}{'bikes moved':>13}{'truck-km':>10}{'routes':>8}{'delayed':>9}"
    print(head)
    for name, r in results.items():
        d = r.to_dict()
        print(f"{name:<10}{d['served_share'] * 100:>8.2f}%{d['dissatisfied_users']:>14,}"
              f"{d['zero_bike_station_minutes']:>18,}{d['bikes_moved']:>13,}{d['truck_km']:>10,.0f}"
              f"{d['routes']:>8,}{d['delayed_trucks']:>9,}")
    print()
    for name in ("ours", "ours-lean"):
        if name not in results:
            continue
        o = results[name]
        print(f"goal served ≥ 97 %: {name} {o.served_share * 100:.2f}% → "
              f"{'met' if o.served_share >= 0.97 else 'NOT met'}")
        if "greedy" in results:
            g = results["greedy"]
            ratio = o.bikes_moved / max(g.bikes_moved, 1)
            print(f"goal bikes moved ≤ 0.7× greedy at equal or better service: {name} {ratio:.2f}× "
                  f"(service {o.served_share * 100:.2f}% vs {g.served_share * 100:.2f}%) → "
                  f"{'met' if ratio <= 0.7 and o.served_share >= g.served_share else 'NOT met'}")
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in results.items()}, indent=2))
    print(f"total {time.perf_counter() - t0:.0f} s; load average at end: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
