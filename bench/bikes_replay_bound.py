"""How far any policy could go on the replay bench's trips: the clairvoyant bound.

Builds the same trips, stations and fleet as ``bench/bikes_replay.py`` and solves
``bikes.engine.bound`` (a planner that knows every trip, with unlimited instant trucks)
at several prices per moved bike. Each price gives the most trips any policy can serve with
that many bikes moved. Greedy (and optionally ours) are replayed on the same window in the
same run, so the bound is read against them: is "served ≥ 97 % with ≤ 0.7× greedy's bikes"
reachable at all?

``--adaptive-prices`` adds the adaptive bound (``bikes.engine.adaptive_bound``): no
foresight, the generator's true intensity, each station's stock seen at every decision
(every ``--period`` minutes) and set at once from an unlimited pool: what a policy that
does not know the trips in advance could reach with unlimited trucks.

Usage: python bench/bikes_replay_bound.py [--month 2018-05] [--start-day 1] [--days 31]
       [--prices 0.05,0.1,0.2,0.3,0.5,0.7,0.9] [--adaptive-prices 0.2,0.4,0.6,1.0] [--policies greedy]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from seoul_digital.bikes.engine import synth  # noqa: E402
from seoul_digital.bikes.engine.adaptive_bound import (adaptive_point, bikes_needed,  # noqa: E402
                                                       check_settings, service_ceiling)
from seoul_digital.bikes.engine.bound import clairvoyant_frontier  # noqa: E402
from seoul_digital.bikes.engine.pipeline import forecast_rates, replay_inputs  # noqa: E402
from seoul_digital.bikes.engine.replay import (GreedyNearest, ReplayConfig,  # noqa: E402
                                               SafetyStockPolicy, replay)
from seoul_digital.bikes.engine.routing import RoutingParams, zones_kmeans  # noqa: E402
from seoul_digital.bikes.engine.ours_settings import OURS, OURS_LEAN  # noqa: E402
from seoul_digital.bikes.engine.sources import load_sources  # noqa: E402

from bikes_replay import as_trips  # noqa: E402  (the bench's own trips, read the same way)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--month", default="2018-05")
    ap.add_argument("--start-day", type=int, default=1, help="first day of the month replayed")
    ap.add_argument("--days", type=int, default=None, help="days replayed (default: to the month's end)")
    ap.add_argument("--prices", default="0.05,0.1,0.2,0.3,0.5,0.7,0.9",
                    help="users a moved bike must be worth, one clairvoyant bound point each "
                         "('' for none: a week takes ~25 min a price)")
    ap.add_argument("--adaptive-prices", default="",
                    help="prices for the adaptive (no foresight) bound, one point each")
    ap.add_argument("--adaptive-net", default="1",
                    help="net prices of the adaptive bound as multiples of price/2 (1: bikes "
                         "come free from a pool; higher: the pool pays for bikes taken back, "
                         "closer to a fleet that keeps its bikes); every pair is a valid bound")
    ap.add_argument("--adaptive-every", type=int, default=None,
                    help="minutes between the adaptive bound's decisions (default --period; "
                         "longer: as if a station could be resupplied only that often)")
    ap.add_argument("--policies", default="greedy",
                    help="replayed on the same window for comparison: greedy, ours, ours-lean")
    ap.add_argument("--forecast", choices=["lgbm", "calendar"], default="lgbm")
    ap.add_argument("--trucks", type=int, default=40)
    ap.add_argument("--capacity", type=int, default=20)
    ap.add_argument("--period", type=int, default=15)
    ap.add_argument("--budget", type=int, default=60)
    ap.add_argument("--fill", type=float, default=0.6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:  # bad prices or periods are refused before the minutes of set-up
        adaptive_prices = [float(p) for p in args.adaptive_prices.split(",") if p]
        adaptive_nets = [float(m) for m in args.adaptive_net.split(",") if m]
        if args.adaptive_prices and not (adaptive_prices and adaptive_nets):
            raise ValueError("give at least one price and one net multiple")
        for price in adaptive_prices:
            for mult in adaptive_nets:
                check_settings(price, mult * price / 2, args.adaptive_every or args.period)
    except ValueError as err:
        ap.error(f"adaptive bound: {err}")
    t0 = time.perf_counter()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} CPUs)")
    src = load_sources(seed=args.seed)
    stations = src.stations.usable
    month_start = pd.Timestamp(f"{args.month}-01")
    models, frames = {}, {}
    hist_month = str(pd.Period(args.month) - 1)
    for label, month, seed in (("history", hist_month, args.seed + 1), ("replay", args.month, args.seed)):
        models[label] = synth.build_demand(stations, month, src.usage, src.uci, seed=seed)
        frames[label] = as_trips(synth.sample_trips(models[label], seed=seed))
    month_hours = len(models["replay"].hours)
    start = month_start + pd.Timedelta(days=args.start_day - 1)
    offset_h = 24 * (args.start_day - 1)
    hours = (month_hours - offset_h) if args.days is None else 24 * args.days
    if hours <= 0 or offset_h + hours > month_hours:
        ap.error("the window must lie inside the month")
    target = frames["replay"]
    window = target[(target["rent_time"] >= start) & (target["rent_time"] < start + pd.Timedelta(hours=hours))]
    inputs = replay_inputs(window, stations, start, hours)
    stock = np.round(np.maximum(inputs.docks, 1) * args.fill).astype(int)
    print(f"stations {len(stations):,}, fleet {int(stock.sum()):,} bikes (fill {args.fill} × docks); "
          f"window {start:%Y-%m-%d} + {hours} h: {len(inputs.rent_s):,} trips; set-up "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    config = ReplayConfig(trucks=args.trucks, capacity=args.capacity, period_min=args.period,
                          initial_fill=args.fill, seed=args.seed)
    zones = zones_kmeans(inputs.x_km, inputs.y_km, args.trucks, seed=args.seed)

    def routing_params(settings) -> RoutingParams:
        return RoutingParams(capacity=args.capacity, speed_kmh=config.speed_kmh,
                             stop_minutes=config.stop_minutes, minutes_per_bike=config.minutes_per_bike,
                             budget_minutes=args.budget, detour=config.detour,
                             **settings.routing_overrides())

    def safety_stock(settings):
        # Rates for the whole month, made ``horizon`` hours ahead, cut to the window.
        rent, ret, _ = forecast_rates(frames["history"], target, stations, month_start, month_hours,
                                      method=args.forecast, seed=args.seed, horizon=settings.horizon)
        sl = slice(offset_h, offset_h + hours)
        return SafetyStockPolicy(inputs.x_km, inputs.y_km, inputs.docks, rent[:, sl], ret[:, sl],
                                 routing_params(settings), start_hour=start.hour,
                                 **settings.policy_kwargs())

    makers = {"greedy": lambda: GreedyNearest(inputs.x_km, inputs.y_km, inputs.docks, routing_params(OURS)),
              "ours": lambda: safety_stock(OURS), "ours-lean": lambda: safety_stock(OURS_LEAN)}
    runs = {}
    for name in [p for p in args.policies.split(",") if p]:
        res = replay(inputs.rent_s, inputs.return_s, inputs.origin, inputs.dest, inputs.docks,
                     inputs.x_km, inputs.y_km, makers[name](), config, hours=hours, zones=zones)
        runs[name] = res
        print(f"  {name}: served {res.served_share * 100:.2f} %, bikes moved {res.bikes_moved:,}, "
              f"refused returns {res.refused_returns:,} ({res.runtime_s:.0f} s)", flush=True)

    greedy = runs.get("greedy")
    prices = [float(p) for p in args.prices.split(",") if p]
    points = []
    if prices:
        t = time.perf_counter()
        points = clairvoyant_frontier(inputs.rent_s, inputs.return_s, inputs.origin, inputs.dest,
                                      stock, prices)
        print(f"bound: {len(prices)} prices in {time.perf_counter() - t:.0f} s")
        print()
        print(f"{'bound at price':<16}{'served':>9}{'bikes moved':>13}{'× greedy':>10}")
        for p in points:
            ratio = f"{p.bikes_moved / greedy.bikes_moved:.2f}×" if greedy and greedy.bikes_moved else "—"
            print(f"{p.price:<16}{p.served_share * 100:>8.2f}%{p.bikes_moved:>13,}{ratio:>10}")
    for name, r in runs.items():
        ratio = f"{r.bikes_moved / greedy.bikes_moved:.2f}×" if greedy and greedy.bikes_moved else "—"
        print(f"{'replay ' + name:<16}{r.served_share * 100:>8.2f}%{r.bikes_moved:>13,}{ratio:>10}")
    if greedy and points:
        n = points[0].attempted
        allowed = 0.7 * greedy.bikes_moved
        ceiling = min(p.served + p.price * (allowed - p.bikes_moved) for p in points)
        need = max((p.bikes_moved - (p.served - 0.97 * n) / p.price for p in points if p.price > 0),
                   default=0.0)
        print()
        print(f"with ≤ 0.7× greedy's bikes ({allowed:,.0f}) no policy serves more than "
              f"{min(ceiling / n, 1.0) * 100:.2f} %")
        print(f"serving ≥ 97 % takes any policy at least {max(need, 0):,.0f} bikes "
              f"({max(need, 0) / greedy.bikes_moved:.2f}× greedy's)")
    adaptive = []
    if adaptive_prices:
        demand = models["replay"]
        sl = slice(offset_h, offset_h + hours)
        rent_true, ret_true = demand.origin_rate[:, sl], demand.expected_returns()[:, sl]
        print()
        every = args.adaptive_every or args.period
        print(f"adaptive bound (no foresight; true intensity; stock seen and set every "
              f"{every} min, unlimited trucks; a dropped bike counts as moved):")
        print(f"{'price':<8}{'net':>6}{'served':>9}{'bikes dropped':>15}{'taken back':>12}"
              f"{'× greedy':>10}{'solve s':>9}")
        for price in adaptive_prices:
            for mult in adaptive_nets:
                a = adaptive_point(rent_true, ret_true, inputs.docks, stock, price,
                                   net_price=mult * price / 2, period_min=every)
                adaptive.append(a)
                ratio = f"{a.added / greedy.bikes_moved:.2f}×" if greedy and greedy.bikes_moved else "—"
                print(f"{price:<8}{a.net_price:>6.2f}{a.served_share * 100:>8.2f}%{a.added:>15,.0f}"
                      f"{a.removed:>12,.0f}{ratio:>10}{a.solve_s:>9.0f}", flush=True)
        need = bikes_needed(adaptive, 0.97)
        print(f"expected rentals {adaptive[0].rentals:,.0f} (the replayed trips: {len(inputs.rent_s):,})")
        if greedy and greedy.bikes_moved:
            allowed = 0.7 * greedy.bikes_moved
            print(f"with ≤ 0.7× greedy's bikes ({allowed:,.0f}) no policy without foresight serves "
                  f"more than {service_ceiling(adaptive, allowed) * 100:.2f} % (expected)")
            print(f"serving ≥ 97 % takes any policy without foresight at least {need:,.0f} bikes "
                  f"({need / greedy.bikes_moved:.2f}× greedy's)")
        else:
            print(f"serving ≥ 97 % takes any policy without foresight at least {need:,.0f} bikes")
    if args.json:
        print(json.dumps({"bound": [p.to_dict() for p in points],
                          "adaptive_bound": [a.to_dict() for a in adaptive],
                          "replay": {k: v.to_dict() for k, v in runs.items()}}, indent=2))
    print(f"total {time.perf_counter() - t0:.0f} s; load average at end: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
