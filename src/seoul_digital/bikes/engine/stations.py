"""Station lists, the ST-id crosswalk and the demand files, read through common.korean_files.

One frame layout for every source (:data:`STATION_COLUMNS`): ``station_no`` is the public
대여소번호 without padding or quotes ("00108", "'108'" → "108"), ``st_id`` the internal
``ST-xxx`` id of the real-time API where known, ``docks`` the 거치대 count (in Seoul a soft
capacity: bikes are also locked to each other), ``has_coords`` False for stations with 0 or
out-of-Seoul coordinates (counted, kept in the list, left out of routing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from seoul_digital.common import crs, districts
from seoul_digital.common.korean_files import Table, read_table, read_text
from seoul_digital.bikes.engine.problems import Problems

__all__ = [
    "STATION_COLUMNS", "StationList", "normalise_station_no", "clean_station_name",
    "read_station_list", "read_api_station_info", "read_st_master", "Crosswalk",
    "read_monthly_usage", "read_uci_hourly", "synthetic_stations", "write_station_csv",
    "distance_matrix_km", "project_km", "DEFAULT_DOCKS",
]

STATION_COLUMNS = ["station_no", "st_id", "name", "district", "district_code", "address",
                   "lat", "lon", "docks", "has_coords"]
DEFAULT_DOCKS = 10  # median dock count of the 2023-06 list; used where a list has none
OA13252_2023_HEADER = ["대여소번호", "보관소(대여소)명", "자치구", "상세주소", "위도", "경도",
                       "설치시기", "LCD", "QR", "운영방식"]

_QUOTES = "'\"` \t\u00a0"


def normalise_station_no(value: object) -> str:
    """'00108', "'108'", '108.0', '108. 서교동' → '108'; '' when there is no number."""
    text = str(value if value is not None else "").strip(_QUOTES)
    match = re.match(r"^0*(\d+)(?:\.0)?(?:[.\s].*)?$", text)
    if not match:
        return ""
    return match.group(1) or "0"


def clean_station_name(value: object) -> str:
    """'108. 서교동 사거리' or "' 서교동 사거리'" → '서교동 사거리'."""
    text = str(value if value is not None else "").strip(_QUOTES)
    return re.sub(r"^\d+\.\s*", "", text).strip()


@dataclass
class StationList:
    frame: pd.DataFrame
    source: str
    problems: Problems = field(default_factory=Problems)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def usable(self) -> pd.DataFrame:
        return self.frame[self.frame["has_coords"]].reset_index(drop=True)

    def summary(self) -> dict:
        f = self.frame
        return {"source": self.source, "stations": int(len(f)),
                "with_coordinates": int(f["has_coords"].sum()),
                "docks_total": int(f["docks"].sum()),
                "districts": int(f["district_code"].replace("", np.nan).nunique()),
                "problems": self.problems.to_dict()}


def _to_float(text: str) -> float:
    try:
        return float(str(text).strip(_QUOTES).replace(",", ""))
    except ValueError:
        return float("nan")


def _to_int(text: str) -> int | None:
    value = _to_float(text)
    return None if not np.isfinite(value) else int(round(value))


def _finish(rows: list[dict], source: str, problems: Problems) -> StationList:
    frame = pd.DataFrame(rows, columns=STATION_COLUMNS)
    if frame.empty:
        problems.add("no_stations", source)
        return StationList(frame, source, problems)
    # Districts by name; unknown names are counted and left blank.
    codes = []
    for name, no in zip(frame["district"], frame["station_no"]):
        try:
            codes.append(districts.by_name(name).mois_code if name else "")
        except districts.UnknownDistrict:
            problems.add("unknown_district", f"{no}: {name}")
            codes.append("")
    frame["district_code"] = codes
    inside = crs.inside_seoul_bbox(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    frame["has_coords"] = inside
    bad = frame[~inside]
    for _, row in bad.iterrows():
        problems.add("bad_coordinates", f"{row.station_no} ({row.lat}, {row.lon})")
    missing_docks = frame["docks"].isna() | (frame["docks"].fillna(0) <= 0)
    for no in frame.loc[missing_docks, "station_no"]:
        problems.add("docks_missing_set_to_default", str(no))
    frame["docks"] = frame["docks"].where(~missing_docks, DEFAULT_DOCKS).fillna(DEFAULT_DOCKS).astype(int)
    dup = frame["station_no"].duplicated(keep="first") & (frame["station_no"] != "")
    if dup.any():
        for no in frame.loc[dup, "station_no"]:
            problems.add("duplicate_station_no_dropped", str(no))
        frame = frame[~dup]
    return StationList(frame.reset_index(drop=True), source, problems)


def read_station_list(path: str | Path) -> StationList:
    """Any published station list: 2023-06 CSV (OA-13252, CP949), 2019-12 and 2018-04 XLSX,
    or a synthetic list in the 2023 layout. The layout is recognised from the header."""
    path = Path(path)
    problems = Problems()
    table = read_table(path)
    no_col = table.find_column("대여소번호", "대여소ID")
    if no_col is None:
        raise ValueError(f"{path.name}: no 대여소번호/대여소ID column in {table.header}")
    name_col = table.find_column("보관소(대여소)명", "대여소명")
    gu_col = table.find_column("자치구", "대여소_구", "구")
    addr_col = table.find_column("상세주소", "대여소주소", "주소")
    lat_col, lon_col = table.find_column("위도"), table.find_column("경도")
    lcd_col, qr_col = table.find_column("LCD"), table.find_column("QR")
    docks_col = table.find_column("거치대수", "거치대")
    if "\ufffd" in "".join(table.header):
        problems.add("undecodable_header", ",".join(table.header))
    rows = []
    for rec in table.records():
        raw_no = rec.get(no_col, "")
        if str(rec.get(gu_col, "")).strip() in ("합계", "총계") or not str(raw_no).strip():
            problems.add("total_or_blank_row_skipped", str(list(rec.values())[:3]))
            continue
        no = normalise_station_no(raw_no)
        if not no:
            problems.add("unreadable_station_no", raw_no)
            continue
        if lcd_col or qr_col:
            lcd, qr = _to_int(rec.get(lcd_col, "")) or 0, _to_int(rec.get(qr_col, "")) or 0
            docks = lcd + qr if (lcd + qr) > 0 else None
        else:
            docks = _to_int(rec.get(docks_col, "")) if docks_col else None
        name = clean_station_name(rec.get(name_col, ""))
        if "\ufffd" in name:
            problems.add("undecodable_name", f"{no}: {name}")
        rows.append({"station_no": no, "st_id": "", "name": name,
                     "district": str(rec.get(gu_col, "")).strip(), "district_code": "",
                     "address": str(rec.get(addr_col, "")).strip(),
                     "lat": _to_float(rec.get(lat_col, "")), "lon": _to_float(rec.get(lon_col, "")),
                     "docks": docks, "has_coords": False})
    return _finish(rows, str(path), problems)


def read_api_station_info(path: str | Path) -> StationList:
    """The Seoul OpenAPI ``tbCycleStationInfo`` responses (one JSON file or a folder of
    chunks): RENT_ID (ST-xxx) ↔ RENT_NO ↔ HOLD_NUM ↔ coordinates."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    problems = Problems()
    rows = []
    for file in files:
        text, _guess = read_text(file)
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as err:
            problems.add("unreadable_json", f"{file.name}: {err}")
            continue
        block = payload.get("stationInfo", payload) if isinstance(payload, dict) else {}
        for rec in block.get("row", []) if isinstance(block, dict) else []:
            no = normalise_station_no(rec.get("RENT_NO", ""))
            if not no:
                problems.add("unreadable_station_no", str(rec.get("RENT_NO")))
                continue
            rows.append({"station_no": no, "st_id": str(rec.get("RENT_ID") or "").strip(),
                         "name": clean_station_name(rec.get("RENT_NM") or rec.get("RENT_ID_NM")),
                         "district": str(rec.get("STA_LOC") or "").strip(), "district_code": "",
                         "address": " ".join(str(rec.get(k) or "").strip()
                                             for k in ("STA_ADD1", "STA_ADD2")).strip(),
                         "lat": _to_float(rec.get("STA_LAT", "")),
                         "lon": _to_float(rec.get("STA_LONG", "")),
                         "docks": _to_int(rec.get("HOLD_NUM", "")), "has_coords": False})
    return _finish(rows, str(path), problems)


def read_st_master(path: str | Path) -> tuple[pd.DataFrame, Problems]:
    """대여소 마스터 (ST-id → coordinates), CP949 CSV."""
    problems = Problems()
    table = read_table(path)
    id_col = table.find_column("대여소_ID", "대여소ID")
    out = []
    for rec in table.records():
        st_id = str(rec.get(id_col, "")).strip()
        lat, lon = _to_float(rec.get("위도", "")), _to_float(rec.get("경도", ""))
        ok = bool(crs.inside_seoul_bbox(lon, lat))
        if not ok:
            problems.add("bad_coordinates", f"{st_id} ({lat}, {lon})")
        out.append({"st_id": st_id, "lat": lat, "lon": lon, "has_coords": ok})
    return pd.DataFrame(out), problems


@dataclass
class Crosswalk:
    """ST-id ↔ public station number, from the 2025 API station info."""

    st_to_no: dict[str, str]
    no_to_st: dict[str, str]

    @classmethod
    def from_station_list(cls, stations: StationList) -> "Crosswalk":
        f = stations.frame[stations.frame["st_id"] != ""]
        return cls(dict(zip(f["st_id"], f["station_no"])), dict(zip(f["station_no"], f["st_id"])))

    def station_no(self, st_id_or_no: str) -> str:
        """An ST-id or a number (any padding) → the public number, '' if unknown."""
        text = str(st_id_or_no).strip(_QUOTES)
        if text.upper().startswith("ST-"):
            return self.st_to_no.get(text.upper(), "")
        return normalise_station_no(text)

    def attach(self, stations: StationList) -> int:
        """Fill ``st_id`` in a station list by number; returns how many were matched."""
        ids = stations.frame["station_no"].map(self.no_to_st).fillna("")
        stations.frame["st_id"] = stations.frame["st_id"].where(stations.frame["st_id"] != "", ids)
        return int((stations.frame["st_id"] != "").sum())


def read_monthly_usage(path: str | Path) -> tuple[pd.DataFrame, Problems]:
    """공공자전거 대여소별 이용정보(월간): month (YYYYMM), station_no, name, rentals, returns.
    Values wrapped in literal quotes (the 2018 release) are unwrapped."""
    problems = Problems()
    table = read_table(path)
    cols = {k: table.find_column(*v) for k, v in {
        "month": ("대여일자", "대여월"), "no": ("대여소번호",), "name": ("대여소", "대여소명"),
        "rent": ("대여건수",), "ret": ("반납건수",)}.items()}
    missing = [k for k, v in cols.items() if v is None]
    if missing:
        raise ValueError(f"{Path(path).name}: columns {missing} not found in {table.header}")
    rows = []
    for rec in table.records():
        month = str(rec[cols["month"]]).strip(_QUOTES).replace("-", "")[:6]
        no = normalise_station_no(rec[cols["no"]])
        rent, ret = _to_int(rec[cols["rent"]]), _to_int(rec[cols["ret"]])
        if not re.fullmatch(r"\d{6}", month) or rent is None or ret is None:
            problems.add("unreadable_row", str(list(rec.values())))
            continue
        if not no:  # depots and workshops (중랑센터, 상암센터 정비실) carry no station number
            problems.add("unnumbered_station_row", str(list(rec.values())))
            continue
        if rent < 0 or ret < 0:
            problems.add("negative_count", f"{month} {no}: {rent}/{ret}")
            continue
        rows.append((month, no, clean_station_name(rec[cols["name"]]), rent, ret))
    frame = pd.DataFrame(rows, columns=["month", "station_no", "name", "rentals", "returns"])
    return frame, problems


UCI_WEATHER = ["temperature", "humidity", "wind", "visibility", "dew_point", "solar",
               "rainfall", "snowfall"]


def read_uci_hourly(path: str | Path) -> tuple[pd.DataFrame, Problems]:
    """UCI Seoul Bike Sharing Demand (city-wide hourly rentals + weather), latin-1.

    A CP949 reading turns '°C' into '캜'; that confusion is detected, counted and the file
    re-read as latin-1. Unparsable or missing weather values stay NaN and are counted, and
    hours missing from the hourly sequence are counted (the rows are not invented).
    Returns a frame indexed by hourly timestamp with ``count``, the weather columns,
    ``holiday``, ``functioning``.
    """
    problems = Problems()
    table: Table = read_table(path)
    header = "".join(table.header)
    if "캜" in header or "\ufffd" in header:
        problems.add("encoding_confusion_reread_as_latin1",
                     f"detected {table.encoding.label if table.encoding else '?'}: {header[:60]}")
        table = read_table(path, encoding="latin-1")
    h = table.header
    col = {name: table.find_column(*cands) for name, cands in {
        "date": ("Date",), "count": ("Rented Bike Count", "Rented Bicycle Count"),
        "hour": ("Hour",), "temperature": ("Temperature",), "humidity": ("Humidity",),
        "wind": ("Wind speed",), "visibility": ("Visibility",), "dew_point": ("Dew point",),
        "solar": ("Solar Radiation",), "rainfall": ("Rainfall",), "snowfall": ("Snowfall",),
        "holiday": ("Holiday",), "functioning": ("Functioning Day",)}.items()}
    if col["date"] is None or col["count"] is None or col["hour"] is None:
        raise ValueError(f"{Path(path).name}: not the UCI layout (header {h})")
    recs = []
    for rec in table.records():
        try:
            day = pd.to_datetime(rec[col["date"]], format="%d/%m/%Y")
            hour = int(rec[col["hour"]])
            count = int(rec[col["count"]])
        except (ValueError, TypeError):
            problems.add("unreadable_row", str(list(rec.values())[:4]))
            continue
        row = {"time": day + pd.Timedelta(hours=hour), "count": count}
        for name in UCI_WEATHER:
            value = _to_float(rec.get(col[name], "")) if col[name] else float("nan")
            if not np.isfinite(value):
                problems.add(f"missing_weather_{name}", f"{rec[col['date']]} {hour}h")
            row[name] = value
        row["holiday"] = str(rec.get(col["holiday"], "")).strip().lower() == "holiday"
        row["functioning"] = str(rec.get(col["functioning"], "Yes")).strip().lower() != "no"
        recs.append(row)
    frame = pd.DataFrame(recs)
    if frame.empty:
        problems.add("no_rows", str(path))
        return frame, problems
    dup = frame["time"].duplicated()
    if dup.any():
        problems.add("duplicate_hour_dropped", str(frame.loc[dup, "time"].iloc[0]), n=int(dup.sum()))
        frame = frame[~dup]
    frame = frame.set_index("time").sort_index()
    full = pd.date_range(frame.index.min(), frame.index.max(), freq="h")
    gaps = full.difference(frame.index)
    if len(gaps):
        problems.add("missing_hours", str(gaps[0]), n=len(gaps))
    problems.add("non_functioning_hours", "", n=int((~frame["functioning"]).sum()))
    return frame, problems


# Approximate centres of the 25 districts (WGS84), for synthetic station lists only.
_GU_CENTRES = {
    "종로구": (37.595, 126.977), "중구": (37.560, 126.996), "용산구": (37.531, 126.981),
    "성동구": (37.551, 127.041), "광진구": (37.546, 127.086), "동대문구": (37.581, 127.055),
    "중랑구": (37.598, 127.093), "성북구": (37.605, 127.018), "강북구": (37.640, 127.011),
    "도봉구": (37.669, 127.032), "노원구": (37.652, 127.075), "은평구": (37.619, 126.927),
    "서대문구": (37.578, 126.939), "마포구": (37.559, 126.908), "양천구": (37.524, 126.856),
    "강서구": (37.561, 126.823), "구로구": (37.495, 126.858), "금천구": (37.460, 126.900),
    "영등포구": (37.522, 126.910), "동작구": (37.499, 126.951), "관악구": (37.467, 126.945),
    "서초구": (37.473, 127.031), "강남구": (37.496, 127.063), "송파구": (37.505, 127.115),
    "강동구": (37.550, 127.147),
}
_PLACES = ["역 1번출구 앞", "역 2번출구 뒤", " 주민센터", " 초등학교 앞", " 공원 입구", " 아파트 정문",
           " 사거리", " 버스정류장", " 시장 앞", " 도서관"]


def synthetic_stations(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """A station list in the real 2023-06 OA-13252 layout (Korean headers, text cells), for
    the demo and tests when ../shared is absent. Stations cluster around district centres;
    docks follow the real list's spread (median 10)."""
    rng = np.random.default_rng(seed)
    names = list(_GU_CENTRES)
    weights = rng.uniform(0.6, 1.4, len(names))
    gu_idx = rng.choice(len(names), size=n, p=weights / weights.sum())
    rows = []
    for k in range(n):
        gu = names[gu_idx[k]]
        lat0, lon0 = _GU_CENTRES[gu]
        lat = lat0 + rng.normal(0, 0.012)
        lon = lon0 + rng.normal(0, 0.015)
        docks = int(np.clip(rng.lognormal(np.log(10), 0.35), 4, 40))
        lcd = docks if rng.random() < 0.5 else 0
        qr = docks - lcd
        rows.append([str(101 + k), f" {gu[:-1]}{_PLACES[k % len(_PLACES)]}", gu,
                     f"서울특별시 {gu} 합성로 {k + 1}", f"{lat:.8f}", f"{lon:.7f}",
                     f"20{15 + k % 8}-0{1 + k % 9}-1{k % 9}", str(lcd) if lcd else "",
                     str(qr) if qr else "", "QR" if qr else "LCD"])
    return pd.DataFrame(rows, columns=OA13252_2023_HEADER)


def write_station_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a station list the way Seoul publishes it: CP949, LF, one header row."""
    path = Path(path)
    frame.to_csv(path, index=False, encoding="cp949", lineterminator="\n")
    return path


def project_km(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 → UTM-K kilometres (x, y), for distances."""
    x, y = crs.from_wgs84(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x) / 1000.0, np.asarray(y) / 1000.0


def distance_matrix_km(lat, lon, lat2=None, lon2=None) -> np.ndarray:
    """Straight-line distances in km between station sets (UTM-K)."""
    x1, y1 = project_km(lat, lon)
    if lat2 is None:
        x2, y2 = x1, y1
    else:
        x2, y2 = project_km(lat2, lon2)
    return np.hypot(x1[:, None] - x2[None, :], y1[:, None] - y2[None, :])
