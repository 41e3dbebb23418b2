"""District reference points and the travel-time estimate used for matching.

Each district's reference point is its 구청 (district office), rounded to about 100 m; a
test checks every point lies inside its district's boundary where ../shared is present.
Travel time is an estimate, not a routed journey: straight-line distance × a detour
factor at door-to-door public-transport speed, plus a fixed wait. A person without an
exact point is placed at their district's reference point; two people at the same point
are taken to be ``INTRA_DISTRICT_KM`` apart (a trip within one district is never free).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seoul_digital.common.districts import ADJACENT, DISTRICTS

__all__ = [
    "DISTRICT_INDEX",
    "DISTRICT_NAMES",
    "REFERENCE_POINTS",
    "TravelModel",
    "adjacency_matrix",
    "district_index",
]

# (lat, lon) WGS84 of each district office.
REFERENCE_POINTS: dict[str, tuple[float, float]] = {
    "종로구": (37.5735, 126.9790), "중구": (37.5641, 126.9979), "용산구": (37.5324, 126.9906),
    "성동구": (37.5634, 127.0369), "광진구": (37.5385, 127.0823), "동대문구": (37.5744, 127.0396),
    "중랑구": (37.6063, 127.0925), "성북구": (37.5894, 127.0167), "강북구": (37.6396, 127.0257),
    "도봉구": (37.6688, 127.0471), "노원구": (37.6542, 127.0568), "은평구": (37.6027, 126.9291),
    "서대문구": (37.5791, 126.9368), "마포구": (37.5663, 126.9019), "양천구": (37.5170, 126.8665),
    "강서구": (37.5509, 126.8495), "구로구": (37.4954, 126.8874), "금천구": (37.4569, 126.8955),
    "영등포구": (37.5264, 126.8962), "동작구": (37.5124, 126.9393), "관악구": (37.4784, 126.9516),
    "서초구": (37.4837, 127.0324), "강남구": (37.5172, 127.0473), "송파구": (37.5145, 127.1059),
    "강동구": (37.5301, 127.1238),
}

DISTRICT_NAMES: tuple[str, ...] = tuple(d.name_ko for d in DISTRICTS)
DISTRICT_INDEX: dict[str, int] = {name: i for i, name in enumerate(DISTRICT_NAMES)}


def district_index(name: str) -> int:
    from seoul_digital.common.districts import resolve

    return DISTRICT_INDEX[resolve(name).name_ko]


def adjacency_matrix() -> np.ndarray:
    """25 × 25 booleans: True where two districts share a border."""
    n = len(DISTRICT_NAMES)
    matrix = np.zeros((n, n), dtype=bool)
    for a, neighbours in ADJACENT.items():
        for b in neighbours:
            matrix[DISTRICT_INDEX[a], DISTRICT_INDEX[b]] = True
    return matrix


EARTH_KM = 6371.0088


@dataclass(frozen=True)
class TravelModel:
    detour: float = 1.3          # street distance / straight-line distance
    minutes_per_km: float = 4.0  # ≈ 15 km/h door to door by bus and subway
    fixed_minutes: float = 10.0  # walking to the stop and waiting
    intra_district_km: float = 2.0

    def distance_km(self, lat1, lon1, lat2, lon2):
        """Straight-line km (haversine), vectorised; same points → ``intra_district_km``."""
        lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float))
                                  for v in (lat1, lon1, lat2, lon2))
        a = (np.sin((lat2 - lat1) / 2) ** 2
             + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
        return np.maximum(km, self.intra_district_km)

    def minutes(self, km):
        return self.fixed_minutes + np.asarray(km) * self.detour * self.minutes_per_km

    def route_km(self, km):
        return np.asarray(km) * self.detour


def point_of(district: str, point: tuple[float, float] | None) -> tuple[float, float]:
    if point is not None and not any(math.isnan(v) for v in point):
        return point
    return REFERENCE_POINTS[district]
