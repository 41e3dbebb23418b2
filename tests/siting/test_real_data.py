"""Checks against the real Seoul files in ../shared (skipped locally without them, required in CI)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.shared_data import seoul

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def data_dir():
    return seoul()


def test_kostat_2013_polygons_are_moved_to_wgs84(data_dir):
    """The KOSTAT 2013 files hold Bessel coordinates; after the datum fix the districts agree
    with the JUSO 2015 polygons and the cameras of 중구 fall inside 중구."""
    import shapely.geometry

    from seoul_digital.siting.engine.layers import _read_district_polygons, load_district

    kostat = _read_district_polygons(data_dir / "boundaries" / "kostat_2013_seoul_municipalities_geo.json")
    juso = _read_district_polygons(data_dir / "boundaries" / "juso_2015_seoul_municipalities_geo_simple.json")
    ious = [kostat[c].intersection(juso[c]).area / kostat[c].union(juso[c]).area for c in juso]
    assert np.mean(ious) > 0.93 and min(ious) > 0.85
    jung = load_district(data_dir, "중구")
    assert len(jung.cameras) >= 740  # 754 rows, 12 share a point; none dropped after the fix
    assert not any("중구 경계 밖" in n for n in jung.notes)
    assert shapely.geometry.Point(126.971341, 37.568377).within(jung.boundary_wgs84)  # 정동


def test_gangnam_layers_merge_standard_and_ansimi_points(data_dir):
    from seoul_digital.siting.engine.layers import load_district

    g = load_district(data_dir, "강남구")
    sources = g.sources["cameras"]
    assert "안심이" in sources and "강남구_CCTV" in sources
    assert 2000 < len(g.cameras) < 9000
    assert g.roads is not None and g.roads["narrow"].length > 100_000  # metres of alleys
    assert {"security_lights", "safety_grade"} <= set(g.points)
    assert 500_000 < g.population < 620_000
    assert any("경계 밖" in n for n in g.notes)  # reported, not silently dropped


def test_points_outside_seoul_are_reported(data_dir):
    from seoul_digital.siting.engine.layers import load_district

    geum = load_district(data_dir, "금천구")
    assert any("서울 밖 좌표 19건" in n for n in geum.notes)


def test_area_types_of_seoul(data_dir):
    from seoul_digital.siting.engine import area_types
    from seoul_digital.siting.engine.layers import load_district

    model = area_types.fit_seoul(data_dir)
    assert model.method == "kmeans" and model.n_dongs > 400
    g = load_district(data_dir, "강남구")
    types = dict(zip(g.dong_names, area_types.classify(data_dir, g.dong_stats, g.establishments)))
    assert types["역삼1동"] == "business" and types["삼성1동"] == "business"
    assert types["개포2동"] == "residential"
    yd = load_district(data_dir, "영등포구")
    assert dict(zip(yd.dong_names, area_types.classify(data_dir, yd.dong_stats, yd.establishments)))["여의동"] == "business"


def test_every_district_file_has_weights_matching_its_data(data_dir):
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.siting.engine.demand import load_weights

    for d in DISTRICTS:
        w = load_weights(d.slug, d.name_ko)
        assert w.district == d.name_ko


@pytest.mark.slow
def test_recommend_jung_gu_end_to_end(data_dir):
    from seoul_digital.siting.engine.recommend import Options, recommend

    r = recommend(data_dir, "중구", Options(count=10))
    assert r.count == 10 and r.coverage_after > r.coverage_before > 0.5
    assert all(s.dong for s in r.sites)
    json.dumps(r.to_dict())
