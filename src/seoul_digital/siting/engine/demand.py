"""Demand score per cell: a transparent weighted sum, weights per area type from a YAML file.

    score(cell) = 100 × Σ_k w[type, k] · s_k(cell) / Σ_k w[type, k]

where ``type`` is the area type of the cell's 행정동 and ``s_k`` is variable *k* scaled to
0…1 within the district: ``min(1, value / P95)`` with P95 the 95th percentile of the cells
where the variable is positive (so one extreme cell does not flatten the rest, and a sparse
layer such as bars is not scaled by its zeros). ``safety_grade`` (1 safe … 5 unsafe) is scaled
as ``(grade − 1) / 4``. The MCLP demand of a cell is ``score × area_share``.

Weights live in ``engine/weights/<district>.yaml`` (one file per district, which staff may
edit; the web app keeps edited copies per district). A file lists, for each area type, a weight
per variable; district-specific variables (road layer, 보안등, 치안안전등급) appear only in the
files of districts that have them. A variable in the file without data in the district is
skipped and reported, never guessed.

The 행정안전부-style grid score (:func:`mois_score`) is kept as the baseline practice: each
cell gets 0–5 points per factor (quintile among the cells where the factor is present) for
유흥업소 density, vulnerable residents (1-person households), children (schools and childcare
within 300 m) and detached-housing alleys (보안등 where present, else alleys from the road
layer, else residential density), and cells within 50 m of an existing camera are excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from seoul_digital.siting.engine.area_types import AREA_TYPE_LABELS, AREA_TYPES
from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.grid import VARIABLE_LABELS, Grid

__all__ = ["Weights", "DemandModel", "load_weights", "parse_weights", "weights_path",
           "default_weights_yaml", "score_cells", "mois_score", "DEFAULT_WEIGHTS",
           "DISTRICT_SPECIFIC", "WEIGHT_REASONS", "scale_variable"]

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"

# Defaults, justified in the manual (one line each in WEIGHT_REASONS).
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "residential": {"population": 3, "one_person": 3, "night_floating": 2, "workers": 0,
                    "bars": 1, "schools": 2, "childcare": 2, "bells": 1, "street_lamps": 0,
                    "security_lights": 2, "safety_grade": 2, "narrow_roads": 2, "wide_roads": 0},
    "commercial": {"population": 1, "one_person": 2, "night_floating": 3, "workers": 1,
                   "bars": 3, "schools": 1, "childcare": 1, "bells": 1, "street_lamps": 1,
                   "security_lights": 1, "safety_grade": 2, "narrow_roads": 1, "wide_roads": 0.5},
    "business": {"population": 1, "one_person": 1, "night_floating": 2, "workers": 2,
                 "bars": 2, "schools": 1, "childcare": 0.5, "bells": 1, "street_lamps": 1,
                 "security_lights": 0.5, "safety_grade": 2, "narrow_roads": 0.5, "wide_roads": 0.5},
    "mixed": {"population": 2, "one_person": 2, "night_floating": 3, "workers": 1,
              "bars": 2, "schools": 1, "childcare": 1, "bells": 1, "street_lamps": 0.5,
              "security_lights": 1, "safety_grade": 2, "narrow_roads": 1.5, "wide_roads": 0},
}
DISTRICT_SPECIFIC = ("security_lights", "safety_grade", "narrow_roads", "wide_roads")
WEIGHT_REASONS = {
    "population": "생활방범 CCTV가 지키는 사람이 사는 곳. 주거지에서 가장 큰 가중치.",
    "one_person": "1인 가구(특히 여성 1인 가구)는 행정안전부 기준의 범죄 취약 계층.",
    "night_floating": "밤 9시–새벽 6시 거리의 사람 수. 노상 범죄는 밤에 많으므로 상업·혼합 지역에서 크게.",
    "workers": "낮 시간 업무 인구. 업무 지역에서만 의미가 있어 주거 지역은 0.",
    "bars": "유흥업소 밀집은 행정안전부 표준모델의 핵심 요인. 상업 지역에서 가장 크게.",
    "schools": "학교 300 m(어린이보호구역) 안. 등하교 안전, 주거 지역에서 크게.",
    "childcare": "어린이집 300 m 안. 아동 보호 목적 CCTV 수요.",
    "bells": "안전비상벨이 있는 곳은 구가 이미 위험 지점으로 본 곳(공원, 화장실, 골목).",
    "street_lamps": "시 관리 가로등 = 간선도로. 상업·업무 지역의 통행량 대용.",
    "security_lights": "보안등은 골목(단독·다가구 주택가)에 있다. 행정안전부 기준의 '단독주택 밀집' 대용.",
    "safety_grade": "경찰 치안안전등급(1 안전 … 5 위험)이 나쁜 지구대 관할일수록 수요가 크다.",
    "narrow_roads": "폭 8 m 미만 골목길 길이. 골목은 차량 순찰이 어려워 CCTV가 필요하다.",
    "wide_roads": "간선도로 길이. 교통량 대용이며 생활방범 효과는 작아 작은 가중치.",
}


@dataclass
class Weights:
    district: str
    by_type: dict[str, dict[str, float]]
    unit_cost_krw: int = 25_000_000
    new_camera_radius_m: float = 50.0
    source: str = ""
    notes: list[str] = field(default_factory=list)

    def variables(self) -> list[str]:
        names: list[str] = []
        for weights in self.by_type.values():
            for k in weights:
                if k not in names:
                    names.append(k)
        return names

    def to_dict(self) -> dict:
        return {"district": self.district, "unit_cost_krw": self.unit_cost_krw,
                "new_camera_radius_m": self.new_camera_radius_m, "weights": self.by_type}


def weights_path(district_slug: str) -> Path:
    return WEIGHTS_DIR / f"{district_slug}.yaml"


def parse_weights(text: str, *, source: str = "<yaml>", district: str = "") -> Weights:
    """Validate a weights YAML; every problem is named (type, variable, value)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise SitingInputError(f"{source}: YAML 문법 오류 ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise SitingInputError(f"{source}: 'weights:' 항목(지역 유형별 가중치)이 없습니다.")
    by_type: dict[str, dict[str, float]] = {}
    for area_type, weights in data["weights"].items():
        if area_type not in AREA_TYPES:
            raise SitingInputError(
                f"{source}: 지역 유형 '{area_type}'을(를) 모릅니다. 쓸 수 있는 유형: {', '.join(AREA_TYPES)}")
        if not isinstance(weights, dict):
            raise SitingInputError(f"{source}: '{area_type}' 아래에 변수: 가중치 목록이 필요합니다.")
        clean = {}
        for var, value in weights.items():
            if var not in VARIABLE_LABELS:
                raise SitingInputError(
                    f"{source}: 변수 '{var}'을(를) 모릅니다 ({area_type}). 쓸 수 있는 변수: "
                    f"{', '.join(VARIABLE_LABELS)}")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise SitingInputError(f"{source}: {area_type}.{var}의 가중치 '{value}'은(는) 숫자가 아닙니다.") from None
            if not np.isfinite(number) or number < 0 or number > 100:
                raise SitingInputError(f"{source}: {area_type}.{var}의 가중치 {value}은(는) 0–100이어야 합니다.")
            clean[var] = number
        if not any(v > 0 for v in clean.values()):
            raise SitingInputError(f"{source}: '{area_type}' 유형의 가중치가 모두 0입니다.")
        by_type[area_type] = clean
    missing = [t for t in AREA_TYPES if t not in by_type]
    if missing:
        raise SitingInputError(f"{source}: 지역 유형 {', '.join(missing)}의 가중치가 없습니다.")
    try:
        unit_cost = int(float(data.get("unit_cost_krw", 25_000_000)))
        radius = float(data.get("new_camera_radius_m", 50))
    except (TypeError, ValueError):
        raise SitingInputError(f"{source}: unit_cost_krw / new_camera_radius_m은 숫자여야 합니다.") from None
    if unit_cost <= 0:
        raise SitingInputError(f"{source}: unit_cost_krw(1개소 설치비)는 0보다 커야 합니다.")
    return Weights(district=str(data.get("district", district)), by_type=by_type,
                   unit_cost_krw=unit_cost, new_camera_radius_m=radius, source=source)


def default_weights_yaml(district_name: str, available: list[str] | None = None,
                         unit_cost_krw: int = 25_000_000) -> str:
    """The text of a district's weights file: defaults, with district-specific variables only
    when ``available`` lists them (None = all)."""
    lines = [
        f"# {district_name} CCTV 입지 수요 가중치. 담당자가 고쳐 쓸 수 있습니다.",
        "# 지역 유형(주거 residential, 상업 commercial, 업무 business, 혼합 mixed)별로",
        "# 변수마다 0–100의 가중치를 적습니다. 0이면 그 변수를 쓰지 않습니다.",
        "# 점수 = 100 × Σ 가중치 × (0–1로 맞춘 변수) / Σ 가중치. 근거는 매뉴얼을 보세요.",
        f"district: {district_name}",
        f"unit_cost_krw: {unit_cost_krw}   # 1개소(폴·카메라·통신) 설치비, 원",
        "new_camera_radius_m: 50          # 새 카메라 감시 반경(고정형 50 m, 회전형 100 m)",
        "weights:",
    ]
    for area_type in AREA_TYPES:
        lines.append(f"  {area_type}:   # {AREA_TYPE_LABELS[area_type]}")
        for var, value in DEFAULT_WEIGHTS[area_type].items():
            if var in DISTRICT_SPECIFIC and available is not None and var not in available:
                continue
            comment = VARIABLE_LABELS[var] + (" (이 구에만 있는 자료)" if var in DISTRICT_SPECIFIC else "")
            lines.append(f"    {var}: {value:g}   # {comment}")
    return "\n".join(lines) + "\n"


def load_weights(district_slug: str, district_name: str, *, text: str | None = None,
                 path: str | Path | None = None) -> Weights:
    """Weights for a district: given text (the web app's edited copy), a file, the packaged
    district file, or the defaults."""
    if text is not None:
        return parse_weights(text, source=f"{district_name} 가중치", district=district_name)
    p = Path(path) if path else weights_path(district_slug)
    if p.exists():
        return parse_weights(p.read_text(encoding="utf-8"), source=p.name, district=district_name)
    return parse_weights(default_weights_yaml(district_name), source="기본값", district=district_name)


def scale_variable(name: str, values: np.ndarray) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, float), nan=0.0)
    if name == "safety_grade":
        return np.clip((values - 1.0) / 4.0, 0.0, 1.0)
    positive = values[values > 0]
    if positive.size == 0:
        return np.zeros_like(values)
    cap = float(np.percentile(positive, 95))
    if cap <= 0:
        return np.zeros_like(values)
    return np.clip(values / cap, 0.0, 1.0)


@dataclass
class DemandModel:
    score: np.ndarray  # 0–100 per cell
    demand: np.ndarray  # score × area_share, the MCLP weight
    contributions: dict[str, np.ndarray]  # variable → points of the score per cell
    cell_type: list[str]  # area type per cell
    used: list[str]
    skipped: list[str]  # in the weights file but without data here


def score_cells(grid: Grid, dong_types: list[str], weights: Weights,
                only: list[str] | None = None) -> DemandModel:
    """Score every cell. ``only`` restricts the model to some variables (population-only
    baseline of the backtest)."""
    n = len(grid)
    if n == 0:
        raise SitingInputError("격자가 비어 있습니다.")
    cell_type = [dong_types[d] if 0 <= d < len(dong_types) else "mixed" for d in grid.dong]
    type_index = {t: i for i, t in enumerate(AREA_TYPES)}
    ti = np.array([type_index[t] for t in cell_type])
    wanted = weights.variables() if only is None else list(only)
    used = [v for v in wanted if v in grid.variables]
    skipped = [v for v in wanted if v not in grid.variables]
    if not used:
        raise SitingInputError("수요 변수가 하나도 없습니다: 자료 폴더의 인구·시설 자료를 확인하세요.")
    w = np.zeros((len(AREA_TYPES), len(used)))
    for t, i in type_index.items():
        for j, v in enumerate(used):
            w[i, j] = weights.by_type.get(t, {}).get(v, 0.0) if only is None else 1.0
    totals = w.sum(1)
    totals[totals == 0] = 1.0
    contributions = {}
    score = np.zeros(n)
    for j, v in enumerate(used):
        part = 100.0 * w[ti, j] * scale_variable(v, grid.variables[v]) / totals[ti]
        contributions[v] = part
        score += part
    demand = score * grid.area_share
    return DemandModel(score=score, demand=demand, contributions=contributions,
                       cell_type=cell_type, used=used, skipped=skipped)


def _quintile_points(values: np.ndarray) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, float))
    pts = np.zeros(values.size)
    positive = values > 0
    if positive.sum() < 5:
        pts[positive] = 3
        return pts
    edges = np.percentile(values[positive], [20, 40, 60, 80])
    pts[positive] = 1 + np.searchsorted(edges, values[positive], side="right")
    return pts


def mois_score(grid: Grid, covered_by_existing: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """행정안전부-style points per cell (0–20) and the factors used. Cells covered by an
    existing camera (within 50 m) score −1 so they are never picked."""
    v = grid.variables
    factors: list[tuple[str, np.ndarray]] = []
    if "bars" in v:
        factors.append(("유흥업소 밀집", v["bars"]))
    if "one_person" in v:
        factors.append(("취약계층(1인 가구)", v["one_person"]))
    children = v.get("schools", 0) + v.get("childcare", 0)
    if np.any(np.asarray(children) > 0):
        factors.append(("아동 시설", np.asarray(children, float)))
    if "security_lights" in v:
        factors.append(("단독주택가(보안등)", v["security_lights"]))
    elif "narrow_roads" in v:
        factors.append(("단독주택가(골목길)", v["narrow_roads"]))
    elif "population" in v:
        factors.append(("주거 밀도", v["population"]))
    score = np.zeros(len(grid))
    for _name, values in factors:
        score += _quintile_points(values)
    if covered_by_existing is not None:
        score = np.where(covered_by_existing, -1.0, score)
    return score, [name for name, _ in factors]


def calibrate_weights(grid: Grid, dong_types: list[str], has_camera: np.ndarray, base: Weights,
                      exclude: tuple[str, ...] = (), min_cells: int = 30) -> Weights:
    """Weights that reproduce where the district already put cameras ("district practice").

    For each area type, non-negative least squares of camera presence per cell (0/1) on the
    scaled variables plus an intercept; the weights are rescaled so the largest is 5 and
    rounded to 0.5. Area types with fewer than ``min_cells`` cells, or whose fit is all zero,
    keep ``base``'s weights. The result is a normal weights file: staff can read and edit it.
    """
    from scipy.optimize import nnls

    names = [v for v in grid.variables if v not in exclude]
    scaled = np.column_stack([scale_variable(v, grid.variables[v]) for v in names])
    types = np.array([dong_types[d] if 0 <= d < len(dong_types) else "mixed" for d in grid.dong])
    by_type: dict[str, dict[str, float]] = {}
    notes = []
    for t in AREA_TYPES:
        sel = types == t
        if sel.sum() < min_cells:
            by_type[t] = dict(base.by_type[t])
            notes.append(f"{AREA_TYPE_LABELS[t]}: 격자 {int(sel.sum())}개뿐이라 기본 가중치 유지")
            continue
        x = np.column_stack([scaled[sel], np.ones(int(sel.sum()))])
        coef, _res = nnls(x, has_camera[sel].astype(float))
        w = coef[:-1]
        if w.max() <= 0:
            by_type[t] = dict(base.by_type[t])
            notes.append(f"{AREA_TYPE_LABELS[t]}: 맞춤 가중치가 모두 0이라 기본 가중치 유지")
            continue
        w = np.round(w / w.max() * 10) / 2  # largest = 5, steps of 0.5
        by_type[t] = {v: float(x_) for v, x_ in zip(names, w)}
        for v in exclude:
            by_type[t][v] = 0.0
    return Weights(base.district, by_type, base.unit_cost_krw, base.new_camera_radius_m,
                   source="기존 CCTV 위치로 맞춘 가중치", notes=notes)


def weights_yaml(weights: Weights, title: str = "") -> str:
    """A weights file's text from a :class:`Weights` (for calibrated or edited weights)."""
    lines = [f"# {title or weights.source}",
             f"district: {weights.district}",
             f"unit_cost_krw: {weights.unit_cost_krw}",
             f"new_camera_radius_m: {weights.new_camera_radius_m:g}",
             "weights:"]
    for t in AREA_TYPES:
        lines.append(f"  {t}:   # {AREA_TYPE_LABELS[t]}")
        for v, value in weights.by_type.get(t, {}).items():
            lines.append(f"    {v}: {value:g}   # {VARIABLE_LABELS.get(v, v)}")
    return "\n".join(lines) + "\n"
