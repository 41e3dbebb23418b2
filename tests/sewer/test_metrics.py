import numpy as np
import pytest

from seoul_digital.sewer.engine import metrics, taxonomy


def _sewerml_reference(scores, targets, weights, threshold=0.5):
    """The Sewer-ML benchmark's own arithmetic (evaluation() in its metrics.py), reduced to
    F2-CIW, F1-Normal and AP, for comparison."""
    n_class = scores.shape[1]
    Nc, Np, Ng = np.zeros(n_class + 1), np.zeros(n_class + 1), np.zeros(n_class + 1)
    ap = np.zeros(n_class)
    for k in range(n_class):
        Ng[k] = (targets[:, k] == 1).sum()
        Np[k] = (scores[:, k] >= threshold).sum()
        Nc[k] = (targets[:, k] * (scores[:, k] >= threshold)).sum()
        order = np.argsort(scores[:, k])[::-1]
        pos, total, prec = 0, 0, 0.0
        for i in order:
            total += 1
            if targets[i, k] == 1:
                pos += 1
                prec += pos / total
            if pos == Ng[k]:
                break
        ap[k] = prec / pos if pos else 0
    pred_normal = 1 - (np.sum(scores >= threshold, axis=1) > 0)
    true_normal = 1 - (targets.sum(axis=1) > 0)
    Ng[-1], Np[-1], Nc[-1] = true_normal.sum(), pred_normal.sum(), (true_normal * pred_normal).sum()
    Np[Np == 0] = 1
    p, r = Nc / Np, Nc / Ng
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * p * r / (p + r)
        f2 = 5 * p * r / (4 * p + r)
    f1[np.isnan(f1)] = 0
    f2[np.isnan(f2)] = 0
    return float((f2[:-1] * weights).sum() / np.sum(weights)), float(f1[-1]), ap


def test_matches_the_sewer_ml_arithmetic_when_every_class_is_present():
    rng = np.random.default_rng(0)
    codes = list(taxonomy.DEFECT_CODES)
    targets = (rng.random((400, len(codes))) < 0.12).astype(int)
    targets[:len(codes)] = np.eye(len(codes), dtype=int)  # every class present
    scores = np.clip(targets * 0.55 + rng.random(targets.shape) * 0.6, 0, 1)
    ours = metrics.evaluate_scores(scores, targets, codes, 0.5)
    f2, f1_normal, ap = _sewerml_reference(scores, targets.copy(), np.array(taxonomy.weights_for(codes)))
    assert ours["f2_ciw"] == pytest.approx(f2)
    assert ours["f1_normal"] == pytest.approx(f1_normal)
    assert [ours["per_class"][c]["ap"] for c in codes] == pytest.approx(list(ap))
    assert set(ours) == {"f2_ciw", "f1_normal", "defect_accuracy", "per_class"}
    assert set(ours["per_class"]["CL"]) == {"precision", "recall", "f1", "ap"}


def test_hand_worked_example_with_context_class_and_absent_classes():
    codes = ["BK", "DS", "PJ"]  # PJ is context: it never makes a frame a defect
    targets = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [0, 0, 0]])
    scores = np.array([[0.9, 0.1, 0.1], [0.2, 0.1, 0.8], [0.1, 0.7, 0.1], [0.1, 0.6, 0.9], [0.1, 0.1, 0.1]])
    out = metrics.evaluate_scores(scores, targets, codes, [0.5, 0.5, 0.5])
    # BK: P=1, R=0.5 → F2 = 5·0.5/(4+0.5); DS: P=0.5, R=1 → F2 = 2.5/3
    f2_bk, f2_ds = 2.5 / 4.5, 2.5 / 3.0
    w_bk, w_ds = taxonomy.BY_CODE["BK"].weight, taxonomy.BY_CODE["DS"].weight
    assert out["f2_ciw"] == pytest.approx((f2_bk * w_bk + f2_ds * w_ds) / (w_bk + w_ds))
    # Normal: truly normal frames 3,4 (frame 3 has only PJ); predicted normal 1,4.
    assert out["f1_normal"] == pytest.approx(0.5)
    assert out["defect_accuracy"] == pytest.approx(3 / 5)
    assert out["per_class"]["PJ"]["recall"] == pytest.approx(1.0)


def test_classes_absent_from_the_set_do_not_enter_f2_ciw():
    codes = ["BK", "DS"]
    targets = np.array([[1, 0], [0, 0]])
    scores = np.array([[0.9, 0.9], [0.1, 0.1]])
    out = metrics.evaluate_scores(scores, targets, codes)
    assert out["f2_ciw"] == pytest.approx(1.0)
    assert out["per_class"]["DS"]["recall"] is None and out["per_class"]["DS"]["precision"] == 0.0


def test_tuned_thresholds_favour_recall():
    scores = np.array([[0.9], [0.6], [0.3], [0.2], [0.1]])
    targets = np.array([[1], [1], [1], [0], [0]])
    (threshold,) = metrics.tune_thresholds(scores, targets)
    assert 0.2 < threshold <= 0.3  # catching the third positive is worth a lower threshold under F2
    assert metrics.tune_thresholds(scores, np.zeros_like(targets)) == [0.5]
