"""Benchmark: optimal matching (OR-Tools min-cost flow) vs a greedy baseline, same run.

    PYTHONPATH=src python bench/matching.py                 # 10,000 learners × 1,000 supporters
    PYTHONPATH=src python bench/matching.py --learners 2000 --supporters 200 --json

Two scenarios on the same synthetic people (districts drawn by 65+ population when
../shared/data/seoul is present, else uniformly; weekly windows of seniors and supporters):
  * scarce   — programme rules (2 sessions a month per learner, 21-hour cap, 4–8 learners
               per supporter): fewer places than learners, a waiting list forms;
  * balanced — 1 session a month and 8–14 learners per supporter: about as many places as
               learners, so who goes where decides how many are matched.
Both methods get the same feasible pairs and costs; the greedy baseline takes learners
longest-waiting first and gives each the cheapest supporter with room. "objective" is
what both minimise (pair costs − waiting priority, lower is better); "ours @ greedy's
count" is the optimum restricted to exactly as many matches as greedy made, the fair
cost comparison when the match counts differ.
Goal: ours matches ≥ greedy, costs ≤ greedy, in under 10 s (prepare + solve + explain).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from seoul_digital.inclusion.engine import matching as m
from seoul_digital.inclusion.engine import synth

SCENARIOS = {
    "scarce": dict(policy=m.MatchPolicy(), max_learners=(4, 8)),
    "balanced": dict(policy=m.MatchPolicy(sessions_per_month=1), max_learners=(8, 14)),
}


def run(n_learners: int, n_supporters: int, seed: int, data_dir: Path | None) -> dict:
    weights = synth.elderly_weights_from(data_dir) if data_dir else None
    out = {"learners": n_learners, "supporters": n_supporters, "seed": seed,
           "district_weights": "65+ population by district (../shared)" if weights else "uniform",
           "scenarios": {}}
    for name, spec in SCENARIOS.items():
        learners, supporters = synth.people(n_learners, n_supporters, seed=seed,
                                            district_weights=weights,
                                            max_learners=spec["max_learners"])
        policy = spec["policy"]

        started = time.perf_counter()
        problem = m.prepare(learners, supporters, policy)
        t_prepare = time.perf_counter() - started

        t0 = time.perf_counter()
        chosen = m.solve_optimal(problem)
        t_solve = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = m.assemble(problem, chosen, method="min_cost_flow", solve_seconds=t_solve)
        t_explain = time.perf_counter() - t0

        t0 = time.perf_counter()
        greedy_chosen = m.solve_greedy(problem)
        t_greedy = time.perf_counter() - t0
        t0 = time.perf_counter()
        greedy = m.assemble(problem, greedy_chosen, method="greedy", solve_seconds=t_greedy)
        t_greedy_explain = time.perf_counter() - t0

        at_k = m.solve_optimal(problem, flow=len(greedy_chosen))
        base = policy.weights.base
        at_k_objective = int(problem.arc_cost[at_k].sum() - base * len(at_k))

        def row(result, wall):
            s = result.stats
            return {"matched": s["matched"], "match_rate": round(s["match_rate"], 4),
                    "objective": s["objective"], "pair_cost_total": s["pair_cost_total"],
                    "pair_cost_mean": round(s["pair_cost_total"] / max(s["matched"], 1), 2),
                    "mean_travel_minutes": round(s["mean_travel_minutes"], 1),
                    "wall_seconds": round(wall, 3)}

        scenario = {
            "places": int(problem.capacity.sum()), "candidate_pairs": int(problem.arc_learner.size),
            "ours": row(ours, t_prepare + t_solve + t_explain),
            "greedy": row(greedy, t_prepare + t_greedy + t_greedy_explain),
            "ours_at_greedy_count": {"matched": int(len(at_k)), "objective": at_k_objective},
            "timing": {"prepare": round(t_prepare, 3), "solve": round(t_solve, 3),
                       "explain": round(t_explain, 3), "greedy_pass": round(t_greedy, 3)},
        }
        o, g = scenario["ours"], scenario["greedy"]
        scenario["goal"] = {
            "match_rate_ge_greedy": o["match_rate"] >= g["match_rate"],
            "cost_le_greedy": (o["objective"] <= g["objective"] if o["matched"] == g["matched"]
                               else at_k_objective <= g["objective"]),
            "under_10_s": o["wall_seconds"] < 10.0,
        }
        out["scenarios"][name] = scenario
    return out


def print_table(result: dict) -> None:
    print(f"matching benchmark: {result['learners']:,} learners × {result['supporters']:,} "
          f"supporters, seed {result['seed']}, districts: {result['district_weights']}")
    for name, s in result["scenarios"].items():
        print(f"\n[{name}] places {s['places']:,}, feasible pairs {s['candidate_pairs']:,}")
        print(f"  {'method':<26}{'matched':>9}{'rate':>8}{'objective':>12}{'pair cost':>11}"
              f"{'cost/match':>11}{'travel min':>11}{'wall s':>8}")
        for label, key in (("ours (min-cost flow)", "ours"), ("greedy baseline", "greedy")):
            r = s[key]
            print(f"  {label:<26}{r['matched']:>9,}{r['match_rate']:>8.1%}{r['objective']:>12,}"
                  f"{r['pair_cost_total']:>11,}{r['pair_cost_mean']:>11.2f}"
                  f"{r['mean_travel_minutes']:>11.1f}{r['wall_seconds']:>8.2f}")
        k = s["ours_at_greedy_count"]
        print(f"  {'ours @ greedy count':<26}{k['matched']:>9,}{'':>8}{k['objective']:>12,}")
        t = s["timing"]
        print(f"  timing: prepare {t['prepare']} s, solve {t['solve']} s, explain {t['explain']} s,"
              f" greedy pass {t['greedy_pass']} s")
        goal = s["goal"]
        print("  goal: " + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in goal.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--supporters", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2021)
    default_data = os.environ.get("SEOUL_DATA_DIR") or str(ROOT.parent / "shared" / "data" / "seoul")
    parser.add_argument("--data-dir", default=default_data,
                        help="Seoul data folder for district weights (skipped when absent)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir and Path(args.data_dir).is_dir() else None
    result = run(args.learners, args.supporters, args.seed, data_dir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    met = all(all(s["goal"].values()) for s in result["scenarios"].values())
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
