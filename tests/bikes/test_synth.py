"""Synthetic trips: exact OA-15182 layout, calibration to totals and hour profile, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from seoul_digital.bikes.engine import stations as st, synth
from seoul_digital.bikes.engine.trips import TRIP_COLUMNS, read_trips


def _stations(n=60, seed=1):
    return _read(st.synthetic_stations(n, seed=seed))


def _read(frame):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return st.read_station_list(st.write_station_csv(frame, Path(tmp) / "s.csv")).usable


def test_calibrated_to_monthly_totals_and_imputes_missing_stations():
    stations = _stations()
    nos = stations["station_no"].tolist()
    rng = np.random.default_rng(0)
    real = rng.integers(200, 3000, len(nos) - 10)
    usage = pd.DataFrame({"month": "201805", "station_no": nos[:-10], "name": "x",
                          "rentals": real, "returns": real})
    model = synth.build_demand(stations, "2018-05", usage, None)
    per_station = model.origin_rate.sum(axis=1)
    assert np.allclose(per_station[:-10], real, rtol=1e-6)
    assert model.problems["stations_rate_imputed_from_neighbours"] == 10
    assert (per_station[-10:] > 0).all()
    trips = synth.sample_trips(model, seed=1)
    # Poisson totals within a few standard deviations of the calibrated month.
    assert abs(len(trips) - real.sum() - per_station[-10:].sum()) < 5 * np.sqrt(per_station.sum())


def test_sampled_trips_follow_hour_profile_and_geography():
    stations = _stations(80)
    model = synth.build_demand(stations, "2018-05", None, None)
    trips = synth.sample_trips(model, seed=2)
    rent = pd.to_datetime(trips["대여일시"])
    workday = rent.dt.day_of_week < 5
    at8 = (workday & (rent.dt.hour == 8)).sum()
    at4 = (workday & (rent.dt.hour == 4)).sum()
    assert at8 > 5 * at4  # morning commute peak of the built-in UCI profile
    d = model.dist_km[trips["_o"], trips["_d"]]
    assert np.median(d) < np.median(model.dist_km)  # nearer stations are likelier
    minutes = trips["이용시간(분)"].to_numpy()
    spans = (pd.to_datetime(trips["반납일시"]) - rent).dt.total_seconds() / 60
    assert (np.abs(spans - minutes) <= 1).all() and (minutes >= 1).all()


def test_written_file_is_exact_oa15182_cp949_and_reads_back_clean(tmp_path):
    from seoul_digital.bikes.engine.trips import write_trips

    stations = _stations(30)
    model = synth.build_demand(stations, "2018-06", None, None, scale=0.2)
    trips = synth.sample_trips(model, seed=3)
    path = write_trips(trips, tmp_path / "trips.csv")
    head = path.read_bytes().split(b"\n")[0].decode("cp949")
    assert head.split(",") == TRIP_COLUMNS
    back = read_trips(path, set(stations["station_no"]))
    assert len(back) == len(trips) and not back.problems and back.encoding == "CP949"


def test_synth_cli_without_shared_data(tmp_path, monkeypatch):
    from seoul_digital.bikes.cli import group

    monkeypatch.setenv("SEOUL_DATA_DIR", str(tmp_path / "nothing"))
    import seoul_digital.bikes.engine.sources as sources

    monkeypatch.setattr(sources, "data_dir", lambda explicit=None: None)
    out = tmp_path / "trips.csv"
    result = CliRunner().invoke(group, ["synth", "--month", "2018-05", "--out", str(out),
                                        "--scale", "0.05"])
    assert result.exit_code == 0, result.output
    assert "synthetic list of 300" in result.output
    back = read_trips(out)
    assert len(back) > 1000 and not back.problems
    bad = CliRunner().invoke(group, ["synth", "--month", "May", "--out", str(out)])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_real_calibration_on_the_2023_list():
    from tests.shared_data import seoul

    stations = st.read_station_list(seoul("bikes", "station_info_2023-06_cp949.csv")).usable
    usage, _ = st.read_monthly_usage(seoul("bikes", "station_monthly_rent_return_2018.xlsx"))
    uci, _ = st.read_uci_hourly(seoul("bikes", "uci_seoul_bike_sharing_demand", "SeoulBikeDataFinal.csv"))
    model = synth.build_demand(stations, "2018-05", usage, uci)
    assert model.calibration["stations_with_real_totals"] == 1188
    assert model.calibration["profile"] == "uci_hourly"
    may = usage[usage["month"] == "201805"].set_index("station_no")["rentals"]
    k = stations["station_no"].tolist().index("108")
    assert model.origin_rate[k].sum() == pytest.approx(may["108"])
    # The hour profile is the real UCI series: the city-wide share of 2018-05-01 08:00.
    share = model.origin_rate.sum(axis=0) / model.origin_rate.sum()
    uci_may = uci.loc["2018-05"]["count"]
    assert share[8] == pytest.approx(uci_may.iloc[8] / uci_may.sum(), rel=0.35)
