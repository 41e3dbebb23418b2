"""Checks against the real Seoul data in ../shared (skipped locally when absent)."""

import json

import pytest
from shapely.geometry import Point, shape

from seoul_digital.common.districts import by_name
from seoul_digital.inclusion.engine import geo, synth
from tests.shared_data import seoul

pytestmark = pytest.mark.shared_data


def test_district_reference_points_lie_in_their_districts():
    path = seoul("boundaries", "juso_2015_seoul_municipalities_geo_simple.json")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    polygons = {}
    for feature in features:
        props = feature["properties"]
        name = next((v for v in props.values() if isinstance(v, str) and v.endswith("구")), None)
        if name:
            polygons[by_name(name).name_ko] = shape(feature["geometry"])
    assert len(polygons) == 25
    for name, (lat, lon) in geo.REFERENCE_POINTS.items():
        assert polygons[name].contains(Point(lon, lat)), name


def test_elderly_weights_cover_all_districts():
    weights = synth.elderly_weights_from(seoul())
    assert weights is not None and len(weights) == 25
    assert 1_000_000 < sum(weights.values()) < 2_500_000  # Seoul had about 1.55 M people 65+
