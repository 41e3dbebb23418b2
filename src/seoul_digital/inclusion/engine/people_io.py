"""Learners and supporters to and from CSV (for the CLI and bulk imports).

Files are read through :mod:`seoul_digital.common.korean_files`, so UTF-8, UTF-8 with BOM
and CP949 all work. Lists inside a cell are separated by ``;``. Levels and devices may be
written in Korean (기초/생활/심화, 안드로이드/아이폰/기타) or as codes.

learners.csv:   id, district, windows, level, device, language, gender, gender_preference,
                lat, lon, waiting_days, previous_supporter, declined_by
supporters.csv: id, home_district, districts, windows, levels, devices, languages, gender,
                max_learners, current_learners, committed_minutes, lat, lon
Only id, district/home_district and windows are required.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from seoul_digital.inclusion.engine.matching import Learner, MatchingError, Supporter
from seoul_digital.inclusion.engine.schedule import WindowError, format_windows, parse_windows

__all__ = [
    "LEARNER_COLUMNS",
    "SUPPORTER_COLUMNS",
    "read_learners",
    "read_supporters",
    "write_learners",
    "write_supporters",
]

LEARNER_COLUMNS = ("id", "district", "windows", "level", "device", "language", "gender",
                   "gender_preference", "lat", "lon", "waiting_days", "previous_supporter",
                   "declined_by")
SUPPORTER_COLUMNS = ("id", "home_district", "districts", "windows", "levels", "devices",
                     "languages", "gender", "max_learners", "current_learners",
                     "committed_minutes", "lat", "lon")

_LEVEL = {"기초": "basic", "생활": "daily", "심화": "advanced"}
_DEVICE = {"안드로이드": "android", "아이폰": "ios", "기타": "other", "갤럭시": "android"}
_GENDER = {"여": "F", "여성": "F", "남": "M", "남성": "M", "f": "F", "m": "M"}


def _list(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _point(row: dict, where: str):
    lat, lon = row.get("lat", "").strip(), row.get("lon", "").strip()
    if not lat and not lon:
        return None
    try:
        point = (float(lat), float(lon))
    except ValueError:
        raise MatchingError(f"{where}: lat/lon '{lat}', '{lon}' are not numbers") from None
    if not (37.3 < point[0] < 37.8 and 126.7 < point[1] < 127.3):
        raise MatchingError(f"{where}: {point} is not in Seoul")
    return point


def _int(row: dict, column: str, where: str, default=None):
    text = (row.get(column) or "").strip()
    if not text:
        return default
    try:
        return int(float(text))
    except ValueError:
        raise MatchingError(f"{where}: {column} '{text}' is not a whole number") from None


def _records(path: str | Path, required: Iterable[str]) -> list[tuple[int, dict]]:
    from seoul_digital.common.korean_files import read_table

    table = read_table(path)
    missing = [c for c in required if c not in table.header]
    if missing:
        raise MatchingError(f"{path}: missing column(s) {', '.join(missing)}; "
                            f"found {', '.join(table.header)}")
    return [(table.first_data_line + i, record) for i, record in enumerate(table.records())
            if any(v.strip() for v in record.values())]


def _windows(text: str, where: str):
    try:
        return parse_windows(text)
    except WindowError as err:
        raise MatchingError(f"{where}: {err}") from None


def read_learners(path: str | Path) -> list[Learner]:
    learners = []
    for line, row in _records(path, ("id", "district", "windows")):
        where = f"{Path(path).name} line {line}"
        level = row.get("level", "").strip() or "basic"
        device = row.get("device", "").strip() or "android"
        learners.append(Learner(
            id=row["id"].strip(),
            district=row["district"].strip(),
            windows=_windows(row["windows"], where),
            level=_LEVEL.get(level, level),
            device=_DEVICE.get(device, device),
            language=row.get("language", "").strip() or "ko",
            gender=_GENDER.get(row.get("gender", "").strip().lower(), row.get("gender", "").strip()),
            gender_preference=_GENDER.get(row.get("gender_preference", "").strip().lower(),
                                          row.get("gender_preference", "").strip()),
            point=_point(row, where),
            waiting_days=_int(row, "waiting_days", where, 0),
            previous_supporter=row.get("previous_supporter", "").strip() or None,
            declined_by=frozenset(_list(row.get("declined_by", ""))),
        ))
    return learners


def read_supporters(path: str | Path) -> list[Supporter]:
    supporters = []
    for line, row in _records(path, ("id", "home_district", "windows")):
        where = f"{Path(path).name} line {line}"
        supporters.append(Supporter(
            id=row["id"].strip(),
            home_district=row["home_district"].strip(),
            districts=tuple(_list(row.get("districts", ""))),
            windows=_windows(row["windows"], where),
            levels=frozenset(_LEVEL.get(v, v) for v in _list(row.get("levels", ""))) or
            frozenset({"basic", "daily"}),
            devices=frozenset(_DEVICE.get(v, v) for v in _list(row.get("devices", ""))) or
            frozenset({"android"}),
            languages=frozenset(_list(row.get("languages", ""))) or frozenset({"ko"}),
            gender=_GENDER.get(row.get("gender", "").strip().lower(), row.get("gender", "").strip()),
            max_learners=_int(row, "max_learners", where, 6),
            current_learners=_int(row, "current_learners", where, 0),
            committed_minutes=_int(row, "committed_minutes", where, None),
            point=_point(row, where),
        ))
    return supporters


def _write(path: str | Path, columns, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")


def _pt(point):
    return ("", "") if point is None else (f"{point[0]:.5f}", f"{point[1]:.5f}")


def write_learners(path: str | Path, learners: Iterable[Learner]) -> None:
    _write(path, LEARNER_COLUMNS, [
        (l.id, l.district, format_windows(l.windows), l.level, l.device, l.language, l.gender,
         l.gender_preference, *_pt(l.point), l.waiting_days, l.previous_supporter or "",
         ";".join(sorted(map(str, l.declined_by)))) for l in learners])


def write_supporters(path: str | Path, supporters: Iterable[Supporter]) -> None:
    _write(path, SUPPORTER_COLUMNS, [
        (s.id, s.home_district, ";".join(s.districts), format_windows(s.windows),
         ";".join(sorted(s.levels)), ";".join(sorted(s.devices)), ";".join(sorted(s.languages)),
         s.gender, s.max_learners, s.current_learners,
         "" if s.committed_minutes is None else s.committed_minutes, *_pt(s.point))
        for s in supporters])
