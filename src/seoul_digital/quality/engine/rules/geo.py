"""Coordinates: WGS84 latitude/longitude inside Seoul, Korean TM systems recognised from
their ranges, swapped X/Y."""

from __future__ import annotations

import numpy as np

from seoul_digital.common import crs
from seoul_digital.quality.engine.rules.base import ColumnRule, Verdict
from seoul_digital.quality.engine.rules.numbers import parse_number

__all__ = ["CoordinateRule", "detect_system", "SYSTEM_NAMES", "pair_verdicts"]

LON_MIN, LAT_MIN, LON_MAX, LAT_MAX = crs.SEOUL_BBOX_WGS84

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
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if not len(x):
        return declared, False, "좌표값이 없어 좌표계를 판별하지 못함"
    if declared:
        return declared, False, f"명세에서 지정({declared})"
    best = (None, False, 0.0)
    for code, (x0, x1), (y0, y1) in _FAMILIES:
        for swapped in (False, True):
            a, b = (y, x) if swapped else (x, y)
            share = float(((a >= x0) & (a <= x1) & (b >= y0) & (b <= y1)).mean())
            if share > best[2]:
                best = (code, swapped, share)
    code, swapped, share = best
    if code is None or share < 0.5:
        if ((x >= LON_MIN - 1) & (x <= LON_MAX + 1) & (y >= LAT_MIN - 1) & (y <= LAT_MAX + 1)).mean() > 0.5:
            return "EPSG:4326", False, "값이 경위도 범위(도 단위)"
        return None, False, "알려진 좌표계 범위에 맞지 않음"
    note = f"값의 {share:.0%}가 {code} 계열 서울 범위"
    if code == "EPSG:2097":
        note += " (EPSG:5174/5181과는 수백 m 차이라 값만으로 구분 불가, LOCALDATA 관례로 2097)"
    if swapped:
        note += "; 대부분 X/Y가 뒤바뀜"
    return code, swapped, note


def pair_verdicts(xs: list[float | None], ys: list[float | None], system: str) -> list[str | None]:
    """For each (x, y) pair in ``system``: None when inside Seoul, else the rule it breaks."""
    n = len(xs)
    x = np.array([v if v is not None else np.nan for v in xs], dtype=float)
    y = np.array([v if v is not None else np.nan for v in ys], dtype=float)
    out: list[str | None] = [None] * n
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return out
    if system == "EPSG:4326":
        lon, lat = x, y
        lon_s, lat_s = y, x
    else:
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
        lon[ok], lat[ok] = crs.to_wgs84(x[ok], y[ok], system)
        lon_s = np.full(n, np.nan)
        lat_s = np.full(n, np.nan)
        lon_s[ok], lat_s[ok] = crs.to_wgs84(y[ok], x[ok], system)
    inside = crs.inside_seoul_bbox(lon, lat)
    inside_swapped = crs.inside_seoul_bbox(lon_s, lat_s)
    for i in np.flatnonzero(ok & ~inside):
        out[i] = "coordinate_swapped" if inside_swapped[i] else "coordinate_outside_seoul"
    return out
