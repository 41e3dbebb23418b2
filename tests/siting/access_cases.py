"""Access cases for the siting app (see tests/access/registry.py).

``build`` makes a finished 강남구 run (no engine call) so the 강남구 officer owns it and the
서초구 officer must get 404 everywhere it is addressed. POST cases send incomplete data so
no job starts: the status still proves who may reach the handler.
"""

from tests.access.registry import API_DENIED_ANON, PAGE_DENIED_ANON, Case, api, page


def build(world):
    from seoul_digital.siting.models import SitingRun, SitingSite

    run = SitingRun.objects.create(
        district=world.districts.gangnam, created_by=world.users.gangnam, title="강남 시험 분석",
        mode="count", parameters={"count": 1, "radius": 50.0}, state=SitingRun.State.SUCCEEDED,
        summary={"count": 1, "coverage_before": 0.5, "coverage_after": 0.51, "mode": "count",
                 "radius_m": 50.0, "unit_cost_krw": 25000000, "total_cost_krw": 25000000,
                 "existing_sites": 10, "existing_cameras": 20, "mois_baseline_coverage_after": 0.505,
                 "curve": [[0, 0.5], [1, 0.51]], "notes": ["시험"]},
        map_data={"boundary": {"type": "Polygon", "coordinates": [[[127.0, 37.5], [127.01, 37.5],
                                                                  [127.01, 37.51], [127.0, 37.5]]]},
                  "dongs": {"type": "FeatureCollection", "features": []}, "cell_size": 100,
                  "heat": [[37.505, 127.005, 50.0]], "existing": [[37.505, 127.004, 50.0]],
                  "radius": 50.0})
    SitingSite.objects.create(run=run, rank=1, lat=37.505, lon=127.005, score=50, demand_covered=1,
                              demand_share=0.01, residents_covered=10, area_type="mixed", dong="역삼1동",
                              reasons=[{"variable": "population", "label": "주민등록인구", "share": 1.0}],
                              why="시험")
    world.siting_run = run


RUN = {"kwargs": lambda w: {"pk": w.siting_run.pk}}
GANGNAM = {"kwargs": {"code": "11680"}}

CASES = [
    page("siting:index"),
    page("siting:manual"),
    page("siting:overview"),
    Case("siting:overview_refresh", method="post", data={},
         expect={"anon": PAGE_DENIED_ANON, "admin": 302, "staff": 302, "gangnam": 404, "seocho": 404}),
    page("siting:district", seocho=404, **GANGNAM),
    Case("siting:district", method="post", data={"mode": "count"}, label="bad form",
         kwargs={"code": "11680"},
         expect={"anon": PAGE_DENIED_ANON, "admin": 400, "staff": 400, "gangnam": 400, "seocho": 404}),
    page("siting:weights", seocho=404, **GANGNAM),
    Case("siting:weights", method="post", data={"yaml_text": "weights: nope"}, label="bad yaml",
         kwargs={"code": "11680"},
         expect={"anon": PAGE_DENIED_ANON, "admin": 400, "staff": 400, "gangnam": 400, "seocho": 404}),
    page("siting:run_detail", seocho=404, **RUN),
    page("siting:run_map", seocho=404, **RUN),
    page("siting:run_export", seocho=404, kwargs=lambda w: {"pk": w.siting_run.pk, "fmt": "csv"}),
    api("api:siting_runs"),
    Case("api:siting_run_create", method="post", content_type="application/json", label="create, bad count",
         data={"district": "11680", "count": -5},
         expect={"anon": API_DENIED_ANON, "admin": 400, "staff": 400, "gangnam": 400, "seocho": 404}),
    api("api:siting_run", seocho=404, kwargs=lambda w: {"run_id": w.siting_run.pk}),
    api("api:siting_run_geojson", seocho=404, kwargs=lambda w: {"run_id": w.siting_run.pk}),
    api("api:siting_overview"),
]
