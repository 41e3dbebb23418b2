"""100 m cells in EPSG:5179 clipped to the district, each with the model's variables.

Cells are squares aligned to multiples of the cell size in UTM-K (so cells of neighbouring
districts line up). A cell is kept when at least 5 % of it lies inside the district;
``area_share`` says how much does. Each cell belongs to the 행정동 containing its centre (or the
nearest one when the centre falls in a gap of the 2013 polygons).

Variables per cell (raw values; :mod:`demand` scales them):

* ``population``, ``one_person``, ``night_floating``, ``workers`` – 행정동 figures spread over
  the dong's cells *dasymetrically*: a cell's share is proportional to
  ``area_share × (0.2 + min(1, urban / 3))`` where ``urban`` counts non-camera urban points
  (bells, schools, childcare, bars, lamps, security lights) within 150 m. Parks and mountains
  get a fifth of the density of built-up cells instead of an equal share. Camera positions are
  never used here, so the backtest cannot learn them back.
* point layers – number of points within a radius of the cell centre: ``bars`` 150 m,
  ``bells`` 100 m, ``schools`` and ``childcare`` 300 m (child-protection zones are 300 m),
  ``street_lamps`` and ``security_lights`` 100 m (security lights weighted by lamps per pole).
* ``safety_grade`` – 치안안전등급 (1 safe … 5 unsafe) of the nearest graded 지구대, where present.
* ``narrow_roads`` / ``wide_roads`` – metres of alleys (< 8 m, 길) / arterials in the cell,
  where a road layer exists (강남구).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from seoul_digital.common import crs
from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.layers import DistrictLayers

__all__ = ["Grid", "build_grid", "VARIABLE_LABELS", "POINT_RADII"]

VARIABLE_LABELS = {
    "population": "주민등록인구",
    "one_person": "1인 가구",
    "night_floating": "야간 유동인구(21–06시)",
    "workers": "사업체 종사자",
    "bars": "유흥주점",
    "bells": "안전비상벨",
    "schools": "학교 300 m 이내",
    "childcare": "어린이집 300 m 이내",
    "street_lamps": "가로등(간선도로)",
    "security_lights": "보안등(골목)",
    "safety_grade": "치안안전등급",
    "narrow_roads": "골목길(폭 8 m 미만)",
    "wide_roads": "간선도로",
}

POINT_RADII = {"bars": 150.0, "bells": 100.0, "schools": 300.0, "childcare": 300.0,
               "street_lamps": 100.0, "security_lights": 100.0}
URBAN_RADIUS = 150.0
URBAN_LAYERS = ("bells", "schools", "childcare", "bars", "security_lights")
MIN_AREA_SHARE = 0.05


@dataclass
class Grid:
    cell_size: float
    x: np.ndarray  # cell centres, EPSG:5179
    y: np.ndarray
    area_share: np.ndarray
    dong: np.ndarray  # index into layers.dong_codes
    variables: dict[str, np.ndarray] = field(default_factory=dict)
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.x.size)

    def variable_names(self) -> list[str]:
        return list(self.variables)


def _cell_centres(boundary, size: float):
    minx, miny, maxx, maxy = boundary.bounds
    xs = np.arange(np.floor(minx / size) * size + size / 2, maxx + size / 2, size)
    ys = np.arange(np.floor(miny / size) * size + size / 2, maxy + size / 2, size)
    gx, gy = np.meshgrid(xs, ys)
    return gx.ravel(), gy.ravel()


def _count_within(tree_points: np.ndarray, centres: np.ndarray, radius: float,
                  weights: np.ndarray | None = None) -> np.ndarray:
    from scipy.spatial import cKDTree

    if tree_points.size == 0:
        return np.zeros(len(centres))
    tree = cKDTree(tree_points)
    if weights is None:
        return tree.query_ball_point(centres, radius, return_length=True).astype(float)
    out = np.zeros(len(centres))
    for i, hits in enumerate(tree.query_ball_point(centres, radius)):
        if hits:
            out[i] = weights[hits].sum()
    return out


def _spread(dong_values: np.ndarray, dong: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Distribute each 행정동's total over its cells in proportion to ``weight``."""
    n_dong = dong_values.size
    totals = np.bincount(dong, weights=weight, minlength=n_dong)
    values = np.nan_to_num(dong_values, nan=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_weight = np.where(totals > 0, values / totals, 0.0)
    return per_weight[dong] * weight


def _line_length_per_cell(lines, x, y, size: float) -> np.ndarray:
    """Metres of ``lines`` in each cell, by sampling the lines every 5 m."""
    import shapely

    if lines is None or shapely.is_empty(lines):
        return np.zeros(x.size)
    step = 5.0
    coords = shapely.get_coordinates(shapely.segmentize(lines, step))
    if coords.size == 0:
        return np.zeros(x.size)
    x0, y0 = x.min() - size / 2, y.min() - size / 2
    ncols = int(round((x.max() - x0) / size)) + 1
    col = np.floor((coords[:, 0] - x0) / size).astype(int)
    row = np.floor((coords[:, 1] - y0) / size).astype(int)
    cell_col = np.floor((x - x0) / size).astype(int)
    cell_row = np.floor((y - y0) / size).astype(int)
    key_cells = cell_row * ncols + cell_col
    lookup = {k: i for i, k in enumerate(key_cells)}
    out = np.zeros(x.size)
    for k in row * ncols + col:
        i = lookup.get(int(k))
        if i is not None:
            out[i] += step
    return out


def build_grid(layers: DistrictLayers, cell_size: float = 100.0,
               progress: ProgressCallback = null_progress) -> Grid:
    import shapely

    if cell_size < 20 or cell_size > 1000:
        raise SitingInputError(f"격자 크기 {cell_size} m는 쓸 수 없습니다 (20–1000 m).")
    progress(0, 4, "격자 만들기")
    boundary = layers.boundary
    gx, gy = _cell_centres(boundary, cell_size)
    half = cell_size / 2
    boxes = shapely.box(gx - half, gy - half, gx + half, gy + half)
    shapely.prepare(boundary)
    touching = shapely.intersects(boundary, boxes)
    share = np.zeros(gx.size)
    share[touching] = shapely.area(shapely.intersection(boxes[touching], boundary)) / cell_size ** 2
    keep = share >= MIN_AREA_SHARE
    if not keep.any():
        raise SitingInputError(f"{layers.district.name_ko}: 경계 안에 격자가 하나도 없습니다.")
    x, y, share = gx[keep], gy[keep], np.minimum(share[keep], 1.0)

    progress(1, 4, "행정동 배정")
    dong = np.full(x.size, -1)
    for i, geom in enumerate(layers.dong_geoms):
        shapely.prepare(geom)
        inside = (dong < 0) & shapely.contains_xy(geom, x, y)
        dong[inside] = i
    lost = np.flatnonzero(dong < 0)
    if lost.size:
        pts = shapely.points(x[lost], y[lost])
        dist = np.column_stack([shapely.distance(g, pts) for g in layers.dong_geoms])
        dong[lost] = dist.argmin(axis=1)

    progress(2, 4, "시설 집계")
    centres = np.column_stack([x, y])
    variables: dict[str, np.ndarray] = {}
    urban_sets = [np.column_stack([p.x, p.y]) for k, p in layers.points.items()
                  if k in URBAN_LAYERS and len(p)]
    urban_points = np.vstack(urban_sets) if urban_sets else np.zeros((0, 2))
    urban = _count_within(urban_points, centres, URBAN_RADIUS)
    weight = share * (0.2 + np.minimum(1.0, urban / 3.0))
    stats = layers.dong_stats
    for key in ("population", "one_person", "night_floating"):
        if key in stats and np.isfinite(stats[key]).any():
            variables[key] = _spread(stats[key], dong, weight)
    workers = layers.establishments.get("workers")
    if workers is not None and np.isfinite(workers).any():
        variables["workers"] = _spread(workers, dong, weight)
    for key, radius in POINT_RADII.items():
        layer = layers.points.get(key)
        if layer is None or len(layer) == 0:
            continue
        pts = np.column_stack([layer.x, layer.y])
        variables[key] = _count_within(pts, centres, radius, layer.weight)
    grades = layers.points.get("safety_grade")
    if grades is not None and len(grades) >= 2:
        from scipy.spatial import cKDTree

        _d, nearest = cKDTree(np.column_stack([grades.x, grades.y])).query(centres)
        variables["safety_grade"] = np.asarray(grades.weight, float)[nearest]

    progress(3, 4, "도로")
    if layers.roads:
        variables["narrow_roads"] = _line_length_per_cell(layers.roads.get("narrow"), x, y, cell_size)
        variables["wide_roads"] = _line_length_per_cell(layers.roads.get("wide"), x, y, cell_size)
    lon, lat = crs.to_wgs84(x, y, crs.UTMK)
    progress(4, 4, "격자 완료")
    return Grid(cell_size=cell_size, x=x, y=y, area_share=share, dong=dong, variables=variables,
                lon=np.asarray(lon), lat=np.asarray(lat))
