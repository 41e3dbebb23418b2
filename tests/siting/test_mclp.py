"""The optimiser against brute force on small instances, and its input checks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.mclp import (LSCP, MCLP, coverage_matrix, covered_by, greedy_curve,
                                              knee_point)


def _instance(seed: int, n: int = 40, m: int = 12):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 600, (n, 2))
    weights = rng.exponential(1.0, n)
    candidates = rng.uniform(0, 600, (m, 2))
    existing = rng.uniform(0, 600, (2, 2))
    return demand, weights, candidates, existing


def _brute_mclp(cov, w, existing_cov, p):
    best = 0.0
    for comb in itertools.combinations(range(cov.shape[1]), p):
        covered = existing_cov | cov[:, comb].any(axis=1)
        best = max(best, float(w[covered & ~existing_cov].sum()))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_mclp_matches_brute_force_with_existing_fixed(seed):
    demand, w, cand, existing = _instance(seed)
    radius = 130.0
    model = MCLP.from_points(demand, w, cand, radius, 3, existing_xy=existing).solve()
    cov = coverage_matrix(demand, cand, radius).toarray()
    existing_cov = covered_by(demand, existing, radius)
    assert model.status == "optimal"
    assert len(model.selected) <= 3
    assert model.objective == pytest.approx(_brute_mclp(cov, w, existing_cov, 3), rel=1e-9)
    # the objective counts only demand the existing cameras did not already cover
    newly = model.covered_after() & ~existing_cov
    assert model.objective == pytest.approx(float(w[newly].sum()))
    assert model.coverage_after >= model.coverage_before


def test_dominated_candidates_and_duplicate_rows_keep_the_optimum():
    demand, w, cand, _e = _instance(7, n=50, m=10)
    # duplicate every candidate: identical coverage sets must not change the answer
    doubled = np.vstack([cand, cand])
    a = MCLP.from_points(demand, w, cand, 150.0, 2).solve()
    b = MCLP.from_points(demand, w, doubled, 150.0, 2).solve()
    assert a.objective == pytest.approx(b.objective)


def test_p_larger_than_useful_candidates_selects_all_useful():
    demand, w, cand, _e = _instance(4, n=20, m=5)
    model = MCLP.from_points(demand, w, cand, 200.0, 50).solve()
    reach = coverage_matrix(demand, cand, 200.0).toarray().any(axis=1)
    assert model.objective == pytest.approx(float(w[reach].sum()))
    assert model.notes


def test_lscp_finds_the_fewest_sites():
    demand, w, cand, existing = _instance(5, n=30, m=10)
    radius = 160.0
    cov = coverage_matrix(demand, cand, radius).toarray()
    existing_cov = covered_by(demand, existing, radius)
    total = w.sum()
    target = 0.6
    model = LSCP.from_points(demand, w, cand, radius, target, existing_xy=existing).solve()
    got = len(model.selected)
    assert model.coverage_after >= target - 1e-9
    # no smaller set reaches the target
    for k in range(got):
        for comb in itertools.combinations(range(cov.shape[1]), k):
            covered = existing_cov | (cov[:, comb].any(axis=1) if k else False)
            assert w[covered].sum() < target * total - 1e-9


def test_lscp_infeasible_target_names_the_reachable_share():
    demand, w, cand, _e = _instance(6, n=30, m=3)
    with pytest.raises(SitingInputError, match="달성할 수 없습니다"):
        LSCP.from_points(demand, w, cand, 50.0, 0.99).solve()


def test_lscp_target_already_met_needs_no_site():
    demand, w, cand, _e = _instance(8, n=10, m=3)
    model = LSCP.from_points(demand, w, cand, 100.0, 0.5, existing_xy=demand).solve()
    assert len(model.selected) == 0 and model.notes


def test_bad_parameters_are_refused():
    demand, w, cand, _e = _instance(9)
    with pytest.raises(SitingInputError):
        MCLP.from_points(demand, w, cand, 0.0, 2)
    with pytest.raises(SitingInputError):
        MCLP.from_points(demand, w, cand, 50.0, -1)
    with pytest.raises(SitingInputError):
        LSCP.from_points(demand, w, cand, 50.0, 1.5)


def test_greedy_curve_is_monotone_and_knee_sits_at_the_bend():
    demand, w, cand, existing = _instance(10, n=200, m=60)
    cov = coverage_matrix(demand, cand, 120.0)
    order, cum = greedy_curve(cov, w, covered_by(demand, existing, 120.0), 60)
    assert np.all(np.diff(cum) >= -1e-12)
    assert len(set(order.tolist())) == len(order)
    # a curve that rises steeply for 10 steps then flattens has its knee near 10
    curve = np.concatenate([np.linspace(0, 90, 11), 90 + np.linspace(0, 10, 41)[1:]])
    assert 8 <= knee_point(curve) <= 12


def test_coverage_matrix_is_sparse_and_exact_at_the_radius():
    demand = np.array([[0.0, 0.0], [100.0, 0.0], [300.0, 0.0]])
    cand = np.array([[0.0, 0.0], [50.0, 0.0]])
    cov = coverage_matrix(demand, cand, 50.0).toarray()
    assert cov.tolist() == [[True, True], [False, True], [False, False]]


@pytest.mark.parametrize("seed", range(12))
def test_exact_on_lattice_instances_with_ties(seed):
    """Lattice points and integer weights make fractional LPs and ties: the LP-first path
    (reduced-cost fixing, restricted MIP) must still return the brute-force optimum."""
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(20, 50)), int(rng.integers(6, 12))
    demand = rng.integers(0, 8, (n, 2)) * 50.0
    w = rng.integers(1, 4, n).astype(float)
    cand = rng.integers(0, 8, (m, 2)) * 50.0
    p = int(rng.integers(1, 4))
    model = MCLP.from_points(demand, w, cand, 70.0, p).solve()
    cov = coverage_matrix(demand, cand, 70.0).toarray()
    best = max(w[cov[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(m), p))
    assert model.objective == pytest.approx(best)


@pytest.mark.parametrize("seed", range(6))
def test_interior_point_path_is_exact_too(seed, monkeypatch):
    from seoul_digital.siting.engine import mclp

    monkeypatch.setattr(mclp, "IPM_COLUMNS", 0)
    rng = np.random.default_rng(300 + seed)
    demand = rng.integers(0, 8, (40, 2)) * 50.0
    w = rng.integers(1, 4, 40).astype(float)
    cand = rng.integers(0, 8, (10, 2)) * 50.0
    model = MCLP.from_points(demand, w, cand, 70.0, 3).solve()  # no existing cameras: IPM
    assert not model.has_existing
    cov = coverage_matrix(demand, cand, 70.0).toarray()
    best = max(w[cov[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(10), 3))
    assert model.objective == pytest.approx(best)
