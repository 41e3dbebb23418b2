"""Recompute safety stock for 3,000 stations: goal under 2 s on this machine.

Stations: the real 2023-06 list (2,749) topped up with synthetic stations to 3,000 (or 3,000
synthetic ones without ../shared). Rates: the calibrated demand model at a weekday 08:00
peak, 3-hour horizon. Stock: a simulated 08:00 state. Ours: one vectorised backward
recursion over stations × stock levels (bands, P(empty), P(full)) plus risk and
surplus/deficit lists. Same-run baseline: the same recursion run station by station.
Also timed (outside the goal): the same recompute with the truck routes operators get, from
the benchmarked planner in each preset (its own bands over 8 h / 16 h, 60-minute routes,
10 trucks each starting in its own zone).
Usage: python bench/bikes_safety_stock.py [--stations 3000] [--horizon 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from seoul_digital.bikes.engine import stations as st, synth  # noqa: E402
from seoul_digital.bikes.engine.ours_settings import PRESETS  # noqa: E402
from seoul_digital.bikes.engine.recompute import prior_rates, recompute, zone_fleet  # noqa: E402
from seoul_digital.bikes.engine.routing import RoutingParams  # noqa: E402
from seoul_digital.bikes.engine.safety_stock import compute_bands  # noqa: E402
from seoul_digital.bikes.engine.sources import load_sources  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=3000)
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--at", default="2018-05-15 08:00")
    args = ap.parse_args()
    src = load_sources(synthetic_stations=args.stations)
    stations = src.stations.usable
    if len(stations) < args.stations:
        import tempfile

        extra = st.synthetic_stations(args.stations - len(stations), seed=7)
        extra["대여소번호"] = [str(90000 + k) for k in range(len(extra))]
        with tempfile.TemporaryDirectory() as tmp:
            more = st.read_station_list(st.write_station_csv(extra, Path(tmp) / "x.csv")).usable
        stations = pd.concat([stations, more], ignore_index=True)
    stations = stations.iloc[: args.stations].reset_index(drop=True)
    at = pd.Timestamp(args.at)
    demand = synth.build_demand(stations, at.strftime("%Y-%m"), src.usage, src.uci)
    rent, ret = prior_rates(demand, at, args.horizon)
    rng = np.random.default_rng(0)
    docks = stations["docks"].to_numpy(int)
    stock = rng.integers(0, docks * 1.5 + 1).astype(float)
    print(f"{len(stations):,} stations ({'; '.join(src.notes)}), horizon {args.horizon} h at {at}; "
          f"peak station rate {float((rent + ret).max()):.1f}/h")
    compute_bands(rent[:10], ret[:10], docks[:10])  # warm-up

    ours = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = recompute(stations, stock, rent, ret)
        ours.append(time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(len(stations)):
        compute_bands(rent[i:i + 1], ret[i:i + 1], docks[i:i + 1])
    baseline = time.perf_counter() - t
    fleet = zone_fleet(stations, 10)
    with_routes = {}
    for name, plan in PRESETS.items():
        # The routes' bands look as far ahead as the preset does (the CLI and the app do this).
        long_rent, long_ret = prior_rates(demand, at, max(args.horizon, plan.horizon))
        t = time.perf_counter()
        res = recompute(stations, stock, long_rent, long_ret, trucks=fleet, alert_hours=args.horizon,
                        routing=RoutingParams(budget_minutes=60), plan=plan)
        with_routes[name] = (time.perf_counter() - t, res)
    f = result.stations
    print(f"ours (vectorised, bands + P(empty/full) + risk + lists): median {statistics.median(ours):.2f} s "
          f"of {args.repeat} runs  → goal < 2 s: {'met' if statistics.median(ours) < 2 else 'NOT met'}")
    print(f"baseline (same recursion, one station at a time): {baseline:.2f} s "
          f"({baseline / statistics.median(ours):.1f}× slower)")
    for name, (secs, res) in with_routes.items():
        print(f"with routes for 10 trucks, one per zone ({name} preset, {res.route_horizon_hours} h bands, "
              f"OR-Tools): {secs:.2f} s, {len(res.routes)} routes, "
              f"{sum(r.bikes_moved for r in res.routes)} bikes")
    print(f"alerts: {int((f['risk'] == 'empty_risk').sum())} empty-risk, "
          f"{int((f['risk'] == 'full_risk').sum())} full-risk of {len(f):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
