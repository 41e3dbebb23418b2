"""The bikes app: stored bands, scoping by district, job, demo loader, API, CLI safety-stock."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from seoul_digital.core.models import AuditLog, Job
from seoul_digital.bikes.models import Recomputation, RouteStop, Station, StationBand
from tests.bikes.helpers import make_world
from tests.conftest import login_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    return make_world(users.admin)


def test_recompute_stores_bands_alerts_routes_and_audits(world):
    run = world
    assert run.stations == 6 and run.with_stock == 5
    bands = {b.station.station_no: b for b in StationBand.objects.filter(run=run).select_related("station")}
    assert bands["2302"].stock == 0 and bands["2302"].risk == "empty_risk" and bands["2302"].low > 0
    assert bands["2302"].need == bands["2302"].target > 0
    assert bands["2202"].risk == "full_risk" and bands["2202"].need < 0
    assert bands["2203"].stock is None and bands["2203"].risk == "ok"
    assert run.problems["snapshot.null_parkingBikeTotCnt"]["count"] == 1
    assert run.empty_risk >= 1 and run.full_risk >= 1
    assert all(b.low <= b.target <= b.high for b in bands.values())
    assert len(bands["2302"].forecast["rent"]) == 3 and "stock_mean" in bands["2302"].forecast
    assert "stock_mean" not in bands["2203"].forecast  # no count, no stock path
    stops = RouteStop.objects.filter(route__run=run)
    assert stops.exists()
    assert AuditLog.objects.filter(app_label="bikes", model="recomputation", action="create").count() == 1


def test_officer_sees_only_own_district(world, users):
    gangnam = login_client(users.gangnam)
    page = gangnam.get(reverse("bikes:index"))
    nos = {p["no"] for p in page.context["points"]}
    assert nos == {"2301", "2302", "2303"}
    # A district filter in the URL does not widen an officer's view.
    page = gangnam.get(reverse("bikes:index") + "?district=11650")
    assert {p["no"] for p in page.context["points"]} == {"2301", "2302", "2303"}
    api = gangnam.get(reverse("api:bikes_stations")).json()
    assert {row["station_no"] for row in api} == {"2301", "2302", "2303"}
    routes = gangnam.get(reverse("api:bikes_routes")).json()
    assert all(stop["station_no"].startswith("23") for r in routes for stop in r["stops"])
    admin = login_client(users.admin)
    page = admin.get(reverse("bikes:index") + "?district=11650")
    assert {p["no"] for p in page.context["points"]} == {"2201", "2202", "2203"}
    assert len(admin.get(reverse("api:bikes_stations")).json()) == 6


def test_pages_show_words_not_only_colours(world, users):
    html = login_client(users.admin).get(reverse("bikes:index")).content.decode()
    assert "빈 대여소 위험" in html and "포화 위험" in html and "▼" in html and "■" in html
    assert 'id="station-points"' in html and "leaflet.js" in html
    station = login_client(users.gangnam).get(reverse("bikes:station_detail", args=["2301"]))
    text = station.content.decode()
    assert station.status_code == 200 and "chart.umd.min.js" in text and 'id="chart-data"' in text
    routes = login_client(users.admin).get(reverse("bikes:routes")).content.decode()
    assert "트럭" in routes and ("수거" in routes or "배치" in routes)


def test_recompute_job_runs_and_writes_a_new_run(world, users):
    client = login_client(users.staff)
    response = client.post(reverse("bikes:recompute"), {"horizon": "2", "trucks": "1"})
    job = Job.objects.latest("created_at")
    assert response.status_code == 302 and response.url == reverse("core:job_detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED, job.error
    latest = Recomputation.objects.first()
    assert latest.pk != world.pk and latest.horizon_hours == 2 and latest.source == "demo"
    assert latest.created_by == users.staff
    assert latest.route_preset == "service"
    bad = client.post(reverse("bikes:recompute"), {"horizon": "x"})
    assert bad.status_code == 302 and Recomputation.objects.count() == 2
    unknown = client.post(reverse("bikes:recompute"), {"horizon": "2", "trucks": "1", "preset": "fast"})
    assert unknown.status_code == 302 and Recomputation.objects.count() == 2


def test_recompute_with_the_lean_preset_says_so_on_the_routes_page(world, users):
    client = login_client(users.staff)
    client.post(reverse("bikes:recompute"), {"horizon": "2", "trucks": "2", "preset": "lean"})
    job = Job.objects.latest("created_at")
    assert job.state == Job.State.SUCCEEDED, job.error
    run = Recomputation.objects.first()
    assert run.pk != world.pk and run.route_preset == "lean"
    # The station charts keep the alerts' hours though the routes looked 16 h ahead.
    band = StationBand.objects.filter(run=run).exclude(stock=None).first()
    assert len(band.forecast["rent"]) == 2
    page = login_client(users.admin).get(reverse("bikes:routes")).content.decode()
    assert "이동 최소" in page
    api = login_client(users.admin)
    assert api.get(reverse("api:bikes_run_latest")).json()["route_preset"] == "lean"
    refused = api.post(reverse("api:bikes_recompute"), {"preset": "fast"}, content_type="application/json")
    assert refused.status_code == 422 and Recomputation.objects.count() == 2


def test_routes_page_says_how_many_bikes_a_truck_keeps_for_its_next_route(world, users):
    from seoul_digital.bikes.models import TruckRoute

    first, second = Station.objects.get(station_no="2301"), Station.objects.get(station_no="2302")
    keeps = TruckRoute.objects.create(run=world, truck=98, km=1.0, minutes=20, bikes_moved=5)
    RouteStop.objects.create(route=keeps, order=0, station=first, quantity=5, arrive_min=5)
    RouteStop.objects.create(route=keeps, order=1, station=second, quantity=-2, arrive_min=15)
    empties = TruckRoute.objects.create(run=world, truck=99, km=1.0, minutes=20, bikes_moved=4)
    RouteStop.objects.create(route=empties, order=0, station=first, quantity=4, arrive_min=5)
    RouteStop.objects.create(route=empties, order=1, station=second, quantity=-4, arrive_min=15)
    for user in (users.admin, users.gangnam):  # officers see it for their district's routes too
        page = login_client(user).get(reverse("bikes:routes")).content.decode()
        part = page.split("트럭 98")[1].split("트럭 99")[0]
        assert "자전거 3대가 남습니다" in part
        assert "대가 남습니다" not in page.split("트럭 99")[1]
    client = login_client(users.admin)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("bikes:routes")).content.decode()
    assert "The truck ends this route with 3 bikes on board" in english
    api = {r["truck"]: r for r in login_client(users.gangnam).get(reverse("api:bikes_routes")).json()}
    assert (api[98]["bikes_on_board_at_end"], api[99]["bikes_on_board_at_end"]) == (3, 0)


def test_officer_cannot_change_data(users):
    from seoul_digital.bikes import services
    from seoul_digital.core.services import AccessDenied
    from tests.bikes.helpers import station_frame

    with pytest.raises(AccessDenied):
        services.do_sync_stations(users.gangnam, station_frame())
    assert not Station.objects.exists()


def test_demo_loader_is_idempotent_without_shared_data(settings, monkeypatch):
    from seoul_digital.bikes import demo
    from seoul_digital.bikes.engine import sources

    settings.SEOUL_DATA_DIR = None
    monkeypatch.setattr(sources, "data_dir", lambda explicit=None: None)
    lines = list(demo.load())
    assert Station.objects.count() == 300 and Recomputation.objects.count() == 1
    assert "synthetic" in lines[0]
    run = Recomputation.objects.get()
    assert run.empty_risk + run.full_risk > 0 and run.routes.exists()
    list(demo.load())
    assert Station.objects.count() == 300 and Recomputation.objects.count() == 1


def test_safety_stock_cli_on_a_snapshot(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from seoul_digital.bikes.cli import group
    from seoul_digital.bikes.engine import sources, stations as st
    from tests.bikes.helpers import STATIONS, snapshot_payload

    monkeypatch.setattr(sources, "data_dir", lambda explicit=None: None)
    rows = [st.OA13252_2023_HEADER] + [[no, f" {name}", gu, gu, str(lat), str(lon), "2015-01-01",
                                        str(docks), "", "QR"] for no, name, gu, _c, lat, lon, docks in STATIONS]
    station_file = tmp_path / "stations.csv"
    station_file.write_bytes("\n".join(",".join(r) for r in rows).encode("cp949"))
    snap = tmp_path / "snap.json"
    snap.write_text(json.dumps(snapshot_payload({"2301": 0, "2202": None})), encoding="utf-8")
    result = CliRunner().invoke(group, ["safety-stock", "--status", str(snap), "--stations",
                                        str(station_file), "--at", "2018-05-15 08:00", "--json",
                                        "--all-stations", "--trucks", "1"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["stations"] == 6 and out["with_stock"] == 5
    assert out["problems"]["snapshot.null_parkingBikeTotCnt"]["count"] == 1
    bands = {b["station_no"]: b for b in out["station_bands"]}
    assert [b["band"] for b in out["incentives"]] == ["07-10", "10-17", "17-20", "20-07"]
    assert bands["2202"]["stock"] is None and bands["2301"]["stock"] == 0
    assert out["route_preset"] == "service" and out["route_horizon_hours"] == 8 and out["horizon_hours"] == 3
    lean = CliRunner().invoke(group, ["safety-stock", "--status", str(snap), "--stations",
                                      str(station_file), "--at", "2018-05-15 08:00", "--json",
                                      "--trucks", "1", "--preset", "lean"])
    assert lean.exit_code == 0, lean.output
    assert json.loads(lean.output)["route_horizon_hours"] == 16
    unknown = CliRunner().invoke(group, ["safety-stock", "--status", str(snap), "--preset", "fast"])
    assert unknown.exit_code == 2 and "fast" in unknown.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    bad = CliRunner().invoke(group, ["safety-stock", "--status", str(broken), "--stations", str(station_file)])
    assert bad.exit_code == 1 and "not JSON" in bad.output


def test_route_presets_agree_between_engine_model_and_api(client):
    # Three places name the presets: the engine, the stored choices and the API schema.
    from seoul_digital.bikes.engine.ours_settings import PRESETS

    assert set(Recomputation.RoutePreset.values) == set(PRESETS)
    schema = client.get("/api/v1/openapi.json").json()
    enum = schema["components"]["schemas"]["RecomputeIn"]["properties"]["preset"]["enum"]
    assert set(enum) == set(PRESETS)
