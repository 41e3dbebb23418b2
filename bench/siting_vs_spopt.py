"""Benchmark: our sparse HiGHS MCLP against PySAL spopt's MCLP (pulp + CBC) on the same instance,
then the whole pipeline for every district.

Part 1 — one district instance, identical for both solvers:
  demand  = the district's 100 m cells, weight = demand score × area share,
  candidates = the same cell centres, existing = the district's camera sites (fixed),
  radius R for new and existing cameras alike (spopt has one service radius), p new sites.
  spopt: ``MCLP.from_cost_matrix(cdist(...), weights, R, p + n_existing,
  predefined_facilities_arr=…)`` solved with ``pulp.PULP_CBC_CMD``; ours:
  ``MCLP.from_points(...)`` (KD-tree coverage sets, existing coverage fixed, dominance
  reduction) solved with HiGHS. Printed: build+solve wall time of each and both objectives
  (total covered demand, existing included). Goal: equal objective, ours ≥ 10× faster.

Part 2 — ``recommend`` (layers → grid → area types → demand → knee → exact MCLP →
explanations) for all 25 districts at the production resolution (50 m demand points and
candidates), wall time per district and in total (goal < 60 s), with the greedy objective at
the same count as the same-run baseline for solution quality.

Run (needs the bench extra: spopt 0.7, pulp):
    SEOUL_DATA_DIR=../shared/data/seoul python bench/siting_vs_spopt.py [--district 중구]
        [--radius 100] [--p 20] [--skip-spopt] [--skip-all]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("SEOUL_DATA_DIR"):
        return Path(os.environ["SEOUL_DATA_DIR"])
    for parent in ROOT.parents:
        if (parent / "shared" / "data" / "seoul").is_dir():
            return parent / "shared" / "data" / "seoul"
    sys.exit("no data folder: pass --data-dir or set SEOUL_DATA_DIR")


def cell_instance(root: Path, district: str):
    from seoul_digital.siting.engine.recommend import prepare

    inst = prepare(root, district)
    g = inst.grid
    demand_xy = np.column_stack([g.x, g.y])
    weights = inst.model.demand
    existing_xy = inst.existing_xy
    return demand_xy, weights, demand_xy.copy(), existing_xy


def run_ours(demand_xy, weights, cand_xy, existing_xy, radius, p):
    from seoul_digital.siting.engine.mclp import MCLP

    start, cpu = time.perf_counter(), time.process_time()
    model = MCLP.from_points(demand_xy, weights, cand_xy, radius, p, existing_xy=existing_xy,
                             existing_radius=radius).solve(mip_gap=0.0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    total = float(weights[model.covered_after()].sum())
    return seconds, cpu, total, model


def run_spopt(demand_xy, weights, cand_xy, existing_xy, radius, p):
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP as SpoptMCLP

    start, cpu, before = time.perf_counter(), time.process_time(), os.times()
    facilities = np.vstack([existing_xy, cand_xy])
    predefined = np.concatenate([np.ones(len(existing_xy), int), np.zeros(len(cand_xy), int)])
    cost = cdist(demand_xy, facilities)
    model = SpoptMCLP.from_cost_matrix(cost, weights, radius, p + len(existing_xy),
                                       predefined_facilities_arr=predefined)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CBC runs as a child process: its CPU time is in the children's times
    after = os.times()
    children = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return seconds, cpu + children, \
        float(pulp.value(model.problem.objective)), model


def part1(root: Path, district: str, radius: float, p: int, skip_spopt: bool) -> None:
    demand_xy, weights, cand_xy, existing_xy = cell_instance(root, district)
    print(f"## Part 1 — same instance: {district}, {len(demand_xy)} demand cells, "
          f"{len(cand_xy)} candidates, {len(existing_xy)} existing sites fixed, R = {radius:g} m, "
          f"p = {p}")
    ours_s, ours_cpu, ours_obj, model = run_ours(demand_xy, weights, cand_xy, existing_xy, radius, p)
    print(f"ours  (KD-tree + HiGHS)   build+solve {ours_s:8.2f} s wall {ours_cpu:8.2f} s CPU   "
          f"objective {ours_obj:.6f}   ({model.status})")
    if skip_spopt:
        print("spopt skipped (--skip-spopt)")
        return
    try:
        sp_s, sp_cpu, sp_obj, _m = run_spopt(demand_xy, weights, cand_xy, existing_xy, radius, p)
    except ImportError as err:
        print(f"spopt not installed ({err}); install the bench extra: pip install 'spopt==0.7.*' 'pulp>=3.2,<4'")
        return
    print(f"spopt (dense + pulp/CBC)  build+solve {sp_s:8.2f} s wall {sp_cpu:8.2f} s CPU   "
          f"objective {sp_obj:.6f}")
    same = abs(ours_obj - sp_obj) <= 1e-6 * max(1.0, abs(sp_obj))
    print(f"objectives equal: {same}   speed-up: {sp_s / ours_s:.1f}× wall, {sp_cpu / ours_cpu:.1f}× CPU")


def part2(root: Path) -> None:
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.siting.engine.layers import has_camera_points
    from seoul_digital.siting.engine.recommend import Options, recommend

    print("\n## Part 2 — recommend (knee, exact MCLP at 50 m) for every district")
    print(f"{'district':<6} {'cams':>5} {'new':>5} {'cover before→after':>20} {'exact':>10} {'greedy':>10} "
          f"{'status':>8} {'seconds':>8}")
    total_start, total_cpu = time.perf_counter(), time.process_time()
    for d in DISTRICTS:
        start = time.perf_counter()
        r = recommend(root, d.name_ko, Options())
        seconds = time.perf_counter() - start
        greedy = r.solver.get("greedy_at_same_count")
        flag = "" if has_camera_points(root, d.name_ko) else "  (no camera points: existing = 0)"
        print(f"{d.name_ko:<6} {r.existing_sites:>5} {r.count:>5} "
              f"{r.coverage_before:>9.1%} → {r.coverage_after:>6.1%} {r.solver['objective']:>10.1f} "
              f"{(greedy if greedy is not None else float('nan')):>10.1f} {r.solver['status']:>8} "
              f"{seconds:>8.2f}{flag}")
    total, cpu = time.perf_counter() - total_start, time.process_time() - total_cpu
    print(f"total for {len(DISTRICTS)} districts: {total:.1f} s wall, {cpu:.1f} s CPU (goal < 60 s)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir")
    parser.add_argument("--district", default="중구")
    parser.add_argument("--radius", type=float, default=100.0)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--skip-all", action="store_true")
    args = parser.parse_args()
    root = data_dir(args.data_dir)
    part1(root, args.district, args.radius, args.p, args.skip_spopt)
    if not args.skip_all:
        part2(root)


if __name__ == "__main__":
    main()
