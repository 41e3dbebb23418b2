"""The siting pages, exports and API end to end (jobs run inline in tests)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import login_client


@pytest.fixture
def siting_settings(settings, synth_dir, tmp_path):
    settings.SITING_DATA_DIR = str(synth_dir)
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def tiny_seoul(tmp_path_factory):
    """All 25 districts, tiny, for the overview and the demo loader."""
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.siting.engine.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("tiny-seoul"), [d.name_ko for d in DISTRICTS],
                           seed=5, scale=0.05)


def _start(client, code="11680", **data):
    payload = {"mode": "count", "count": "3", "radius": "50", **data}
    return client.post(reverse("siting:district", kwargs={"code": code}), payload)


@pytest.mark.django_db
def test_officer_runs_a_recommendation_and_downloads_it(users, siting_settings):
    from seoul_digital.core.models import AuditLog
    from seoul_digital.siting.models import SitingRun

    client = login_client(users.gangnam)
    response = _start(client, w_bars="2", title="유흥가 중점")
    run = SitingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("siting:run_detail", kwargs={"pk": run.pk})
    assert run.state == "succeeded", run.error
    assert run.parameters["weight_multipliers"] == {"bars": 2.0}
    assert run.sites.count() == 3 and run.synthetic
    page = client.get(response["Location"]).content.decode()
    assert "합성 자료" in page and run.sites.first().why in page
    assert "vendor/leaflet/leaflet.js" in page

    data = client.get(reverse("siting:run_map", kwargs={"pk": run.pk})).json()
    assert len(data["sites"]) == 3 and data["heat"] and data["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert {f["properties"]["area_type"] for f in data["dongs"]["features"]} <= {
        "residential", "commercial", "business", "mixed"}

    for fmt, check in (("csv", lambda b: b.startswith("\ufeff순위".encode())),
                       ("xlsx", lambda b: b[:2] == b"PK"),
                       ("pdf", lambda b: b[:4] == b"%PDF"),
                       ("geojson", lambda b: len(json.loads(b)["features"]) == 3)):
        r = client.get(reverse("siting:run_export", kwargs={"pk": run.pk, "fmt": fmt}))
        assert r.status_code == 200 and check(r.content), fmt
    assert AuditLog.objects.filter(action="export", object_id=str(run.pk)).count() == 4
    assert client.get(reverse("siting:run_export", kwargs={"pk": run.pk, "fmt": "docx"})).status_code == 404


@pytest.mark.django_db
def test_other_district_officer_sees_nothing(users, siting_settings):
    from seoul_digital.siting.models import SitingRun

    _start(login_client(users.gangnam))
    run = SitingRun.objects.get()
    seocho = login_client(users.seocho)
    for name, kwargs in (("siting:run_detail", {"pk": run.pk}), ("siting:run_map", {"pk": run.pk}),
                         ("siting:district", {"code": "11680"})):
        assert seocho.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert _start(seocho).status_code == 404
    assert SitingRun.objects.count() == 1
    assert str(run) not in seocho.get(reverse("siting:index")).content.decode()
    assert seocho.get("/api/v1/siting/runs").json() == []
    assert len(login_client(users.staff).get("/api/v1/siting/runs").json()) == 1


@pytest.mark.django_db
def test_bad_input_is_named_on_the_page(users, siting_settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from seoul_digital.siting.models import SitingRun

    client = login_client(users.gangnam)
    r = client.post(reverse("siting:district", kwargs={"code": "11680"}), {"mode": "count", "radius": "50"})
    assert r.status_code == 400 and "이 방식에는 값을 넣어야 합니다" in r.content.decode()
    r = _start(client, mode="target", count="", target_percent="150")
    assert r.status_code == 400
    assert SitingRun.objects.count() == 0

    upload = SimpleUploadedFile("list.csv", "관리기관명,주소\n구청,어딘가\n".encode("cp949"), "text/csv")
    r = _start(client, existing_file=upload)
    run = SitingRun.objects.get()
    assert run.state == "failed" and "좌표 열(위도, 경도)이 없습니다" in run.error
    page = client.get(r["Location"]).content.decode()
    assert "좌표 열(위도, 경도)이 없습니다" in page and 'name="mode"' in page  # form to try again


@pytest.mark.django_db
def test_edited_weights_are_validated_saved_and_used(users, siting_settings):
    from seoul_digital.core.models import AuditLog
    from seoul_digital.siting.engine.demand import default_weights_yaml
    from seoul_digital.siting.models import SitingRun, WeightProfile

    client = login_client(users.gangnam)
    url = reverse("siting:weights", kwargs={"code": "11680"})
    assert "childcare" in client.get(url).content.decode()
    bad = client.post(url, {"yaml_text": default_weights_yaml("강남구").replace("bars: 1", "barz: 1", 1)})
    assert bad.status_code == 400 and "barz" in bad.content.decode()
    assert not WeightProfile.objects.exists()
    text = default_weights_yaml("강남구").replace("population: 3", "population: 9", 1)
    assert client.post(url, {"yaml_text": text}).status_code == 302
    assert WeightProfile.objects.get().yaml_text == text
    assert AuditLog.objects.filter(model="weightprofile", action="create").exists()
    _start(client)
    assert SitingRun.objects.get().summary["weights"]["weights"]["residential"]["population"] == 9
    assert login_client(users.seocho).post(url, {"yaml_text": text}).status_code == 404


@pytest.mark.django_db
def test_api_creates_and_reads_runs(users, siting_settings):
    client = login_client(users.gangnam)
    r = client.post("/api/v1/siting/runs", json.dumps({"district": "11680", "count": 2}),
                    content_type="application/json")
    assert r.status_code == 201, r.content
    run_id = r.json()["id"]
    detail = client.get(f"/api/v1/siting/runs/{run_id}").json()
    assert detail["state"] == "succeeded" and len(detail["sites"]) == 2 and detail["synthetic"]
    geo = client.get(f"/api/v1/siting/runs/{run_id}/sites.geojson")
    assert geo.status_code == 200 and len(json.loads(geo.content)["features"]) == 2
    bad = client.post("/api/v1/siting/runs", json.dumps({"district": "11680", "count": 2, "budget_krw": 5}),
                      content_type="application/json")
    assert bad.status_code == 400 and "하나만" in bad.json()["detail"]
    assert login_client(users.seocho).get(f"/api/v1/siting/runs/{run_id}").status_code == 404


@pytest.mark.django_db
def test_manual_reads_in_korean_and_english(users):
    client = login_client(users.gangnam)
    ko = client.get(reverse("siting:manual")).content.decode()
    assert "공공 CCTV 입지 분석 매뉴얼" in ko and "곡선의 무릎" in ko and "개인정보 보호법" in ko
    client.cookies["django_language"] = "en"
    en = client.get(reverse("siting:manual")).content.decode()
    assert "Public CCTV siting manual" in en and "knee" in en


@pytest.mark.django_db
def test_overview_and_demo_loader_on_synthetic_seoul(users, settings, tiny_seoul, tmp_path):
    from seoul_digital.siting import demo
    from seoul_digital.siting.models import OverviewSnapshot, SitingRun

    settings.SITING_DATA_DIR = None
    settings.SEOUL_DATA_DIR = None
    settings.SITING_SYNTHETIC_DIR = str(tiny_seoul)
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = login_client(users.admin)
    assert admin.post(reverse("siting:overview_refresh"), {}).status_code == 302
    assert not OverviewSnapshot.objects.exists()  # no confirm, no job
    r = admin.post(reverse("siting:overview_refresh"), {"confirm": "1"})
    assert r.status_code == 302
    snap = OverviewSnapshot.objects.get()
    assert len(snap.rows) == 25 and snap.synthetic
    assert all(0 <= row["coverage"] <= 1 for row in snap.rows)
    page = login_client(users.gangnam).get(reverse("siting:overview")).content.decode()
    assert "강남구" in page and "관악구" in page and "비교 다시 계산" not in page

    lines = list(demo.load())
    assert SitingRun.objects.filter(state="succeeded").count() == 3
    again = list(demo.load())
    assert SitingRun.objects.count() == 3 and all("이미 있음" in line for line in again)
    assert lines


@pytest.mark.django_db
def test_weights_page_offers_calibrated_weights_without_saving(users, siting_settings):
    from seoul_digital.siting.models import WeightProfile

    client = login_client(users.gangnam)
    r = client.post(reverse("siting:weights", kwargs={"code": "11680"}), {"calibrate": "1", "yaml_text": ""})
    assert r.status_code == 200 and "기존 CCTV" in r.content.decode()
    assert not WeightProfile.objects.exists()
