"""Area type of each 행정동: residential / commercial / business / mixed.

Method (documented in docs/siting.md and the 매뉴얼):

1. For every 행정동 of Seoul with figures, three features from the 사업체현황 (establishments and
   workers by industry, 2016) and the 주민등록인구 (2016):

   * ``jobs_per_resident`` – log(1 + workers / residents): where people work vs. live;
   * ``commercial_share`` – share of establishments in retail, food & lodging, leisure and
     personal services (the night-time economy and street trade);
   * ``business_share`` – share of workers in IT, finance, professional, real estate, public
     administration and business-support services (office districts).

   Residential density was tried as a fourth feature and dropped: it pulled dense office
   districts such as 역삼1동 into "mixed" because many people also live there, which is not
   how a district officer reads the map.

2. The features are standardised (z-scores over Seoul) and grouped by k-means (k = 4,
   k-means++ with a fixed seed, best of 20 starts), Seoul-wide so that "commercial" means the
   same in every district.

3. Clusters are named from their centres, in this order: the lowest ``jobs_per_resident`` is
   **residential**; of the rest the highest ``jobs_per_resident + business_share`` (z) is
   **business**; of the rest the highest ``commercial_share`` is **commercial**; the last is
   **mixed**. With fewer than 8 행정동 (synthetic demos) the same rules are applied to fixed
   thresholds instead of clusters.

A 행정동 without establishment figures (renamed since 2016) is typed **mixed** and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from seoul_digital.common.districts import DISTRICTS

__all__ = ["AREA_TYPES", "AREA_TYPE_LABELS", "FEATURES", "AreaTypeModel", "fit_seoul",
           "dong_features", "classify", "kmeans"]

AREA_TYPES = ("residential", "commercial", "business", "mixed")
AREA_TYPE_LABELS = {"residential": "주거", "commercial": "상업", "business": "업무", "mixed": "혼합"}
FEATURES = ("jobs_per_resident", "commercial_share", "business_share")


def dong_features(stats: dict, est: dict) -> np.ndarray:
    """Feature matrix (n_dong × 3); rows with missing inputs are NaN."""
    pop = np.asarray(stats["population"], float)
    workers = np.asarray(est.get("workers", np.full(pop.shape, np.nan)), float)
    estab = np.asarray(est.get("establishments", np.full(pop.shape, np.nan)), float)
    com = np.asarray(est.get("commercial_establishments", np.full(pop.shape, np.nan)), float)
    bus = np.asarray(est.get("business_workers", np.full(pop.shape, np.nan)), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.column_stack([
            np.log1p(workers / np.maximum(pop, 1.0)),
            com / np.where(estab > 0, estab, np.nan),
            bus / np.where(workers > 0, workers, np.nan),
        ])
    return f


def kmeans(z: np.ndarray, k: int, seed: int = 0, restarts: int = 20, iterations: int = 100):
    """Plain k-means with k-means++ starts; returns (centres, labels, inertia)."""
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(restarts):
        centres = [z[rng.integers(len(z))]]
        for _c in range(1, k):
            d2 = np.min([((z - c) ** 2).sum(1) for c in centres], axis=0)
            probs = d2 / d2.sum() if d2.sum() > 0 else np.full(len(z), 1 / len(z))
            centres.append(z[rng.choice(len(z), p=probs)])
        centres = np.array(centres)
        for _it in range(iterations):
            labels = ((z[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
            new = np.array([z[labels == j].mean(0) if (labels == j).any() else centres[j]
                            for j in range(k)])
            if np.allclose(new, centres):
                break
            centres = new
        inertia = float(((z - centres[labels]) ** 2).sum())
        if best is None or inertia < best[2]:
            best = (centres, labels, inertia)
    return best


@dataclass
class AreaTypeModel:
    mean: np.ndarray
    std: np.ndarray
    centres: np.ndarray  # standardised, one row per cluster
    names: list[str]  # area type of each cluster
    n_dongs: int
    method: str  # "kmeans" or "rules"

    def predict(self, features: np.ndarray) -> list[str]:
        out = []
        for row in features:
            if not np.isfinite(row).all():
                out.append("mixed")
                continue
            if self.method == "rules":
                out.append(_rule_type(row))
                continue
            z = (row - self.mean) / self.std
            out.append(self.names[int(((self.centres - z) ** 2).sum(1).argmin())])
        return out

    def describe(self) -> list[dict]:
        """Cluster centres in original units, for the manual and the docs."""
        rows = []
        for name, c in zip(self.names, self.centres):
            orig = c * self.std + self.mean
            rows.append({"area_type": name, "label": AREA_TYPE_LABELS[name],
                         **{f: round(float(v), 3) for f, v in zip(FEATURES, orig)}})
        return rows


def _rule_type(row: np.ndarray) -> str:
    jobs, com, bus = row
    if jobs < np.log1p(0.5):
        return "residential"
    if jobs > np.log1p(2.0) and bus > 0.45:
        return "business"
    if com > 0.55:
        return "commercial"
    return "mixed"


def _name_clusters(centres_z: np.ndarray) -> list[str]:
    names: list[str | None] = [None] * len(centres_z)
    remaining = list(range(len(centres_z)))
    res = min(remaining, key=lambda j: centres_z[j, 0])
    names[res] = "residential"
    remaining.remove(res)
    bus = max(remaining, key=lambda j: centres_z[j, 0] + centres_z[j, 2])
    names[bus] = "business"
    remaining.remove(bus)
    com = max(remaining, key=lambda j: centres_z[j, 1])
    names[com] = "commercial"
    remaining.remove(com)
    for j in remaining:
        names[j] = "mixed"
    return names  # type: ignore[return-value]


def fit(features: np.ndarray, seed: int = 0) -> AreaTypeModel:
    ok = np.isfinite(features).all(1)
    f = features[ok]
    width = features.shape[1]
    mean = f.mean(0) if len(f) else np.zeros(width)
    std = f.std(0) if len(f) else np.ones(width)
    std = np.where(std > 0, std, 1.0)
    if len(f) < 8:
        return AreaTypeModel(mean, std, np.zeros((0, width)), [], int(len(f)), "rules")
    z = (f - mean) / std
    centres, _labels, _inertia = kmeans(z, 4, seed=seed)
    return AreaTypeModel(mean, std, centres, _name_clusters(centres), int(len(f)), "kmeans")


def fit_seoul(data_dir: str | Path) -> AreaTypeModel:
    root = Path(data_dir)
    from seoul_digital.siting.engine.layers import _signature

    return _fit_seoul(str(root.resolve()), _signature(root))


@lru_cache(maxsize=4)
def _fit_seoul(root_text: str, signature: tuple) -> AreaTypeModel:
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.layers import district_dongs

    rows = []
    for d in DISTRICTS:
        try:
            _c, _n, _w, _g, stats, est, _notes = district_dongs(root_text, d)
        except SitingInputError:
            continue
        rows.append(dong_features(stats, est))
    features = np.vstack(rows) if rows else np.zeros((0, len(FEATURES)))
    return fit(features)


def classify(data_dir: str | Path, stats: dict, est: dict) -> list[str]:
    """Area type of each 행정동 of one district, with the Seoul-wide model of ``data_dir``."""
    return fit_seoul(data_dir).predict(dong_features(stats, est))
