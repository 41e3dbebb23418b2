"""How much service any policy that sees the stock only at its decisions could buy with a
given number of bikes moved: the station-by-station adaptive bound.

:mod:`bound` lets the planner know every trip in advance; no replayed policy does. This
bound keeps what a policy does know — the true demand intensity (the generator's, better
than any forecast) and each station's stock at every decision epoch (every ``period_min``)
— and relaxes the rest: at each epoch every station may be set to any stock at once (no
trucks, no driving, no handling time), bikes come from and go to an unlimited pool, and
returns keep arriving at their expected rate even where rentals elsewhere failed. Each
station is then an independent birth–death chain (rentals −1, returns +1, rentals at 0
lost, returns at the hard cap ``overflow × docks`` refused) controlled at the epochs, and
dynamic programming gives its best adaptive policy for the Lagrangian

    lost rentals + price/2 × (bikes added + bikes removed) + net_price × (added − removed).

For a policy the replay can run, bikes moved = bikes picked up (removed), and removed −
added = the bikes left on its trucks ≥ 0; so for any ``net_price ≥ −price/2`` (a bike added
costs ``price/2 + net_price ≥ 0``, one removed ``price/2 − net_price``, a reward when
negative) its ``lost + price × moved`` is at least the optimum above, and any such policy
that loses at most ``L`` rentals moves at least ``(optimum − L) / price`` bikes. A higher
net price stands in for the fleet's conservation (each bike added must be taken from some
station): at ``net_price = price/2`` bikes come free from the pool; above it the pool pays
for the bikes it gets back. (A truck in the replay drops the quantity planned at the
epoch, so it acts on the epoch's stock as here, only later.) The uniformised steps
and the chain are those of :mod:`safety_stock`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from seoul_digital.bikes.engine.safety_stock import SafetyStockParams, _steps_per_hour

__all__ = ["AdaptivePoint", "adaptive_point", "bikes_needed", "check_settings", "service_ceiling",
           "value_table"]


@dataclass(frozen=True)
class AdaptivePoint:
    price: float  # users a moved bike must be worth
    net_price: float  # users charged per bike added net of bikes removed (≥ −price / 2)
    rentals: float  # expected rentals wanted
    lost: float  # expected rentals at an empty station under the optimal policy
    added: float  # expected bikes added (dropped) over all stations
    removed: float  # expected bikes removed (picked up)
    objective: float  # the optimum of the Lagrangian above (expected)
    solve_s: float

    @property
    def served_share(self) -> float:
        return 1.0 - self.lost / self.rentals if self.rentals else 1.0

    def to_dict(self) -> dict:
        return {"price": self.price, "net_price": self.net_price,
                "rentals": round(self.rentals, 1), "lost": round(self.lost, 1),
                "served_share": round(self.served_share, 5), "added": round(self.added, 1),
                "removed": round(self.removed, 1), "objective": round(self.objective, 1),
                "solve_s": round(self.solve_s, 1)}


def bikes_needed(points, served_share: float) -> float:
    """The fewest bikes a policy must move to serve ``served_share`` of the rentals."""
    need = [(p.objective - (1.0 - served_share) * p.rentals) / p.price for p in points if p.price > 0]
    return max(max(need, default=0.0), 0.0)


def service_ceiling(points, bikes: float) -> float:
    """The largest share of the rentals a policy moving at most ``bikes`` bikes can serve."""
    lost = max((p.objective - p.price * bikes for p in points), default=0.0)
    rentals = points[0].rentals if points else 0.0
    return min(1.0, 1.0 - max(lost, 0.0) / rentals) if rentals else 1.0


def check_settings(price: float, net_price: float, period_min: int) -> None:
    """Refuse settings the bound is not valid for, with a one-line reason."""
    if not price > 0 or net_price < -price / 2 - 1e-12:
        raise ValueError(f"need price > 0 and net_price ≥ −price / 2 (got {price}, {net_price})")
    if not (period_min > 0 and (60 % period_min == 0 or period_min % 15 == 0)):
        raise ValueError(f"period_min must divide 60 or be a multiple of 15 (got {period_min})")


def _epochs(period_min: int) -> tuple[int, int]:
    """(epochs an hour, epochs between decisions): periods past an hour use 15-min epochs
    of which only every n-th may set the stock."""
    return (60 // period_min, 1) if 60 % period_min == 0 else (4, period_min // 15)


def _clean(rent_rate, return_rate, docks):
    rent = np.clip(np.nan_to_num(np.atleast_2d(np.asarray(rent_rate, float))), 0, None)
    ret = np.clip(np.nan_to_num(np.atleast_2d(np.asarray(return_rate, float))), 0, None)
    return rent, ret, np.maximum(np.asarray(docks, int).ravel(), 1)


def _steps(rent, ret, params, epochs_per_hour):
    """Uniformised steps an hour per station, a multiple of the epochs an hour."""
    k = _steps_per_hour((rent + ret).max(axis=1) if rent.shape[1] else np.zeros(len(rent)), params)
    return np.ceil(k / epochs_per_hour).astype(int) * epochs_per_hour


@dataclass(frozen=True)
class _Chain:
    """One group of stations sharing ``k`` steps an hour: caps and step probabilities."""
    cap: np.ndarray
    states: np.ndarray
    at_cap: np.ndarray  # (stations, states)
    p_r: np.ndarray  # (stations, hours) P(rental) a step
    p_b: np.ndarray  # P(return) a step

    @classmethod
    def of(cls, rent, ret, docks, k, params):
        cap = np.ceil(docks * params.overflow).astype(int)
        states = np.arange(int(cap.max()) + 1)
        squeeze = np.maximum((rent + ret) / k, 1.0)  # only where the max step count was hit
        return cls(cap, states, states[None, :] >= cap[:, None], rent / k / squeeze, ret / k / squeeze)


def _control(value, cap, add_cost, remove_cost):
    """min over the stock set at the epoch: (new value, chosen stock) per station and stock."""
    n, size = value.shape
    best_up = value.copy()  # bring bikes: from s up to a ≥ s
    arg_up = np.broadcast_to(np.arange(size), (n, size)).copy()
    for s in range(size - 2, -1, -1):
        via = best_up[:, s + 1] + add_cost
        take = via < best_up[:, s]
        best_up[take, s] = via[take]
        arg_up[take, s] = arg_up[take, s + 1]
    best_down = value.copy()  # take bikes away: from s down to a ≤ s
    arg_down = np.broadcast_to(np.arange(size), (n, size)).copy()
    for s in range(1, size):
        via = best_down[:, s - 1] + remove_cost
        take = via < best_down[:, s]
        best_down[take, s] = via[take]
        arg_down[take, s] = arg_down[take, s - 1]
    down_wins = best_down < best_up
    new = np.where(down_wins, best_down, best_up)
    choice = np.where(down_wins, arg_down, arg_up)
    above = np.arange(size)[None, :] > cap[:, None]
    new[above] = np.inf
    choice[above] = 0
    return new, choice.astype(np.int16)


def _backward(rent, ret, docks, k, epochs_per_hour, price, net_price, params,
              control_every: int = 1, keep_hourly: bool = False):
    """Backward DP for one group of stations sharing ``k`` uniformised steps an hour.
    Returns (value at the start, policies per epoch, hourly values before the decision or
    None). The stock may be set at every ``control_every``-th epoch only."""
    n, hours = rent.shape
    chain = _Chain.of(rent, ret, docks, k, params)
    cap, states, at_cap, p_r, p_b = chain.cap, chain.states, chain.at_cap, chain.p_r, chain.p_b
    size = len(states)
    inside = ~at_cap | (states[None, :] == cap[:, None])
    per_epoch = k // epochs_per_hour
    add_cost, remove_cost = price / 2 + net_price, price / 2 - net_price
    value = np.where(inside, 0.0, np.inf)
    down, up = np.empty_like(value), np.empty_like(value)
    policies = []
    hourly = np.empty((hours, n, size), np.float32) if keep_hourly else None
    is_zero = (states == 0)[None, :]
    keep = np.broadcast_to(states, (n, size)).astype(np.int16)
    full_state = states[None, :] >= docks[:, None]
    pen = np.where(at_cap, params.refusal_penalty, np.where(full_state, params.overflow_penalty, 0.0))
    with np.errstate(invalid="ignore"):  # inf × 0 above a station's cap, masked below
        for h in range(hours - 1, -1, -1):
            pr, pb = p_r[:, h:h + 1], p_b[:, h:h + 1]
            stay = 1.0 - pr - pb
            for e in range(epochs_per_hour - 1, -1, -1):
                for _ in range(per_epoch):
                    down[:, 1:] = value[:, :-1]
                    down[:, 0] = value[:, 0]
                    up[:, :-1] = value[:, 1:]
                    np.copyto(up, value, where=at_cap)
                    new = pr * down + pb * up + stay * value + pr * is_zero + pb * pen
                    value = np.where(inside, new, np.inf)
                if keep_hourly and e == 0:
                    hourly[h] = value
                if (h * epochs_per_hour + e) % control_every == 0:
                    value, choice = _control(value, cap, add_cost, remove_cost)
                else:
                    choice = keep
                policies.append(choice)
    policies.reverse()
    return value, policies, hourly


def value_table(rent_rate, return_rate, docks, price: float, control_every_min: int = 15,
                params: SafetyStockParams = SafetyStockParams()) -> np.ndarray:
    """(hours, stations, stock) expected lost rentals from each hour's start to the end of
    the rates, plus ``price`` per bike added later, when the stock can be set every
    ``control_every_min`` minutes (from the next such time on; float32, inf above a
    station's cap): a bike's worth at a station counting that it can be resupplied later."""
    check_settings(price, price / 2, 15)
    if control_every_min <= 0 or control_every_min % 15:  # the table's epochs are 15 min
        raise ValueError(f"control_every_min must be a multiple of 15 (got {control_every_min})")
    rent, ret, docks = _clean(rent_rate, return_rate, docks)
    n, hours = rent.shape
    size = int(np.ceil(docks * params.overflow).max()) + 1
    out = np.full((hours, n, size), np.inf, np.float32)
    k_all = _steps(rent, ret, params, 4)
    for k in np.unique(k_all):
        rows = np.flatnonzero(k_all == k)
        _v, _p, hourly = _backward(rent[rows], ret[rows], docks[rows], int(k), 4, price, price / 2,
                                   params, control_every=control_every_min // 15, keep_hourly=True)
        out[:, rows, :hourly.shape[2]] = hourly
    return out


def _group(rent, ret, docks, start, k, epochs_per_hour, price, net_price, params, control_every=1):
    """One group of stations that share ``k`` uniformised steps an hour."""
    n, hours = rent.shape
    chain = _Chain.of(rent, ret, docks, k, params)
    cap, states, at_cap, p_r, p_b = chain.cap, chain.states, chain.at_cap, chain.p_r, chain.p_b
    size = len(states)
    per_epoch = k // epochs_per_hour
    # The bound counts lost rentals only (the replay's served share).
    loss_only = replace(params, overflow_penalty=0.0, refusal_penalty=0.0)
    value, policies, _ = _backward(rent, ret, docks, k, epochs_per_hour, price, net_price, loss_only,
                                   control_every=control_every)
    s0 = np.clip(start, 0, cap)
    objective = float(value[np.arange(n), s0].sum())
    # Forward: the stock's distribution under the optimal policy, for its lost and moved bikes.
    p = np.zeros((n, size))
    p[np.arange(n), s0] = 1.0
    rows = np.repeat(np.arange(n), size)
    lost = added = removed = 0.0
    for h in range(hours):
        pr, pb = p_r[:, h:h + 1], p_b[:, h:h + 1]
        stay = 1.0 - pr - pb
        up_ok = ~at_cap
        for e in range(epochs_per_hour):
            choice = policies[h * epochs_per_hour + e]
            delta = choice - states[None, :]
            added += float((p * np.maximum(delta, 0)).sum())
            removed += float((p * np.maximum(-delta, 0)).sum())
            p = np.bincount(rows * size + choice.ravel(), weights=p.ravel(),
                            minlength=n * size).reshape(n, size)
            for _ in range(per_epoch):
                lost += float((p[:, 0] * pr[:, 0]).sum())
                new = p * stay
                new[:, :-1] += p[:, 1:] * pr
                new[:, 0] += p[:, 0] * pr[:, 0]  # a rental at 0 fails: the stock stays
                moved_up = p * pb * up_ok
                new[:, 1:] += moved_up[:, :-1]
                new += p * pb * ~up_ok  # a return at the cap is refused
                p = new
    return objective, lost, added, removed


def adaptive_point(rent_rate, return_rate, docks, initial_stock, price: float,
                   net_price: float = 0.0, period_min: int = 15,
                   params: SafetyStockParams = SafetyStockParams()) -> AdaptivePoint:
    """The optimal adaptive station-by-station policy at one ``price`` per moved bike.

    ``rent_rate``, ``return_rate``: (stations, hours) true expected events per hour;
    ``docks``, ``initial_stock``: (stations,). Decisions every ``period_min`` minutes (a
    divisor of 60 that leaves whole steps — 5, 15, 20, 30, 60 — or a multiple of 15)."""
    check_settings(price, net_price, period_min)
    epochs_per_hour, control_every = _epochs(period_min)
    t0 = time.perf_counter()
    rent, ret, docks = _clean(rent_rate, return_rate, docks)
    start = np.asarray(initial_stock, int).ravel()
    k_all = _steps(rent, ret, params, epochs_per_hour)
    total = np.zeros(4)
    for k in np.unique(k_all):
        rows = np.flatnonzero(k_all == k)
        total += _group(rent[rows], ret[rows], docks[rows], start[rows], int(k), epochs_per_hour,
                        price, net_price, params, control_every)
    objective, lost, added, removed = total
    return AdaptivePoint(price, net_price, float(rent.sum()), lost, added, removed, objective,
                         time.perf_counter() - t0)
