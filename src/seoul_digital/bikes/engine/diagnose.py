"""Where a policy loses its rentals: each rental at an empty station classified by what the
policy knew and did about that station at its latest decision before the loss.

States (in this order of precedence, highest last): ``in_band`` (stock at or above the band's
min), ``below_band_not_offered`` (below the min, but no drop worth the price was offered),
``offered_not_routed`` (a drop was offered but no truck took it), ``routed_now`` (a truck was
sent at that decision), ``truck_on_its_way`` (a truck sent earlier still owed bikes). Many
losses in ``offered_not_routed`` mean the trucks are short; in ``below_band_not_offered``,
the price per bike; in the last two, the trucks arrive late. A policy decides only when a
truck is idle, so at the peaks "latest decision" may be some epochs old."""

from __future__ import annotations

import numpy as np

__all__ = ["STATES", "station_states", "classify_losses", "MoveOutcomes"]

STATES = ("in_band", "below_band_not_offered", "offered_not_routed", "routed_now",
          "truck_on_its_way")


def station_states(stock, low, tasks, routes, pending=None) -> np.ndarray:
    """Each station's state (index into :data:`STATES`) at one decision: ``stock`` as the
    policy saw it, ``low`` the bands' min, ``tasks`` the offered [(station, ±bikes, value)],
    ``routes`` the routes sent, ``pending`` the bikes busy trucks still take (+)/bring (−)."""
    state = np.where(np.asarray(stock) < np.asarray(low), 1, 0).astype(np.int8)
    state[[i for i, q, _v in tasks if q < 0]] = 2
    state[[stop.station for route in routes for stop in route.stops if stop.quantity < 0]] = 3
    if pending is not None:
        state[np.asarray(pending) < 0] = 4
    return state


def classify_losses(lost, decisions) -> dict[str, int]:
    """``lost``: [(seconds, station)] of rentals at an empty station (:func:`replay.replay`'s
    ``lost``); ``decisions``: [(seconds, states)] in time order. Losses before the first
    decision count as ``before_first_decision``."""
    counts = dict.fromkeys(STATES, 0)
    counts["before_first_decision"] = 0
    times = np.array([t for t, _s in decisions], float)
    for t, station in lost:
        k = int(np.searchsorted(times, t, side="right")) - 1
        if k < 0:
            counts["before_first_decision"] += 1
        else:
            counts[STATES[int(decisions[k][1][station])]] += 1
    return counts


class MoveOutcomes:
    """What each truck stop bought, counted against the same station without it: a drop of
    q bikes is credited every rental it kept (one the station would have lost with q bikes
    fewer), a pickup is charged every rental lost that its bikes would have served, until the
    station's next truck stop or ``window_s``; what the bikes do after that, and the trips
    they make to other stations, are not credited, so this is a lower view of a move's worth
    (the month's figures in docs/bikes.md: most of it comes later).

    The replay calls :meth:`on_stop` with the bikes actually given (−) or taken (+) and
    :meth:`on_rental` with the stock a user found; :meth:`summary` gives the totals, how big
    the stops were, how many drops found the station already empty and how soon the next
    truck came back (a station given a few bikes again and again costs a stop each time)."""

    def __init__(self, n_stations: int, window_s: float = 86400.0):
        self.window_s = window_s
        self._since = [-1.0] * n_stations  # when the open record began (−1: none)
        self._extra = [0] * n_stations  # bikes the station has more (+, a drop) or fewer than without it
        self._record = [None] * n_stations
        self.totals = {"drops": 0, "drop_bikes": 0, "rentals_kept_by_drops": 0,
                       "drops_at_an_empty_station": 0, "pickups": 0, "pickup_bikes": 0,
                       "rentals_lost_to_pickups": 0}
        self.drop_sizes = [0] * 7  # 1..5 bikes, 6+ (index 0 unused)
        self.next_after_drop = {"drop_within_4h": 0, "drop_within_24h": 0, "pickup_within_24h": 0}
        self.next_after_pickup = {"pickup_within_4h": 0, "pickup_within_24h": 0, "drop_within_24h": 0}

    def _close(self, i: int, t: float, next_kind: str | None = None):
        """End station ``i``'s open record at ``t``; ``next_kind``: the stop that ends it."""
        kind, since = self._record[i], self._since[i]
        self._record[i], self._since[i], self._extra[i] = None, -1.0, 0
        if kind is None or next_kind is None or t - since > self.window_s:
            return
        counts = self.next_after_drop if kind == "drop" else self.next_after_pickup
        counts[f"{next_kind}_within_24h"] += 1
        if next_kind == kind and t - since <= 4 * 3600:  # the same move again soon
            counts[f"{kind}_within_4h"] += 1

    def on_stop(self, t: float, station: int, bikes: int, stock_before: int):
        """``bikes``: taken (+) or given (−) at this stop; ``stock_before``: the stock found."""
        bikes, i = int(bikes), int(station)  # numpy scalars from a policy's plan
        if bikes == 0:
            return
        self._close(i, t, "pickup" if bikes > 0 else "drop")
        q = abs(bikes)
        if bikes < 0:
            self.totals["drops"] += 1
            self.totals["drop_bikes"] += q
            self.totals["drops_at_an_empty_station"] += int(stock_before == 0)
            self.drop_sizes[min(q, 6)] += 1
            self._record[i], self._extra[i] = "drop", q
        else:
            self.totals["pickups"] += 1
            self.totals["pickup_bikes"] += q
            self._record[i], self._extra[i] = "pickup", -q
        self._since[i] = t

    def on_rental(self, t: float, station: int, stock_before: int):
        """A user came to ``station`` and found ``stock_before`` bikes (0: the rental failed)."""
        i = station
        extra = self._extra[i]
        if not extra:
            return
        if t - self._since[i] > self.window_s:
            self._close(i, t)
            return
        if extra > 0 and 0 < stock_before <= extra:
            self.totals["rentals_kept_by_drops"] += 1  # without the drop this user found none
            self._extra[i] = extra - 1
        elif extra < 0 and stock_before == 0:
            self.totals["rentals_lost_to_pickups"] += 1  # the bikes taken would have served
            self._extra[i] = extra + 1

    def summary(self) -> dict:
        out = dict(self.totals)
        out["kept_per_bike_dropped"] = round(out["rentals_kept_by_drops"] / max(out["drop_bikes"], 1), 3)
        out["lost_per_bike_picked_up"] = round(out["rentals_lost_to_pickups"] / max(out["pickup_bikes"], 1), 3)
        out["drop_sizes_1_to_5_and_more"] = self.drop_sizes[1:]
        out["after_a_drop_the_next_stop_is"] = dict(self.next_after_drop)
        out["after_a_pickup_the_next_stop_is"] = dict(self.next_after_pickup)
        return out
