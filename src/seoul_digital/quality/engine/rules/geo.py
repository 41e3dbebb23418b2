"""Coordinates: WGS84 latitude/longitude inside Seoul, Korean TM systems recognised from
their ranges, swapped X/Y.

Plain Python at import (no numpy, no pyproj): a TM pair far inside or far outside Seoul's
bounding box is decided from that box's extent in the pair's system (``_TM_BOXES``); only
pairs near the box's edge, or in a system not listed there, are converted with pyproj
(``common.crs``), imported then. The verdicts are those of converting every pair.
"""

from __future__ import annotations

from math import isfinite

from seoul_digital.quality.engine.rules.base import ColumnRule, Verdict
from seoul_digital.quality.engine.rules.numbers import parse_number

__all__ = ["CoordinateRule", "detect_system", "SYSTEM_NAMES", "pair_verdicts", "SEOUL_BBOX_WGS84"]

# = common.crs.SEOUL_BBOX_WGS84 (lon_min, lat_min, lon_max, lat_max), repeated here so that
# checking a file does not import numpy through common.crs; a test keeps the two equal.
SEOUL_BBOX_WGS84 = (126.76, 37.41, 127.19, 37.72)
LON_MIN, LAT_MIN, LON_MAX, LAT_MAX = SEOUL_BBOX_WGS84

# SEOUL_BBOX_WGS84 in each TM system, as (inner, outer) boxes (x_min, y_min, x_max, y_max) in
# metres: a pair inside the inner box converts to a point inside the WGS84 box, a pair outside
# the outer box to a point outside it; between them pyproj decides. Computed with pyproj
# 3.7 (the EPSG default transformations: Korean 1985 / KGD2002 to WGS 84 (1)) from 20 001
# points along each edge, then moved 100 m inward (inner) or outward (outer): another
# transformation pyproj may pick (with grid files installed) moves points by metres, not
# 100 m, so the verdicts do not depend on it; tests/quality/test_light_start.py recomputes them.
_Box = tuple[float, float, float, float]
_TM_BOXES: dict[str, tuple[_Box, _Box]] = {
    "EPSG:5174": ((178871, 434338, 216582, 468516), (178582, 434110, 216852, 468745)),
    "EPSG:2097": ((179126, 434337, 216837, 468516), (178838, 434110, 217108, 468744)),
    "EPSG:5181": ((178941, 434643, 216651, 468821), (178652, 434415, 216921, 469049)),
    "EPSG:5186": ((178941, 534643, 216651, 568821), (178652, 534415, 216921, 569049)),
    "EPSG:5179": ((934884, 1934899, 972466, 1968879), (934412, 1934486, 972780, 1969292)),
}

SYSTEM_NAMES = {
    "EPSG:4326": "WGS84 경위도",
    "EPSG:2097": "중부원점 TM (Bessel, 구 측지계) — LOCALDATA 인허가 좌표",
    "EPSG:5174": "보정 중부원점 TM (Bessel)",
    "EPSG:5181": "중부원점 TM (GRS80, 가산 N 500,000)",
    "EPSG:5186": "중부원점 TM (GRS80, 가산 N 600,000)",
    "EPSG:5179": "UTM-K (GRS80)",
}


class CoordinateRule(ColumnRule):
    """One coordinate column: a number, in Seoul's range for its axis. ``axis`` is
    'lat'/'lon' (WGS84) or 'x'/'y' (a TM system, checked in pairs by the checker)."""

    kind = "coordinate"

    def __init__(self, axis: str):
        self.axis = axis
        self.kind = {"lat": "latitude", "lon": "longitude", "x": "tm_x", "y": "tm_y"}[axis]

    def evaluate(self, text: str) -> Verdict:
        value = parse_number(text)
        if value is None:
            return Verdict(("coordinate_invalid",))
        if self.axis == "lat" and not LAT_MIN <= value <= LAT_MAX:
            return Verdict(("coordinate_outside_seoul",), parsed=value)
        if self.axis == "lon" and not LON_MIN <= value <= LON_MAX:
            return Verdict(("coordinate_outside_seoul",), parsed=value)
        return Verdict(parsed=value)


# Central-belt TM systems put Seoul at X ≈ 180–220 k; the 500 k false-northing systems at
# Y ≈ 430–470 k and EPSG:5186 at Y ≈ 530–570 k; UTM-K at X ≈ 935–975 k, Y ≈ 1 930–1 970 k.
_FAMILIES = (
    ("EPSG:2097", (170_000, 230_000), (425_000, 475_000)),
    ("EPSG:5186", (170_000, 230_000), (525_000, 575_000)),
    ("EPSG:5179", (925_000, 985_000), (1_925_000, 1_975_000)),
)


def detect_system(xs, ys, declared: str | None = None) -> tuple[str | None, bool, str]:
    """(EPSG code, swapped?, evidence) for TM pairs. The 500 k central-belt systems (2097,
    5174, 5181) differ by a few hundred metres, which values cannot tell apart; 2097 is
    assumed (the LOCALDATA convention) unless the spec declares another."""
    pairs = [(float(a), float(b)) for a, b in zip(xs, ys) if a is not None and b is not None]
    pairs = [(a, b) for a, b in pairs if isfinite(a) and isfinite(b)]
    if not pairs:
        return declared, False, "좌표값이 없어 좌표계를 판별하지 못함"
    if declared:
        return declared, False, f"명세에서 지정({declared})"
    n = len(pairs)
    best = (None, False, 0.0)
    for code, (x0, x1), (y0, y1) in _FAMILIES:
        for swapped in (False, True):
            if swapped:
                hits = sum(1 for b, a in pairs if x0 <= a <= x1 and y0 <= b <= y1)
            else:
                hits = sum(1 for a, b in pairs if x0 <= a <= x1 and y0 <= b <= y1)
            share = hits / n
            if share > best[2]:
                best = (code, swapped, share)
    code, swapped, share = best
    if code is None or share < 0.5:
        lonlat = sum(1 for a, b in pairs
                     if LON_MIN - 1 <= a <= LON_MAX + 1 and LAT_MIN - 1 <= b <= LAT_MAX + 1)
        if lonlat / n > 0.5:
            return "EPSG:4326", False, "값이 경위도 범위(도 단위)"
        return None, False, "알려진 좌표계 범위에 맞지 않음"
    note = f"값의 {share:.0%}가 {code} 계열 서울 범위"
    if code == "EPSG:2097":
        note += " (EPSG:5174/5181과는 수백 m 차이라 값만으로 구분 불가, LOCALDATA 관례로 2097)"
    if swapped:
        note += "; 대부분 X/Y가 뒤바뀜"
    return code, swapped, note


def _inside_bbox(lon: float, lat: float) -> bool:
    return LON_MIN <= lon <= LON_MAX and LAT_MIN <= lat <= LAT_MAX


def _box_side(x: float, y: float, boxes) -> bool | None:
    """True: converts to a point inside Seoul's box; False: outside; None: pyproj decides."""
    (ix0, iy0, ix1, iy1), (ox0, oy0, ox1, oy1) = boxes
    if ix0 <= x <= ix1 and iy0 <= y <= iy1:
        return True
    if x < ox0 or x > ox1 or y < oy0 or y > oy1:
        return False
    return None


def pair_verdicts(xs: list[float | None], ys: list[float | None], system: str) -> list[str | None]:
    """For each (x, y) pair in ``system``: None when inside Seoul, else the rule it breaks."""
    n = len(xs)
    out: list[str | None] = [None] * n
    ok = [i for i, (a, b) in enumerate(zip(xs, ys))
          if a is not None and b is not None and isfinite(a) and isfinite(b)]
    if not ok:
        return out
    if system == "EPSG:4326":
        for i in ok:
            if not _inside_bbox(xs[i], ys[i]):
                out[i] = ("coordinate_swapped" if _inside_bbox(ys[i], xs[i])
                          else "coordinate_outside_seoul")
        return out
    boxes = _TM_BOXES.get(system)
    inside: dict[int, bool | None] = {}
    swapped: dict[int, bool | None] = {}
    for i in ok:
        side = _box_side(xs[i], ys[i], boxes) if boxes else None
        inside[i] = side
        if side is not True:
            swapped[i] = _box_side(ys[i], xs[i], boxes) if boxes else None
    todo = [i for i in ok if inside[i] is None or (inside[i] is False and swapped[i] is None)]
    if todo:
        from seoul_digital.common import crs  # pyproj only for pairs near the box's edge

        x = [float(xs[i]) for i in todo]
        y = [float(ys[i]) for i in todo]
        lon, lat = crs.to_wgs84(x, y, system)
        lon_s, lat_s = crs.to_wgs84(y, x, system)
        for k, i in enumerate(todo):
            inside[i] = _inside_bbox(float(lon[k]), float(lat[k]))
            swapped[i] = _inside_bbox(float(lon_s[k]), float(lat_s[k]))
    for i in ok:
        if not inside[i]:
            out[i] = "coordinate_swapped" if swapped[i] else "coordinate_outside_seoul"
    return out
