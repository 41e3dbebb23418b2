"""WGS84 ⇄ the Korean TM systems that Seoul data arrives in.

EPSG:5179 (UTM-K, GRS80) is the platform's metric working system. Older files use
EPSG:2097 / 5174 (Bessel, Korean 1985 central belt), newer ones EPSG:5181 / 5186 (GRS80
central belt with false northing 500 000 / 600 000). Transformers are cached because
building one costs milliseconds and engines convert millions of points.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = [
    "WGS84",
    "UTMK",
    "TM_SYSTEMS",
    "SEOUL_BBOX_WGS84",
    "transformer",
    "to_wgs84",
    "from_wgs84",
    "inside_seoul_bbox",
    "guess_tm_system",
]

WGS84 = "EPSG:4326"
UTMK = "EPSG:5179"
TM_SYSTEMS = ("EPSG:5174", "EPSG:2097", "EPSG:5181", "EPSG:5186", "EPSG:5179")

# lon_min, lat_min, lon_max, lat_max: Seoul's administrative extent with a small margin.
SEOUL_BBOX_WGS84 = (126.76, 37.41, 127.19, 37.72)


@lru_cache(maxsize=32)
def transformer(src: str, dst: str):
    from pyproj import Transformer

    return Transformer.from_crs(src, dst, always_xy=True)


def to_wgs84(x, y, src: str):
    """(x, y) in ``src`` → (lon, lat). Accepts scalars or arrays."""
    return transformer(src, WGS84).transform(x, y)


def from_wgs84(lon, lat, dst: str = UTMK):
    """(lon, lat) → (x, y) in ``dst`` (UTM-K by default)."""
    return transformer(WGS84, dst).transform(lon, lat)


def inside_seoul_bbox(lon, lat) -> np.ndarray:
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    lo_min, la_min, lo_max, la_max = SEOUL_BBOX_WGS84
    return (lon >= lo_min) & (lon <= lo_max) & (lat >= la_min) & (lat <= la_max)


def guess_tm_system(x, y) -> str | None:
    """Which Korean TM system puts these points inside Seoul, if any.

    Tries each system and keeps the one with the most points inside Seoul's bounding box;
    returns None when no system places a majority inside. Swapped X/Y is the caller's
    business (try ``guess_tm_system(y, x)``).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    best, best_share = None, 0.5
    for system in TM_SYSTEMS:
        lon, lat = to_wgs84(x[ok], y[ok], system)
        share = float(inside_seoul_bbox(lon, lat).mean())
        if share > best_share:
            best, best_share = system, share
    return best
