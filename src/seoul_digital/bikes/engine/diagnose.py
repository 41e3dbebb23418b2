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

__all__ = ["STATES", "station_states", "classify_losses"]

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
