"""How much service any rebalancing policy could buy with a given number of bikes moved.

A clairvoyant relaxation of :func:`replay.replay`: the planner knows every trip in advance
and its trucks are unlimited and nearly instant (a bike picked up can be dropped at any
station from the next clock minute on; the replay's trucks need at least four minutes, a
stop's handling). Stations have no cap, and a user may be refused a bike that is there
(the replay always serves one). Each of these only helps the planner,
so for a price ``λ`` (users a moved bike must be worth) the min-cost flow below gives a
point on the frontier no policy can beat: for that many bikes moved, no policy serves more,
and no policy's ``served − λ × moved`` is higher. The one thing the replay gives that this
does not: a return refused at ``2 × docks`` goes to the nearest station for free, a move of
one bike the bound charges for; a policy's refused returns are the most it gains from that.
A ride here lasts at least one second (two zero-length rides could otherwise serve each
other with no bike).

The time-expanded network: one node per rental and per return at each station (returns
before rentals at the same second, as in the replay), chained in time (bikes waiting); a
served trip is an arc from its rental node to its return node (capacity 1, reward 1). The
trucks' pool is a second chain with one node per minute: it takes bikes right
after each return and from each station's initial stock (at price λ) and gives them just
before each rental — picking a bike up later or dropping it earlier is never better. Initial
stock enters at each station's first node; every chain ends in one sink.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

__all__ = ["BoundPoint", "clairvoyant_point", "clairvoyant_frontier"]

_SCALE = 1000  # users per bike are solved in integer thousandths


@dataclass(frozen=True)
class BoundPoint:
    price: float  # users a moved bike must be worth
    served: int
    attempted: int
    bikes_moved: int
    solve_s: float

    @property
    def served_share(self) -> float:
        return self.served / self.attempted if self.attempted else 1.0

    def to_dict(self) -> dict:
        return {"price": self.price, "served": self.served, "attempted": self.attempted,
                "served_share": round(self.served_share, 5), "bikes_moved": self.bikes_moved,
                "solve_s": round(self.solve_s, 1)}


@dataclass
class _Network:
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    trip_arcs: slice
    pickup_arcs: slice
    supplies: np.ndarray

    @property
    def attempted(self) -> int:
        return self.trip_arcs.stop - self.trip_arcs.start


def _network(rent_s, return_s, origin, dest, initial_stock) -> _Network:
    rent_s = np.asarray(rent_s, float)
    return_s = np.asarray(return_s, float)
    origin = np.asarray(origin, np.int64)
    dest = np.asarray(dest, np.int64)
    stock = np.asarray(initial_stock, np.int64)
    if np.any(stock < 0):
        raise ValueError("initial stock must not be negative")
    n_trips, n_st = len(rent_s), len(stock)
    if n_trips and (origin.min() < 0 or dest.min() < 0 or max(origin.max(), dest.max()) >= n_st):
        raise ValueError("trip station index outside the station list")
    if np.any(return_s < rent_s):
        raise ValueError("a trip returns before it starts")
    # A ride takes at least a second here, or two zero-length rides at one second would
    # make a cycle that serves both with no bike.
    return_s = np.maximum(return_s, rent_s + 1.0)
    fleet = int(stock.sum())
    # Events: returns (kind 0) before rentals (kind 1) at the same second, as in the replay.
    ev_station = np.concatenate([dest, origin])
    ev_time = np.concatenate([return_s, rent_s])
    ev_kind = np.concatenate([np.zeros(n_trips, np.int64), np.ones(n_trips, np.int64)])
    n_ev = 2 * n_trips
    # Station chains: event nodes 0..n_ev-1 in (station, time, kind) order.
    by_station = np.lexsort((ev_kind, ev_time, ev_station))
    node_of_event = np.empty(n_ev, np.int64)
    node_of_event[by_station] = np.arange(n_ev)
    st_sorted = ev_station[by_station]
    # The trucks' pool: one node per minute, after the event nodes. A bike picked up at
    # second t enters the minute after t's; one dropped for a rental at t' leaves the minute
    # of t'. So a move takes under two minutes, the replay's at least four (a stop's
    # handling alone), and every arc goes forward in time (no free cycles).
    pool0 = n_ev
    minute = (ev_time // 60).astype(np.int64) if n_ev else np.zeros(0, np.int64)
    n_pool = int(minute.max()) + 2 if n_ev else 1
    pool_in = pool0 + minute + 1
    pool_out = pool0 + minute
    start0 = pool0 + n_pool
    sink = start0 + n_st
    n_nodes = sink + 1
    big = max(fleet, 1)
    tails, heads = [], []
    # Bikes waiting at a station: event → next event of the same station; last → sink.
    idx = np.arange(n_ev)
    same_next = np.zeros(n_ev, bool)
    if n_ev > 1:
        same_next[:-1] = st_sorted[:-1] == st_sorted[1:]
    tails.append(idx[same_next]); heads.append(idx[same_next] + 1)
    last = idx[~same_next]
    tails.append(last); heads.append(np.full(len(last), sink))
    # Initial stock: start node → first event of the station (or the sink when none).
    is_first = np.ones(n_ev, bool)
    if n_ev > 1:
        is_first[1:] = st_sorted[1:] != st_sorted[:-1]
    first_of_station = np.full(n_st, -1, np.int64)
    first_of_station[st_sorted[is_first]] = idx[is_first]
    tails.append(start0 + np.arange(n_st)); heads.append(np.where(first_of_station >= 0, first_of_station, sink))
    # Bikes on trucks wait from event to event; after the last one, the sink.
    tails.append(pool0 + np.arange(n_pool)); heads.append(np.append(pool0 + np.arange(1, n_pool), sink))
    n_wait = sum(len(t) for t in tails)
    # Served trips: rental node → return node.
    k = np.arange(n_trips)
    rent_ev, ret_ev = n_trips + k, k
    tails.append(node_of_event[rent_ev]); heads.append(node_of_event[ret_ev])
    trip0 = n_wait
    # Pickups: right after each return (the earliest a bike is there) and from the initial
    # stock into the first pool node; drops: just before each rental (the latest it is
    # needed). Earlier drops or later pickups at the same station are no better.
    pick0 = trip0 + n_trips
    tails.append(np.concatenate([node_of_event[ret_ev], start0 + np.arange(n_st)]))
    heads.append(np.concatenate([pool_in[ret_ev], np.full(n_st, pool0)]))
    n_pick = n_trips + n_st
    tails.append(pool_out[rent_ev]); heads.append(node_of_event[rent_ev])
    caps_all = np.concatenate([np.full(n_wait, big, np.int64), np.ones(n_trips, np.int64),
                               np.full(n_pick + n_trips, big, np.int64)])
    supplies = np.zeros(n_nodes, np.int64)
    supplies[start0:start0 + n_st] = stock
    supplies[sink] = -fleet
    return _Network(np.concatenate(tails), np.concatenate(heads), caps_all,
                    slice(trip0, trip0 + n_trips), slice(pick0, pick0 + n_pick), supplies)


def clairvoyant_point(rent_s, return_s, origin, dest, initial_stock, price: float) -> BoundPoint:
    """The most trips any policy serves when a moved bike costs ``price`` users: maximise
    served − price × moved over the relaxation (see the module docstring)."""
    return _solve(_network(rent_s, return_s, origin, dest, initial_stock), price)


def clairvoyant_frontier(rent_s, return_s, origin, dest, initial_stock, prices) -> list[BoundPoint]:
    """:func:`clairvoyant_point` for each price, building the network once."""
    net = _network(rent_s, return_s, origin, dest, initial_stock)
    return [_solve(net, p) for p in prices]


def _solve(net: _Network, price: float) -> BoundPoint:
    from ortools.graph.python import min_cost_flow

    if price < 0:
        raise ValueError("price must not be negative")
    t0 = time.perf_counter()
    costs = np.zeros(len(net.tails), np.int64)
    costs[net.trip_arcs] = -_SCALE
    costs[net.pickup_arcs] = int(round(price * _SCALE))
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, costs)
    smcf.set_nodes_supplies(np.arange(len(net.supplies)), net.supplies)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve (status {status})")
    flows = smcf.flows(np.arange(len(net.tails)))
    return BoundPoint(price, int(flows[net.trip_arcs].sum()), net.attempted,
                      int(flows[net.pickup_arcs].sum()), time.perf_counter() - t0)
