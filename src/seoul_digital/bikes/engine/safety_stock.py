"""[min, target, max] per station from a time-varying birth–death model of the forecast.

For each station the stock moves −1 at each rental (rate λ_t) and +1 at each return (rate
μ_t) over the horizon. Users are dissatisfied when they want to rent at an empty station or
return at a full one (Raviv & Kolka 2013). Seoul docks are a soft capacity (bikes are also
locked to each other), so a return at stock ≥ docks costs ``overflow_penalty`` of a user and
only a return at the hard cap (``overflow × docks``) is refused outright.

``F_i(s)`` — expected dissatisfied users over the horizon from initial stock ``s`` — is
computed for every station and every ``s`` at once by one backward recursion over short
time steps (a uniformised discrete chain: per step at most one event, probabilities λΔt,
μΔt), vectorised over stations × stock levels. F is convex in s (Raviv & Kolka), so the
stocks within ``tolerance`` of the optimum form an interval [min, max]; target = argmin.
The same pass gives P(empty) and P(full) within the horizon from every starting stock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SafetyStockParams", "StockBands", "compute_bands", "expected_path", "RISK_LEVELS"]

RISK_LEVELS = ("empty_risk", "full_risk", "ok")


@dataclass(frozen=True)
class SafetyStockParams:
    overflow: float = 2.0  # hard cap = ceil(overflow × docks)
    overflow_penalty: float = 0.1  # a return above the docks costs this share of a user
    refusal_penalty: float = 1.0  # a return refused at the hard cap (the rider goes on to the next station)
    tolerance_abs: float = 0.3  # users: stocks with F ≤ F* + max(abs, rel·F*) are in band
    tolerance_rel: float = 0.1
    min_steps_per_hour: int = 12
    max_steps_per_hour: int = 240


@dataclass
class StockBands:
    low: np.ndarray  # min
    target: np.ndarray
    high: np.ndarray  # max
    capacity: np.ndarray  # hard cap
    docks: np.ndarray
    cost: np.ndarray  # (stations, states) F(s); inf above a station's cap
    p_empty: np.ndarray  # (stations, states) P(stock hits 0 within the horizon | s)
    p_full: np.ndarray  # (stations, states) P(stock reaches docks within the horizon | s)
    horizon_hours: int

    def at(self, stock: np.ndarray) -> dict[str, np.ndarray]:
        """Per-station figures at the given current stock (clipped to each cap)."""
        s = np.clip(np.asarray(stock, int), 0, self.capacity)
        rows = np.arange(len(s))
        cost_now = self.cost[rows, s]
        best = self.cost[rows, self.target]
        risk = np.where(s < self.low, "empty_risk", np.where(s > self.high, "full_risk", "ok"))
        return {"stock": s, "cost": cost_now, "excess": np.maximum(cost_now - best, 0.0),
                "p_empty": self.p_empty[rows, s], "p_full": self.p_full[rows, s], "risk": risk,
                "need": np.where(s < self.low, self.target - s, 0),
                "surplus": np.where(s > self.high, s - self.target, 0)}


def _steps_per_hour(peak: np.ndarray, params: SafetyStockParams) -> np.ndarray:
    """Steps per hour so that λΔt + μΔt ≤ 0.8, rounded up to powers of two times the
    minimum: stations are then grouped by it, and quiet stations take few steps."""
    need = np.ceil(np.asarray(peak, float) * 1.25)
    k = np.full(need.shape, params.min_steps_per_hour, dtype=int)
    while True:
        short = (k < need) & (k < params.max_steps_per_hour)
        if not short.any():
            break
        k[short] *= 2
    return np.minimum(k, params.max_steps_per_hour)


def _recurse(p_r, p_b, docks, cap, k, overflow_penalty, with_probabilities, refusal_penalty):
    n, hours = p_r.shape
    smax = int(cap.max())
    states = np.arange(smax + 1)
    at_cap = states[None, :] >= cap[:, None]
    full_state = states[None, :] >= docks[:, None]
    pen = np.where(at_cap, refusal_penalty, np.where(full_state, overflow_penalty, 0.0))
    is_zero = (states == 0)[None, :]
    value = np.zeros((n, smax + 1))
    hit0 = np.broadcast_to(is_zero, (n, smax + 1)).astype(float)
    hitf = full_state.astype(float)
    arrays = [(value, None)] + ([(hit0, is_zero), (hitf, full_state)] if with_probabilities else [])
    down = np.empty_like(value)
    up = np.empty_like(value)
    for h in range(hours - 1, -1, -1):
        pr = p_r[:, h:h + 1]
        pb = p_b[:, h:h + 1]
        stay = 1.0 - pr - pb
        step_cost = pr * is_zero + pb * pen
        for _ in range(k):
            for arr, absorbing in arrays:
                down[:, 1:] = arr[:, :-1]
                down[:, 0] = arr[:, 0]
                up[:, :-1] = arr[:, 1:]
                up[:, -1] = arr[:, -1]
                np.copyto(up, arr, where=at_cap)
                new = pr * down
                new += pb * up
                new += stay * arr
                if absorbing is None:
                    new += step_cost
                else:
                    np.copyto(new, 1.0, where=absorbing)
                arr[...] = new
    return value, (hit0 if with_probabilities else None), (hitf if with_probabilities else None)


def compute_bands(rent_rate, return_rate, docks, params: SafetyStockParams = SafetyStockParams(),
                  with_probabilities: bool = True) -> StockBands:
    """``rent_rate``, ``return_rate``: (stations, hours) expected events per hour over the
    horizon (forecast means); ``docks``: (stations,). Returns the bands for all stations.
    ``with_probabilities`` adds P(empty)/P(full) from every stock (3× the work)."""
    rent = np.clip(np.nan_to_num(np.atleast_2d(np.asarray(rent_rate, float))), 0, None)
    ret = np.clip(np.nan_to_num(np.atleast_2d(np.asarray(return_rate, float))), 0, None)
    docks = np.maximum(np.asarray(docks, int).ravel(), 1)
    n, hours = rent.shape
    cap = np.ceil(docks * params.overflow).astype(int)
    smax = int(cap.max()) if n else 1
    cost = np.full((n, smax + 1), np.inf)
    p_empty = np.zeros((n, smax + 1))
    p_full = np.zeros((n, smax + 1))
    k_all = _steps_per_hour((rent + ret).max(axis=1) if hours else np.zeros(n), params)
    for k in np.unique(k_all):
        rows = np.flatnonzero(k_all == k)
        total = (rent[rows] + ret[rows]) / k
        squeeze = np.maximum(total, 1.0)  # only when the max step count was hit
        p_r, p_b = rent[rows] / k / squeeze, ret[rows] / k / squeeze
        value, h0, hf = _recurse(p_r, p_b, docks[rows], cap[rows], int(k),
                                 params.overflow_penalty, with_probabilities,
                                 params.refusal_penalty)
        width = value.shape[1]
        cost[rows, :width] = value
        if with_probabilities:
            p_empty[rows, :width] = h0
            p_full[rows, :width] = hf
            p_full[rows, width:] = 1.0
    states = np.arange(smax + 1)
    cost = np.where(states[None, :] > cap[:, None], np.inf, cost)
    best = cost.min(axis=1)
    tol = np.maximum(params.tolerance_abs, params.tolerance_rel * best)
    ok = cost <= (best + tol)[:, None]
    low = np.argmax(ok, axis=1)
    high = smax - np.argmax(ok[:, ::-1], axis=1)
    # Target: the lowest stock within a quarter of the tolerance of the optimum (F is often
    # flat near its minimum; fewer bikes there is the same service for less moving), and
    # no more than the docks: above them bikes are parked by locking them to each other.
    near_best = cost <= (best + 0.25 * tol)[:, None]
    target = np.minimum(np.argmax(near_best, axis=1), np.maximum(docks, low))
    return StockBands(low, target, high, cap, docks, cost, p_empty, p_full, hours)


def expected_path(rent_rate, return_rate, docks: int, start: int,
                  params: SafetyStockParams = SafetyStockParams(), steps_per_hour: int = 60):
    """Mean and 10–90 % band of the stock over the horizon from ``start`` (one station,
    forward propagation): for the station page's stock chart. Returns per-hour arrays."""
    rent = np.clip(np.asarray(rent_rate, float).ravel(), 0, None)
    ret = np.clip(np.asarray(return_rate, float).ravel(), 0, None)
    cap = int(np.ceil(max(docks, 1) * params.overflow))
    k = max(steps_per_hour, int(np.ceil(float(np.max(rent + ret, initial=0)) * 1.25)))
    p = np.zeros(cap + 1)
    p[min(max(start, 0), cap)] = 1.0
    mean, lo, hi = [float(min(max(start, 0), cap))], [min(max(start, 0), cap)], [min(max(start, 0), cap)]
    for h in range(len(rent)):
        pr, pb = rent[h] / k, ret[h] / k
        s = max(pr + pb, 1.0)
        pr, pb = pr / s, pb / s
        for _ in range(k):
            new = p * (1 - pr - pb)
            new[:-1] += p[1:] * pr
            new[0] += p[0] * pr  # a rental at 0 fails: stays at 0
            new[1:] += p[:-1] * pb
            new[-1] += p[-1] * pb  # a return at the cap is refused
            p = new
        cdf = np.cumsum(p)
        mean.append(float((p * np.arange(cap + 1)).sum()))
        lo.append(int(np.searchsorted(cdf, 0.1)))
        hi.append(int(np.searchsorted(cdf, 0.9)))
    return np.array(mean), np.array(lo), np.array(hi)
