"""The move planner: one function from a station's bands and stock to truck routes, shared
by the replay's ``ours`` policy (what ``bench/bikes_replay.py`` measures) and the app's and
CLI's recompute (what operators are given), so the two cannot drift.

Each station's need or surplus is cut into chunks of bikes valued in the dissatisfied users
they avoid (the marginal drop of F over the bands' horizon); chunks below a price per bike
are not offered; stations above target offer lots as donors; OR-Tools then picks the stops
worth their driving within each truck's time budget (:func:`routing.plan_routes`)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seoul_digital.bikes.engine.routing import RoutingParams, Route, plan_routes

__all__ = ["chunked_tasks", "offered_moves", "route_moves", "plan_moves"]


def chunked_tasks(cost, stock, low, target, high, chunk: int = 5, donors: bool = True,
                  min_value_per_bike: float = 0.0, docks=None, sink_value_per_bike: float = 0.0,
                  donor_chunks: int = 1):
    """Moves as chunks of at most ``chunk`` bikes, each valued by the dissatisfied users it
    avoids (the marginal drop of F): trucks may then serve part of a station's need, and
    the solver sees that the first bikes to an empty station are worth more than the last.
    Returns [(station, +pick/−drop, value)]. With ``donors``, stations inside their band but
    above target offer chunks at (near) zero value that the solver takes only to feed drops.
    ``sink_value_per_bike``: a donor holding more bikes than its docks offers them at this
    value per bike (users): bikes piling up at a sink are the fleet's reserve for every
    other station, which a per-station horizon cannot see. ``donor_chunks``: how many chunks
    one donor offers (more: a truck can fill up at fewer stops).
    Chunks worth less than ``min_value_per_bike`` users per bike are not offered: a bike
    moved must earn its keep (the handling is cheap at a visited stop, so without this
    the solver tops every visited station up to its target)."""
    tasks = []
    stock = np.asarray(stock, int)
    for i in np.flatnonzero(stock < low):
        s, need = int(stock[i]), int(target[i] - stock[i])
        done = 0
        while done < need:
            c = min(chunk, need - done)
            v = float(cost[i, s + done] - cost[i, s + done + c])
            while c > 1 and v < min_value_per_bike * c:
                # F is convex: the first bikes of a chunk are worth the most; a quiet
                # station may be worth 1–2 bikes where a full chunk is not.
                c -= 1
                v = float(cost[i, s + done] - cost[i, s + done + c])
            if v < min_value_per_bike * c:
                break  # later chunks are worth even less
            tasks.append((int(i), -c, max(v, 0.0)))
            done += c
    for i in np.flatnonzero(stock > high):
        s, extra = int(stock[i]), int(stock[i] - target[i])
        done = 0
        while done < extra:
            c = min(chunk, extra - done)
            v = float(cost[i, s - done] - cost[i, s - done - c])
            if docks is not None and s - done > docks[i]:
                v = max(v, sink_value_per_bike * min(c, s - done - int(docks[i])))
            if v < min_value_per_bike * c:
                break
            tasks.append((int(i), c, max(v, 0.0)))
            done += c
    if donors:
        spare = stock - np.maximum(target, low)
        inside = (stock <= high) & (spare >= 2)
        for i in np.flatnonzero(inside):
            s, done = int(stock[i]), 0
            for _ in range(donor_chunks):
                c = int(min(spare[i] - done, chunk))
                if c < 2:
                    break
                loss = float(cost[i, s - done - c] - cost[i, s - done])
                sink = docks is not None and s - done > docks[i]
                bonus = sink_value_per_bike * c if sink else 0.01
                tasks.append((int(i), c, max(0.0, bonus - loss)))
                done += c
    return tasks


def offered_moves(bands, stock, docks, *, min_value_per_bike: float = 0.0,
                  sink_value_per_bike: float = 0.0, donor_chunks: int = 1, donors: bool = True,
                  pickup_value_per_bike: float = 0.0) -> list[tuple[int, int, float]]:
    """The chunks offered to the trucks, [(station, +pick/−drop, value in users)], from
    ``bands`` (:class:`StockBands` over the look-ahead that values the moves) at ``stock``
    (clipped to each station's cap). ``pickup_value_per_bike``: users credited per bike
    picked up, on top of its own value, so a truck also takes spare bikes it has no drop for
    yet and drops them on a later route (its load carries over)."""
    tasks = chunked_tasks(bands.cost, stock, bands.low, bands.target, bands.high,
                          donors=donors, min_value_per_bike=min_value_per_bike,
                          docks=np.asarray(docks), sink_value_per_bike=sink_value_per_bike,
                          donor_chunks=donor_chunks)
    if pickup_value_per_bike > 0:
        tasks = [(i, q, v + pickup_value_per_bike * q) if q > 0 else (i, q, v) for i, q, v in tasks]
    return tasks


def route_moves(tasks, x_km, y_km, trucks, params: RoutingParams, *, slack_minutes: float = 0.0,
                zones=None, split_by_clusters: bool = False) -> list[Route]:
    """Routes for ``trucks`` = [(truck_id, x_km, y_km, load, zone or None)] through the
    offered ``tasks``. ``slack_minutes``: routes are planned this much under the budget, so
    traffic delays rarely push a truck past the next decision. ``split_by_clusters``: trucks
    that start together (a depot) split the stations by k-means instead of taking the
    stations nearest to them."""
    if slack_minutes > 0:
        params = replace(params, budget_minutes=max(params.budget_minutes - slack_minutes, 1.0))
    return plan_routes(x_km, y_km, [task for task in tasks if task[1] > 0],
                       [(i, -q, v) for i, q, v in tasks if q < 0], trucks, params, zones,
                       split_by_clusters=split_by_clusters)


def plan_moves(bands, stock, x_km, y_km, docks, trucks, params: RoutingParams, *,
               min_value_per_bike: float = 0.0, sink_value_per_bike: float = 0.0,
               donor_chunks: int = 1, donors: bool = True, slack_minutes: float = 0.0,
               pickup_value_per_bike: float = 0.0, zones=None,
               split_by_clusters: bool = False) -> list[Route]:
    """:func:`offered_moves` then :func:`route_moves`: routes from the bands and stock."""
    tasks = offered_moves(bands, stock, docks, min_value_per_bike=min_value_per_bike,
                          sink_value_per_bike=sink_value_per_bike, donor_chunks=donor_chunks,
                          donors=donors, pickup_value_per_bike=pickup_value_per_bike)
    return route_moves(tasks, x_km, y_km, trucks, params, slack_minutes=slack_minutes, zones=zones,
                       split_by_clusters=split_by_clusters)
