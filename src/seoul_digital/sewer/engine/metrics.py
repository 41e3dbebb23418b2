"""Multi-label metrics as the Sewer-ML benchmark defines them, plus threshold tuning.

* **F2-CIW**: per defect class F2 = 5·P·R / (4·P + R), averaged with the class-importance
  weights: sum(w_c · F2_c) / sum(w_c). As the issue asks, the average runs over the defect
  classes *present* in the evaluated set (classes with at least one positive frame); a
  class with no ground truth has no recall, and Sewer-ML (which always has all 17) would
  score it 0.
* **F1-Normal**: the implicit normal class: a frame is truly normal when it has no defect
  label, predicted normal when no defect score passes its threshold; F1 of that class.
* **defect_accuracy**: share of frames whose defect / no-defect call is right.
* Per class: precision, recall, F1 at the class threshold, and average precision (AP) as
  Sewer-ML computes it (precision at each true positive in score order, averaged).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from seoul_digital.sewer.engine import taxonomy

__all__ = ["average_precision", "evaluate_scores", "tune_thresholds", "f_beta"]


def f_beta(precision: float, recall: float, beta: float) -> float:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return float((1 + b2) * precision * recall / denominator) if denominator > 0 else 0.0


def average_precision(scores: np.ndarray, targets: np.ndarray) -> float | None:
    """Sewer-ML's AP: mean of precision@k over the ranks k of the positives."""
    positives = int(targets.sum())
    if positives == 0:
        return None
    order = np.argsort(-scores, kind="stable")
    hits = targets[order] > 0
    ranks = np.nonzero(hits)[0] + 1
    precision_at_hits = np.arange(1, positives + 1) / ranks
    return float(precision_at_hits.mean())


def _safe(n: float, d: float) -> float | None:
    return float(n / d) if d > 0 else None


def evaluate_scores(scores: np.ndarray, targets: np.ndarray, codes: Sequence[str],
                    thresholds: Sequence[float] | float = 0.5) -> dict:
    """Scores and targets are (frames × classes) for ``codes`` (context classes such as PJ
    may be among them; only defect codes count for F2-CIW and the normal class)."""
    scores = np.asarray(scores, dtype=np.float64)
    targets = (np.asarray(targets) > 0.5).astype(np.int64)
    if scores.shape != targets.shape:
        raise ValueError(f"scores {scores.shape} and targets {targets.shape} differ in shape")
    if np.isscalar(thresholds):
        thresholds = [float(thresholds)] * len(codes)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    predicted = scores >= thresholds[None, :]
    per_class, f2_terms, weights = {}, [], []
    for k, code in enumerate(codes):
        n_g = int(targets[:, k].sum())
        n_p = int(predicted[:, k].sum())
        n_c = int((predicted[:, k] & (targets[:, k] == 1)).sum())
        precision = _safe(n_c, n_p)
        recall = _safe(n_c, n_g)
        f1 = f_beta(precision or 0.0, recall or 0.0, 1.0) if n_g or n_p else None
        per_class[code] = {"precision": precision, "recall": recall, "f1": f1,
                           "ap": average_precision(scores[:, k], targets[:, k])}
        if taxonomy.is_defect(code) and n_g > 0:
            f2_terms.append(f_beta(precision or 0.0, recall or 0.0, 2.0))
            weights.append(taxonomy.BY_CODE[code].weight)
    defect_columns = [k for k, c in enumerate(codes) if taxonomy.is_defect(c)]
    true_defect = targets[:, defect_columns].any(axis=1)
    predicted_defect = predicted[:, defect_columns].any(axis=1)
    true_normal, predicted_normal = ~true_defect, ~predicted_defect
    n_g = int(true_normal.sum())
    n_p = int(predicted_normal.sum())
    n_c = int((true_normal & predicted_normal).sum())
    f1_normal = f_beta(_safe(n_c, n_p) or 0.0, _safe(n_c, n_g) or 0.0, 1.0) if n_g or n_p else None
    f2_ciw = float(np.dot(f2_terms, weights) / np.sum(weights)) if weights else None
    return {
        "f2_ciw": f2_ciw,
        "f1_normal": f1_normal,
        "defect_accuracy": float((true_defect == predicted_defect).mean()) if len(scores) else None,
        "per_class": per_class,
    }


def tune_thresholds(scores: np.ndarray, targets: np.ndarray, *, beta: float = 2.0,
                    grid: Sequence[float] | None = None, default: float = 0.5,
                    min_positives: int = 1) -> list[float]:
    """Per-class threshold maximising F-beta (F2: recall matters more, as in Sewer-ML) on a
    validation split. Classes without positives there keep ``default``."""
    grid = np.asarray(grid if grid is not None else np.round(np.arange(0.05, 0.951, 0.025), 3))
    targets = np.asarray(targets) > 0.5
    out = []
    for k in range(scores.shape[1]):
        if targets[:, k].sum() < min_positives:
            out.append(float(default))
            continue
        best, best_score = float(default), -1.0
        for threshold in grid:
            predicted = scores[:, k] >= threshold
            n_c = float((predicted & targets[:, k]).sum())
            precision = n_c / predicted.sum() if predicted.sum() else 0.0
            recall = n_c / targets[:, k].sum()
            score = f_beta(precision, recall, beta)
            if score > best_score + 1e-9:
                best, best_score = float(threshold), score
        out.append(best)
    return out
