"""Real-time station status (`bikeList`): parsing with nulls counted, a poller for the live
Seoul OpenAPI (URL and key configurable, off unless enabled) and a file-replay source.

Accepted payloads: the OpenAPI ``{"rentBikeStatus": {"row": [...]}}``, the older bikeseoul
``{"realtimeList": [...]}`` (the 2019 snapshot in ../shared), or a bare list of rows. Fields:
stationId (ST-xxx), stationName ("102. 망원역 1번출구 앞"), rackTotCnt, parkingBikeTotCnt,
shared (%), stationLatitude/stationLongitude. Real snapshots carry nulls: each null or
unreadable field is counted; a station without a bike count keeps its row with stock
unknown (it gets bands but no alert).
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from seoul_digital.common.korean_files import decode_bytes, read_text
from seoul_digital.bikes.engine.problems import Problems
from seoul_digital.bikes.engine.stations import clean_station_name, normalise_station_no

__all__ = ["StatusSnapshot", "parse_status", "read_status_file", "BikeListPoller",
           "FileReplaySource", "DEFAULT_BIKELIST_URL"]

DEFAULT_BIKELIST_URL = "http://openapi.seoul.go.kr:8088/{key}/json/bikeList/{start}/{end}/"
FIELDS = ("stationId", "stationName", "rackTotCnt", "parkingBikeTotCnt", "shared",
          "stationLatitude", "stationLongitude")


@dataclass
class StatusSnapshot:
    frame: pd.DataFrame  # st_id, station_no, name, racks, bikes (NaN = unknown), shared, lat, lon
    taken_at: pd.Timestamp | None
    source: str
    problems: Problems = field(default_factory=Problems)

    def summary(self) -> dict:
        f = self.frame
        return {"source": self.source, "taken_at": str(self.taken_at) if self.taken_at is not None else None,
                "stations": int(len(f)), "with_bike_count": int(f["bikes"].notna().sum()),
                "problems": self.problems.to_dict()}


def _num(value, kind: str, problems: Problems, who: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(f"null_{kind}", who)
        return float("nan")
    try:
        return float(str(value).strip())
    except ValueError:
        problems.add(f"unreadable_{kind}", f"{who}: {value!r}")
        return float("nan")


def parse_status(payload, source: str = "<payload>", taken_at=None,
                 st_to_no: dict[str, str] | None = None) -> StatusSnapshot:
    problems = Problems()
    rows = None
    if isinstance(payload, dict):
        if "rentBikeStatus" in payload:
            block = payload["rentBikeStatus"] or {}
            rows = block.get("row")
            result = block.get("RESULT") or {}
            if result.get("CODE") not in (None, "INFO-000"):
                problems.add("api_result_not_ok", f"{result.get('CODE')}: {result.get('MESSAGE')}")
        elif "realtimeList" in payload:
            rows = payload["realtimeList"]
        elif "RESULT" in payload:  # an error answer of the OpenAPI
            problems.add("api_error", json.dumps(payload["RESULT"], ensure_ascii=False))
            rows = []
    elif isinstance(payload, list):
        rows = payload
    if rows is None:
        raise ValueError(f"{source}: not a bikeList / realtimeList payload")
    out = []
    for k, rec in enumerate(rows):
        if not isinstance(rec, dict):
            problems.add("row_not_an_object", f"row {k}")
            continue
        for key, value in rec.items():
            if value is None and key not in FIELDS:
                problems.add("null_in_unused_field", key)
        st_id = str(rec.get("stationId") or "").strip().upper()
        name_raw = rec.get("stationName")
        who = st_id or f"row {k}"
        if not st_id:
            problems.add("null_stationId", f"row {k}")
        if name_raw is None:
            problems.add("null_stationName", who)
        no = normalise_station_no(name_raw) if name_raw else ""
        if not no and st_to_no and st_id:
            no = st_to_no.get(st_id, "")
        if not no:
            problems.add("station_number_unknown", who)
        bikes = _num(rec.get("parkingBikeTotCnt"), "parkingBikeTotCnt", problems, who)
        if np.isfinite(bikes) and bikes < 0:
            problems.add("negative_bike_count", f"{who}: {bikes}")
            bikes = float("nan")
        out.append({"st_id": st_id, "station_no": no, "name": clean_station_name(name_raw or ""),
                    "racks": _num(rec.get("rackTotCnt"), "rackTotCnt", problems, who),
                    "bikes": bikes,
                    "shared": _num(rec.get("shared"), "shared", problems, who),
                    "lat": _num(rec.get("stationLatitude"), "stationLatitude", problems, who),
                    "lon": _num(rec.get("stationLongitude"), "stationLongitude", problems, who)})
    frame = pd.DataFrame(out, columns=["st_id", "station_no", "name", "racks", "bikes", "shared",
                                       "lat", "lon"])
    dup = frame["station_no"].ne("") & frame["station_no"].duplicated(keep="last")
    if dup.any():
        problems.add("duplicate_station_kept_last", str(frame.loc[dup, "station_no"].iloc[0]),
                     n=int(dup.sum()))
        frame = frame[~dup].reset_index(drop=True)
    return StatusSnapshot(frame, pd.Timestamp(taken_at) if taken_at is not None else None,
                          source, problems)


def read_status_file(path: str | Path, st_to_no=None, taken_at=None) -> StatusSnapshot:
    text, _guess = read_text(path)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{Path(path).name}: not JSON ({err})") from None
    if taken_at is None:
        taken_at = pd.Timestamp(Path(path).stat().st_mtime, unit="s")
    return parse_status(payload, str(path), taken_at, st_to_no)


class BikeListPoller:
    """Fetches the live `bikeList` in pages of 1,000. Off unless ``enabled``; the key and URL
    come from the caller (settings: BIKES_LIVE_URL, BIKES_LIVE_KEY, BIKES_LIVE_ENABLED)."""

    def __init__(self, key: str, url: str = DEFAULT_BIKELIST_URL, *, enabled: bool = False,
                 page_size: int = 1000, timeout_s: float = 10.0, max_pages: int = 10,
                 opener=None):
        self.key, self.url, self.enabled = key, url, enabled
        self.page_size, self.timeout_s, self.max_pages = page_size, timeout_s, max_pages
        self._open = opener or (lambda u, t: urllib.request.urlopen(u, timeout=t).read())

    def fetch(self, st_to_no=None) -> StatusSnapshot:
        if not self.enabled:
            raise RuntimeError("the live bikeList poller is off (BIKES_LIVE_ENABLED=0)")
        if not self.key:
            raise RuntimeError("no API key for the live bikeList (BIKES_LIVE_KEY)")
        rows, problems = [], Problems()
        for page in range(self.max_pages):
            start = page * self.page_size + 1
            url = self.url.format(key=self.key, start=start, end=start + self.page_size - 1)
            text, _ = decode_bytes(self._open(url, self.timeout_s))
            payload = json.loads(text)
            block = payload.get("rentBikeStatus") if isinstance(payload, dict) else None
            if not block or not block.get("row"):
                if page == 0:
                    snap = parse_status(payload, "bikeList", pd.Timestamp.now(), st_to_no)
                    return snap
                break
            rows.extend(block["row"])
            if len(block["row"]) < self.page_size:
                break
        snap = parse_status({"rentBikeStatus": {"row": rows}}, "bikeList (live)",
                            pd.Timestamp.now(), st_to_no)
        snap.problems.merge(problems)
        return snap


class FileReplaySource:
    """Snapshots from files (a folder of JSON files in name order, or a list), for offline
    use and tests: the same interface as the poller, one snapshot per ``fetch``."""

    def __init__(self, paths, interval_s: float = 0.0):
        p = Path(paths) if isinstance(paths, (str, Path)) else None
        self.paths = sorted(p.glob("*.json")) if p is not None and p.is_dir() else (
            [p] if p is not None else [Path(x) for x in paths])
        self.interval_s = interval_s

    def __iter__(self) -> Iterator[StatusSnapshot]:
        for k, path in enumerate(self.paths):
            if k and self.interval_s:
                time.sleep(self.interval_s)
            yield read_status_file(path)
