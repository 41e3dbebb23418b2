"""Readers: station lists, usage totals, UCI hourly file, trips — with counted bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from seoul_digital.bikes.engine import stations as st
from seoul_digital.bikes.engine.trips import TRIP_COLUMNS, read_trips
from tests.shared_data import seoul


@pytest.mark.parametrize("raw,expected", [("00108", "108"), ("'108'", "108"), ("108.0", "108"),
                                          ("108. 서교동 사거리", "108"), (" 3515 ", "3515"),
                                          ("중랑센터", ""), ("", ""), (None, "")])
def test_normalise_station_no(raw, expected):
    assert st.normalise_station_no(raw) == expected


def test_synthetic_station_list_round_trips_through_cp949(tmp_path):
    frame = st.synthetic_stations(40, seed=2)
    path = st.write_station_csv(frame, tmp_path / "stations.csv")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really CP949, as Seoul publishes it
    assert raw.decode("cp949").splitlines()[0] == ",".join(st.OA13252_2023_HEADER)
    sl = st.read_station_list(path)
    assert len(sl) == 40 and sl.frame["has_coords"].all()
    assert sl.frame["docks"].min() >= 4 and not sl.problems
    assert set(sl.frame["district_code"]) <= {d.mois_code for d in st.districts.DISTRICTS}


def test_station_list_problems_are_counted(tmp_path):
    rows = [st.OA13252_2023_HEADER,
            ["101", " 합정역", "마포구", "서울", "37.55", "126.91", "2015-01-01", "10", ""],
            ["102", " 좌표없음", "마포구", "서울", "0", "0", "2015-01-01", "", ""],
            ["101", " 중복", "마포구", "서울", "37.55", "126.91", "2015-01-01", "5", ""],
            ["103", " 없는구", "가상구", "서울", "37.56", "126.92", "2015-01-01", "7", "3"],
            ["합계", "", "", "", "", "", "", "22", "3"]]
    path = tmp_path / "bad.csv"
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("cp949"))
    sl = st.read_station_list(path)
    p = sl.problems
    assert p["bad_coordinates"] == 1 and p["docks_missing_set_to_default"] == 1
    assert p["duplicate_station_no_dropped"] == 1 and p["unknown_district"] == 1
    assert p["unreadable_station_no"] == 1  # the 합계 row has no number
    assert sl.frame.set_index("station_no").loc["103", "docks"] == 10  # LCD + QR
    assert len(sl) == 3 and sl.frame["has_coords"].sum() == 2


def _uci_rows(hours):
    head = ("Date,Rented Bike Count,Hour,Temperature(\u00b0C),Humidity(%),Wind speed (m/s),"
            "Visibility (10m),Dew point temperature(\u00b0C),Solar Radiation (MJ/m2),"
            "Rainfall(mm),Snowfall (cm),Seasons,Holiday,Functioning Day")
    lines = [head]
    for day, hour, temp in hours:
        lines.append(f"{day},{100 + hour},{hour},{temp},40,1.0,2000,-5,0,0,0,Spring,No Holiday,Yes")
    return "\r\n".join(lines) + "\r\n"


def test_uci_reader_counts_gaps_missing_weather_and_encoding_confusion(tmp_path):
    hours = [("01/05/2018", h, "12.5") for h in range(24) if h != 5]
    hours[3] = ("01/05/2018", 3, "")  # a missing temperature
    path = tmp_path / "uci.csv"
    path.write_bytes(_uci_rows(hours).encode("latin-1"))
    frame, problems = st.read_uci_hourly(path)
    assert len(frame) == 23 and problems["missing_hours"] == 1
    assert problems["missing_weather_temperature"] == 1
    assert problems["encoding_confusion_reread_as_latin1"] == 1  # 0xB0 looks like CP949
    assert frame.loc["2018-05-01 08:00", "count"] == 108
    assert pd.isna(frame.loc["2018-05-01 03:00", "temperature"])
    # The same file saved as UTF-8 reads without any confusion.
    path.write_text(_uci_rows(hours), encoding="utf-8")
    frame2, problems2 = st.read_uci_hourly(path)
    assert problems2["encoding_confusion_reread_as_latin1"] == 0 and len(frame2) == 23


def test_monthly_usage_unwraps_quotes(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["대여일자", "대여소번호", "대여소", "대여건수", "반납건수"])
    ws.append(["'201805'", "'108'", "' 서교동 사거리'", 355, 422])
    ws.append(["'201805'", "'중랑센터'", "'중랑센터'", 42, 49])
    path = tmp_path / "usage.xlsx"
    wb.save(path)
    frame, problems = st.read_monthly_usage(path)
    assert frame.to_dict("records") == [{"month": "201805", "station_no": "108",
                                         "name": "서교동 사거리", "rentals": 355, "returns": 422}]
    assert problems["unnumbered_station_row"] == 1


def _trip(bike, rent, o, ret, d, minutes, metres="1000"):
    return [bike, rent, o, "이름", "1", ret, d, "이름", "2", minutes, metres]


BAD_TRIPS = [
    _trip("SPB-1", "2018-05-01 08:00:00", "101", "2018-05-01 08:10:00", "102", "10"),
    _trip("SPB-2", "2018-05-01 08:00:00", "'00102'", "2018-05-01 08:20:00", "101", "20"),
    _trip("SPB-3", "2018-05-01 08:00:00", "999", "2018-05-01 08:10:00", "101", "10"),  # unknown
    _trip("SPB-4", "2018-05-01 09:00:00", "101", "2018-05-01 08:50:00", "102", "10"),  # back in time
    _trip("SPB-5", "2018-05-01 09:00:00", "101", "2018-05-01 09:10:00", "102", "-10"),  # negative
    _trip("SPB-6", "어제", "101", "2018-05-01 09:10:00", "102", "10"),  # unparsable
    [""] * 11,  # blank row
]


@pytest.mark.parametrize("encoding", ["cp949", "utf-8"])
def test_trip_reader_counts_every_dropped_row(tmp_path, encoding):
    path = tmp_path / "trips.csv"
    text = "\n".join(",".join(r) for r in [TRIP_COLUMNS] + BAD_TRIPS) + "\n"
    path.write_bytes(text.encode(encoding))
    ts = read_trips(path, known_stations={"101", "102"})
    p = ts.problems
    assert len(ts) == 2 and ts.frame["origin"].tolist() == ["101", "102"]
    assert p["unknown_station"] == 1 and p["return_before_rent"] == 1
    assert p["negative_duration"] == 1 and p["unparsable_time"] == 1 and p["blank_row"] == 1
    assert ts.rows_read == len(BAD_TRIPS)
    assert ts.rows_read == len(ts) + p.total  # nothing dropped without a count


def test_trip_reader_refuses_mis_decoded_header(tmp_path):
    path = tmp_path / "mojibake.csv"
    # UTF-8 text that was decoded as CP949 somewhere and saved again: headers unreadable.
    garbled = ",".join(TRIP_COLUMNS).encode("utf-8").decode("cp949", errors="replace")
    path.write_text(garbled + "\nSPB-1,2018-05-01 08:00:00,101\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mis-decoded"):
        read_trips(path)


def test_trip_reader_maps_st_ids_of_2022_layout(tmp_path):
    from seoul_digital.bikes.engine.trips import TRIP_COLUMNS_2022

    row = _trip("SPB-1", "2022-05-01 08:00:00", "", "2022-05-01 08:10:00", "", "10") + \
        ["1990", "M", "내국인", "ST-10", "ST-100"]
    path = tmp_path / "t.csv"
    path.write_bytes((",".join(TRIP_COLUMNS_2022) + "\n" + ",".join(row) + "\n").encode("cp949"))
    ts = read_trips(path, {"108", "503"}, st_to_no={"ST-10": "108", "ST-100": "503"})
    assert ts.frame[["origin", "dest"]].values.tolist() == [["108", "503"]]


# Real files in ../shared (skipped locally when absent, required in CI).

def test_real_2023_station_list():
    sl = st.read_station_list(seoul("bikes", "station_info_2023-06_cp949.csv"))
    assert len(sl) == 2749 and int(sl.frame["docks"].sum()) == 35170
    assert sl.frame["has_coords"].all() and sl.frame["district_code"].ne("").all()


def test_real_station_lists_2019_and_2018():
    s19 = st.read_station_list(seoul("bikes", "station_info_2019-12-09.xlsx"))
    assert len(s19) == 1540 and int(s19.frame["docks"].sum()) == 19545
    assert s19.problems["total_or_blank_row_skipped"] == 1
    s18 = st.read_station_list(seoul("bikes", "station_info_2018-04-09.xlsx"))
    assert len(s18) == 1163 and s18.problems["bad_coordinates"] == 1


def test_real_api_crosswalk_and_master():
    api = st.read_api_station_info(seoul("bikes", "station_info_api_2025"))
    assert len(api) == 3156 and api.problems["bad_coordinates"] == 3
    cw = st.Crosswalk.from_station_list(api)
    assert cw.station_no("ST-10") == "108" and cw.no_to_st["503"] == "ST-100"
    master, problems = st.read_st_master(seoul("bikes", "station_master_st_id_latlon_cp949.csv"))
    assert len(master) == 3385 and problems["bad_coordinates"] == 14


def test_real_usage_and_uci():
    usage, problems = st.read_monthly_usage(seoul("bikes", "station_monthly_rent_return_2018.xlsx"))
    may = usage[usage["month"] == "201805"]
    # 924,089 published for May; 109 of them are depot rows without a station number.
    assert int(may["rentals"].sum()) == 924089 - 109
    assert problems["unnumbered_station_row"] == 22
    uci, p = st.read_uci_hourly(seoul("bikes", "uci_seoul_bike_sharing_demand", "SeoulBikeDataFinal.csv"))
    assert len(uci) == 8760 and p["encoding_confusion_reread_as_latin1"] == 1
    assert p["non_functioning_hours"] == 295 and p["missing_hours"] == 0
    assert uci["temperature"].between(-20, 40).all()
