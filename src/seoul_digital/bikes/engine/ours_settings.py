"""The settings ``ours`` is measured with (``bench/bikes_replay.py``), replayed with
(``seoul-digital bikes replay``) and plans the app's and CLI's truck routes with
(``recompute``), kept in one place so the three cannot drift. No heavy
imports: the CLI reads these defaults when it builds its options.

Two presets of the same policy: ``service`` (:data:`OURS`) serves as many rentals as the
trucks' time allows; ``lean`` (:data:`OURS_LEAN`) moves a bike only where it avoids at least
0.6 dissatisfied users within 16 hours — fewer bikes handled for a little less service,
for an operator whose cost is the crews' handling rather than the trucks' hours."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["OursSettings", "OURS", "OURS_LEAN", "PRESETS"]


@dataclass(frozen=True)
class OursSettings:
    horizon: int = 8  # hours the bands look ahead when valuing moves
    km_per_user: float = 6.0  # driving one avoided dissatisfied user is worth
    sink_value_per_bike: float = 0.3  # users per bike taken from above a station's docks
    min_value_per_bike: float = 0.03  # moves worth less per bike are not offered
    donor_chunks: int = 4  # lots of 5 bikes a station with spare bikes gives in one stop
    slack_minutes: float = 4.0  # routes planned this much short of the budget (delays)
    overflow_penalty: float = 0.0  # the replay serves returns above the docks; the app charges 0.1
    # A return refused at 2 × docks still ends its trip one station on; a failed rental
    # loses the trip. Charging it 0.3 user lets pickups feed drops rather than relieve
    # near-full stations (week 4: 97.06 → 97.16 % served, refused returns 702 → 1,122).
    refusal_penalty: float = 0.3
    tolerance_abs: float = 0.1  # users of excess a station may have and stay in band
    tolerance_rel: float = 0.05  # the same as a share of its optimum (the larger counts)
    search_s: float = 0.02  # guided local search per truck route (0: first solution only)
    # Users credited per bike a truck picks up, whether or not the same route drops it: a
    # truck then takes spare bikes where it passes and carries them to later routes. For
    # ``lean``: week 4 +0.24/+0.29 points (two seeds) for +3.5 % bikes moved, where a price
    # of 0.5 bought the same for +12 %; the month 96.08 → 96.31 % at 0.67× → 0.69× greedy's.
    pickup_value_per_bike: float = 0.0

    def __post_init__(self):
        if self.pickup_value_per_bike and self.pickup_value_per_bike >= self.min_value_per_bike:
            # Else a truck would rather keep loading bikes than drop the ones users need.
            raise ValueError(f"pickup value per bike ({self.pickup_value_per_bike}) must be below "
                             f"the price of a moved bike ({self.min_value_per_bike})")

    def routing_overrides(self) -> dict:
        """Fields of :class:`RoutingParams` these settings set."""
        return {"km_per_user": self.km_per_user, "time_limit_s": self.search_s}

    def safety_stock_params(self):
        """The :class:`SafetyStockParams` of the bands that value the moves."""
        from seoul_digital.bikes.engine.safety_stock import SafetyStockParams

        return SafetyStockParams(overflow_penalty=self.overflow_penalty,
                                 refusal_penalty=self.refusal_penalty,
                                 tolerance_abs=self.tolerance_abs, tolerance_rel=self.tolerance_rel)

    def move_kwargs(self) -> dict:
        """Keyword arguments of :func:`planner.plan_moves` these settings set."""
        return {"sink_value_per_bike": self.sink_value_per_bike,
                "min_value_per_bike": self.min_value_per_bike, "donor_chunks": self.donor_chunks,
                "slack_minutes": self.slack_minutes,
                "pickup_value_per_bike": self.pickup_value_per_bike}

    def policy_kwargs(self) -> dict:
        """Keyword arguments of :class:`SafetyStockPolicy` these settings set."""
        return {"horizon": self.horizon, "ss_params": self.safety_stock_params(),
                **self.move_kwargs()}


OURS = OursSettings()
# A longer look-ahead values a bike by more of its stay at a station, so the higher price
# per bike keeps the durable moves (week 1: 0.65x greedy's bikes, still above its service).
# Lean keeps the full charge for refused returns: at 0.3 its pickups left 2.5× the refused
# returns for no more service (week 4: 96.17 % vs 96.19 %).
OURS_LEAN = replace(OURS, horizon=16, min_value_per_bike=0.6, refusal_penalty=1.0,
                    pickup_value_per_bike=0.3)
PRESETS = {"service": OURS, "lean": OURS_LEAN}
