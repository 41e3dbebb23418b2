"""One district, end to end: layers → grid → area types → demand → MCLP/LSCP → explained sites.

Coverage is evaluated at 50 m resolution although the variables live on 100 m cells: each
cell's demand is split over the centres of its four 50 m quadrants (those inside the district),
and candidate sites lie on a 50 m lattice inside the district. With the 100 m grid alone a
50 m camera could only ever cover its own cell and MCLP would reduce to "top-N cells"; at 50 m
a camera on a corner covers parts of four cells, which is what a camera on a street corner does.

How many sites:

* ``count`` – exactly that many (MCLP);
* ``budget_krw`` – as many as the budget buys at ``unit_cost_krw`` per site (MCLP);
* ``target_coverage`` – the fewest sites reaching that share of all demand, existing cameras
  included (LSCP);
* none of these – the knee of the coverage-vs-count curve (greedy curve up to 99 % of the
  coverable demand, Kneedle knee), then the exact MCLP at that count.

Sites are ranked in installation order: each next site adds the most demand not yet covered by
existing cameras and the sites ranked above it. Each says why (demand it covers, the variables
that make up that demand, area type and 행정동).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress, scaled
from seoul_digital.siting.engine import area_types as area_types_mod
from seoul_digital.siting.engine.area_types import AREA_TYPE_LABELS
from seoul_digital.siting.engine.demand import (DemandModel, Weights, load_weights, mois_score,
                                                score_cells)
from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.grid import VARIABLE_LABELS, Grid, build_grid
from seoul_digital.siting.engine.layers import DistrictLayers, load_district, resolve_district
from seoul_digital.siting.engine.mclp import (LSCP, MCLP, coverage_matrix, covered_by, greedy_curve,
                                              knee_point)

__all__ = ["Options", "Instance", "Site", "Recommendation", "prepare", "recommend",
           "solve_instance", "MAX_SITES"]

MAX_SITES = 3000
SUB_STEP = 50.0


@dataclass
class Options:
    count: int | None = None
    budget_krw: int | None = None
    target_coverage: float | None = None
    radius: float | None = None  # new cameras; default from the weights file (50 m)
    existing_radius: float | None = None  # all existing cameras; default from spec (50/100 m)
    unit_cost_krw: int | None = None
    weights_text: str | None = None  # edited weights YAML (web); default: packaged file
    weight_overrides: dict[str, dict[str, float]] | None = None  # {type or "*": {var: weight}}
    weight_multipliers: dict[str, float] | None = None  # {var: factor 0–5}, all area types
    time_limit: float = 60.0
    max_sites: int = MAX_SITES

    def validate(self) -> None:
        given = [v is not None for v in (self.count, self.budget_krw, self.target_coverage)]
        if sum(given) > 1:
            raise SitingInputError("개수(--count), 예산(--budget-krw), 목표 커버율(--target-coverage) 중 "
                                   "하나만 지정하세요.")
        if self.count is not None and not (0 <= self.count <= self.max_sites):
            raise SitingInputError(f"설치 개수 {self.count}은(는) 0–{self.max_sites} 사이여야 합니다.")
        if self.budget_krw is not None and self.budget_krw <= 0:
            raise SitingInputError(f"예산 {self.budget_krw}원은 0보다 커야 합니다.")
        if self.target_coverage is not None and not (0 < self.target_coverage <= 1):
            raise SitingInputError(f"목표 커버율 {self.target_coverage}은(는) 0보다 크고 1 이하여야 합니다 "
                                   f"(예: 0.9 = 90 %).")
        if self.radius is not None and not (10 <= self.radius <= 500):
            raise SitingInputError(f"감시 반경 {self.radius} m는 10–500 m 사이여야 합니다.")
        if self.existing_radius is not None and not (10 <= self.existing_radius <= 500):
            raise SitingInputError(f"기존 CCTV 감시 반경 {self.existing_radius} m는 10–500 m 사이여야 합니다.")
        if self.unit_cost_krw is not None and self.unit_cost_krw <= 0:
            raise SitingInputError("1개소 설치비는 0보다 커야 합니다.")


@dataclass
class Instance:
    """Everything the optimisation and the explanations need for one district."""

    layers: DistrictLayers
    grid: Grid
    weights: Weights
    dong_types: list[str]
    model: DemandModel
    demand_xy: np.ndarray  # 50 m sub-points
    demand_w: np.ndarray
    demand_cell: np.ndarray  # cell of each sub-point
    candidate_xy: np.ndarray
    radius: float
    covered_existing: np.ndarray  # per sub-point
    coverage: object  # CSR sub-points × candidates
    existing_xy: np.ndarray
    existing_radius: np.ndarray
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Site:
    rank: int
    lat: float
    lon: float
    x: float
    y: float
    score: float  # demand score of the cell at the site, 0–100
    demand_covered: float  # new demand this site adds (in installation order)
    demand_share: float  # of all district demand
    area_type: str
    dong: str
    reasons: list[dict]  # [{"variable", "label", "share"}] top contributors
    why: str
    residents_covered: float = 0.0

    def to_dict(self) -> dict:
        return {"rank": self.rank, "lat": round(self.lat, 6), "lon": round(self.lon, 6),
                "score": round(self.score, 1), "demand_covered": round(self.demand_covered, 2),
                "demand_share": round(self.demand_share, 5),
                "residents_covered": round(self.residents_covered), "area_type": self.area_type,
                "area_type_label": AREA_TYPE_LABELS[self.area_type], "dong": self.dong,
                "reasons": self.reasons, "why": self.why}


@dataclass
class Recommendation:
    district: str
    district_code: str
    mode: str  # count / budget / target / knee
    count: int
    radius: float
    unit_cost_krw: int
    total_cost_krw: int
    budget_krw: int | None
    target_coverage: float | None
    coverage_before: float
    coverage_after: float
    existing_sites: int
    existing_cameras: int
    sites: list[Site]
    curve: list[tuple[int, float]]  # (new sites, coverage share incl. existing), sampled
    knee: int | None
    mois_baseline_coverage: float | None  # same count picked the 행정안전부 way
    solver: dict
    notes: list[str]
    sources: dict[str, str]
    synthetic: bool
    weights: dict
    variables_used: list[str]
    timings: dict[str, float]

    def to_dict(self, with_sites: bool = True) -> dict:
        out = {
            "district": self.district, "district_code": self.district_code, "mode": self.mode,
            "count": self.count, "radius_m": self.radius, "unit_cost_krw": self.unit_cost_krw,
            "total_cost_krw": self.total_cost_krw, "budget_krw": self.budget_krw,
            "target_coverage": self.target_coverage,
            "coverage_before": round(self.coverage_before, 5),
            "coverage_after": round(self.coverage_after, 5),
            "existing_sites": self.existing_sites, "existing_cameras": self.existing_cameras,
            "knee": self.knee, "mois_baseline_coverage_after":
                None if self.mois_baseline_coverage is None else round(self.mois_baseline_coverage, 5),
            "curve": [[p, round(c, 5)] for p, c in self.curve],
            "solver": self.solver, "notes": self.notes, "sources": self.sources,
            "synthetic_data": self.synthetic, "weights": self.weights,
            "variables_used": self.variables_used,
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }
        if with_sites:
            out["sites"] = [s.to_dict() for s in self.sites]
        return out

    def geojson(self) -> dict:
        feats = []
        for s in self.sites:
            props = s.to_dict()
            props.pop("lat")
            props.pop("lon")
            props["reasons"] = ", ".join(f"{r['label']} {r['share']:.0%}" for r in s.reasons)
            props["radius_m"] = self.radius
            feats.append({"type": "Feature", "properties": props,
                          "geometry": {"type": "Point", "coordinates": [round(s.lon, 6), round(s.lat, 6)]}})
        return {"type": "FeatureCollection", "name": f"{self.district} CCTV 추천 입지",
                "features": feats}


# --------------------------------------------------------------------------------------------


def _sub_points(grid: Grid, boundary, demand: np.ndarray):
    import shapely

    q = grid.cell_size / 4
    offsets = np.array([[-q, -q], [q, -q], [-q, q], [q, q]])
    xs = (grid.x[:, None] + offsets[None, :, 0]).ravel()
    ys = (grid.y[:, None] + offsets[None, :, 1]).ravel()
    cell = np.repeat(np.arange(len(grid)), 4)
    shapely.prepare(boundary)
    inside = shapely.contains_xy(boundary, xs, ys)
    kept_per_cell = np.bincount(cell[inside], minlength=len(grid))
    # cells with no quadrant centre inside keep their centre
    lone = np.flatnonzero(kept_per_cell == 0)
    xs = np.concatenate([xs[inside], grid.x[lone]])
    ys = np.concatenate([ys[inside], grid.y[lone]])
    cell = np.concatenate([cell[inside], lone])
    share = np.maximum(np.bincount(cell, minlength=len(grid)), 1)
    w = demand[cell] / share[cell]
    return np.column_stack([xs, ys]), w, cell


def _candidates(boundary, step: float = SUB_STEP) -> np.ndarray:
    import shapely

    minx, miny, maxx, maxy = boundary.bounds
    xs = np.arange(np.ceil(minx / step) * step, maxx + step, step)
    ys = np.arange(np.ceil(miny / step) * step, maxy + step, step)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    inside = shapely.contains_xy(boundary, gx, gy)
    return np.column_stack([gx[inside], gy[inside]])


def _weights_with_overrides(weights: Weights, overrides: dict | None) -> Weights:
    if not overrides:
        return weights
    by_type = {t: dict(w) for t, w in weights.by_type.items()}
    for t, values in overrides.items():
        if t == "*":
            targets = list(by_type)
        elif t in by_type:
            targets = [t]
        else:
            raise SitingInputError(f"지역 유형 '{t}'을(를) 모릅니다.")
        for var, value in values.items():
            if var not in VARIABLE_LABELS:
                raise SitingInputError(f"변수 '{var}'을(를) 모릅니다.")
            if value is None or not (0 <= float(value) <= 100):
                raise SitingInputError(f"{var}의 가중치 {value}은(는) 0–100이어야 합니다.")
            for tt in targets:
                by_type[tt][var] = float(value)
    for t, w in by_type.items():
        if not any(v > 0 for v in w.values()):
            raise SitingInputError(f"'{AREA_TYPE_LABELS.get(t, t)}' 지역의 가중치가 모두 0입니다.")
    return Weights(weights.district, by_type, weights.unit_cost_krw, weights.new_camera_radius_m,
                   weights.source + " (화면에서 조정)")


def _weights_multiplied(weights: Weights, factors: dict | None) -> Weights:
    if not factors:
        return weights
    by_type = {t: dict(w) for t, w in weights.by_type.items()}
    for var, factor in factors.items():
        if var not in VARIABLE_LABELS:
            raise SitingInputError(f"변수 '{var}'을(를) 모릅니다.")
        try:
            f = float(factor)
        except (TypeError, ValueError):
            raise SitingInputError(f"{VARIABLE_LABELS[var]}의 배율 '{factor}'은(는) 숫자가 아닙니다.") from None
        if not (0 <= f <= 5):
            raise SitingInputError(f"{VARIABLE_LABELS[var]}의 배율 {factor}은(는) 0–5 사이여야 합니다.")
        for t in by_type:
            if var in by_type[t]:
                by_type[t][var] = by_type[t][var] * f
    for t, w in by_type.items():
        if not any(v > 0 for v in w.values()):
            raise SitingInputError(f"'{AREA_TYPE_LABELS.get(t, t)}' 지역의 가중치가 모두 0입니다.")
    return Weights(weights.district, by_type, weights.unit_cost_krw, weights.new_camera_radius_m,
                   weights.source + " (배율 조정)")


def prepare(data_dir: str | Path, district, *, options: Options | None = None,
            existing_csv: str | Path | None = None, layers: DistrictLayers | None = None,
            progress: ProgressCallback = null_progress) -> Instance:
    options = options or Options()
    options.validate()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    district = resolve_district(district)
    if layers is None:
        layers = load_district(data_dir, district, existing_csv=existing_csv,
                               progress=scaled(progress, 0.0, 0.3))
    timings["layers"] = time.perf_counter() - t0
    t = time.perf_counter()
    grid = build_grid(layers, progress=scaled(progress, 0.3, 0.45))
    timings["grid"] = time.perf_counter() - t
    t = time.perf_counter()
    weights = load_weights(district.slug, district.name_ko, text=options.weights_text)
    weights = _weights_with_overrides(weights, options.weight_overrides)
    weights = _weights_multiplied(weights, options.weight_multipliers)
    dong_types = area_types_mod.classify(data_dir, layers.dong_stats, layers.establishments)
    model = score_cells(grid, dong_types, weights)
    timings["demand"] = time.perf_counter() - t
    progress(0.5, 1.0, "감시 범위 계산")
    t = time.perf_counter()
    radius = float(options.radius or weights.new_camera_radius_m or 50.0)
    demand_xy, demand_w, demand_cell = _sub_points(grid, layers.boundary, model.demand)
    candidate_xy = _candidates(layers.boundary)
    cams = layers.cameras
    counts = np.array([p not in _non_surveillance() for p in cams.purpose], bool) if len(cams) else np.zeros(0, bool)
    existing_xy = np.column_stack([cams.x, cams.y])[counts] if len(cams) else np.zeros((0, 2))
    existing_radius = cams.radius[counts] if len(cams) else np.zeros(0)
    if options.existing_radius is not None:
        existing_radius = np.full(len(existing_xy), float(options.existing_radius))
    if len(cams) and (~counts).any():
        layers.notes.append(f"기존 CCTV 중 교통단속·교통정보 목적 {int((~counts).sum())}곳은 생활방범 감시 "
                            f"범위에서 뺐습니다.")
    covered_existing = covered_by(demand_xy, existing_xy, existing_radius)
    coverage = coverage_matrix(demand_xy, candidate_xy, radius)
    timings["coverage"] = time.perf_counter() - t
    if model.skipped:
        layers.notes.append("가중치 파일에 있으나 이 구에 자료가 없어 뺀 변수: "
                            + ", ".join(VARIABLE_LABELS.get(v, v) for v in model.skipped))
    if float(demand_w.sum()) <= 0:
        raise SitingInputError(f"{district.name_ko}: 수요가 모두 0입니다 (인구·시설 자료가 비어 있음).")
    return Instance(layers=layers, grid=grid, weights=weights, dong_types=dong_types, model=model,
                    demand_xy=demand_xy, demand_w=demand_w, demand_cell=demand_cell,
                    candidate_xy=candidate_xy, radius=radius, covered_existing=covered_existing,
                    coverage=coverage, existing_xy=existing_xy, existing_radius=existing_radius,
                    timings=timings)


def _non_surveillance():
    from seoul_digital.siting.engine.layers import NON_SURVEILLANCE_PURPOSES

    return NON_SURVEILLANCE_PURPOSES


def _curve_points(cumulative: np.ndarray, base: float, total: float, max_points: int = 120):
    p = len(cumulative) - 1
    if p <= 0:
        return [(0, base / total if total else 0.0)]
    idx = np.unique(np.linspace(0, p, min(max_points, p + 1)).round().astype(int))
    return [(int(i), float((base + cumulative[i]) / total)) for i in idx]


def solve_instance(inst: Instance, options: Options, progress: ProgressCallback = null_progress):
    """(selected candidate indices, mode, knee, curve, solver info, notes)."""
    w = inst.demand_w
    total = float(w.sum())
    base = float(w[inst.covered_existing].sum())
    notes: list[str] = []
    unit_cost = int(options.unit_cost_krw or inst.weights.unit_cost_krw)
    progress(0.55, 1.0, "설치 수-커버율 곡선")
    order, cum = greedy_curve(inst.coverage, w, inst.covered_existing, options.max_sites,
                              stop_share=0.99)
    knee = None
    if options.target_coverage is not None:
        mode = "target"
        model = LSCP.from_coverage(inst.coverage, w, options.target_coverage, inst.covered_existing)
        progress(0.7, 1.0, "최소 설치 수 계산(LSCP)")
        model.solve(time_limit=options.time_limit, max_sites=options.max_sites)
        notes.extend(model.notes)
    else:
        if options.count is not None:
            mode, p = "count", int(options.count)
        elif options.budget_krw is not None:
            mode, p = "budget", int(options.budget_krw // unit_cost)
            if p < 1:
                raise SitingInputError(
                    f"예산 {options.budget_krw:,}원으로는 1개소도 설치할 수 없습니다 (1개소 {unit_cost:,}원).")
            if p > options.max_sites:
                notes.append(f"예산으로 {p}곳을 살 수 있으나 한 번에 {options.max_sites}곳까지만 계산합니다.")
                p = options.max_sites
        else:
            mode = "knee"
            knee = knee_point(cum)
            p = knee
            if len(cum) - 1 >= options.max_sites:
                notes.append(f"곡선은 {options.max_sites}곳까지만 그렸습니다.")
        model = MCLP.from_coverage(inst.coverage, w, p, inst.covered_existing)
        progress(0.7, 1.0, f"최적 입지 계산(MCLP, {p}곳)")
        model.solve(time_limit=options.time_limit)
        notes.extend(model.notes)
    if model.status == "time_limit":
        notes.append(f"계산 시간 한도({options.time_limit:.0f}초)에 닿아 최적해와의 차이가 "
                     f"{(model.gap or 0):.2%} 이내인 해를 썼습니다.")
    curve = _curve_points(cum, base, total)
    solver = {"status": model.status, "gap": model.gap, "build_s": round(model.build_seconds, 3),
              "solve_s": round(model.solve_seconds, 3), "objective": round(model.objective, 3),
              "greedy_at_same_count": None, "candidates": int(inst.coverage.shape[1]),
              "demand_points": int(inst.coverage.shape[0])}
    k = len(model.selected)
    if 0 < k < len(cum):
        solver["greedy_at_same_count"] = round(float(cum[k]), 3)
    return model.selected, mode, knee, curve, solver, notes, unit_cost


def _explain(inst: Instance, selected: np.ndarray):
    """Installation order and reasons per selected candidate."""
    from scipy.spatial import cKDTree

    from seoul_digital.common import crs

    w = inst.demand_w
    total = float(w.sum())
    if selected.size == 0:
        return []
    sub = inst.coverage[:, selected]
    order, _cum = greedy_curve(sub, w, inst.covered_existing, len(selected), stop_share=2.0)
    # sites that add nothing new after the others (possible at the optimum) come last
    order = list(order) + [k for k in range(len(selected)) if k not in set(order)]
    csc = sub.tocsc()
    covered = inst.covered_existing.copy()
    contributions = inst.model.contributions
    var_names = list(contributions)
    contrib_matrix = (np.column_stack([contributions[v] for v in var_names]) if var_names
                      else np.zeros((len(inst.grid), 0)))
    score = inst.model.score
    population = inst.grid.variables.get("population")
    cell_points = np.maximum(np.bincount(inst.demand_cell, minlength=len(inst.grid)), 1)
    cell_tree = cKDTree(np.column_stack([inst.grid.x, inst.grid.y]))
    xy = inst.candidate_xy[selected[order]]
    _d, site_cells = cell_tree.query(xy)
    lons, lats = crs.to_wgs84(xy[:, 0], xy[:, 1], crs.UTMK)
    sites: list[Site] = []
    for rank, (k, cell, lon, lat) in enumerate(zip(order, site_cells, np.atleast_1d(lons),
                                                   np.atleast_1d(lats)), start=1):
        rows = csc.indices[csc.indptr[k]:csc.indptr[k + 1]]
        new = rows[~covered[rows]]
        covered[new] = True
        cells = inst.demand_cell[new]
        reasons = []
        if new.size and contrib_matrix.shape[1]:
            cell_scores = score[cells][:, None]
            frac = np.where(cell_scores > 0, contrib_matrix[cells] / np.maximum(cell_scores, 1e-9), 0.0)
            parts = (frac * w[new][:, None]).sum(0)
            if parts.sum() > 0:
                shares = parts / parts.sum()
                for v in np.argsort(shares)[::-1][:3]:
                    if shares[v] >= 0.05:
                        reasons.append({"variable": var_names[v], "label": VARIABLE_LABELS[var_names[v]],
                                        "share": round(float(shares[v]), 3)})
        residents = float((population[cells] / cell_points[cells]).sum()) if population is not None else 0.0
        area_type = inst.model.cell_type[int(cell)]
        dong = inst.layers.dong_names[int(inst.grid.dong[int(cell)])]
        gain = float(w[new].sum())
        why = (f"{dong}({AREA_TYPE_LABELS[area_type]} 지역), 수요 점수 {score[int(cell)]:.0f}점. "
               f"새로 감시 범위에 드는 주민 약 {residents:,.0f}명, 구 전체 수요의 {gain / total:.2%}"
               + (". 주된 이유: " + ", ".join(f"{r['label']} {r['share']:.0%}" for r in reasons)
                  if reasons else "") + ".")
        x, y = xy[rank - 1]
        sites.append(Site(rank=rank, lat=float(lat), lon=float(lon), x=float(x), y=float(y),
                          score=float(score[int(cell)]), demand_covered=gain,
                          demand_share=gain / total if total else 0.0, area_type=area_type,
                          dong=dong, reasons=reasons, why=why, residents_covered=residents))
    return sites


def mois_baseline(inst: Instance, count: int) -> tuple[np.ndarray, float]:
    """The 행정안전부 way: the ``count`` best-scored 100 m cells not within 50 m of an existing
    camera, a camera at each cell centre; returns (cell indices, coverage share after)."""
    cell_xy = np.column_stack([inst.grid.x, inst.grid.y])
    near = covered_by(cell_xy, inst.existing_xy, 50.0)
    pts, _factors = mois_score(inst.grid, near)
    # ties broken by population, as officers do when grades are equal
    tie = inst.grid.variables.get("population", np.zeros(len(inst.grid)))
    order = np.lexsort((-tie, -pts))
    chosen = order[:count]
    chosen = chosen[pts[chosen] >= 0]
    covered = inst.covered_existing | covered_by(inst.demand_xy, cell_xy[chosen], inst.radius)
    total = float(inst.demand_w.sum())
    return chosen, float(inst.demand_w[covered].sum()) / total if total else 0.0


def recommend(data_dir: str | Path, district, options: Options | None = None, *,
              existing_csv: str | Path | None = None, instance: Instance | None = None,
              progress: ProgressCallback = null_progress) -> Recommendation:
    options = options or Options()
    options.validate()
    inst = instance or prepare(data_dir, district, options=options, existing_csv=existing_csv,
                               progress=progress)
    t = time.perf_counter()
    selected, mode, knee, curve, solver, notes, unit_cost = solve_instance(inst, options, progress)
    inst.timings["optimise"] = time.perf_counter() - t
    progress(0.9, 1.0, "입지별 설명")
    t = time.perf_counter()
    sites = _explain(inst, np.asarray(selected, int))
    inst.timings["explain"] = time.perf_counter() - t
    w = inst.demand_w
    total = float(w.sum())
    before = float(w[inst.covered_existing].sum()) / total
    after_cov = inst.covered_existing.copy()
    if len(selected):
        after_cov |= np.asarray(inst.coverage[:, selected].sum(axis=1)).ravel() > 0
    after = float(w[after_cov].sum()) / total
    _cells, mois_after = mois_baseline(inst, len(sites)) if sites else (None, before)
    layers = inst.layers
    cams = layers.cameras
    progress(1.0, 1.0, "완료")
    return Recommendation(
        district=layers.district.name_ko, district_code=layers.district.mois_code, mode=mode,
        count=len(sites), radius=inst.radius, unit_cost_krw=unit_cost,
        total_cost_krw=unit_cost * len(sites), budget_krw=options.budget_krw,
        target_coverage=options.target_coverage, coverage_before=before, coverage_after=after,
        existing_sites=len(cams), existing_cameras=int(cams.count.sum()) if len(cams) else 0,
        sites=sites, curve=curve, knee=knee, mois_baseline_coverage=mois_after, solver=solver,
        notes=list(layers.notes) + notes, sources=dict(layers.sources), synthetic=layers.synthetic,
        weights=inst.weights.to_dict(), variables_used=inst.model.used, timings=dict(inst.timings))


def calibrated_weights(data_dir: str | Path, district, *, existing_csv: str | Path | None = None,
                       exclude: tuple[str, ...] = ("bells",), progress: ProgressCallback = null_progress):
    """Weights fitted to where the district's cameras already are (see
    :func:`demand.calibrate_weights`), as (Weights, YAML text) for staff to review."""
    from scipy.spatial import cKDTree

    from seoul_digital.siting.engine.demand import calibrate_weights, weights_yaml

    inst = prepare(data_dir, district, existing_csv=existing_csv, progress=progress)
    cams = inst.layers.cameras
    if len(cams) < 10:
        raise SitingInputError(f"{inst.layers.district.name_ko}: 기존 CCTV 위치가 {len(cams)}곳뿐이라 "
                               f"가중치를 맞출 수 없습니다 (10곳 이상 필요).")
    has_camera = np.zeros(len(inst.grid), bool)
    _d, cells = cKDTree(np.column_stack([inst.grid.x, inst.grid.y])).query(np.column_stack([cams.x, cams.y]))
    has_camera[cells] = True
    weights = calibrate_weights(inst.grid, inst.dong_types, has_camera, inst.weights, exclude=exclude)
    title = (f"{inst.layers.district.name_ko} 가중치: 기존 CCTV {len(cams)}곳의 위치에 맞춘 값 "
             f"(비상벨은 CCTV와 같은 기둥에 달려 제외). 검토 후 저장하세요.")
    return weights, weights_yaml(weights, title)
