"""Small bikes worlds for tests: stations in 강남구/서초구 and one recomputation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from seoul_digital.bikes.engine.stations import STATION_COLUMNS

# (station_no, name, district, district_code, lat, lon, docks)
STATIONS = [
    ("2301", "강남역 1번출구", "강남구", "11680", 37.4980, 127.0276, 12),
    ("2302", "역삼역 3번출구", "강남구", "11680", 37.5006, 127.0364, 10),
    ("2303", "선릉역 5번출구", "강남구", "11680", 37.5045, 127.0490, 8),
    ("2201", "서초역 2번출구", "서초구", "11650", 37.4918, 127.0076, 10),
    ("2202", "교대역 9번출구", "서초구", "11650", 37.4934, 127.0140, 15),
    ("2203", "양재역 1번출구", "서초구", "11650", 37.4840, 127.0346, 10),
]


def station_frame(rows=STATIONS) -> pd.DataFrame:
    frame = pd.DataFrame([{"station_no": no, "st_id": f"ST-{k + 1}", "name": name, "district": gu,
                           "district_code": code, "address": f"서울특별시 {gu}", "lat": lat,
                           "lon": lon, "docks": docks, "has_coords": True}
                          for k, (no, name, gu, code, lat, lon, docks) in enumerate(rows)])
    return frame[STATION_COLUMNS]


def snapshot_payload(stocks: dict[str, int | None]) -> dict:
    rows = []
    for k, (no, name, _gu, _code, lat, lon, docks) in enumerate(STATIONS):
        bikes = stocks.get(no, 5)
        rows.append({"stationId": f"ST-{k + 1}", "stationName": f"{no}. {name}",
                     "rackTotCnt": str(docks),
                     "parkingBikeTotCnt": None if bikes is None else str(bikes),
                     "shared": "50", "stationLatitude": str(lat), "stationLongitude": str(lon)})
    return {"rentBikeStatus": {"list_total_count": len(rows), "RESULT": {"CODE": "INFO-000"},
                               "row": rows}}


def demand_model(frame=None, month="2018-05"):
    from seoul_digital.bikes.engine import synth

    frame = station_frame() if frame is None else frame
    model = synth.build_demand(frame, month, None, None, seed=3)
    # Busy, lopsided demand so that bands and alerts are not trivial.
    model.origin_rate = model.origin_rate * 0 + np.linspace(2.0, 6.0, len(frame))[:, None]
    if len(frame) > 4:
        model.origin_rate[4] = 0.1  # 2202 mostly receives bikes: it overflows
    return model


def make_world(user=None, stocks=None):
    """Stations + one recomputation (empty at 2302, overfull at 2202, no count at 2203)."""
    from seoul_digital.bikes import services
    from seoul_digital.bikes.engine.live import parse_status

    services.do_sync_stations(user, station_frame(), source="test")
    stocks = {"2302": 0, "2202": 40, "2203": None} if stocks is None else stocks
    snap = parse_status(snapshot_payload(stocks), "test", pd.Timestamp("2018-05-15 08:00"))
    return services.do_recompute(user, snap, at=pd.Timestamp("2018-05-15 08:00"), horizon=3,
                                 trucks=2, demand=demand_model())
