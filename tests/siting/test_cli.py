"""`seoul-digital siting …` as a district officer would run it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from seoul_digital.siting.cli import group


def _run(*args):
    return CliRunner().invoke(group, list(args), catch_exceptions=False)


def test_recommend_json_and_geojson(synth_dir, tmp_path):
    out = tmp_path / "sites.geojson"
    result = _run("recommend", "--district", "강남구", "--data-dir", str(synth_dir), "--count", "4",
                  "--radius", "50", "--output", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["count"] == 4 and len(data["sites"]) == 4
    assert data["coverage_after"] >= data["coverage_before"]
    site = data["sites"][0]
    assert {"lat", "lon", "score", "reasons", "why", "rank"} <= set(site)
    geo = json.loads(out.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 4


def test_recommend_with_existing_csv_overrides_data_dir_cameras(synth_dir, tmp_path):
    from seoul_digital.common import crs
    from seoul_digital.siting.engine.layers import load_district

    c = load_district(synth_dir, "강남구").boundary.centroid
    lon, lat = crs.to_wgs84(c.x, c.y, crs.UTMK)
    path = tmp_path / "mine.csv"
    path.write_bytes(f"위도,경도,카메라대수\n{lat},{lon},3\n".encode("cp949"))
    result = _run("recommend", "--district", "강남구", "--data-dir", str(synth_dir), "--existing",
                  str(path), "--count", "2", "--json")
    data = json.loads(result.stdout)
    assert data["existing_sites"] == 1 and data["existing_cameras"] == 3
    assert "mine.csv" in data["sources"]["cameras"]


def test_bad_input_gives_one_clear_message(synth_dir, tmp_path):
    bad = _run("recommend", "--district", "판교구", "--data-dir", str(synth_dir), "--json")
    assert bad.exit_code == 1 and "판교구" in json.loads(bad.stdout)["error"]
    nocoords = tmp_path / "x.csv"
    nocoords.write_text("주소,대수\n어딘가,1\n", encoding="utf-8")
    bad = _run("recommend", "--district", "강남구", "--data-dir", str(synth_dir), "--existing",
               str(nocoords), "--count", "2")
    assert bad.exit_code == 1 and "좌표 열(위도, 경도)이 없습니다" in bad.output
    bad = _run("recommend", "--district", "강남구", "--data-dir", str(synth_dir), "--count", "2",
               "--budget-krw", "100", "--json")
    assert "하나만" in json.loads(bad.stdout)["error"]
    bad = _run("recommend", "--district", "강남구", "--data-dir", str(synth_dir),
               "--target-coverage", "1.0", "--radius", "10", "--json")
    assert "달성할 수 없습니다" in json.loads(bad.stdout)["error"]


def test_backtest_json(synth_dir):
    result = _run("backtest", "--district", "강남구", "--data-dir", str(synth_dir), "--hide", "0.2",
                  "--seed", "0", "--trials", "3", "--json")
    data = json.loads(result.stdout)
    assert data["hidden_sites"] > 0 and "random" in data and "population_only" in data


def test_synth_and_weights_commands(tmp_path):
    result = _run("synth", "--out", str(tmp_path / "d"), "--district", "관악구", "--scale", "0.05")
    assert result.exit_code == 0 and (tmp_path / "d" / "SYNTHETIC.md").exists()
    result = _run("weights", "--district", "강남구")
    assert "narrow_roads" in result.output and "residential" in result.output


def test_calibrate_prints_a_valid_weights_file(synth_dir):
    from seoul_digital.siting.engine.demand import parse_weights

    result = _run("calibrate", "--district", "강남구", "--data-dir", str(synth_dir))
    assert result.exit_code == 0, result.output
    weights = parse_weights(result.output)
    assert all(weights.by_type[t].get("bells", 0) == 0 for t in weights.by_type)
    assert "기존 CCTV" in result.output.splitlines()[0]
