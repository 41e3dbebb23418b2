"""Real-time status: nulls counted, both payload shapes, poller off by default, file source."""

from __future__ import annotations

import json

import numpy as np
import pytest

from seoul_digital.bikes.engine.live import (BikeListPoller, FileReplaySource, parse_status,
                                             read_status_file)
from seoul_digital.bikes.engine.recompute import match_stock
from tests.bikes.helpers import snapshot_payload, station_frame
from tests.shared_data import seoul


def test_nulls_are_counted_and_rows_kept():
    payload = snapshot_payload({"2301": None, "2302": 3})
    payload["rentBikeStatus"]["row"][2]["stationLatitude"] = None
    payload["rentBikeStatus"]["row"][3]["parkingBikeTotCnt"] = "many"
    payload["rentBikeStatus"]["row"].append(dict(payload["rentBikeStatus"]["row"][1]))  # duplicate
    snap = parse_status(payload)
    p = snap.problems
    assert p["null_parkingBikeTotCnt"] == 1 and p["null_stationLatitude"] == 1
    assert p["unreadable_parkingBikeTotCnt"] == 1 and p["duplicate_station_kept_last"] == 1
    assert len(snap.frame) == 6 and snap.frame["bikes"].isna().sum() == 2
    stock, problems = match_stock(station_frame(), snap)
    assert np.isnan(stock[0]) and stock[1] == 3
    assert problems["stock_null_station_kept_without_alert"] == 2


def test_realtime_list_shape_and_unknown_stations():
    rows = snapshot_payload({})["rentBikeStatus"]["row"]
    rows[0]["stationName"] = None  # the number then comes from the crosswalk
    rows.append({"stationId": "ST-999", "stationName": "9999. 새 대여소", "rackTotCnt": "5",
                 "parkingBikeTotCnt": "2", "shared": "40", "stationLatitude": "37.5",
                 "stationLongitude": "127.0", "usrSeq": None})
    snap = parse_status({"realtimeList": rows}, st_to_no={"ST-1": "2301"})
    assert snap.frame.loc[0, "station_no"] == "2301" and snap.problems["null_stationName"] == 1
    assert snap.problems["null_in_unused_field"] == 1
    _stock, problems = match_stock(station_frame(), snap)
    assert problems["snapshot_station_not_in_list"] == 1


def test_api_error_and_garbage():
    snap = parse_status({"RESULT": {"CODE": "ERROR-337", "MESSAGE": "일일 트래픽 초과"}})
    assert len(snap.frame) == 0 and snap.problems["api_error"] == 1
    with pytest.raises(ValueError, match="not a bikeList"):
        parse_status({"foo": 1})


def test_poller_is_off_by_default_and_pages_when_on():
    with pytest.raises(RuntimeError, match="off"):
        BikeListPoller("KEY").fetch()
    rows = snapshot_payload({})["rentBikeStatus"]["row"]
    pages = {1: rows[:4], 5: rows[4:]}
    calls = []

    def opener(url, timeout):
        calls.append(url)
        start = int(url.rstrip("/").split("/")[-2])
        return json.dumps({"rentBikeStatus": {"row": pages.get(start, [])}}).encode("utf-8")

    poller = BikeListPoller("SECRET", "http://example.invalid/{key}/json/bikeList/{start}/{end}/",
                            enabled=True, page_size=4, opener=opener)
    snap = poller.fetch()
    assert len(snap.frame) == 6 and calls[0].endswith("/SECRET/json/bikeList/1/4/")
    assert len(calls) == 2  # the short second page ends the paging


def test_file_replay_source(tmp_path):
    for k, stocks in enumerate(({"2301": 1}, {"2301": 7})):
        (tmp_path / f"{k:02d}.json").write_text(json.dumps(snapshot_payload(stocks)), encoding="utf-8")
    snaps = list(FileReplaySource(tmp_path))
    assert [s.frame.loc[0, "bikes"] for s in snaps] == [1, 7]


def test_real_2019_snapshot():
    snap = read_status_file(seoul("bikes", "realtime_status_snapshot_2019_partial.json"))
    assert len(snap.frame) == 42 and snap.frame["bikes"].notna().all()
    assert snap.problems["null_in_unused_field"] > 100  # the real payload is full of nulls
    assert snap.frame.loc[0, "st_id"] == "ST-116" and snap.frame.loc[0, "station_no"] == "300"


def test_poll_cli_is_off_by_default(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from seoul_digital.bikes.cli import group

    monkeypatch.delenv("BIKES_LIVE_ENABLED", raising=False)
    result = CliRunner().invoke(group, ["poll", "--out", str(tmp_path / "s.json"), "--key", "K"])
    assert result.exit_code == 1 and "off" in result.output
    assert not (tmp_path / "s.json").exists()
