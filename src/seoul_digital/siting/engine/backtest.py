"""Backtest: can the model find where the district actually put its cameras?

Hide a random share of the existing camera sites, treat the rest as existing, recommend as many
new sites as were hidden, and count the hidden sites that lie within the coverage radius of a
recommended site (the *hit rate*). The same count is placed by three baselines:

* **random** – uniformly among the candidate sites of the district (mean of ``trials`` draws);
* **population only** – the same MCLP with residents as the only demand variable;
* **행정안전부 style** – the best-scored 100 m cells by the MOIS-style points, not within 50 m
  of a remaining camera.

The demand model never sees camera positions (see :mod:`grid`), so a hit is a rediscovery, not
a memory. Emergency bells are left out of every variant here because they hang on the same poles
as 안심이 cameras. A fifth variant, **model calibrated**, fits the weights to the cameras that
were *not* hidden (:func:`demand.calibrate_weights`) – "district practice" weights. Traffic-enforcement cameras are not hidden (they are not placed for crime
prevention).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress, scaled
from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.layers import NON_SURVEILLANCE_PURPOSES, load_district, resolve_district
from seoul_digital.siting.engine.mclp import MCLP, covered_by
from seoul_digital.siting.engine.recommend import Options, mois_baseline, prepare

__all__ = ["backtest", "hit_rate", "LEAKY"]

# Emergency bells are installed on the same poles as 안심이 cameras: a bell marks a camera, so
# the backtest leaves them out of every variant (they stay in the normal model).
LEAKY = ("bells",)


def hit_rate(hidden_xy: np.ndarray, chosen_xy: np.ndarray, radius: float) -> float:
    if len(hidden_xy) == 0:
        return 0.0
    return float(covered_by(hidden_xy, chosen_xy, radius).mean())


def backtest(data_dir: str | Path, district, *, hide: float = 0.2, seed: int = 0,
             radius: float | None = None, existing_radius: float | None = None,
             trials: int = 20, time_limit: float = 60.0,
             progress: ProgressCallback = null_progress) -> dict:
    if not (0 < hide < 1):
        raise SitingInputError(f"--hide {hide}은(는) 0과 1 사이여야 합니다 (예: 0.2 = 20 %).")
    start = time.perf_counter()
    district = resolve_district(district)
    layers = load_district(data_dir, district, progress=scaled(progress, 0.0, 0.2))
    cams = layers.cameras
    eligible = np.array([p not in NON_SURVEILLANCE_PURPOSES for p in cams.purpose], bool)
    n_sites = int(eligible.sum())
    if n_sites < 10:
        raise SitingInputError(
            f"{district.name_ko}: 기존 CCTV 위치가 {n_sites}곳뿐이라 되짚어 보기(backtest)를 할 수 없습니다 "
            f"(10곳 이상 필요).")
    rng = np.random.default_rng(seed)
    idx = np.flatnonzero(eligible)
    n_hide = max(1, int(round(hide * n_sites)))
    hidden = rng.choice(idx, size=n_hide, replace=False)
    keep = np.ones(len(cams), bool)
    keep[hidden] = False
    hidden_xy = np.column_stack([cams.x[hidden], cams.y[hidden]])
    layers.cameras = cams.subset(keep)
    options = Options(count=n_hide, radius=radius, existing_radius=existing_radius,
                      time_limit=time_limit,
                      weight_overrides={"*": {v: 0.0 for v in LEAKY}})
    inst = prepare(data_dir, district, options=options, layers=layers,
                   progress=scaled(progress, 0.2, 0.4))
    r = inst.radius
    progress(0.45, 1.0, "모형 추천")
    ours = MCLP.from_coverage(inst.coverage, inst.demand_w, n_hide, inst.covered_existing).solve(
        time_limit=time_limit)
    ours_xy = inst.candidate_xy[ours.selected]

    progress(0.55, 1.0, "기존 CCTV로 맞춘 가중치")
    from seoul_digital.siting.engine.demand import calibrate_weights, score_cells
    from scipy.spatial import cKDTree

    kept = layers.cameras
    has_camera = np.zeros(len(inst.grid), bool)
    if len(kept):
        _d, cells = cKDTree(np.column_stack([inst.grid.x, inst.grid.y])).query(
            np.column_stack([kept.x, kept.y]))
        has_camera[cells] = True
    calibrated = calibrate_weights(inst.grid, inst.dong_types, has_camera, inst.weights,
                                   exclude=LEAKY)
    cal_model = score_cells(inst.grid, inst.dong_types, calibrated)
    from seoul_digital.siting.engine.recommend import _sub_points

    _xy, cal_w, _cell = _sub_points(inst.grid, layers.boundary, cal_model.demand)
    cal = MCLP.from_coverage(inst.coverage, cal_w, n_hide, inst.covered_existing).solve(
        time_limit=time_limit)
    cal_xy = inst.candidate_xy[cal.selected]

    progress(0.65, 1.0, "인구만 쓰는 기준")

    pop_model = score_cells(inst.grid, inst.dong_types, inst.weights, only=["population"])
    _xy, pop_w, _cell = _sub_points(inst.grid, layers.boundary, pop_model.demand)
    pop = MCLP.from_coverage(inst.coverage, pop_w, n_hide, inst.covered_existing).solve(
        time_limit=time_limit)
    pop_xy = inst.candidate_xy[pop.selected]

    progress(0.85, 1.0, "무작위·행정안전부 기준")
    mois_cells, _cov = mois_baseline(inst, n_hide)
    mois_xy = np.column_stack([inst.grid.x[mois_cells], inst.grid.y[mois_cells]])
    random_rates = []
    for _ in range(trials):
        pick = rng.choice(len(inst.candidate_xy), size=min(n_hide, len(inst.candidate_xy)), replace=False)
        random_rates.append(hit_rate(hidden_xy, inst.candidate_xy[pick], r))

    def rates(xy):
        return {"hit_rate": round(hit_rate(hidden_xy, xy, r), 4),
                "hit_rate_2r": round(hit_rate(hidden_xy, xy, 2 * r), 4)}

    random_2r = [hit_rate(hidden_xy, inst.candidate_xy[rng.choice(len(inst.candidate_xy), size=n_hide,
                                                                  replace=False)], 2 * r)
                 for _ in range(trials)]
    progress(1.0, 1.0, "완료")
    return {
        "district": district.name_ko, "seed": seed, "hide": hide, "radius_m": r,
        "existing_radius_m": existing_radius or "spec (50 fixed / 100 PTZ)",
        "existing_sites": n_sites, "hidden_sites": n_hide,
        "model": {**rates(ours_xy), "status": ours.status},
        "model_calibrated": {**rates(cal_xy), "status": cal.status,
                             "weights": calibrated.by_type},
        "population_only": rates(pop_xy),
        "mois_style": rates(mois_xy),
        "random": {"hit_rate": round(float(np.mean(random_rates)), 4),
                   "hit_rate_sd": round(float(np.std(random_rates)), 4),
                   "hit_rate_2r": round(float(np.mean(random_2r)), 4), "trials": trials},
        "synthetic_data": layers.synthetic,
        "seconds": round(time.perf_counter() - start, 2),
        "notes": layers.notes,
    }
