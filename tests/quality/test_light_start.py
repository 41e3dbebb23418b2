"""The check path stays plain Python: numpy, pyproj and yaml only when a file needs them,
with the same answers as converting and hashing everything through them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from seoul_digital.quality.engine.rules import geo
from seoul_digital.quality.engine.rules.keys import SeenHashes
from seoul_digital.quality.engine.spec import _share, _share_at_least

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout)


def test_checking_a_small_file_imports_no_numpy_pyproj_or_yaml(tmp_path):
    from seoul_digital.quality.engine import synth

    path = tmp_path / "localdata.csv"
    synth.write_localdata(path, n=300)
    got = _run(
        "import json, sys\n"
        "from seoul_digital.quality.engine import check_file\n"
        f"r = check_file({str(path)!r})\n"
        "heavy = ('numpy', 'pyproj', 'yaml', 'django', 'pandas')\n"
        "print(json.dumps({'heavy': sorted(m for m in heavy if m in sys.modules),"
        " 'rules': sorted({f.rule for f in r.findings})}))\n")
    assert got["heavy"] == []
    # the planted TM findings are still found without pyproj
    planted = {"coordinate_swapped", "coordinate_outside_seoul", "coordinate_system"}
    assert planted <= set(got["rules"])


def test_the_cli_module_and_engine_import_light():
    got = _run("import json, sys\n"
               "import seoul_digital.quality.cli, seoul_digital.quality.engine\n"
               "print(json.dumps(sorted(m for m in ('numpy', 'pyproj', 'yaml', 'pandas', 'gzip', "
               "'zipfile') if m in sys.modules)))\n")
    assert got == []


def test_bbox_copy_matches_common_crs():
    from seoul_digital.common import crs

    assert geo.SEOUL_BBOX_WGS84 == crs.SEOUL_BBOX_WGS84


@pytest.mark.parametrize("system", sorted(geo._TM_BOXES))
def test_tm_boxes_bound_the_converted_bbox(system):
    """Recompute each system's box with pyproj: the inner box lies inside the converted WGS84
    box and the outer box holds all of it."""
    import numpy as np

    from seoul_digital.common import crs

    lo0, la0, lo1, la1 = crs.SEOUL_BBOX_WGS84
    t = np.linspace(0, 1, 2001)
    west = crs.from_wgs84(np.full_like(t, lo0), la0 + t * (la1 - la0), system)
    east = crs.from_wgs84(np.full_like(t, lo1), la0 + t * (la1 - la0), system)
    south = crs.from_wgs84(lo0 + t * (lo1 - lo0), np.full_like(t, la0), system)
    north = crs.from_wgs84(lo0 + t * (lo1 - lo0), np.full_like(t, la1), system)
    (ix0, iy0, ix1, iy1), (ox0, oy0, ox1, oy1) = geo._TM_BOXES[system]
    assert ix0 > max(west[0]) and ix1 < min(east[0]) and iy0 > max(south[1]) and iy1 < min(north[1])
    xs = np.concatenate([west[0], east[0], south[0], north[0]])
    ys = np.concatenate([west[1], east[1], south[1], north[1]])
    assert ox0 < xs.min() and ox1 > xs.max() and oy0 < ys.min() and oy1 > ys.max()


def _reference_verdicts(xs, ys, system):
    """The verdicts from converting every pair (the behaviour before the box pre-check)."""
    from seoul_digital.common import crs

    lon, lat = crs.to_wgs84(xs, ys, system)
    lon_s, lat_s = crs.to_wgs84(ys, xs, system)
    inside = crs.inside_seoul_bbox(lon, lat)
    swapped = crs.inside_seoul_bbox(lon_s, lat_s)
    return [None if a else ("coordinate_swapped" if b else "coordinate_outside_seoul")
            for a, b in zip(inside.tolist(), swapped.tolist())]


@pytest.mark.parametrize("system", sorted(geo._TM_BOXES) + ["EPSG:32652"])
def test_pair_verdicts_equal_converting_every_pair(system):
    rng = random.Random(7)
    # An unlisted system (UTM 52N) is sampled around Seoul's extent in it.
    boxes = geo._TM_BOXES.get(system, ((303_000, 4_143_000, 339_000, 4_176_000),
                                       (301_000, 4_141_000, 341_000, 4_178_000)))
    (ix0, iy0, ix1, iy1), (ox0, oy0, ox1, oy1) = boxes
    xs, ys = [], []
    for _ in range(3000):
        # spread over and around the box, and packed into the band between inner and outer
        if rng.random() < 0.5:
            x, y = rng.uniform(ox0 - 20_000, ox1 + 20_000), rng.uniform(oy0 - 20_000, oy1 + 20_000)
        else:
            x = rng.choice([rng.uniform(ox0 - 50, ix0 + 50), rng.uniform(ix1 - 50, ox1 + 50),
                            rng.uniform(ix0, ix1)])
            y = rng.choice([rng.uniform(oy0 - 50, iy0 + 50), rng.uniform(iy1 - 50, oy1 + 50),
                            rng.uniform(iy0, iy1)])
        if rng.random() < 0.2:
            x, y = y, x
        xs.append(x)
        ys.append(y)
    got = geo.pair_verdicts(xs, ys, system)
    assert got == _reference_verdicts(xs, ys, system)
    assert Counter(got)[None] > 100 and Counter(got)["coordinate_outside_seoul"] > 100
    if system in geo._TM_BOXES:  # (swapped UTM 52N pairs are far outside, not swapped)
        assert Counter(got)["coordinate_swapped"] > 100


def test_pair_verdicts_skip_missing_and_infinite_values():
    inside = (200_000.0, 450_000.0)
    got = geo.pair_verdicts([inside[0], None, float("inf"), inside[1]],
                            [inside[1], 450_000.0, 450_000.0, inside[0]], "EPSG:2097")
    assert got == [None, None, None, "coordinate_swapped"]


def test_seen_hashes_same_answers_in_the_set_and_in_numpy_runs():
    rng = random.Random(3)
    batches = [[rng.randrange(-2**63, 2**63) if rng.random() < 0.5 else rng.randrange(500)
                for _ in range(rng.randrange(0, 400))] for _ in range(40)]
    small, spilled, runs = SeenHashes(), SeenHashes(small_limit=3_000), SeenHashes(small_limit=0)
    for batch in batches:
        a, b, c = small.add_list(batch), spilled.add_list(batch), runs.add_list(batch)
        assert a == b == c
    assert small.small is not None and spilled.small is None and runs.small is None
    for attr in ("duplicates", "distinct_repeated", "rows_involved", "total"):
        assert getattr(small, attr) == getattr(spilled, attr) == getattr(runs, attr), attr


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.95, 1.0, 0.0])
def test_share_at_least_equals_the_share(threshold):
    rng = random.Random(int(threshold * 100))
    for _ in range(300):
        values = [str(rng.randrange(12)) for _ in range(rng.randrange(0, 60))]
        test = (lambda v, k=rng.randrange(13): int(v) < k)
        assert _share_at_least(Counter(values), len(values), test, threshold) == \
            (_share(values, test) >= threshold)


def test_placeholders_are_short():
    from seoul_digital.quality.engine.checker import _PLACEHOLDER_LEN
    from seoul_digital.quality.engine.rules.base import PLACEHOLDERS

    assert _PLACEHOLDER_LEN == max(len(p) for p in PLACEHOLDERS)
    assert min(len(chr(i).lower()) for i in range(0x110000)) >= 1  # lower() never shortens


def test_collector_setting_is_raised_during_a_check_and_restored(tmp_path):
    import gc

    from seoul_digital.quality.engine import check_file, synth

    path = tmp_path / "localdata.csv"
    synth.write_localdata(path)
    before = gc.get_threshold()
    assert before[0] < 100_000
    seen = []
    report = check_file(path, fewer_gc_passes=True,
                        progress=lambda done, total, message="": seen.append(gc.get_threshold()))
    assert report.rows and seen and all(t[0] >= 100_000 for t in seen)
    assert gc.get_threshold() == before
    check_file(tmp_path / "missing.csv", fewer_gc_passes=True)  # the unreadable path restores it too
    assert gc.get_threshold() == before
    # Off by default (a web or job process keeps its setting) ...
    seen.clear()
    check_file(path, progress=lambda done, total, message="": seen.append(gc.get_threshold()))
    assert seen and all(t == before for t in seen)
    # ... and a collector switched off stays off.
    try:
        gc.set_threshold(0)
        seen.clear()
        check_file(path, fewer_gc_passes=True,
                   progress=lambda done, total, message="": seen.append(gc.get_threshold()))
        assert seen and all(t[0] == 0 for t in seen)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("text", ["2024-06-05 13:26:10", "2023-02-30 10:00:00",
                                  "2023-01-01 24:00:00", "2023-01-01 23:60:59",
                                  "0000-01-01 00:00:00", "2024-02-29 23:59:59"])
def test_padded_datetime_shortcut_equals_the_general_form(text):
    from seoul_digital.quality.engine.rules.dates import _parse_date

    # the same date-time with a T separator takes the general path; only the ISO text differs
    fmt, number, iso = _parse_date(text)
    general = _parse_date(text.replace(" ", "T"))
    assert (fmt, number, iso) == (general[0], general[1], general[2].replace("T", " "))
    assert iso == text and fmt == "YYYY-MM-DD HH:MM:SS"
