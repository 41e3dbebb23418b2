"""Maximal covering (MCLP) and set covering (LSCP) with existing cameras fixed, solved exactly
by HiGHS on sparse coverage sets.

Shapes follow PySAL spopt (``MCLP.from_...(...)`` constructors, ``.solve()`` returning the
model) so results can be compared one to one (bench/siting_vs_spopt.py), but nothing is dense:

* coverage sets come from a KD-tree (``cKDTree.query_ball_point``): the demand × candidate
  matrix is built only where the distance is within the radius (a few entries per row instead
  of n × m);
* existing cameras are fixed by removing the demand they already cover (with their own
  radius, 50 m fixed / 100 m PTZ) — the same optimum as forcing their columns to 1, with
  fewer rows;
* demand without weight, and candidates that cover no remaining demand, are dropped before the
  model is built;
* the MIP is passed to HiGHS in one call as a column-wise sparse matrix (no modelling layer),
  warm-started with the greedy solution.

MCLP (Church & ReVelle 1974; Murray et al. 2007 for surveillance cameras)::

    max Σ_i w_i y_i   s.t.  y_i ≤ Σ_{j ∈ N_i} x_j,   Σ_j x_j ≤ p,   x ∈ {0,1}, 0 ≤ y ≤ 1

LSCP for a coverage target (share τ of all demand, counting what existing cameras cover)::

    min Σ_j x_j       s.t.  y_i ≤ Σ_{j ∈ N_i} x_j,   Σ_i w_i y_i ≥ τ·W − W_existing
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from seoul_digital.siting.engine.errors import SitingInputError

__all__ = ["coverage_matrix", "covered_by", "CoverageModel", "MCLP", "LSCP", "greedy_curve",
           "knee_point"]


def coverage_matrix(demand_xy: np.ndarray, candidate_xy: np.ndarray, radius: float) -> sparse.csr_matrix:
    """Boolean CSR (n_demand × n_candidates): candidate j within ``radius`` of demand i."""
    from scipy.spatial import cKDTree

    n, m = len(demand_xy), len(candidate_xy)
    if n == 0 or m == 0:
        return sparse.csr_matrix((n, m), dtype=bool)
    tree = cKDTree(candidate_xy)
    hits = tree.query_ball_point(demand_xy, radius + 1e-9)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=n)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(indices.size, dtype=bool)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, m))


def covered_by(demand_xy: np.ndarray, site_xy: np.ndarray, radius) -> np.ndarray:
    """Boolean per demand point: within ``radius`` (scalar or per site) of any site."""
    from scipy.spatial import cKDTree

    out = np.zeros(len(demand_xy), bool)
    if len(site_xy) == 0 or len(demand_xy) == 0:
        return out
    tree = cKDTree(demand_xy)
    radii = np.broadcast_to(np.asarray(radius, float), (len(site_xy),))
    for r in np.unique(radii):
        sel = radii == r
        for hits in tree.query_ball_point(site_xy[sel], r + 1e-9):
            out[hits] = True
    return out


@dataclass
class CoverageModel:
    """What MCLP and LSCP share: the reduced coverage sets."""

    weights: np.ndarray  # all demand points
    coverage: sparse.csr_matrix  # all demand × all candidates
    covered_existing: np.ndarray  # bool per demand point
    name: str = "model"
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    status: str = "not solved"
    gap: float | None = None
    selected: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    objective: float = 0.0
    notes: list[str] = field(default_factory=list)

    def _reduce(self, dominance: bool = True):
        """(rows, cols, matrix, row weights): live demand (weight > 0, not covered by an
        existing camera, reachable) × useful candidates (covering some live demand), with

        * dominated candidates removed (N_j ⊂ N_k: k covers everything j does, so an optimum
          never needs j; of identical sets the first is kept), and
        * demand points with identical candidate sets merged (weights summed).

        Both keep every optimum's objective; ``rows`` maps merged rows to one original point
        (for reporting only)."""
        w = np.asarray(self.weights, float)
        live = (~self.covered_existing) & (w > 0)
        rows = np.flatnonzero(live)
        sub = self.coverage[rows]
        has_cand = np.diff(sub.indptr) > 0
        rows = rows[has_cand]
        sub = sub[has_cand]
        cols = np.unique(sub.indices)
        sub = sub[:, cols].tocsc()
        rw = w[rows]
        if not dominance or sub.shape[1] < 2:
            return rows, cols, sub, rw
        a = sub.astype(np.int32)
        size = np.diff(a.indptr)
        pair = (a.T @ a).tocoo()
        subset = (pair.row != pair.col) & (pair.data == size[pair.row])
        equal = subset & (size[pair.row] == size[pair.col])
        drop = np.zeros(a.shape[1], bool)
        drop[pair.row[subset & ~equal]] = True
        drop[pair.row[equal & (pair.row > pair.col)]] = True
        keep = np.flatnonzero(~drop)
        cols = cols[keep]
        sub = sub[:, keep].tocsr()
        sub.sort_indices()
        # merge rows with identical candidate sets
        keys = [sub.indices[sub.indptr[i]:sub.indptr[i + 1]].tobytes() for i in range(sub.shape[0])]
        _u, first, inverse = np.unique(np.array(keys, dtype=object), return_index=True,
                                       return_inverse=True)
        merged_w = np.bincount(inverse, weights=rw)
        sub = sub[first]
        return rows[first], cols, sub.tocsc(), merged_w

    @property
    def total_demand(self) -> float:
        return float(np.sum(self.weights))

    @property
    def existing_demand(self) -> float:
        return float(np.sum(np.asarray(self.weights)[self.covered_existing]))

    @property
    def coverable_demand(self) -> float:
        """Demand that existing cameras plus every candidate could cover."""
        reach = np.diff(self.coverage.indptr) > 0
        return float(np.sum(np.asarray(self.weights)[reach | self.covered_existing]))

    def covered_after(self, selected: np.ndarray | None = None) -> np.ndarray:
        sel = self.selected if selected is None else selected
        cov = self.covered_existing.copy()
        if len(sel):
            cov |= np.asarray(self.coverage[:, sel].sum(axis=1)).ravel() > 0
        return cov

    @property
    def coverage_before(self) -> float:
        total = self.total_demand
        return self.existing_demand / total if total else 0.0

    @property
    def coverage_after(self) -> float:
        total = self.total_demand
        return float(np.sum(np.asarray(self.weights)[self.covered_after()])) / total if total else 0.0

    @property
    def fac2cli(self) -> list[np.ndarray]:
        """Newly covered demand points of each selected candidate (spopt's name)."""
        out = []
        csc = self.coverage.tocsc()
        for j in self.selected:
            cli = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
            out.append(cli[~self.covered_existing[cli]])
        return out


_BANNER_SHOWN = False
IPM_COLUMNS = 12000  # LP relaxations with more candidates than this use interior point


def _new_highs():
    """A Highs instance; the first one of a process prints a banner on C stdout, which would
    corrupt ``--json`` output, so that one is built with stdout pointed at stderr."""
    global _BANNER_SHOWN
    import highspy

    if _BANNER_SHOWN:
        return highspy.Highs()
    import ctypes
    import os
    import sys

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (some test runners): nothing to protect
        _BANNER_SHOWN = True
        return highspy.Highs()
    try:
        os.dup2(2, 1)
        h = highspy.Highs()
        try:
            ctypes.CDLL(None).fflush(None)
        except (OSError, AttributeError):
            pass
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        _BANNER_SHOWN = True
    return h


def _highs(time_limit: float, gap: float, threads: int | None = None):
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    if threads:
        h.setOptionValue("threads", int(threads))
    return h


def _pass_covering_model(h, sub_csc: sparse.csc_matrix, w: np.ndarray, *, maximise: bool,
                         p: int | None = None, target: float | None = None):
    """Columns: x_j (binary, m) then y_i (continuous, n). Rows: n coverage rows
    (y_i − Σ x_j ≤ 0) then one side row (Σ x_j ≤ p, or Σ w_i y_i ≥ target)."""
    import highspy

    n, m = sub_csc.shape
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = m + n
    lp.num_row_ = n + 1
    if maximise:
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.concatenate([np.zeros(m), w])
    else:
        lp.sense_ = highspy.ObjSense.kMinimize
        lp.col_cost_ = np.concatenate([np.ones(m), np.zeros(n)])
    lp.col_lower_ = np.zeros(m + n)
    lp.col_upper_ = np.ones(m + n)
    lp.row_lower_ = np.concatenate([np.full(n, -inf), [-inf if maximise else float(target)]])
    lp.row_upper_ = np.concatenate([np.zeros(n), [float(p) if maximise else inf]])
    # x_j column: −1 in each row it covers, +1 in the side row when maximising.
    x_idx = sub_csc.indices.astype(np.int32)
    x_start = sub_csc.indptr.astype(np.int64)
    counts = np.diff(x_start)
    if maximise:
        x_rows = np.split(x_idx, x_start[1:-1])
        idx_x = np.concatenate([np.append(r, n) for r in x_rows]) if m else np.zeros(0, np.int32)
        val_x = np.concatenate([np.append(-np.ones(c), 1.0) for c in counts]) if m else np.zeros(0)
        start_x = np.concatenate([[0], np.cumsum(counts + 1)])
        idx_y = np.arange(n)
        val_y = np.ones(n)
        start_y = start_x[-1] + np.arange(1, n + 1)
    else:
        idx_x = x_idx
        val_x = -np.ones(x_idx.size)
        start_x = x_start
        idx_y = np.column_stack([np.arange(n), np.full(n, n)]).ravel()
        val_y = np.column_stack([np.ones(n), w]).ravel()
        start_y = start_x[-1] + 2 * np.arange(1, n + 1)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([start_x, start_y]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate([idx_x, idx_y]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([val_x, val_y]).astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [highspy.HighsVarType.kContinuous] * n
    h.passModel(lp)


def _status_text(h) -> tuple[str, float | None]:
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", gap
    if status == highspy.HighsModelStatus.kTimeLimit:
        return "time_limit", gap
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", gap
    return h.modelStatusToString(status), gap


def greedy_curve(coverage: sparse.csr_matrix, weights: np.ndarray, covered_existing: np.ndarray,
                 max_sites: int, stop_share: float = 1.0):
    """Greedy order of candidates and the cumulative new demand after each pick.

    Stops at ``max_sites`` or when ``stop_share`` of the coverable new demand is covered.
    Returns (order, cumulative) with cumulative[0] = 0.
    """
    w = np.where(covered_existing, 0.0, np.asarray(weights, float))
    csc = coverage.tocsc().astype(float)
    csr = coverage.tocsr().astype(float)
    gains = np.asarray(csc.T @ w).ravel() if csc.shape[1] else np.zeros(0)
    uncovered = ~covered_existing.copy()
    reach_total = float(w[np.diff(csr.indptr) > 0].sum())
    order, cumulative = [], [0.0]
    for _ in range(max_sites):
        if gains.size == 0:
            break
        j = int(np.argmax(gains))
        if gains[j] <= 1e-12:
            break
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        new = rows[uncovered[rows]]
        order.append(j)
        cumulative.append(cumulative[-1] + float(w[new].sum()))
        uncovered[new] = False
        if new.size:
            # every candidate covering a newly covered point loses that point's weight
            sub = csr[new]
            np.subtract.at(gains, sub.indices, np.repeat(w[new], np.diff(sub.indptr)))
            gains[j] = 0.0
        if reach_total > 0 and cumulative[-1] >= stop_share * reach_total - 1e-9:
            break
    return np.array(order, dtype=int), np.array(cumulative)


def knee_point(cumulative: np.ndarray) -> int:
    """Kneedle knee of a concave increasing curve cumulative[0..P]: the count where the
    normalised curve lies farthest above the chord from (0, 0) to (P, max)."""
    p = len(cumulative) - 1
    if p <= 1 or cumulative[-1] <= 0:
        return max(p, 0)
    x = np.arange(p + 1) / p
    y = cumulative / cumulative[-1]
    return int(np.argmax(y - x))


class MCLP(CoverageModel):
    """Maximal covering with ``p`` new sites; existing cameras fixed."""

    p: int = 0

    @classmethod
    def from_coverage(cls, coverage: sparse.csr_matrix, weights: np.ndarray, p: int,
                      covered_existing: np.ndarray | None = None, name: str = "mclp") -> "MCLP":
        if p < 0:
            raise SitingInputError(f"설치 개수 {p}은(는) 0 이상이어야 합니다.")
        n = coverage.shape[0]
        model = cls(weights=np.asarray(weights, float), coverage=coverage.tocsr(),
                    covered_existing=np.zeros(n, bool) if covered_existing is None
                    else np.asarray(covered_existing, bool), name=name)
        model.p = int(p)
        return model

    @classmethod
    def from_points(cls, demand_xy, weights, candidate_xy, service_radius: float, p_facilities: int,
                    existing_xy=None, existing_radius=None, name: str = "mclp") -> "MCLP":
        """Build from coordinates (metres). ``existing_radius`` defaults to ``service_radius``."""
        start = time.perf_counter()
        demand_xy = np.asarray(demand_xy, float).reshape(-1, 2)
        candidate_xy = np.asarray(candidate_xy, float).reshape(-1, 2)
        if service_radius <= 0:
            raise SitingInputError(f"감시 반경 {service_radius} m는 0보다 커야 합니다.")
        cov = coverage_matrix(demand_xy, candidate_xy, service_radius)
        existing = np.zeros(len(demand_xy), bool)
        if existing_xy is not None and len(existing_xy):
            existing = covered_by(demand_xy, np.asarray(existing_xy, float).reshape(-1, 2),
                                  service_radius if existing_radius is None else existing_radius)
        model = cls.from_coverage(cov, weights, p_facilities, existing, name)
        model.build_seconds = time.perf_counter() - start
        return model

    def solve(self, time_limit: float = 120.0, mip_gap: float = 1e-6, warm_start: bool = True,
              threads: int | None = None) -> "MCLP":
        start = time.perf_counter()
        rows, cols, sub, w = self._reduce()
        if self.p == 0 or len(cols) == 0:
            self.selected = np.zeros(0, int)
            self.objective, self.status, self.gap = 0.0, "optimal", 0.0
        elif self.p >= len(cols):
            self.selected = cols.copy()
            self.objective, self.status, self.gap = float(w.sum()), "optimal", 0.0
            self.notes.append(f"후보지 {len(cols)}곳이 모두 선택되었습니다 (요청 {self.p}곳).")
        else:
            self.has_existing = bool(self.covered_existing.any())
            x = _solve_mclp_exact(sub, w, self.p, time_limit, mip_gap, threads, warm_start, self)
            self.selected = cols[x > 0.5]
            covered = np.asarray(sub[:, np.flatnonzero(x > 0.5)].sum(axis=1)).ravel() > 0
            self.objective = float(w[covered].sum())
        self.solve_seconds = time.perf_counter() - start
        return self


def _covered_weight(sub_csc: sparse.csc_matrix, w: np.ndarray, chosen: np.ndarray) -> float:
    if chosen.size == 0:
        return 0.0
    return float(w[np.asarray(sub_csc[:, chosen].sum(axis=1)).ravel() > 0].sum())


def _solve_mclp_exact(sub: sparse.csc_matrix, w: np.ndarray, p: int, time_limit: float,
                      mip_gap: float, threads: int | None, warm_start: bool, model) -> np.ndarray:
    """Exact MCLP: LP relaxation first, reduced-cost fixing, then the MIP on what is left.

    1. Solve the LP relaxation (simplex: a vertex, with reduced costs). Its value UB bounds
       every integer solution; if its x is already 0/1 it is optimal.
    2. A lower bound LB from the better of the greedy solution and the LP rounded to its p
       largest x.
    3. Reduced-cost fixing: a candidate at 0 in the LP with reduced cost d can only be 1 in a
       solution worth at most UB − |d|; if that is below LB it is 0 in every optimum (likewise
       at 1). On these instances the LP is nearly integral and almost every candidate is
       fixed, so the MIP that HiGHS then solves (with the LB solution as start) is small.
    Returns the 0/1 vector over ``sub``'s columns; sets ``model.status``/``gap``/``notes``.
    """
    import highspy

    n, m = sub.shape
    order, _cum = greedy_curve(sub.tocsr(), w, np.zeros(n, bool), p)
    h = _highs(time_limit, mip_gap, threads)
    _pass_covering_model(h, sub, w, maximise=True, p=p)
    idx = np.arange(m, dtype=np.int32)
    h.changeColsIntegrality(m, idx, np.array([highspy.HighsVarType.kContinuous] * m))
    # Large LPs of districts without located cameras solve faster by interior point +
    # crossover (노원구 2.4 s vs 7.6 s, 송파구 3.4 s vs 4.6 s); with existing coverage simplex
    # wins (서초구 1.8 s vs 4.3 s, 관악구 0.6 s vs 1.5 s). Both end on a vertex with duals.
    use_ipm = m > IPM_COLUMNS and not getattr(model, "has_existing", True)
    h.setOptionValue("solver", "ipm" if use_ipm else "simplex")
    h.setOptionValue("run_crossover", "on")
    t_phase = time.perf_counter()
    h.run()
    model.phase_seconds = {"lp": time.perf_counter() - t_phase}
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SitingInputError(f"최적화가 실패했습니다 (LP: {h.modelStatusToString(h.getModelStatus())}).")
    sol = h.getSolution()
    x_lp = np.asarray(sol.col_value[:m])
    d = np.abs(np.asarray(sol.col_dual[:m]))
    ub = float(h.getInfo().objective_function_value)
    integral = np.all((x_lp < 1e-9) | (x_lp > 1 - 1e-9))
    if integral:
        model.status, model.gap = "optimal", 0.0
        model.lp_integral = True
        return (x_lp > 0.5).astype(float)
    # Lower bound: keep the LP's integral values, let HiGHS choose among the fractional ones
    # (a small MIP), and compare with greedy.
    frac = (x_lp > 1e-9) & (x_lp < 1 - 1e-9)
    h.setOptionValue("solver", "choose")
    h.changeColsIntegrality(m, idx, np.array([highspy.HighsVarType.kInteger] * m))
    h.changeColsBounds(m, idx, np.where(frac, 0.0, np.round(x_lp)), np.where(frac, 1.0, np.round(x_lp)))
    t_phase = time.perf_counter()
    h.run()
    model.phase_seconds["restricted_mip"] = time.perf_counter() - t_phase
    restricted = np.zeros(0, int)
    if h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        xr = np.asarray(h.getSolution().col_value[:m])
        if np.isfinite(xr).all():
            restricted = np.flatnonzero(xr > 0.5)
    lb_greedy = _covered_weight(sub, w, order)
    lb_restricted = _covered_weight(sub, w, restricted) if len(restricted) <= p else -1.0
    start_cols = order if lb_greedy >= lb_restricted else restricted
    lb = max(lb_greedy, lb_restricted)
    tol = 1e-7 * max(1.0, abs(lb))
    fix0 = (x_lp < 1e-9) & (ub - d < lb - tol)
    fix1 = (x_lp > 1 - 1e-9) & (ub - d < lb - tol)
    lower = np.where(fix1, 1.0, 0.0)
    upper = np.where(fix0, 0.0, 1.0)
    h.changeColsBounds(m, idx, lower, upper)
    model.fixed = int(fix0.sum() + fix1.sum())
    model.bounds = (round(lb, 6), round(ub, 6))
    if warm_start:
        x0 = np.zeros(m)
        x0[start_cols] = 1.0
        y0 = (np.asarray(sub[:, start_cols].sum(axis=1)).ravel() > 0).astype(float)
        start = highspy.HighsSolution()
        start.col_value = list(np.concatenate([x0, y0]))
        start.value_valid = True
        h.setSolution(start)
    # HiGHS's MIP presolve makes the root LP of these covering models several times slower
    # (measured: 25 s vs 6.5 s on 관악구); the LP above already did the useful reductions.
    h.setOptionValue("presolve", "off")
    t_phase = time.perf_counter()
    h.run()
    model.phase_seconds["mip"] = time.perf_counter() - t_phase
    model.status, model.gap = _status_text(h)
    if model.status not in ("optimal", "time_limit"):
        raise SitingInputError(f"최적화가 실패했습니다 ({model.status}).")
    return np.asarray(h.getSolution().col_value[:m])


def _set_start(h, order: np.ndarray, sub: sparse.csc_matrix, m: int, n: int) -> None:
    import highspy

    if order.size == 0:
        return
    x = np.zeros(m)
    x[order] = 1.0
    y = (np.asarray(sub[:, order].sum(axis=1)).ravel() > 0).astype(float)
    sol = highspy.HighsSolution()
    sol.col_value = list(np.concatenate([x, y]))
    sol.value_valid = True
    h.setSolution(sol)


class LSCP(CoverageModel):
    """Fewest new sites so that existing + new cameras cover ``target`` of all demand."""

    target: float = 1.0

    @classmethod
    def from_coverage(cls, coverage: sparse.csr_matrix, weights: np.ndarray, target: float,
                      covered_existing: np.ndarray | None = None, name: str = "lscp") -> "LSCP":
        if not (0 < target <= 1):
            raise SitingInputError(f"목표 커버율 {target}은(는) 0보다 크고 1 이하여야 합니다 (예: 0.9).")
        n = coverage.shape[0]
        model = cls(weights=np.asarray(weights, float), coverage=coverage.tocsr(),
                    covered_existing=np.zeros(n, bool) if covered_existing is None
                    else np.asarray(covered_existing, bool), name=name)
        model.target = float(target)
        return model

    @classmethod
    def from_points(cls, demand_xy, weights, candidate_xy, service_radius: float, target: float,
                    existing_xy=None, existing_radius=None, name: str = "lscp") -> "LSCP":
        start = time.perf_counter()
        demand_xy = np.asarray(demand_xy, float).reshape(-1, 2)
        cov = coverage_matrix(demand_xy, np.asarray(candidate_xy, float).reshape(-1, 2), service_radius)
        existing = np.zeros(len(demand_xy), bool)
        if existing_xy is not None and len(existing_xy):
            existing = covered_by(demand_xy, np.asarray(existing_xy, float).reshape(-1, 2),
                                  service_radius if existing_radius is None else existing_radius)
        model = cls.from_coverage(cov, weights, target, existing, name)
        model.build_seconds = time.perf_counter() - start
        return model

    def solve(self, time_limit: float = 120.0, mip_gap: float = 1e-6, threads: int | None = None,
              max_sites: int | None = None) -> "LSCP":
        start = time.perf_counter()
        total = self.total_demand
        need = self.target * total - self.existing_demand
        if need <= 1e-9:
            self.selected = np.zeros(0, int)
            self.status, self.objective, self.gap = "optimal", 0.0, 0.0
            self.notes.append(f"기존 CCTV가 이미 수요의 {self.coverage_before:.1%}를 감시해 목표 "
                              f"{self.target:.0%}를 넘습니다. 새로 설치할 곳이 없습니다.")
            self.solve_seconds = time.perf_counter() - start
            return self
        reachable = self.coverable_demand / total if total else 0.0
        if self.target > reachable + 1e-9:
            raise SitingInputError(
                f"목표 커버율 {self.target:.0%}는 달성할 수 없습니다: 기존 CCTV({self.coverage_before:.1%})와 "
                f"모든 후보지를 합쳐도 수요의 {reachable:.1%}까지만 감시 반경 안에 들어옵니다. "
                f"목표를 낮추거나 반경을 넓히세요.")
        rows, cols, sub, w = self._reduce()
        order, cum = greedy_curve(sub.tocsr(), w, np.zeros(len(rows), bool), len(cols))
        greedy_p = int(np.searchsorted(cum, need - 1e-9))
        if max_sites is not None and greedy_p > max_sites * 4:
            raise SitingInputError(
                f"목표 {self.target:.0%}에는 새 카메라가 {greedy_p}곳쯤 필요합니다(상한 {max_sites}곳). "
                f"목표를 낮추거나 예산·개수로 지정하세요.")
        h = _highs(time_limit, mip_gap, threads)
        _pass_covering_model(h, sub, w, maximise=False, target=need)
        _set_start(h, order[:greedy_p], sub, len(cols), len(rows))
        h.run()
        self.status, self.gap = _status_text(h)
        if self.status == "infeasible":
            raise SitingInputError(f"목표 커버율 {self.target:.0%}는 달성할 수 없습니다 (최적화 결과: 불가능).")
        if self.status not in ("optimal", "time_limit"):
            raise SitingInputError(f"최적화가 실패했습니다 ({self.status}).")
        x = np.asarray(h.getSolution().col_value[: len(cols)])
        self.selected = cols[x > 0.5]
        self.objective = float(len(self.selected))
        self.solve_seconds = time.perf_counter() - start
        return self
