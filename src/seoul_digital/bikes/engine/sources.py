"""Where the real files are, and the fallbacks when they are not (demo, tests, CI without
../shared): one place that decides which station list, usage totals and UCI file to use."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from seoul_digital.bikes.engine import stations as st
from seoul_digital.bikes.engine.problems import Problems

__all__ = ["data_dir", "BikeSources", "load_sources", "STATION_LIST_2023", "USAGE_2018", "UCI_FILE",
           "API_STATION_INFO", "SNAPSHOT_2019"]

STATION_LIST_2023 = "station_info_2023-06_cp949.csv"
USAGE_2018 = "station_monthly_rent_return_2018.xlsx"
UCI_FILE = "uci_seoul_bike_sharing_demand/SeoulBikeDataFinal.csv"
API_STATION_INFO = "station_info_api_2025"
SNAPSHOT_2019 = "realtime_status_snapshot_2019_partial.json"


def data_dir(explicit: str | Path | None = None) -> Path | None:
    """The bikes folder of the Seoul data: explicit, $SEOUL_DATA_DIR/bikes, or
    ../shared/data/seoul/bikes beside the checkout; None when none exists."""
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    if os.environ.get("SEOUL_DATA_DIR"):
        candidates.append(Path(os.environ["SEOUL_DATA_DIR"]) / "bikes")
    checkout = Path(__file__).resolve().parents[4]
    candidates.append(checkout.parent / "shared" / "data" / "seoul" / "bikes")
    for c in candidates:
        if (c / STATION_LIST_2023).exists() or (c / USAGE_2018).exists():
            return c
    return None


@dataclass
class BikeSources:
    stations: st.StationList
    usage: pd.DataFrame | None
    uci: pd.DataFrame | None
    problems: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)


def load_sources(station_file: str | Path | None = None, folder: str | Path | None = None, *,
                 synthetic_stations: int = 300, seed: int = 0, with_uci: bool = True) -> BikeSources:
    """Station list (given file, else the real 2023-06 list, else a synthetic one in the same
    layout), real 2018 monthly totals and the UCI hourly file where present."""
    base = data_dir(folder)
    notes = []
    problems = Problems()
    if station_file:
        stations = st.read_station_list(station_file)
        notes.append(f"stations: {station_file}")
    elif base is not None and (base / STATION_LIST_2023).exists():
        stations = st.read_station_list(base / STATION_LIST_2023)
        notes.append(f"stations: real list {STATION_LIST_2023}")
    else:
        import tempfile

        frame = st.synthetic_stations(synthetic_stations, seed=seed)
        with tempfile.TemporaryDirectory() as tmp:
            stations = st.read_station_list(st.write_station_csv(frame, Path(tmp) / "stations.csv"))
        stations.source = "synthetic (2023-06 layout)"
        notes.append(f"stations: synthetic list of {synthetic_stations} (no ../shared data)")
    problems.merge(stations.problems, "stations.")
    usage = uci = None
    if base is not None and (base / USAGE_2018).exists():
        usage, p = st.read_monthly_usage(base / USAGE_2018)
        problems.merge(p, "usage.")
        notes.append("demand totals: real 2018 station-monthly rentals/returns")
    if with_uci and base is not None and (base / UCI_FILE).exists():
        uci, p = st.read_uci_hourly(base / UCI_FILE)
        problems.merge(p, "uci.")
        notes.append("hour profile and weather: UCI Seoul hourly file")
    return BikeSources(stations, usage, uci, problems, notes)
