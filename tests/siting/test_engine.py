"""Layers, grid, area types, demand and recommendations on the synthetic data folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from seoul_digital.siting.engine import area_types
from seoul_digital.siting.engine.demand import (DEFAULT_WEIGHTS, default_weights_yaml, load_weights,
                                                mois_score, parse_weights, score_cells)
from seoul_digital.siting.engine.errors import SitingInputError
from seoul_digital.siting.engine.grid import build_grid
from seoul_digital.siting.engine.layers import load_district, read_existing_csv, resolve_district
from seoul_digital.siting.engine.recommend import Options, prepare, recommend

STANDARD = "관리기관명,소재지도로명주소,소재지지번주소,설치목적구분,카메라대수,카메라화소수,촬영방면정보,보관일수,설치년월,관리기관전화번호,위도,경도,데이터기준일자"


def _csv(path, rows, encoding="cp949"):
    text = STANDARD + "\n" + "\n".join(
        f"구청,,주소{i},생활방범,{n},200,360도 전방면,30,2020-01,02,{lat},{lon},2020-02-27"
        for i, (lat, lon, n) in enumerate(rows))
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def gangnam(synth_dir):
    return load_district(synth_dir, "강남구")


def test_unknown_district_is_named():
    with pytest.raises(SitingInputError, match="'판교구'.*25개 자치구"):
        resolve_district("판교구")
    assert resolve_district("11680").name_ko == resolve_district("Gangnam-gu").name_ko == "강남구"


def test_layers_read_synthetic_files(gangnam):
    assert gangnam.synthetic
    assert len(gangnam.cameras) > 20
    assert gangnam.population > 0
    assert len(gangnam.dong_codes) >= 5
    # the KOSTAT-style polygons were written on the Bessel datum and come back in place
    assert all(gangnam.boundary.buffer(1).contains(g.representative_point()) for g in gangnam.dong_geoms)
    assert {"bars", "schools", "childcare", "bells", "street_lamps"} <= set(gangnam.points)
    # closed bars (영업상태명 != 영업/정상) are not counted
    assert 0 < len(gangnam.points["bars"])


def test_existing_csv_points_outside_are_reported_and_dropped_never_moved(gangnam, tmp_path):
    c = gangnam.boundary.centroid
    from seoul_digital.common import crs

    lon, lat = crs.to_wgs84(c.x, c.y, crs.UTMK)
    rows = [(lat, lon, 2), (lat + 0.0003, lon, 1), (35.1, 129.0, 1), (37.6, 126.9, 1), ("", "", 1)]
    for encoding in ("cp949", "utf-8-sig", "utf-8"):
        notes: list[str] = []
        cams = read_existing_csv(_csv(tmp_path / f"e-{encoding}.csv", rows, encoding), "강남구",
                                 gangnam.boundary, notes=notes)
        assert len(cams) == 2
        assert np.allclose(sorted(cams.lat), sorted([lat, lat + 0.0003]))  # untouched
        assert cams.count.sum() == 3
        assert cams.ptz.all() and (cams.radius == 100).all()
        text = " ".join(notes)
        assert "서울 밖 좌표 1건" in text and "강남구 경계 밖 1건" in text and "좌표 없음 1건" in text


def test_existing_csv_without_coordinates_names_the_columns(gangnam, tmp_path):
    path = tmp_path / "no-xy.csv"
    path.write_bytes("관리기관명,주소,카메라대수\n구청,어딘가,2\n".encode("cp949"))
    with pytest.raises(SitingInputError, match="위도, 경도.*찾은 열: 관리기관명, 주소, 카메라대수"):
        read_existing_csv(path, "강남구", gangnam.boundary)


def test_existing_csv_all_outside_the_district_is_refused(gangnam, tmp_path):
    path = _csv(tmp_path / "elsewhere.csv", [(37.65, 127.06, 1), (37.66, 127.05, 1)])
    with pytest.raises(SitingInputError, match="강남구 안에 있는 곳이 하나도 없습니다"):
        read_existing_csv(path, "강남구", gangnam.boundary)


def test_empty_existing_csv_is_refused(gangnam, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SitingInputError, match="empty"):
        read_existing_csv(path, "강남구", gangnam.boundary)


def test_grid_cells_cover_the_district_and_conserve_population(gangnam):
    grid = build_grid(gangnam)
    assert grid.cell_size == 100
    assert grid.area_share.sum() * 0.01 == pytest.approx(gangnam.area_km2, rel=0.02)
    assert (grid.dong >= 0).all()
    assert grid.variables["population"].sum() == pytest.approx(np.nansum(gangnam.dong_stats["population"]), rel=1e-6)
    # cell centres on the 100 m lattice of UTM-K
    assert np.allclose((grid.x - 50) % 100, 0) and np.allclose((grid.y - 50) % 100, 0)


def test_area_type_clusters_are_named_by_their_centres():
    rng = np.random.default_rng(0)
    blobs = {"residential": (np.log1p(0.2), 0.45, 0.12), "commercial": (np.log1p(0.5), 0.75, 0.2),
             "business": (np.log1p(6.0), 0.5, 0.6), "mixed": (np.log1p(1.0), 0.5, 0.35)}
    feats, truth = [], []
    for name, centre in blobs.items():
        feats.append(np.array(centre) + rng.normal(0, 0.01, (30, 3)))
        truth += [name] * 30
    model = area_types.fit(np.vstack(feats))
    assert model.method == "kmeans"
    assert model.predict(np.vstack(feats)) == truth
    assert model.predict(np.array([[np.nan, 0.5, 0.5]])) == ["mixed"]


def test_weights_file_errors_name_the_problem():
    with pytest.raises(SitingInputError, match="변수 'crime_magic'"):
        parse_weights("weights:\n  residential: {crime_magic: 1}\n")
    with pytest.raises(SitingInputError, match="0–100"):
        parse_weights(default_weights_yaml("강남구").replace("population: 3", "population: -2", 1))
    with pytest.raises(SitingInputError, match="business"):
        parse_weights("weights:\n  residential: {population: 1}\n  commercial: {population: 1}\n"
                      "  mixed: {population: 1}\n")
    with pytest.raises(SitingInputError, match="YAML"):
        parse_weights("weights: [unclosed")
    w = load_weights("gangnam", "강남구")
    assert w.by_type["residential"]["population"] == DEFAULT_WEIGHTS["residential"]["population"]
    assert "narrow_roads" in w.by_type["residential"]  # 강남구's own road layer
    assert "narrow_roads" not in load_weights("seocho", "서초구").by_type["residential"]


def test_score_is_a_weighted_sum_in_0_100(gangnam, synth_dir):
    grid = build_grid(gangnam)
    types = area_types.classify(synth_dir, gangnam.dong_stats, gangnam.establishments)
    assert set(types) <= set(area_types.AREA_TYPES)
    model = score_cells(grid, types, load_weights("gangnam", "강남구"))
    assert model.score.min() >= 0 and model.score.max() <= 100 + 1e-9
    assert np.allclose(sum(model.contributions.values()), model.score)
    assert "narrow_roads" in model.skipped  # no road layer in the synthetic folder
    only = score_cells(grid, types, load_weights("gangnam", "강남구"), only=["population"])
    pop = grid.variables["population"]
    assert np.corrcoef(only.score, pop)[0, 1] > 0.95
    pts, factors = mois_score(grid)
    assert pts.max() <= 5 * len(factors) and "유흥업소 밀집" in factors


def test_recommend_count_budget_target_and_knee(synth_dir, tmp_path):
    inst = prepare(synth_dir, "강남구")
    by_count = recommend(synth_dir, "강남구", Options(count=6), instance=inst)
    assert by_count.mode == "count" and by_count.count == 6
    assert by_count.coverage_after > by_count.coverage_before
    gains = [s.demand_covered for s in by_count.sites]
    assert gains == sorted(gains, reverse=True)  # installation order
    site = by_count.sites[0]
    assert site.reasons and site.dong in inst.layers.dong_names and site.area_type in area_types.AREA_TYPES
    assert site.dong in site.why and "수요 점수" in site.why
    assert by_count.synthetic and by_count.to_dict()["synthetic_data"] is True
    gj = by_count.geojson()
    assert len(gj["features"]) == 6 and gj["features"][0]["geometry"]["type"] == "Point"
    json.dumps(by_count.to_dict())  # serialisable

    by_budget = recommend(synth_dir, "강남구", Options(budget_krw=100_000_000, unit_cost_krw=30_000_000),
                          instance=inst)
    assert by_budget.count == 3 and by_budget.total_cost_krw == 90_000_000
    with pytest.raises(SitingInputError, match="1개소도"):
        recommend(synth_dir, "강남구", Options(budget_krw=1000), instance=inst)

    target = min(0.95, by_count.coverage_before + 0.1)
    by_target = recommend(synth_dir, "강남구", Options(target_coverage=target), instance=inst)
    assert by_target.coverage_after >= target - 1e-9
    fewer = recommend(synth_dir, "강남구", Options(count=max(by_target.count - 1, 0)), instance=inst)
    assert fewer.coverage_after < target  # LSCP count is minimal: one less misses the target

    knee = recommend(synth_dir, "강남구", Options(), instance=inst)
    assert knee.mode == "knee" and knee.knee == knee.count > 0
    assert knee.curve[0][0] == 0 and knee.curve[0][1] == pytest.approx(knee.coverage_before)


def test_conflicting_or_bad_options_are_refused(synth_dir):
    with pytest.raises(SitingInputError, match="하나만"):
        Options(count=3, budget_krw=10).validate()
    with pytest.raises(SitingInputError, match="목표 커버율"):
        Options(target_coverage=1.5).validate()
    with pytest.raises(SitingInputError, match="반경"):
        Options(radius=1).validate()
    with pytest.raises(SitingInputError, match="가중치가 모두 0"):
        prepare(synth_dir, "강남구", options=Options(weight_overrides={"*": {
            v: 0 for v in DEFAULT_WEIGHTS["residential"]}}))


def test_missing_district_data_is_named(synth_dir):
    with pytest.raises(SitingInputError, match="노원구의 경계"):
        load_district(synth_dir, "노원구")
    with pytest.raises(SitingInputError, match="자료 폴더가 없습니다"):
        load_district(synth_dir / "nope", "강남구")


def test_backtest_reports_rates_next_to_baselines(synth_dir):
    from seoul_digital.siting.engine.backtest import backtest

    result = backtest(synth_dir, "강남구", hide=0.2, seed=1, trials=5)
    assert result["hidden_sites"] == round(0.2 * result["existing_sites"])
    for key in ("model", "model_calibrated", "population_only", "mois_style", "random"):
        assert 0.0 <= result[key]["hit_rate"] <= result[key]["hit_rate_2r"] <= 1.0
    with pytest.raises(SitingInputError, match="--hide"):
        backtest(synth_dir, "강남구", hide=1.5)


def test_empty_or_missing_layers_are_named(synth_dir, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(synth_dir, broken)
    (broken / "population" / "dong_pop_2016.csv").write_text("기간,자치구,동,계\n", encoding="utf-8")
    with pytest.raises(SitingInputError, match="인구 자료가 비어"):
        load_district(broken, "강남구")
    header_only = tmp_path / "header.csv"
    header_only.write_bytes((STANDARD + "\n").encode("cp949"))
    layers = load_district(synth_dir, "강남구")
    with pytest.raises(SitingInputError, match="행이 하나도 없습니다"):
        read_existing_csv(header_only, "강남구", layers.boundary)
