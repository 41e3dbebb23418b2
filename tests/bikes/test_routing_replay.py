"""Routes (feasibility, value), replay mechanics (served, zero minutes, trucks, conservation)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from seoul_digital.bikes.engine import replay as rp
from seoul_digital.bikes.engine.planner import chunked_tasks
from seoul_digital.bikes.engine.routing import (RoutingParams, imbalance_lists, incentive_list,
                                                plan_routes)


def _check_route(route, params, qty_by_station=None):
    load = route.start_load
    seen = set()
    for stop in route.stops:
        load += stop.quantity
        assert 0 <= load <= params.capacity
        assert stop.station not in seen
        seen.add(stop.station)
    assert route.minutes <= params.budget_minutes + 1e-6


def test_routes_are_feasible_and_skip_worthless_far_stations():
    rng = np.random.default_rng(3)
    n = 120
    x, y = rng.uniform(0, 6, n), rng.uniform(0, 6, n)
    x[0], y[0] = 60.0, 60.0  # far away, of little value
    stock = rng.integers(0, 25, n)
    stock[0] = 0
    low, target, high = np.full(n, 4), np.full(n, 8), np.full(n, 14)
    value = np.abs(stock - target).astype(float)
    value[0] = 0.1
    surplus, deficit = imbalance_lists(stock, low, target, high, value)
    assert all(stock[i] > 14 for i, _a, _v in surplus) and all(stock[i] < 4 for i, _a, _v in deficit)
    assert [v for _i, _a, v in deficit] == sorted((v for _i, _a, v in deficit), reverse=True)
    params = RoutingParams(capacity=15, budget_minutes=90)
    routes = plan_routes(x, y, surplus, deficit, [(0, 3, 3, 0, None), (1, 1, 5, 5, None)], params)
    assert routes and all(r.stops for r in routes)
    for r in routes:
        _check_route(r, params)
    visited = {s.station for r in routes for s in r.stops}
    assert 0 not in visited
    # The empty truck must pick up before it can drop.
    empty_start = [r for r in routes if r.start_load == 0][0]
    assert empty_start.stops[0].quantity > 0


def test_incentive_list_names_overflowing_and_draining_stations():
    rent = np.array([[5.0] * 3, [0.0] * 3, [1.0] * 3])
    ret = np.array([[0.0] * 3, [5.0] * 3, [1.0] * 3])
    out = incentive_list(rent, ret, stock=[3, 8, 5], docks=[10, 10, 10], hours=[7, 8, 9],
                         station_nos=["A", "B", "C"])
    band = out[0]
    assert band["band"] == "07-10"
    assert [s["station"] for s in band["rent_from"]] == ["B"]
    assert [s["station"] for s in band["return_to"]] == ["A"]


def _arrays(trips):
    a = np.array(trips, float)
    return a[:, 0], a[:, 1], a[:, 2].astype(int), a[:, 3].astype(int)


def test_replay_counts_served_empty_zero_minutes_and_refused_returns():
    # Station 0 has 1 bike, station 1 has 0; docks 1 (cap 2 at overflow 2.0).
    trips = [(0, 600, 0, 1), (60, 700, 0, 1), (1200, 1300, 1, 1)]
    rent_s, ret_s, o, d = _arrays(trips)
    res = rp.replay(rent_s, ret_s, o, d, [1, 1], [0, 1], [0, 0], rp.NoPolicy(),
                    rp.ReplayConfig(trucks=0), hours=1, initial_stock=[1, 0])
    assert (res.attempted, res.served, res.empty_rentals) == (3, 2, 1)
    assert res.empty_by_hour == [1]  # the failed rental at 60 s, in hour 0
    # Station 0 empty from t=0 to the end (60 min); station 1 empty 0–600 s and 1200–1300 s.
    assert res.zero_bike_station_minutes == pytest.approx(60 + 10 + 100 / 60)
    assert res.overflow_returns == 0 and res.refused_returns == 0
    # Returns to a station at its cap are refused and go to the nearest station.
    trips = [(0, 100, 0, 1), (10, 110, 0, 1), (20, 120, 0, 1)]
    rent_s, ret_s, o, d = _arrays(trips)
    res = rp.replay(rent_s, ret_s, o, d, [3, 1], [0, 1], [0, 0], rp.NoPolicy(),
                    rp.ReplayConfig(trucks=0), hours=1, initial_stock=[3, 0])
    assert res.served == 3 and res.overflow_returns == 1 and res.refused_returns == 1
    assert res.final_stock == [1, 2]


class _OneMove:
    """Moves 3 bikes from station 0 to station 1 at the first epoch."""

    name = "test"

    def __init__(self):
        self.calls = 0

    def decide(self, t_s, stock, trucks):
        from seoul_digital.bikes.engine.routing import Stop

        self.calls += 1
        if self.calls > 1:
            return []
        return [rp.Route(trucks[0].id, [Stop(0, 3, 5.0), Stop(1, -3, 15.0)], 2.0, 20.0, 0)]


def test_trucks_move_bikes_late_and_bikes_are_conserved():
    rent_s, ret_s, o, d = _arrays([(3000, 3300, 1, 0)] * 3)
    cfg = rp.ReplayConfig(trucks=1, capacity=10, delay_sigma=0.0, period_min=60)
    res = rp.replay(rent_s, ret_s, o, d, [10, 10], [0.0, 1.0], [0.0, 0.0], _OneMove(), cfg,
                    hours=2, initial_stock=[5, 0], zones=np.array([0, 0]))
    assert res.bikes_moved == 3 and res.served == 3 and res.final_stock == [5, 0]
    assert res.truck_km > 0 and res.routes == 1
    # With heavy traffic the same route arrives too late for the rentals at 3000 s.
    cfg_late = rp.ReplayConfig(trucks=1, capacity=10, delay_sigma=0.0, period_min=60, speed_kmh=0.02)
    late = rp.replay(rent_s, ret_s, o, d, [10, 10], [0.0, 1.0], [0.0, 0.0], _OneMove(), cfg_late,
                     hours=2, initial_stock=[5, 0], zones=np.array([0, 0]))
    # The plan said 20 minutes; the real drive took far longer: the truck counts as delayed.
    assert late.served == 0 and late.delayed_trucks == 1 and late.bikes_moved == 0  # still driving at the end


def _world(n=40, seed=4):
    from seoul_digital.bikes.engine import stations as st, synth
    from tests.bikes.test_synth import _read

    stations = _read(st.synthetic_stations(n, seed=seed))
    model = synth.build_demand(stations, "2018-05", None, None, scale=1.0, seed=seed)
    return stations, model


def test_policies_on_a_small_world_conserve_bikes_and_help_service():
    from seoul_digital.bikes.engine.routing import zones_kmeans
    from seoul_digital.bikes.engine.stations import project_km

    stations, model = _world()
    from seoul_digital.bikes.engine.synth import sample_trips

    trips = sample_trips(model, seed=1)
    trips = trips[trips["_rent_s"] < 3 * 86400]
    x, y = project_km(stations["lat"], stations["lon"])
    docks = stations["docks"].to_numpy()
    cfg = rp.ReplayConfig(trucks=2, capacity=15, initial_fill=0.35)
    params = RoutingParams(capacity=15)
    zones = zones_kmeans(x, y, 2)
    args = (trips["_rent_s"].to_numpy(), trips["_return_s"].to_numpy(), trips["_o"].to_numpy(),
            trips["_d"].to_numpy(), docks, x, y)
    none = rp.replay(*args, rp.NoPolicy(), cfg, hours=72, zones=zones)
    ours = rp.replay(*args, rp.SafetyStockPolicy(x, y, docks, model.origin_rate, model.expected_returns(),
                                                  params), cfg, hours=72, zones=zones)
    greedy = rp.replay(*args, rp.GreedyNearest(x, y, docks, params), cfg, hours=72, zones=zones)
    for r in (none, ours, greedy):
        e = r.extra
        assert e["bikes_at_stations_end"] + e["bikes_on_trucks_end"] + e["bikes_riding_end"] == e["initial_stock_total"]
    assert ours.served_share > none.served_share and greedy.served_share > none.served_share
    assert ours.bikes_moved > 0 and none.bikes_moved == 0


@pytest.mark.parametrize("policy", ["greedy", "ours"])
def test_replay_cli_reports_bad_rows(tmp_path, monkeypatch, policy):
    from seoul_digital.bikes.cli import group
    from seoul_digital.bikes.engine import sources, synth
    from seoul_digital.bikes.engine.trips import write_trips

    monkeypatch.setattr(sources, "data_dir", lambda explicit=None: None)
    src = sources.load_sources()  # the synthetic list the CLI will also use
    model = synth.build_demand(src.stations.usable, "2018-05", None, None, scale=0.02)
    trips = synth.sample_trips(model, seed=0)
    trips = trips[trips["_rent_s"] < 2 * 86400].copy()
    bad = trips.iloc[:2].copy()
    bad.loc[bad.index[0], "대여 대여소번호"] = "99999"
    bad.loc[bad.index[1], "반납일시"] = "2018-04-30 00:00:00"
    path = write_trips(pd.concat([trips, bad]), tmp_path / "t.csv")
    result = CliRunner().invoke(group, ["replay", "--trips", str(path), "--policy", policy,
                                        "--trucks", "2", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["trips_file"]["problems"]["unknown_station"]["count"] == 1
    assert out["trips_file"]["problems"]["return_before_rent"]["count"] == 1
    assert out["attempted_rentals"] == len(trips) and 0 < out["served_share"] <= 1
    assert {"zero_bike_station_minutes", "dissatisfied_users", "bikes_moved", "truck_km",
            "delayed_trucks"} <= out.keys()


def test_trucks_from_one_depot_share_the_work():
    rng = np.random.default_rng(8)
    n = 90
    x = np.concatenate([rng.normal(0, 0.5, 30), rng.normal(5, 0.5, 30), rng.normal(0, 0.5, 30)])
    y = np.concatenate([rng.normal(0, 0.5, 30), rng.normal(0, 0.5, 30), rng.normal(5, 0.5, 30)])
    stock = np.where(np.arange(n) % 2 == 0, 0, 20)
    surplus, deficit = imbalance_lists(stock, np.full(n, 4), np.full(n, 8), np.full(n, 14))
    trucks = [(k, 2.0, 2.0, 0, None) for k in range(3)]
    params = RoutingParams(budget_minutes=120)
    alone = plan_routes(x, y, surplus, deficit, trucks, params)
    shared = plan_routes(x, y, surplus, deficit, trucks, params, split_by_clusters=True)
    assert len({r.truck for r in alone}) == 1  # nearest-truck ties all go to the first truck
    assert len({r.truck for r in shared}) == 3
    for r in shared:
        _check_route(r, params)
    assert sum(r.bikes_moved for r in shared) > sum(r.bikes_moved for r in alone)


def test_chunked_tasks_value_marginal_users_and_credit_sinks():
    from seoul_digital.bikes.engine.safety_stock import compute_bands

    # Station 0 drains (empty now), 1 fills up (above its band), 2 and 3 are idle; 3 holds
    # more bikes than its docks (a sink: its bikes are the fleet's reserve).
    bands = compute_bands([[4, 4, 4], [0.2, 0.2, 0.2], [0, 0, 0], [0, 0, 0]],
                          [[0, 0, 0], [3, 3, 3], [0, 0, 0], [0, 0, 0]], [10, 10, 10, 10])
    stock = np.array([0, 18, 6, 14])
    tasks = chunked_tasks(bands.cost, stock, bands.low, bands.target, bands.high,
                             docks=np.array([10, 10, 10, 10]), sink_value_per_bike=0.3)
    drops = [t for t in tasks if t[0] == 0]
    assert drops and all(q < 0 for _i, q, _v in drops)
    values = [v for _i, _q, v in drops]
    assert values == sorted(values, reverse=True) and values[0] > 1  # first bikes matter most
    assert sum(-q for _i, q, _v in drops) == bands.target[0]
    surplus = [v for i, q, v in tasks if i == 1]
    assert surplus and surplus == sorted(surplus, reverse=True) and bands.high[1] < 18
    idle = [t for t in tasks if t[0] == 2]
    assert idle and all(v <= 0.01 for _i, _q, v in idle)
    sink = [t for t in tasks if t[0] == 3]
    assert sink and all(q > 0 and v == pytest.approx(0.3 * q) for _i, q, v in sink)
    strict = chunked_tasks(bands.cost, stock, bands.low, bands.target, bands.high,
                              min_value_per_bike=0.5, donors=False)
    assert sum(-q for i, q, _v in strict if i == 0) < bands.target[0]  # low-value bikes skipped


class _Recorder(_OneMove):
    """_OneMove that also records the pending stops the replay hands it."""

    uses_pending = True

    def __init__(self):
        super().__init__()
        self.seen = []

    def decide(self, t_s, stock, trucks, pending=None):
        self.seen.append((t_s, [tr.id for tr in trucks], None if pending is None else pending.tolist()))
        return super().decide(t_s, stock, trucks)


def test_replay_tells_the_policy_which_stops_busy_trucks_still_owe():
    rent_s, ret_s, o, d = _arrays([(9000, 9300, 1, 0)])
    # 0.5 km/h: the first leg takes over an hour, so at the second epoch nothing is done yet.
    cfg = rp.ReplayConfig(trucks=2, capacity=10, delay_sigma=0.0, period_min=60, speed_kmh=0.5)
    pol = _Recorder()
    rp.replay(rent_s, ret_s, o, d, [10, 10], [0.0, 1.0], [0.0, 0.0], pol, cfg, hours=3,
              initial_stock=[5, 0], zones=np.array([0, 0]))
    assert pol.seen[0][2] == [0, 0]
    t, idle, pending = pol.seen[1]
    assert t == 3600 and idle == [1] and pending == [3, -3]  # truck 0 still owes both stops


def test_ours_sends_no_second_truck_to_a_station_a_busy_truck_will_fill():
    n = 6
    x = np.array([0.0, 0.3, 0.6, 0.9, 1.2, 1.5])
    y = np.zeros(n)
    docks = np.full(n, 10)
    rent = np.zeros((n, 4))
    ret = np.zeros((n, 4))
    rent[0] = 4.0  # station 0 drains: it needs bikes
    ret[5] = 4.0  # station 5 fills up: it has bikes to give
    stock = np.array([0, 5, 5, 5, 5, 19])
    pol = rp.SafetyStockPolicy(x, y, docks, rent, ret, RoutingParams(capacity=20, budget_minutes=60))
    trucks = [rp.TruckState(0, 1.5, 0.0, 0, 0.0, None)]
    plain = pol.decide(0, stock, trucks)
    assert any(s.station == 0 and s.quantity < 0 for r in plain for s in r.stops)
    # A busy truck is already bringing station 0 its target (the band the policy itself just
    # computed for this hour): this truck leaves it alone.
    target = int(pol._bands[1].target[0])
    assert target > 0
    pending = np.array([-target, 0, 0, 0, 0, 0])
    aware = pol.decide(0, stock, trucks, pending=pending)
    assert not any(s.station == 0 for r in aware for s in r.stops)


def test_greedy_leaves_a_station_to_the_busy_truck_driving_there():
    x = np.array([0.0, 0.5, 3.0])
    y = np.zeros(3)
    docks = np.full(3, 10)
    stock = np.array([10, 0, 0])  # 0 full, 1 and 2 empty; 1 is nearer
    params = RoutingParams(capacity=20, budget_minutes=60)
    greedy = rp.GreedyNearest(x, y, docks, params)
    truck = [rp.TruckState(0, 0.0, 0.0, 5, 0.0, None)]  # 5 bikes on board
    first = greedy.decide(0, stock, truck)[0].stops[0]
    assert first.station == 1 and first.quantity < 0
    pending = np.array([0, -5, 0])  # another truck is bringing station 1 its bikes
    first = greedy.decide(0, stock, truck, pending=pending)[0].stops[0]
    assert first.station == 2 and first.quantity < 0


def test_midday_decision_looks_ahead_to_the_evening_peak():
    # Station 0 is quiet until 17:00, then drains 6 bikes an hour; station 1 has bikes to give.
    n = 2
    x, y = np.array([0.0, 0.5]), np.zeros(n)
    docks = np.full(n, 15)
    hours = 24
    rent, ret = np.zeros((n, hours)), np.zeros((n, hours))
    rent[0, 17:21] = 6.0
    stock = np.array([2, 20])
    params = RoutingParams(capacity=20, budget_minutes=60)
    trucks = [rp.TruckState(0, 0.5, 0.0, 0, 0.0, None)]
    fixed = rp.SafetyStockPolicy(x, y, docks, rent, ret, params, horizon=3,
                                 min_value_per_bike=0.1)
    ahead = rp.SafetyStockPolicy(x, y, docks, rent, ret, params, horizon=3,
                                 min_value_per_bike=0.1, plan_until_hour=21, max_horizon=10)
    assert fixed.horizon_at(12) == 3 and ahead.horizon_at(12) == 9
    assert ahead.horizon_at(3) == 3 and ahead.horizon_at(18) == 3  # outside the window
    assert ahead.horizon_at(6) == 10  # capped at max_horizon
    assert ahead.horizon_at(24 + 12) == 9  # the window repeats every day
    noon = 12 * 3600
    # Three hours ahead, noon is quiet: no truck. Looking to 21:00, station 0 is pre-filled.
    assert not any(s.station == 0 for r in fixed.decide(noon, stock, trucks) for s in r.stops)
    drops = [s for r in ahead.decide(noon, stock, trucks) for s in r.stops if s.station == 0]
    assert drops and drops[0].quantity <= -5
    # A donor offering several chunks lets one stop fill the truck: fewer stops per bike.
    bulk = rp.SafetyStockPolicy(x, y, docks, rent, ret, params, horizon=3, min_value_per_bike=0.1,
                                plan_until_hour=21, max_horizon=10, donor_chunks=3)
    stops = [s for r in bulk.decide(noon, stock, trucks) for s in r.stops]
    assert [(s.station, s.quantity) for s in stops] == [(1, 15), (0, -15)]
    # The clock hour of the first column shifts the window.
    late = rp.SafetyStockPolicy(x, y, docks, rent, ret, params, horizon=3,
                                plan_until_hour=21, max_horizon=10, start_hour=12)
    assert late.horizon_at(0) == 9 and late.horizon_at(9) == 3


def test_slack_plans_routes_short_of_the_budget():
    rng = np.random.default_rng(5)
    n = 60
    x, y = rng.uniform(0, 4, n), rng.uniform(0, 4, n)
    docks = np.full(n, 10)
    rent, ret = np.zeros((n, 6)), np.zeros((n, 6))
    rent[: n // 2] = 5.0  # half drain, half fill: plenty of valuable work
    ret[n // 2:] = 5.0
    stock = np.where(np.arange(n) < n // 2, 0, 19)
    params = RoutingParams(capacity=20, budget_minutes=60)
    trucks = [rp.TruckState(0, 2.0, 2.0, 0, 0.0, None)]
    full = rp.SafetyStockPolicy(x, y, docks, rent, ret, params).decide(0, stock, trucks)
    short = rp.SafetyStockPolicy(x, y, docks, rent, ret, params, slack_minutes=10).decide(0, stock, trucks)
    assert full and short
    assert max(r.minutes for r in full) > 50
    assert all(r.minutes <= 50 + 1e-6 for r in short)
    for r in short:
        _check_route(r, params)


def test_planned_minutes_are_what_the_truck_spends():
    # Donors offer several chunks of 5 bikes; a truck may take only some of one station's
    # chunks. Each station visited is one stop of the full fixed time, as in the replay: the
    # route's planned minutes are the replay's minutes without traffic delays.
    rng = np.random.default_rng(11)
    n = 40
    x, y = rng.uniform(0, 3, n), rng.uniform(0, 3, n)
    picks = [(i, 5, 0.4) for i in range(10) for _ in range(4)]  # 4 chunks at each of 10 donors
    drops = [(i, 5, 1.0 + (i % 3)) for i in range(10, n)]
    params = RoutingParams(capacity=20, budget_minutes=60)
    trucks = [(0, 1.5, 1.5, 0, None), (1, 0.2, 2.8, 10, None)]
    routes = plan_routes(x, y, picks, drops, trucks, params)
    assert routes
    start = {t[0]: (t[1], t[2]) for t in trucks}
    for r in routes:
        _check_route(r, params)
        (px, py), spent = start[r.truck], 0.0
        for s in r.stops:
            spent += np.hypot(x[s.station] - px, y[s.station] - py) * params.detour / params.speed_kmh * 60
            spent += params.stop_minutes + params.minutes_per_bike * abs(s.quantity)
            px, py = x[s.station], y[s.station]
        assert r.minutes == pytest.approx(spent, abs=0.1 * (len(r.stops) + 1))
    # Some donor gave part of its chunks: the case the old per-chunk share of a stop undercounted.
    taken = [s.quantity for r in routes for s in r.stops if s.station < 10]
    assert any(0 < q < 20 for q in taken)


def _cli_trips_and_policy_spy(tmp_path, monkeypatch, hours: int):
    """A small synthetic trip file (no ../shared) and the list of the keyword arguments
    every SafetyStockPolicy the CLI builds receives."""
    from seoul_digital.bikes.engine import sources, synth
    from seoul_digital.bikes.engine.trips import write_trips

    monkeypatch.setattr(sources, "data_dir", lambda explicit=None: None)
    src = sources.load_sources()
    model = synth.build_demand(src.stations.usable, "2018-05", None, None, scale=0.02)
    trips = synth.sample_trips(model, seed=0)
    path = write_trips(trips[trips["_rent_s"] < hours * 3600].copy(), tmp_path / "t.csv")
    seen = []
    real = rp.SafetyStockPolicy

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(rp, "SafetyStockPolicy", spy)
    return path, seen


def test_replay_cli_hands_band_settings_to_ours(tmp_path, monkeypatch):
    from seoul_digital.bikes.cli import group

    path, seen = _cli_trips_and_policy_spy(tmp_path, monkeypatch, hours=6)
    result = CliRunner().invoke(group, ["replay", "--trips", str(path), "--trucks", "2",
                                        "--tolerance-abs", "0.2", "--json"])
    assert result.exit_code == 0, result.output
    band = seen[-1]["ss_params"]
    # The bench's settings unless told otherwise: returns above the docks are served.
    assert (band.overflow_penalty, band.tolerance_abs, band.tolerance_rel) == (0.0, 0.2, 0.05)
    assert json.loads(result.output)["config"]["preset"] == "service"


def test_replay_cli_lean_preset_and_overrides(tmp_path, monkeypatch):
    from seoul_digital.bikes.cli import group
    from seoul_digital.bikes.engine.ours_settings import OURS_LEAN

    path, seen = _cli_trips_and_policy_spy(tmp_path, monkeypatch, hours=4)
    runner = CliRunner()
    lean = runner.invoke(group, ["replay", "--trips", str(path), "--trucks", "2", "--preset", "lean",
                                 "--search-s", "0", "--json"])
    assert lean.exit_code == 0, lean.output
    assert (seen[-1]["horizon"], seen[-1]["min_value_per_bike"]) == (16, 0.6) == (
        OURS_LEAN.horizon, OURS_LEAN.min_value_per_bike)
    assert json.loads(lean.output)["config"]["ours"]["horizon"] == 16
    # An explicit option beats the preset; the others stay the preset's.
    mixed = runner.invoke(group, ["replay", "--trips", str(path), "--trucks", "2", "--preset", "lean",
                                  "--horizon", "10", "--search-s", "0", "--json"])
    assert mixed.exit_code == 0, mixed.output
    assert (seen[-1]["horizon"], seen[-1]["min_value_per_bike"]) == (10, 0.6)
    bad = runner.invoke(group, ["replay", "--trips", str(path), "--preset", "cheap"])
    assert bad.exit_code != 0 and "cheap" in bad.output
    # A pickup worth as much as the price of a moved bike would keep bikes on the trucks.
    hoard = runner.invoke(group, ["replay", "--trips", str(path), "--preset", "lean",
                                  "--min-value-per-bike", "0.2", "--json"])
    assert hoard.exit_code == 1 and "pickup value per bike (0.3)" in hoard.output
    assert "Traceback" not in hoard.output
    fixed = runner.invoke(group, ["replay", "--trips", str(path), "--trucks", "2", "--preset", "lean",
                                  "--min-value-per-bike", "0.2", "--pickup-value", "0.1",
                                  "--search-s", "0", "--json"])
    assert fixed.exit_code == 0, fixed.output
    assert seen[-1]["pickup_value_per_bike"] == 0.1


def test_chunked_tasks_offer_the_first_bikes_of_a_quiet_station():
    from seoul_digital.bikes.engine.safety_stock import compute_bands

    # A quiet, balanced station at 0 bikes: the first bike avoids far more users than the
    # fifth, so a price between the two allows a short chunk though not a full one of 5.
    rate = [[0.4] * 16]
    bands = compute_bands(rate, rate, [10])
    cost = bands.cost[0]
    first, per_bike_of_five = cost[0] - cost[1], (cost[0] - cost[5]) / 5
    assert first > per_bike_of_five
    price = (first + per_bike_of_five) / 2
    tasks = chunked_tasks(bands.cost, np.array([0]), bands.low, bands.target, bands.high,
                             min_value_per_bike=price, donors=False)
    assert tasks, "the bikes worth the price were not offered"
    (station, q, value), *rest = tasks
    assert station == 0 and -5 < q < 0 and value >= price * -q
    assert not rest  # the next bikes are worth less than the price


def test_pickup_value_lets_a_truck_take_spare_bikes_for_a_later_route():
    from seoul_digital.bikes.engine.planner import plan_moves
    from seoul_digital.bikes.engine.safety_stock import compute_bands

    # No station needs bikes now; station 0 holds bikes its (idle) demand does not need.
    bands = compute_bands([[0.0] * 4, [0.5] * 4], [[0.0] * 4, [0.5] * 4], [10, 10])
    stock = np.array([12, 5])
    x, y = np.array([0.5, 3.0]), np.array([0.0, 0.0])
    params = RoutingParams(capacity=20, budget_minutes=60, time_limit_s=0)
    truck = [(0, 0.0, 0.0, 0, None)]
    assert plan_moves(bands, stock, x, y, [10, 10], truck, params, donor_chunks=4) == []
    routes = plan_moves(bands, stock, x, y, [10, 10], truck, params, donor_chunks=4,
                        pickup_value_per_bike=0.3)
    assert [(s.station, s.quantity > 0) for r in routes for s in r.stops] == [(0, True)]
    taken = routes[0].bikes_moved
    assert 2 <= taken <= stock[0] - bands.target[0]  # only the spare above its target
    _check_route(routes[0], params)


def _planner_world(n=60, hours=16, seed=4):
    """Stations of the synthetic list with lopsided demand and a stock that leaves some
    empty and some overfull, for the planner tests."""
    from tests.bikes.helpers import station_frame

    rng = np.random.default_rng(seed)
    frame = station_frame([(str(1000 + k), f"대여소 {k}", "강남구", "11680",
                            37.50 + rng.normal(0, 0.012), 127.04 + rng.normal(0, 0.015),
                            int(rng.integers(6, 20))) for k in range(n)])
    docks = frame["docks"].to_numpy(int)
    rent = rng.gamma(2.0, 1.2, (n, hours))
    ret = rng.gamma(2.0, 1.2, (n, hours)) * rng.choice([0.3, 1.0, 2.5], n)[:, None]
    stock = np.where(rng.random(n) < 0.3, 0, rng.integers(0, 2 * docks + 1)).astype(float)
    return frame, docks, rent, ret, stock


@pytest.mark.parametrize("preset", ["service", "lean"])
def test_recompute_ships_the_routes_the_benchmarked_policy_plans(preset):
    # What operators get from recompute (app job, CLI safety-stock) must be what
    # bench/bikes_replay.py measures: the same stops from the same bands and stock.
    from dataclasses import replace

    from seoul_digital.bikes.engine.ours_settings import PRESETS
    from seoul_digital.bikes.engine.recompute import recompute
    from seoul_digital.bikes.engine.stations import project_km

    plan = replace(PRESETS[preset], search_s=0.0)  # no time-limited search: deterministic
    frame, docks, rent, ret, stock = _planner_world()
    lat, lon = float(frame["lat"].mean()), float(frame["lon"].mean())
    shipped = recompute(frame, stock, rent, ret, trucks=[(0, lat, lon, 0)],
                        routing=RoutingParams(budget_minutes=60), alert_hours=3, plan=plan)
    x, y = project_km(frame["lat"].to_numpy(float), frame["lon"].to_numpy(float))
    tx, ty = project_km(np.array([lat]), np.array([lon]))
    policy = rp.SafetyStockPolicy(x, y, docks, rent, ret,
                                  RoutingParams(budget_minutes=60, **plan.routing_overrides()),
                                  **plan.policy_kwargs())
    measured = policy.decide(0.0, stock.astype(int), [rp.TruckState(0, float(tx[0]), float(ty[0]))])
    stops = [(s.station, s.quantity) for r in shipped.routes for s in r.stops]
    assert stops and stops == [(s.station, s.quantity) for r in measured for s in r.stops]
    assert shipped.route_horizon_hours == plan.horizon and shipped.horizon_hours == 3
    assert all(r.minutes <= 60 - plan.slack_minutes + 1e-6 for r in shipped.routes)


def test_recompute_presets_price_the_bikes_and_skip_unknown_stock():
    from dataclasses import replace

    from seoul_digital.bikes.engine.ours_settings import OURS, OURS_LEAN
    from seoul_digital.bikes.engine.recompute import recompute

    frame, docks, rent, ret, stock = _planner_world(n=120)
    stock[:10] = np.nan  # no count at these stations: they must not be visited
    lat, lon = float(frame["lat"].mean()), float(frame["lon"].mean())
    fleet = [(k, lat, lon, 0) for k in range(3)]
    moved = {}
    unpriced = replace(OURS_LEAN, min_value_per_bike=OURS.min_value_per_bike, pickup_value_per_bike=0.0)
    for name, plan in (("service", OURS), ("lean", OURS_LEAN), ("lean without its price", unpriced)):
        result = recompute(frame, stock, rent, ret, trucks=fleet, alert_hours=3, plan=plan,
                           routing=RoutingParams(budget_minutes=60))
        visited = {s.station for r in result.routes for s in r.stops}
        assert visited and not visited & set(range(10)), name
        moved[name] = sum(-s.quantity for r in result.routes for s in r.stops if s.quantity < 0)
    # The lean preset's price per bike leaves the smaller top-ups out (bikes dropped: with
    # its pickup value a lean truck also loads spare bikes for later routes).
    assert 0 < moved["lean"] < moved["lean without its price"]


def test_clairvoyant_bound_moves_a_bike_only_when_it_is_worth_the_price():
    from seoul_digital.bikes.engine.bound import clairvoyant_frontier

    # One bike at station 0; a user wants one at station 1 (t=1,000 s) and rides to 0.
    cheap, dear = clairvoyant_frontier([1000], [2000], [1], [0], [1, 0], [0.5, 2.0])
    assert (cheap.served, cheap.bikes_moved) == (1, 1)
    assert (dear.served, dear.bikes_moved) == (0, 0)
    # Two users at station 0 riding to 1, 80 minutes apart: the second needs the bike back.
    cheap, dear = clairvoyant_frontier([100, 5000], [200, 5100], [0, 0], [1, 1], [1, 0], [0.5, 1.5])
    assert (cheap.served, cheap.bikes_moved) == (2, 1)
    assert (dear.served, dear.bikes_moved) == (1, 0)
    # A bike returned later than a rental cannot serve it, however cheap the move.
    late, = clairvoyant_frontier([100, 3000], [4000, 3100], [0, 1], [1, 0], [0, 0], [0.0])
    assert late.served == 0 and late.bikes_moved == 0
    with pytest.raises(ValueError, match="returns before"):
        clairvoyant_frontier([100], [50], [0], [1], [1, 0], [0.5])
    with pytest.raises(ValueError, match="outside the station list"):
        clairvoyant_frontier([100], [200], [0], [5], [1, 0], [0.5])


def test_no_policy_beats_the_clairvoyant_bound():
    """For every price λ, served − λ × moved of any replayed policy stays at or under the
    bound's (returns are never refused here, the one move the replay gives for free)."""
    from seoul_digital.bikes.engine.bound import clairvoyant_frontier
    from seoul_digital.bikes.engine.routing import zones_kmeans
    from seoul_digital.bikes.engine.stations import project_km
    from seoul_digital.bikes.engine.synth import sample_trips

    stations, model = _world()
    trips = sample_trips(model, seed=2)
    trips = trips[trips["_rent_s"] < 2 * 86400]
    x, y = project_km(stations["lat"], stations["lon"])
    docks = stations["docks"].to_numpy()
    cfg = rp.ReplayConfig(trucks=2, capacity=15, initial_fill=0.35, overflow=1000.0)
    params = RoutingParams(capacity=15)
    zones = zones_kmeans(x, y, 2)
    args = (trips["_rent_s"].to_numpy(), trips["_return_s"].to_numpy(), trips["_o"].to_numpy(),
            trips["_d"].to_numpy(), docks, x, y)
    runs = [rp.replay(*args, policy, cfg, hours=48, zones=zones)
            for policy in (rp.NoPolicy(), rp.GreedyNearest(x, y, docks, params),
                           rp.SafetyStockPolicy(x, y, docks, model.origin_rate, model.expected_returns(), params))]
    assert all(r.refused_returns == 0 for r in runs)
    prices = [0.0, 0.2, 0.5, 1.0, 5.0]
    stock = np.round(np.maximum(docks, 1) * cfg.initial_fill).astype(int)
    points = clairvoyant_frontier(*args[:4], stock, prices)
    assert points[-1].bikes_moved == 0 and points[0].served >= points[-1].served
    assert [p.bikes_moved for p in points] == sorted((p.bikes_moved for p in points), reverse=True)
    for p in points:
        assert p.attempted == len(trips)
        for r in runs:
            assert r.served - p.price * r.bikes_moved <= p.served - p.price * p.bikes_moved + 1e-9
    assert points[0].served > runs[0].served  # the bound does gain from moves


def test_station_states_and_loss_classes_follow_what_the_policy_did():
    from seoul_digital.bikes.engine.diagnose import classify_losses, station_states
    from seoul_digital.bikes.engine.routing import Route, Stop

    # 0 in band; 1 below its min, nothing offered; 2 offered, not routed; 3 routed now;
    # 4 owed bikes by a busy truck (that beats being offered again).
    stock, low = np.array([5, 0, 0, 0, 0]), np.array([2, 2, 2, 2, 2])
    tasks = [(2, -3, 1.0), (3, -3, 2.0), (4, -2, 1.0), (0, 2, 0.01)]
    routes = [Route(0, [Stop(0, 2, 5.0), Stop(3, -2, 12.0)])]
    first = station_states(stock, low, tasks, routes, pending=np.array([0, 0, 0, 0, -2]))
    assert first.tolist() == [0, 1, 2, 3, 4]
    later = station_states(stock, low, [], [], pending=None)
    assert later.tolist() == [0, 1, 1, 1, 1]
    decisions = [(900.0, first), (1800.0, later)]
    lost = [(100.0, 1), (900.0, 0), (1000.0, 2), (1799.0, 3), (1799.0, 4), (1800.0, 4)]
    counts = classify_losses(lost, decisions)
    assert counts == {"in_band": 1, "below_band_not_offered": 1, "offered_not_routed": 1,
                      "routed_now": 1, "truck_on_its_way": 1, "before_first_decision": 1}


def test_replay_hands_every_lost_rental_to_the_diagnosis():
    from seoul_digital.bikes.engine.diagnose import classify_losses
    from seoul_digital.bikes.engine.routing import zones_kmeans
    from seoul_digital.bikes.engine.stations import project_km
    from seoul_digital.bikes.engine.synth import sample_trips

    stations, model = _world()
    trips = sample_trips(model, seed=3)
    trips = trips[trips["_rent_s"] < 86400]
    x, y = project_km(stations["lat"], stations["lon"])
    docks = stations["docks"].to_numpy()
    cfg = rp.ReplayConfig(trucks=2, capacity=15, initial_fill=0.3, period_min=30)
    params = RoutingParams(capacity=15, time_limit_s=0)
    policy = rp.SafetyStockPolicy(x, y, docks, model.origin_rate, model.expected_returns(), params,
                                  horizon=3, record_states=True)
    lost: list = []
    res = rp.replay(trips["_rent_s"].to_numpy(), trips["_return_s"].to_numpy(), trips["_o"].to_numpy(),
                    trips["_d"].to_numpy(), docks, x, y, policy, cfg, hours=24,
                    zones=zones_kmeans(x, y, 2), lost=lost)
    assert res.empty_rentals > 0 and len(lost) == res.empty_rentals
    assert sorted(lost) == lost and all(0 <= s < len(docks) for _t, s in lost)
    # One record per decision: every 30 minutes while a truck is idle.
    assert 0 < len(policy.decisions) <= 24 * 2
    assert [t for t, _s in policy.decisions] == sorted({t for t, _s in policy.decisions})
    counts = classify_losses(lost, policy.decisions)
    assert sum(counts.values()) == res.empty_rentals and counts["before_first_decision"] == 0
    # Without the flag nothing is recorded (the bench's default runs carry no extra memory).
    quiet = rp.SafetyStockPolicy(x, y, docks, model.origin_rate, model.expected_returns(), params, horizon=3)
    rp.replay(trips["_rent_s"].to_numpy(), trips["_return_s"].to_numpy(), trips["_o"].to_numpy(),
              trips["_d"].to_numpy(), docks, x, y, quiet, cfg, hours=24, zones=zones_kmeans(x, y, 2))
    assert quiet.decisions == []


def test_move_outcomes_credit_drops_and_charge_pickups_until_the_next_stop():
    from seoul_digital.bikes.engine.diagnose import MoveOutcomes

    out = MoveOutcomes(3, window_s=86400)
    out.on_stop(0.0, 0, -3, 0)  # three bikes to an empty station
    for t, found in ((60.0, 3), (120.0, 2), (180.0, 1), (240.0, 0)):
        out.on_rental(t, 0, found)  # the first three were kept by the drop, the fourth failed anyway
    out.on_stop(3600.0, 0, -2, 0)  # back within 4 h with two more
    out.on_rental(3700.0, 0, 5)  # plenty there: without the second drop still served
    out.on_stop(0.0, 1, 2, 2)  # two bikes taken from a station that then loses three users
    for t in (60.0, 120.0, 180.0):
        out.on_rental(t, 1, 0)
    out.on_rental(30 * 3600.0, 0, 1)  # past the window: the second drop gets no credit
    out.on_stop(31 * 3600.0, 0, 4, 6)  # nor is this pickup its "next stop"
    s = out.summary()
    assert (s["drops"], s["drop_bikes"], s["rentals_kept_by_drops"], s["drops_at_an_empty_station"]) == (2, 5, 3, 2)
    assert (s["pickups"], s["pickup_bikes"], s["rentals_lost_to_pickups"]) == (2, 6, 2)
    assert s["kept_per_bike_dropped"] == 0.6 and s["lost_per_bike_picked_up"] == round(2 / 6, 3)
    assert s["drop_sizes_1_to_5_and_more"] == [0, 1, 1, 0, 0, 0]
    assert s["after_a_drop_the_next_stop_is"] == {"drop_within_4h": 1, "drop_within_24h": 1, "pickup_within_24h": 0}
    assert s["after_a_pickup_the_next_stop_is"] == {"pickup_within_4h": 0, "pickup_within_24h": 0, "drop_within_24h": 0}


def test_replay_tells_the_move_outcomes_every_stop_and_rental():
    from seoul_digital.bikes.engine.diagnose import MoveOutcomes
    from seoul_digital.bikes.engine.routing import Route, Stop

    class MoveTwoOnce:
        name = "once"

        def __init__(self):
            self.done = False

        def decide(self, t_s, stock, trucks):
            if self.done:
                return []
            self.done = True
            return [Route(trucks[0].id, [Stop(1, 2, 5.0), Stop(0, -2, 10.0)], 1.0, 12.0)]

    # Station 0 starts empty, station 1 with two bikes; three users come to each after the move.
    rent = np.array([7200.0, 7260.0, 7320.0, 7200.0, 7260.0, 7320.0])
    origin = np.array([0, 0, 0, 1, 1, 1])
    out = MoveOutcomes(2)
    res = rp.replay(rent, rent + 36000, origin, 1 - origin, np.array([10, 10]), np.array([0.0, 0.5]),
                    np.array([0.0, 0.0]), MoveTwoOnce(), rp.ReplayConfig(trucks=1, period_min=60),
                    hours=3, initial_stock=np.array([0, 2]), outcomes=out)
    assert res.bikes_moved == 2 and res.served == 2 and res.empty_rentals == 4
    s = out.summary()
    assert (s["drops"], s["drop_bikes"], s["rentals_kept_by_drops"], s["drops_at_an_empty_station"]) == (1, 2, 2, 1)
    assert (s["pickups"], s["pickup_bikes"], s["rentals_lost_to_pickups"]) == (1, 2, 2)
