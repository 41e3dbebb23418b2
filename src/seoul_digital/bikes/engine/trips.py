"""Trip history in the published OA-15182 layout (공공자전거 대여이력 정보), CP949.

Reading keeps every usable trip and counts every other one by reason: unknown station
numbers, returns before rentals, negative or inconsistent durations, unparsable times,
mis-decoded text (a UTF-8 file read as CP949 or the reverse). Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from seoul_digital.common.korean_files import iter_csv_rows, normalise_label
from seoul_digital.bikes.engine.problems import Problems
from seoul_digital.bikes.engine.stations import normalise_station_no

__all__ = ["TRIP_COLUMNS", "TRIP_COLUMNS_2022", "TripSet", "read_trips", "write_trips",
           "hourly_counts"]

# As published (2018–2021); from ~2022 five more columns follow.
TRIP_COLUMNS = ["자전거번호", "대여일시", "대여 대여소번호", "대여 대여소명", "대여거치대",
                "반납일시", "반납대여소번호", "반납대여소명", "반납거치대", "이용시간(분)", "이용거리(M)"]
TRIP_COLUMNS_2022 = TRIP_COLUMNS + ["생년", "성별", "이용자종류", "대여대여소ID", "반납대여소ID"]

_FIELDS = {
    "bike": ("자전거번호",), "rent_time": ("대여일시",), "rent_station": ("대여대여소번호",),
    "rent_st_id": ("대여대여소ID",), "return_time": ("반납일시",),
    "return_station": ("반납대여소번호",), "return_st_id": ("반납대여소ID",),
    "minutes": ("이용시간(분)", "이용시간"), "metres": ("이용거리(M)", "이용거리"),
}
# Common mojibake of Korean headers: UTF-8 bytes read as CP949/latin-1 and the reverse.
_MOJIBAKE_MARKERS = ("\ufffd", "ì", "ë", "ê", "Ã", "留", "諛")


@dataclass
class TripSet:
    """Usable trips as arrays: station indices into ``station_nos``, times in minutes since
    ``epoch``. ``problems`` counts every row that was not kept and why."""

    frame: pd.DataFrame  # rent_time, return_time (datetime64), origin, dest (station_no), minutes, metres
    problems: Problems = field(default_factory=Problems)
    rows_read: int = 0
    encoding: str = ""

    def __len__(self) -> int:
        return len(self.frame)

    def report(self) -> dict:
        return {"rows_read": self.rows_read, "trips_kept": len(self.frame),
                "encoding": self.encoding, "problems": self.problems.to_dict()}


def write_trips(frame: pd.DataFrame, path: str | Path, encoding: str = "cp949") -> Path:
    """Write trips in the published layout. ``frame`` has the OA-15182 Korean columns."""
    path = Path(path)
    frame[TRIP_COLUMNS].to_csv(path, index=False, encoding=encoding, lineterminator="\n")
    return path


def _column_map(header: list[str], problems: Problems) -> dict[str, int]:
    labels = [normalise_label(h).strip("'\"") for h in header]
    found = {}
    for key, cands in _FIELDS.items():
        for cand in cands:
            c = normalise_label(cand)
            if c in labels:
                found[key] = labels.index(c)
                break
    return found


def _strip(values: pd.Series) -> pd.Series:
    """Cells without surrounding spaces or the literal quotes of some releases; only the
    cells that need it are touched (string ops per cell are slow on millions of rows)."""
    arr = np.array([str(v).strip(_QUOTE_CHARS) for v in values.to_numpy(dtype=object)],
                   dtype=object)
    return pd.Series(arr, index=values.index, dtype=object)


_QUOTE_CHARS = "'\" \t\u00a0"


def _numbers(values: pd.Series) -> np.ndarray:
    out = pd.to_numeric(values, errors="coerce").to_numpy(float).copy()
    bad = np.isnan(out)
    if bad.any():
        out[bad] = pd.to_numeric(_strip(values[bad]), errors="coerce").to_numpy(float)
    return out


def _times(values: pd.Series) -> np.ndarray:
    """'2018-05-01 08:03:11' (and the 2018 '2018-05-01 8:03' form) → datetime64; else NaT."""
    try:
        return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="raise").to_numpy()
    except (ValueError, TypeError):
        values = _strip(values)
        try:
            return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="raise").to_numpy()
        except (ValueError, TypeError):
            return pd.to_datetime(values, format="mixed", errors="coerce").to_numpy()


def read_trips(path: str | Path, known_stations: set[str] | None = None,
               st_to_no: dict[str, str] | None = None, max_minutes: float = 24 * 60) -> TripSet:
    """Read an OA-15182 file (CP949 or UTF-8, any of the published column sets).

    ``known_stations``: public station numbers of the station list in use; trips from or to
    any other number are counted as ``unknown_station`` and not kept. ``st_to_no`` maps
    ST-ids (2022+ columns) to numbers when the number columns are blank.
    """
    problems = Problems()
    guess, _delim, rows = iter_csv_rows(path)
    try:
        header = next(rows)
    except StopIteration:
        problems.add("empty_file", str(path))
        return TripSet(pd.DataFrame(columns=["rent_time", "return_time", "origin", "dest",
                                             "minutes", "metres"]), problems, 0, guess.label)
    cols = _column_map(header, problems)
    if not {"rent_time", "return_time"} <= cols.keys() or not (
            ("rent_station" in cols or "rent_st_id" in cols)
            and ("return_station" in cols or "return_st_id" in cols)):
        joined = ",".join(header)
        if any(m in joined for m in _MOJIBAKE_MARKERS):
            raise ValueError(f"{Path(path).name}: header is mis-decoded text ({guess.label} guessed: "
                             f"{joined[:60]}…); the file's encoding is neither CP949 nor UTF-8 as read")
        raise ValueError(f"{Path(path).name}: not the OA-15182 trip layout (header: {joined[:120]})")
    width = len(header)
    try:  # fast path: a well-formed file, parsed by pandas with the detected codec
        wanted = sorted(set(cols.values()) | {j for j, h in enumerate(header) if "명" in h})
        raw = pd.read_csv(path, encoding=guess.encoding, sep=_delim, dtype=object, header=0,
                          names=list(range(width)), usecols=wanted, keep_default_na=False,
                          encoding_errors="replace", skip_blank_lines=False)
        cells = {j: raw[j] for j in wanted}
    except (pd.errors.ParserError, ValueError):  # ragged rows: the slow path keeps them all
        matrix = []
        for row in rows:
            matrix.append((row + [""] * width)[:width])
        cells = {j: pd.Series([r[j] for r in matrix], dtype=object) for j in range(width)}
    n = len(next(iter(cells.values()))) if cells else 0
    used = [cols[k] for k in cols]
    blank = np.ones(n, bool)
    for j in used:
        blank &= cells[j].to_numpy(dtype=object) == ""
    if blank.any():
        problems.add("blank_row", f"line {int(np.flatnonzero(blank)[0]) + 2}", n=int(blank.sum()))
    # Mis-decoded text shows in the Korean name columns as U+FFFD.
    bad_text = np.zeros(n, bool)
    for j, label in enumerate(header):
        if "명" in label and j in cells:
            values = cells[j]
            bad = {v for v in pd.unique(values) if "\ufffd" in str(v)}
            if bad:
                bad_text |= values.isin(bad).to_numpy()
    if bad_text.any():
        problems.add("undecodable_text_kept", f"line {int(np.flatnonzero(bad_text)[0]) + 2}",
                     n=int(bad_text.sum()))

    def column(key):
        if key not in cols:
            return pd.Series([""] * n, dtype=object)
        return cells[cols[key]]

    def station(key):
        values = column(key)
        mapping = {v: normalise_station_no(v) for v in pd.unique(values)}
        return values.map(mapping)

    o = station("rent_station")
    d = station("return_station")
    if st_to_no:
        o = o.where(o != "", _strip(column("rent_st_id")).str.upper().map(st_to_no).fillna(""))
        d = d.where(d != "", _strip(column("return_st_id")).str.upper().map(st_to_no).fillna(""))
    rent_t, ret_t, org, dst = column("rent_time"), column("return_time"), o, d
    mins, metres = _numbers(column("minutes")), _numbers(column("metres"))
    frame = pd.DataFrame({"rent_time": _times(rent_t), "return_time": _times(ret_t),
                          "origin": org.to_numpy(), "dest": dst.to_numpy(),
                          "minutes": mins, "metres": metres})
    frame = frame[~blank].reset_index(drop=True)
    keep = np.ones(len(frame), bool)

    def drop(mask, kind):
        nonlocal keep
        mask = np.asarray(mask, bool) & keep
        if mask.any():
            idx = np.flatnonzero(mask)
            problems.add(kind, f"line {idx[0] + 2}: {frame.iloc[idx[0]].to_dict()}", n=int(mask.sum()))
            keep &= ~mask

    drop(frame["rent_time"].isna() | frame["return_time"].isna(), "unparsable_time")
    drop((frame["origin"] == "") | (frame["dest"] == ""), "missing_station")
    if known_stations is not None:
        known = frame["origin"].isin(known_stations) & frame["dest"].isin(known_stations)
        drop(~known, "unknown_station")
    drop(frame["return_time"] < frame["rent_time"], "return_before_rent")
    drop(frame["minutes"] < 0, "negative_duration")
    span = (frame["return_time"] - frame["rent_time"]).dt.total_seconds() / 60
    drop(span > max_minutes, "duration_over_limit")
    # A stated duration far from the time stamps is kept (times rule) but counted.
    off = (frame["minutes"].notna() & (np.abs(frame["minutes"] - span) > 5) & keep)
    if off.any():
        problems.add("duration_disagrees_with_times_kept", n=int(off.sum()),
                     example=f"line {int(np.flatnonzero(off)[0]) + 2}")
    frame = frame[keep].reset_index(drop=True)
    return TripSet(frame, problems, n, guess.label)


def hourly_counts(trips: pd.DataFrame, station_nos: list[str], start: pd.Timestamp,
                  hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Rentals and returns per station and hour: two (stations, hours) int arrays."""
    index = {no: k for k, no in enumerate(station_nos)}
    out = []
    for tcol, scol in (("rent_time", "origin"), ("return_time", "dest")):
        h = ((trips[tcol] - start).dt.total_seconds() // 3600).to_numpy()
        s = trips[scol].map(index).to_numpy()
        ok = (h >= 0) & (h < hours) & ~pd.isna(s)
        counts = np.zeros((len(station_nos), hours), np.int64)
        np.add.at(counts, (s[ok].astype(int), h[ok].astype(int)), 1)
        out.append(counts)
    return out[0], out[1]
