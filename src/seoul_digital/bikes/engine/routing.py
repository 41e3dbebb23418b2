"""Surplus/deficit lists, capacitated pickup-and-delivery truck routes, incentive lists.

Routing is cluster-first, route-second (Schuijbroek et al. 2017): every truck serves a zone
(k-means of station coordinates, or districts); inside its zone each truck gets a
one-commodity pickup-and-delivery route from OR-Tools: nodes are stations to take bikes
from (+q) or bring bikes to (−q), the load stays within [0, capacity], the route fits the
time budget (driving at ``speed_kmh`` plus a stop and per-bike handling time), and a
station may be skipped at a penalty equal to the dissatisfied users it would avoid (in km
of driving per user), so the solver moves bikes only where they are worth the drive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["RoutingParams", "Stop", "Route", "imbalance_lists", "plan_routes", "zones_kmeans",
           "incentive_list", "TIME_BANDS"]


@dataclass(frozen=True)
class RoutingParams:
    capacity: int = 20
    speed_kmh: float = 15.0
    stop_minutes: float = 4.0
    minutes_per_bike: float = 0.5
    budget_minutes: float = 60.0
    km_per_user: float = 3.0  # a dissatisfied user avoided is worth this many km of driving
    detour: float = 1.3  # road distance / straight line
    max_nodes_per_truck: int = 40
    time_limit_s: float = 0.0  # 0: first solution only (fast); >0: guided local search


@dataclass
class Stop:
    station: int  # index into the station arrays
    quantity: int  # + pick up, − drop off
    arrive_min: float


@dataclass
class Route:
    truck: int
    stops: list[Stop] = field(default_factory=list)
    km: float = 0.0
    minutes: float = 0.0
    start_load: int = 0

    @property
    def bikes_moved(self) -> int:
        return int(sum(max(s.quantity, 0) for s in self.stops) + max(self.start_load, 0))

    def to_dict(self, station_nos=None) -> dict:
        label = (lambda i: station_nos[i]) if station_nos is not None else (lambda i: int(i))
        return {"truck": self.truck, "km": round(self.km, 2), "minutes": round(self.minutes, 1),
                "stops": [{"station": label(s.station), "quantity": int(s.quantity),
                           "arrive_min": round(s.arrive_min, 1)} for s in self.stops]}


def imbalance_lists(stock, low, target, high, value=None):
    """Stations above their band (surplus: take stock − target) and below it (deficit: bring
    target − stock), most valuable first. ``value``: dissatisfied users avoided by restoring
    the target (default: the number of bikes)."""
    stock, low, target, high = (np.asarray(a, int) for a in (stock, low, target, high))
    surplus_idx = np.flatnonzero(stock > high)
    deficit_idx = np.flatnonzero(stock < low)
    amount_s = stock[surplus_idx] - target[surplus_idx]
    amount_d = target[deficit_idx] - stock[deficit_idx]
    v = np.asarray(value, float) if value is not None else np.abs(stock - target).astype(float)
    s_order = np.argsort(-v[surplus_idx], kind="stable")
    d_order = np.argsort(-v[deficit_idx], kind="stable")
    surplus = [(int(i), int(a), float(v[i])) for i, a in zip(surplus_idx[s_order], amount_s[s_order])]
    deficit = [(int(i), int(a), float(v[i])) for i, a in zip(deficit_idx[d_order], amount_d[d_order])]
    return surplus, deficit


def zones_kmeans(x_km, y_km, k: int, seed: int = 0, iters: int = 30) -> np.ndarray:
    """Zone of each station: k-means on UTM-K kilometres (deterministic seed)."""
    pts = np.column_stack([x_km, y_km])
    rng = np.random.default_rng(seed)
    k = max(1, min(k, len(pts)))
    centres = pts[rng.choice(len(pts), k, replace=False)]
    for _ in range(iters):
        lab = np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)
        new = np.array([pts[lab == j].mean(axis=0) if (lab == j).any() else centres[j]
                        for j in range(k)])
        if np.allclose(new, centres):
            break
        centres = new
    return np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)


def _solve_one(start_xy, start_load, nodes_xy, qty, penalty, params: RoutingParams,
               station_ids=None):
    """One truck, OR-Tools pickup-and-delivery with optional nodes. Returns (order, load).

    ``station_ids``: the station of each node. Chunks of one station visited one after the
    other make one stop: the stop's fixed time is paid once, when the truck leaves the station."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(qty)
    pts = np.vstack([start_xy[None, :], nodes_xy])
    d = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1]) * params.detour
    size = n + 2  # 0 start, 1..n nodes, n+1 open end
    dist_m = np.zeros((size, size), dtype=np.int64)
    dist_m[: n + 1, : n + 1] = np.round(d * 1000).astype(np.int64)
    minutes = np.zeros((size, size))
    minutes[: n + 1, : n + 1] = d / params.speed_kmh * 60.0
    handling = np.concatenate([[0.0], params.minutes_per_bike * np.abs(qty), [0.0]])
    ids = np.arange(n) if station_ids is None else np.asarray(station_ids)
    # -1: the truck's start and the open end are no station
    where = np.concatenate([[-1], ids, [-2]])
    leaves = where[:, None] != where[None, :]  # a → b leaves a's station: a's stop is paid
    stop = np.where(np.arange(size) == 0, 0.0, params.stop_minutes)
    minutes_all = minutes + handling[:, None] + np.where(leaves, stop[:, None], 0.0)
    time_m = np.round(minutes_all * 10).astype(np.int64)  # tenths of a minute
    demand = np.concatenate([[0], qty, [0]]).astype(np.int64)
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [n + 1])
    routing = pywrapcp.RoutingModel(manager)
    # Matrices and vectors are handed to the solver as data (no Python callbacks: ~10× faster).
    transit = routing.RegisterTransitMatrix(dist_m.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    t_idx = routing.RegisterTransitMatrix(time_m.tolist())
    routing.AddDimension(t_idx, 0, int(params.budget_minutes * 10), True, "time")
    d_idx = routing.RegisterUnaryTransitVector(demand.tolist())
    routing.AddDimensionWithVehicleCapacity(d_idx, 0, [params.capacity], False, "load")
    load = routing.GetDimensionOrDie("load")
    load.CumulVar(routing.Start(0)).SetRange(int(start_load), int(start_load))
    for node in range(1, n + 1):
        routing.AddDisjunction([manager.NodeToIndex(node)], int(max(penalty[node - 1], 0)))
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    if params.time_limit_s > 0:
        search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        search.time_limit.FromMilliseconds(int(params.time_limit_s * 1000))
    else:  # insertion, then plain local search to its local optimum (milliseconds here)
        search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        search.time_limit.FromMilliseconds(150)
    solution = routing.SolveWithParameters(search)
    if solution is None:
        return [], [], 0.0, 0.0
    order, arrive = [], []
    index = routing.Start(0)
    km = 0.0
    t_dim = routing.GetDimensionOrDie("time")
    while not routing.IsEnd(index):
        nxt = solution.Value(routing.NextVar(index))
        node, nnode = manager.IndexToNode(index), manager.IndexToNode(nxt)
        if 1 <= nnode <= n:
            order.append(nnode - 1)
            arrive.append(solution.Value(t_dim.CumulVar(nxt)) / 10.0)
            km += d[node, nnode]
        index = nxt
    total_min = solution.Value(t_dim.CumulVar(routing.End(0))) / 10.0
    return order, arrive, km, total_min


def plan_routes(x_km, y_km, surplus, deficit, trucks, params: RoutingParams = RoutingParams(),
                zone_of_station=None, split_by_clusters: bool = False) -> list[Route]:
    """Routes for ``trucks`` = [(truck_id, x_km, y_km, load, zone or None)].

    ``surplus``/``deficit``: lists of (station, bikes, value-in-users) as from
    :func:`imbalance_lists`. Each station is given to one truck (its zone's, else the
    nearest); each truck's candidates are its ``max_nodes_per_truck`` most valuable ones.
    """
    x_km, y_km = np.asarray(x_km, float), np.asarray(y_km, float)
    tasks = [(i, min(a, params.capacity), v) for i, a, v in surplus if a > 0] + \
            [(i, -min(a, params.capacity), v) for i, a, v in deficit if a > 0]
    if not tasks or not trucks:
        return []
    t_xy = np.array([[t[1], t[2]] for t in trucks], float)
    owner: dict[int, list] = {k: [] for k in range(len(trucks))}
    zones = [t[4] for t in trucks]
    if split_by_clusters and len(trucks) > 1 and zone_of_station is None:
        from scipy.optimize import linear_sum_assignment

        where = np.array(sorted({t[0] for t in tasks}))
        labels = zones_kmeans(x_km[where], y_km[where], len(trucks))
        centres = np.array([[x_km[where][labels == c].mean(), y_km[where][labels == c].mean()]
                            if (labels == c).any() else [np.inf, np.inf] for c in range(len(trucks))])
        cost = np.hypot(centres[:, None, 0] - t_xy[None, :, 0], centres[:, None, 1] - t_xy[None, :, 1])
        rows, cols = linear_sum_assignment(np.nan_to_num(cost, posinf=1e9))
        truck_of_cluster = dict(zip(rows, cols))
        cluster = dict(zip(where.tolist(), labels.tolist()))
        for station, q, value in tasks:
            owner[int(truck_of_cluster[cluster[station]])].append((station, q, value))
        tasks = []
    for station, q, value in tasks:
        cand = [k for k, z in enumerate(zones) if z is not None and zone_of_station is not None
                and zone_of_station[station] == z]
        if not cand:
            if any(z is not None for z in zones) and zone_of_station is not None:
                continue  # a zone without an idle truck waits for its own truck
            cand = list(range(len(trucks)))
        k = min(cand, key=lambda c: (x_km[station] - t_xy[c, 0]) ** 2 + (y_km[station] - t_xy[c, 1]) ** 2)
        owner[k].append((station, q, value))
    routes = []
    for k, (truck_id, tx, ty, tload, _zone) in enumerate(trucks):
        mine = sorted(owner[k], key=lambda t: -t[2])
        # Keep pickups and drops both represented so the load can flow.
        drops = [t for t in mine if t[1] < 0][: params.max_nodes_per_truck // 2]
        picks = [t for t in mine if t[1] > 0 and t[2] > 0.05][: params.max_nodes_per_truck // 2]
        # Room left goes to the pickups nearest to the chosen drops (donors feed drops).
        room = params.max_nodes_per_truck - len(drops) - len(picks)
        rest = [t for t in mine if t[1] > 0 and t[2] <= 0.05]
        if rest and room > 0:
            anchor = np.array([[x_km[t[0]], y_km[t[0]]] for t in drops] or [[tx, ty]])
            dist = [float(np.min(np.hypot(anchor[:, 0] - x_km[t[0]], anchor[:, 1] - y_km[t[0]])))
                    for t in rest]
            picks += [rest[j] for j in np.argsort(dist)[:room]]
        chosen = drops + picks
        if not chosen:
            continue
        idx = np.array([c[0] for c in chosen])
        qty = np.array([c[1] for c in chosen])
        penalty = np.array([c[2] for c in chosen]) * params.km_per_user * 1000
        order, arrive, km, minutes = _solve_one(np.array([tx, ty]), tload,
                                                np.column_stack([x_km[idx], y_km[idx]]),
                                                qty, penalty, params, idx)
        if not order:
            continue
        stops: list[Stop] = []
        for o, a in zip(order, arrive):
            if stops and stops[-1].station == int(idx[o]) and np.sign(stops[-1].quantity) == np.sign(qty[o]):
                stops[-1].quantity += int(qty[o])  # consecutive chunks: one stop
            else:
                stops.append(Stop(int(idx[o]), int(qty[o]), float(a)))
        routes.append(Route(truck_id, stops, km, minutes, int(tload)))
    return routes


TIME_BANDS = (("07-10", range(7, 10)), ("10-17", range(10, 17)), ("17-20", range(17, 20)),
              ("20-07", list(range(20, 24)) + list(range(0, 7))))


def incentive_list(rent_rate, return_rate, stock, docks, hours, station_nos, *, top: int = 20):
    """Citizen-incentive stations in the 2023 pilot's form: per time band, the stations
    where a rental helps (expected surplus: returns outrun rentals and stock is high) and
    where a return helps (expected shortage). ``rent_rate``/``return_rate``: (stations,
    hours) forecast for the day; ``hours``: the clock hour of each column."""
    rent = np.asarray(rent_rate, float)
    ret = np.asarray(return_rate, float)
    hours = np.asarray(hours)
    stock = np.asarray(stock, float)
    docks = np.maximum(np.asarray(docks, float), 1)
    out = []
    running = stock.copy()
    for label, band in TIME_BANDS:
        cols = np.isin(hours, list(band))
        if not cols.any():
            continue
        net = (ret[:, cols] - rent[:, cols]).sum(axis=1)  # expected change over the band
        end = running + net
        # Rent here: the station will overflow its docks; return here: it will run dry.
        rent_here = np.argsort(-(end - docks))
        return_here = np.argsort(end)
        out.append({
            "band": label,
            "rent_from": [{"station": station_nos[i], "expected_end_stock": round(float(end[i]), 1),
                           "docks": int(docks[i])} for i in rent_here[:top] if end[i] > docks[i]],
            "return_to": [{"station": station_nos[i], "expected_end_stock": round(float(end[i]), 1),
                           "docks": int(docks[i])} for i in return_here[:top] if end[i] < 1],
        })
        running = np.clip(end, 0, None)
    return out
