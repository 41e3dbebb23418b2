"""Replay trips against station stock with delayed trucks, under a rebalancing policy.

Every trip of the file is a rental attempt at its time and station. With a bike there it is
served and its bike comes back at the return station at the return time; at an empty
station the user is dissatisfied and the trip (and its return) does not happen. A return at
a station at its hard cap (``overflow × docks``) is refused (dissatisfied; the bike goes to
the nearest station); a return above the docks but below the cap is accepted (Seoul's bikes
lock to each other) and counted as an overflow return.

At each decision epoch a policy plans routes for the idle trucks. Each leg's real driving
time is the planned one times a lognormal traffic factor, so trucks arrive late; a stop
takes what is there when the truck arrives (never more than it holds), and a truck is busy
until its real finish. A policy with ``uses_pending`` is also given, per station, the bikes
busy trucks will still take (+) or bring (−), so it sends no second truck there. Policies: ``none``, ``greedy`` (nearest empty/full station first,
restore half the docks), ``ours`` (forecast → safety-stock bands → OR-Tools routes).
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.bikes.engine.diagnose import station_states
from seoul_digital.bikes.engine.planner import offered_moves, route_moves
from seoul_digital.bikes.engine.routing import RoutingParams, Route, Stop, zones_kmeans
from seoul_digital.bikes.engine.safety_stock import SafetyStockParams, compute_bands

__all__ = ["ReplayConfig", "ReplayResult", "replay", "NoPolicy", "GreedyNearest",
           "SafetyStockPolicy", "TruckState"]


@dataclass(frozen=True)
class ReplayConfig:
    trucks: int = 20
    capacity: int = 20
    period_min: int = 60
    speed_kmh: float = 15.0
    stop_minutes: float = 4.0
    minutes_per_bike: float = 0.5
    detour: float = 1.3
    delay_sigma: float = 0.25  # lognormal σ of each leg's traffic factor
    delay_tolerance_min: float = 10.0  # a route finishing later than planned by more is "delayed"
    overflow: float = 2.0
    initial_fill: float = 0.6  # initial stock = round(fill × docks), the same for every policy
    depot_xy: tuple[float, float] | None = None  # UTM-K km; None: each truck starts in its zone
    seed: int = 0


@dataclass
class TruckState:
    id: int
    x: float
    y: float
    load: int = 0
    busy_until: float = 0.0  # seconds
    zone: int | None = None


@dataclass
class ReplayResult:
    policy: str
    attempted: int = 0
    served: int = 0
    empty_rentals: int = 0
    refused_returns: int = 0
    overflow_returns: int = 0
    zero_bike_station_minutes: float = 0.0
    bikes_moved: int = 0
    truck_km: float = 0.0
    routes: int = 0
    stops: int = 0
    delayed_trucks: int = 0
    runtime_s: float = 0.0
    stations: int = 0
    hours: float = 0.0
    extra: dict = field(default_factory=dict)
    empty_by_station: list | None = None  # rentals at an empty station, per station
    refused_by_station: list | None = None
    empty_by_hour: list | None = None  # rentals at an empty station, per hour of the replay
    final_stock: list | None = None

    @property
    def served_share(self) -> float:
        return self.served / self.attempted if self.attempted else 1.0

    @property
    def dissatisfied_users(self) -> int:
        return self.empty_rentals + self.refused_returns

    def to_dict(self) -> dict:
        return {"policy": self.policy, "attempted_rentals": self.attempted,
                "served_rentals": self.served, "served_share": round(self.served_share, 4),
                "dissatisfied_users": self.dissatisfied_users,
                "rentals_at_empty_station": self.empty_rentals,
                "returns_refused_at_cap": self.refused_returns,
                "overflow_returns_above_docks": self.overflow_returns,
                "zero_bike_station_minutes": round(self.zero_bike_station_minutes),
                "zero_bike_share_of_station_time": round(
                    self.zero_bike_station_minutes / max(self.stations * self.hours * 60, 1), 4),
                "bikes_moved": int(self.bikes_moved), "truck_km": round(self.truck_km, 1),
                "routes": self.routes, "stops": self.stops, "delayed_trucks": self.delayed_trucks,
                "runtime_s": round(self.runtime_s, 1), **self.extra}


class NoPolicy:
    name = "none"

    def decide(self, t_s, stock, trucks):
        return []


class GreedyNearest:
    """The operator's rule of thumb: drive to the nearest station that is (nearly) empty or
    full and restore half its docks; bikes on board go to the nearest empty station."""

    name = "greedy"
    uses_pending = True

    def __init__(self, x_km, y_km, docks, params: RoutingParams, empty_at: int = 1):
        self.x, self.y, self.docks = np.asarray(x_km), np.asarray(y_km), np.asarray(docks)
        self.params = params
        self.half = np.ceil(self.docks / 2).astype(int)
        self.empty_at = empty_at

    def decide(self, t_s, stock, trucks, pending=None):
        p = self.params
        # A station another (busy) truck is still driving to is left to that truck.
        claimed = set(np.flatnonzero(np.asarray(pending)).tolist()) if pending is not None else set()
        routes = []
        empty = np.flatnonzero(stock <= self.empty_at)
        full = np.flatnonzero(stock >= self.docks)
        for truck in trucks:
            x, y, load, clock, km = truck.x, truck.y, truck.load, 0.0, 0.0
            stops = []
            while True:
                want_drop = load > 0
                pool = empty if want_drop else full
                pool = np.array([i for i in pool if i not in claimed], int)
                if not len(pool) and want_drop:
                    # Nothing empty left: go on picking up if there is room.
                    pool = np.array([i for i in full if i not in claimed], int) if load < p.capacity else pool
                    want_drop = False
                if not len(pool):
                    break
                d = np.hypot(self.x[pool] - x, self.y[pool] - y) * p.detour
                j = int(np.argmin(d))
                i = int(pool[j])
                if want_drop:
                    q = -min(load, max(self.half[i] - int(stock[i]), 1))
                else:
                    q = min(p.capacity - load, max(int(stock[i]) - self.half[i], 1))
                leg = d[j] / p.speed_kmh * 60 + p.stop_minutes + p.minutes_per_bike * abs(q)
                if clock + leg > p.budget_minutes:
                    break
                clock += leg
                km += d[j]
                load += q
                x, y = self.x[i], self.y[i]
                stops.append(Stop(i, q, clock))
                claimed.add(i)
            if stops:
                routes.append(Route(truck.id, stops, km, clock, truck.load))
        return routes


class SafetyStockPolicy:
    """Forecast → [min, target, max] for every station over the next ``horizon`` hours →
    surplus/deficit valued in avoided dissatisfied users → OR-Tools routes
    (:func:`planner.plan_moves`' two steps, the same planner the app's recompute ships)."""

    name = "ours"
    uses_pending = True  # told the stops busy trucks still owe (see :func:`replay`)

    def __init__(self, x_km, y_km, docks, rent_forecast, return_forecast, params: RoutingParams,
                 zones=None, horizon: int = 3, ss_params: SafetyStockParams = SafetyStockParams(),
                 donors: bool = True, min_value_per_bike: float = 0.0,
                 sink_value_per_bike: float = 0.0, plan_until_hour: int | None = None,
                 plan_from_hour: int = 5, max_horizon: int = 16, start_hour: int = 0,
                 donor_chunks: int = 1, slack_minutes: float = 0.0,
                 pickup_value_per_bike: float = 0.0, record_states: bool = False):
        self.x, self.y, self.docks = np.asarray(x_km), np.asarray(y_km), np.asarray(docks)
        # Time-of-day look-ahead: a decision taken between ``plan_from_hour`` and
        # ``plan_until_hour`` (clock hours) looks at least up to ``plan_until_hour``, at most
        # ``max_horizon`` hours: the quiet midday sees the whole evening peak, so trucks that
        # are free then pre-fill the stations the evening will drain (and pre-empty those it
        # will fill) while the peak's own truck time is short. ``start_hour``: clock hour of
        # the first forecast column.
        self.plan_until_hour, self.plan_from_hour = plan_until_hour, plan_from_hour
        self.max_horizon, self.start_hour = max_horizon, start_hour
        self.rent, self.ret = rent_forecast, return_forecast  # (stations, hours of the month)
        self.params, self.zones, self.horizon, self.ss = params, zones, horizon, ss_params
        self.donors, self.donor_chunks = donors, donor_chunks
        # Routes are planned this much shorter than the budget: traffic delays then rarely push
        # a route past the decision epoch at its end, where a late truck would wait a period.
        self.slack_minutes = slack_minutes
        self.min_value_per_bike = min_value_per_bike
        self.sink_value_per_bike = sink_value_per_bike
        self.pickup_value_per_bike = pickup_value_per_bike
        self.band_seconds = 0.0
        self.route_seconds = 0.0
        self._bands = None
        # With ``record_states``: [(seconds, each station's state)] at every decision, for
        # :func:`diagnose.classify_losses` (a diagnostic: one byte a station a decision, ~8 MB
        # for the bench's month).
        self.record_states = record_states
        self.decisions: list = []

    def in_planning_window(self, h0: int) -> bool:
        if self.plan_until_hour is None:
            return False
        clock = (h0 + self.start_hour) % 24
        return self.plan_from_hour <= clock < self.plan_until_hour

    def horizon_at(self, h0: int) -> int:
        """Hours of look-ahead for a decision in hour ``h0`` of the forecast."""
        if not self.in_planning_window(h0):
            return self.horizon
        clock = (h0 + self.start_hour) % 24
        return int(min(max(self.horizon, self.plan_until_hour - clock), self.max_horizon))

    def decide(self, t_s, stock, trucks, pending=None):
        h0 = int(t_s // 3600)
        h1 = min(h0 + self.horizon_at(h0), self.rent.shape[1])
        if h1 <= h0:
            return []
        t = time.perf_counter()
        # The rates are hourly: every decision inside one hour shares that hour's bands.
        if self._bands is None or self._bands[0] != (h0, h1):
            self._bands = ((h0, h1), compute_bands(self.rent[:, h0:h1], self.ret[:, h0:h1],
                                                   self.docks, self.ss, with_probabilities=False))
        bands = self._bands[1]
        if pending is not None:
            # Stops busy trucks will still make count as done: no second truck is sent.
            stock = np.maximum(np.asarray(stock, int) - np.asarray(pending, int), 0)
        at = bands.at(stock)
        self.band_seconds += time.perf_counter() - t
        t = time.perf_counter()
        plan = [(tr.id, tr.x, tr.y, tr.load, tr.zone) for tr in trucks]
        tasks = offered_moves(bands, at["stock"], self.docks, donors=self.donors,
                              min_value_per_bike=self.min_value_per_bike,
                              sink_value_per_bike=self.sink_value_per_bike,
                              donor_chunks=self.donor_chunks,
                              pickup_value_per_bike=self.pickup_value_per_bike)
        routes = route_moves(tasks, self.x, self.y, plan, self.params,
                             slack_minutes=self.slack_minutes, zones=self.zones)
        self.route_seconds += time.perf_counter() - t
        if self.record_states:
            self.decisions.append((t_s, station_states(at["stock"], bands.low, tasks, routes, pending)))
        return routes


def replay(rent_s, return_s, origin, dest, docks, x_km, y_km, policy, config: ReplayConfig,
           *, hours: float | None = None, zones=None, initial_stock=None, lost: list | None = None,
           outcomes=None, progress: ProgressCallback = null_progress) -> ReplayResult:
    """Replay trips (arrays of seconds since the period start, station indices) under
    ``policy``; returns the service and effort figures. ``lost``: a list that receives
    (seconds, station) for every rental at an empty station (for :mod:`diagnose`);
    ``outcomes``: a :class:`diagnose.MoveOutcomes` told every stop and rental."""
    t_start = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    docks = np.maximum(np.asarray(docks, int), 1)
    n = len(docks)
    cap = np.ceil(docks * config.overflow).astype(int)
    x_km, y_km = np.asarray(x_km, float), np.asarray(y_km, float)
    order = np.argsort(rent_s, kind="stable")
    rent_s = np.asarray(rent_s, float)[order]
    return_s = np.asarray(return_s, float)[order]
    origin = np.asarray(origin, int)[order]
    dest = np.asarray(dest, int)[order]
    horizon_s = (hours * 3600) if hours else (float(return_s.max()) if len(return_s) else 0.0)
    stock = (np.round(docks * config.initial_fill).astype(int) if initial_stock is None
             else np.asarray(initial_stock, int).copy())
    # Nearest other station, where a refused return goes.
    nearest = np.empty(n, int)
    for i in range(n):
        d = np.hypot(x_km - x_km[i], y_km - y_km[i])
        d[i] = np.inf
        nearest[i] = int(np.argmin(d)) if n > 1 else i
    if zones is None and config.trucks:
        zones = zones_kmeans(x_km, y_km, config.trucks, seed=config.seed)
    trucks = []
    for k in range(config.trucks):
        if config.depot_xy is not None:
            tx, ty = config.depot_xy
        else:
            member = zones == k
            tx, ty = (x_km[member].mean(), y_km[member].mean()) if member.any() else (x_km.mean(), y_km.mean())
        trucks.append(TruckState(k, float(tx), float(ty), 0, 0.0, int(k)))
    res = ReplayResult(getattr(policy, "name", type(policy).__name__), stations=n,
                       hours=horizon_s / 3600)
    zero_since = np.where(stock == 0, 0.0, -1.0)
    zero_total = 0.0
    heap: list = []  # (time, seq, kind, a, b): kind 0 return (station), 1 truck stop
    seq = 0
    period = config.period_min * 60.0
    next_epoch = 0.0
    stock_l = stock.tolist()
    cap_l, docks_l, nearest_l = cap.tolist(), docks.tolist(), nearest.tolist()
    zero_l = zero_since.tolist()
    # Bikes that busy trucks will still take (+) or bring (−) at each station, as planned.
    pending = np.zeros(n, int)
    wants_pending = bool(getattr(policy, "uses_pending", False))
    empty_by = [0] * n
    refused_by = [0] * n
    empty_hour = [0] * max(int(np.ceil(horizon_s / 3600)),
                           int(rent_s[-1] // 3600) + 1 if len(rent_s) else 0, 1)
    served = empty = refused = overflow = moved = 0
    route_minutes_hour = [0.0] * 24  # planned route minutes by the clock hour they start in
    total = len(rent_s)
    report_every = max(total // 50, 1)

    def apply_heap_until(t_limit):
        nonlocal zero_total, refused, overflow, moved, seq
        while heap and heap[0][0] <= t_limit:
            t, _s, kind, a, b = heapq.heappop(heap)
            if kind == 0:
                i = a
                if stock_l[i] >= cap_l[i]:
                    refused += 1
                    refused_by[i] += 1
                    i = nearest_l[i]
                elif stock_l[i] >= docks_l[i]:
                    overflow += 1
                if stock_l[i] == 0:
                    zero_total += t - zero_l[i]
                    zero_l[i] = -1.0
                stock_l[i] += 1
            else:  # truck stop: a = truck index, b = (station, planned quantity)
                truck = trucks[a]
                i, q = b
                pending[i] -= q
                if q > 0:
                    take = min(q, stock_l[i], config.capacity - truck.load)
                    if take > 0:
                        if outcomes is not None:
                            outcomes.on_stop(t, i, take, stock_l[i])
                        stock_l[i] -= take
                        truck.load += take
                        moved += take
                        if stock_l[i] == 0:
                            zero_l[i] = t
                else:
                    give = min(-q, truck.load)
                    if give > 0:
                        if outcomes is not None:
                            outcomes.on_stop(t, i, -give, stock_l[i])
                        if stock_l[i] == 0:
                            zero_total += t - zero_l[i]
                            zero_l[i] = -1.0
                        stock_l[i] += give
                        truck.load -= give
                truck.x, truck.y = float(x_km[i]), float(y_km[i])

    def epoch(t_now):
        nonlocal seq
        idle = [tr for tr in trucks if tr.busy_until <= t_now]
        if not idle:
            return
        current = np.array(stock_l)
        # Stations a busy truck will still visit: a policy that asks sees the stops to come.
        if wants_pending:
            routes = policy.decide(t_now, current, idle, pending=pending.copy())
        else:
            routes = policy.decide(t_now, current, idle)
        for route in routes:
            truck = trucks[route.truck]
            x0, y0 = truck.x, truck.y
            clock = t_now
            planned_end = t_now + route.minutes * 60
            prev_x, prev_y = x0, y0
            km = 0.0
            for stop in route.stops:
                i = stop.station
                leg_km = float(np.hypot(x_km[i] - prev_x, y_km[i] - prev_y)) * config.detour
                factor = float(rng.lognormal(0.0, config.delay_sigma))
                drive = leg_km / config.speed_kmh * 3600 * factor
                handle = (config.stop_minutes + config.minutes_per_bike * abs(stop.quantity)) * 60
                clock += drive
                seq += 1
                heapq.heappush(heap, (clock, seq, 1, route.truck, (i, stop.quantity)))
                pending[i] += stop.quantity
                clock += handle
                km += leg_km
                prev_x, prev_y = x_km[i], y_km[i]
            truck.busy_until = clock
            res.truck_km += km
            res.routes += 1
            res.stops += len(route.stops)
            route_minutes_hour[int(t_now // 3600) % 24] += route.minutes
            if clock - planned_end > config.delay_tolerance_min * 60:
                res.delayed_trucks += 1

    for k in range(total):
        t = rent_s[k]
        while next_epoch <= t and next_epoch < horizon_s:
            apply_heap_until(next_epoch)
            if config.trucks:
                epoch(next_epoch)
            next_epoch += period
        apply_heap_until(t)
        o = origin[k]
        s = stock_l[o]
        if outcomes is not None:
            outcomes.on_rental(t, o, s)
        if s > 0:
            s -= 1
            stock_l[o] = s
            if s == 0:
                zero_l[o] = t
            served += 1
            seq += 1
            heapq.heappush(heap, (return_s[k], seq, 0, int(dest[k]), None))
        else:
            empty += 1
            empty_by[o] += 1
            if lost is not None:
                lost.append((float(t), int(o)))
            empty_hour[int(t // 3600)] += 1
        if k % report_every == 0:
            progress(k, total, f"{res.policy}: {k:,}/{total:,} trips")
    while next_epoch < horizon_s:
        apply_heap_until(next_epoch)
        if config.trucks:
            epoch(next_epoch)
        next_epoch += period
    apply_heap_until(horizon_s)
    for i in range(n):
        if stock_l[i] == 0 and zero_l[i] >= 0:
            zero_total += horizon_s - zero_l[i]
    res.attempted, res.served, res.empty_rentals = total, served, empty
    res.refused_returns, res.overflow_returns, res.bikes_moved = refused, overflow, moved
    res.zero_bike_station_minutes = zero_total / 60.0
    res.empty_by_station, res.refused_by_station = empty_by, refused_by
    res.empty_by_hour = empty_hour
    res.final_stock = list(stock_l)
    res.runtime_s = time.perf_counter() - t_start
    in_transit = sum(1 for item in heap if item[2] == 0)
    res.extra["bikes_at_stations_end"] = int(sum(stock_l))
    res.extra["bikes_on_trucks_end"] = int(sum(tr.load for tr in trucks))
    res.extra["bikes_riding_end"] = int(in_transit)
    res.extra["initial_stock_total"] = int(stock.sum())
    res.extra["route_minutes_by_start_hour"] = [round(m) for m in route_minutes_hour]
    progress(total, total, f"{res.policy}: done")
    return res
