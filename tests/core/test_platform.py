"""Platform behaviour a user or operator sees: login, throttling, CSRF, language, text size,
API tokens, health."""

import pytest
from django.test import Client

from seoul_digital.core.demo import DEMO_PASSWORD
from seoul_digital.core.models import AuditLog


@pytest.mark.django_db
def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_dashboard_shows_plan_budget_in_korean(as_user):
    body = as_user("gangnam").get("/").content.decode()
    assert '<html lang="ko"' in body
    assert "7,381,683천원" in body  # the 2021 total from the council report
    assert "568,400천원" in body and "데이터 창출, 분석 및 활용 확산" in body
    assert "하수관로 결함탐지 정확도" in body


@pytest.mark.django_db
def test_language_switch_to_english_persists(as_user):
    client = as_user("gangnam")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body and "2021 programmes" in body
    assert "KRW 7,381,683 thousand" in body


@pytest.mark.django_db
def test_large_text_toggle_persists_in_cookie_and_profile(as_user, users):
    client = as_user("gangnam")
    assert 'class=""' in client.get("/").content.decode()
    client.post("/prefs/large-text/", {"next": "/"})
    assert 'class="large-text"' in client.get("/").content.decode()
    users.gangnam.refresh_from_db()
    assert users.gangnam.large_text is True
    # A new browser (no cookie) still gets large text from the profile.
    fresh = as_user("gangnam")
    assert 'class="large-text"' in fresh.get("/").content.decode()
    client.post("/prefs/large-text/", {"next": "/"})
    assert 'class=""' in client.get("/").content.decode()


@pytest.mark.django_db
def test_toggle_refuses_offsite_redirect(as_user):
    response = as_user("gangnam").post("/prefs/large-text/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_login_logout_and_audit(users):
    client = Client()
    response = client.post("/login/", {"username": "gangnam", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302
    actions = list(AuditLog.objects.filter(username="gangnam").values_list("action", flat=True))
    assert "login" in actions and "logout" in actions


@pytest.mark.django_db
def test_five_wrong_passwords_throttle_with_clear_message(users):
    client = Client()
    for _ in range(4):
        response = client.post("/login/", {"username": "seocho", "password": "wrong"})
        assert response.status_code == 200
        assert "아이디 또는 비밀번호가 맞지 않습니다" in response.content.decode()
    response = client.post("/login/", {"username": "seocho", "password": "wrong"})
    assert response.status_code == 429
    # Locked: even the right password is refused until the cool-off ends.
    response = client.post("/login/", {"username": "seocho", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "비밀번호를 다섯 번 틀렸습니다" in response.content.decode()
    assert AuditLog.objects.filter(action="login_failed", username="seocho").count() >= 5
    # Other accounts are not locked by it.
    ok = client.post("/login/", {"username": "gangnam", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_forms_require_csrf(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "gangnam", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    client.force_login(users.gangnam, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/prefs/large-text/", {}).status_code == 403


@pytest.mark.django_db
def test_api_token_auth_and_revocation(as_user, users):
    client = as_user("gangnam")
    response = client.post("/account/tokens/", {"name": "gis"})
    key = response.context["new_key"]
    assert key.startswith("sdp_")
    anon = Client()
    assert anon.get("/api/v1/me").status_code == 401
    me = anon.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["district"]["code"] == "11680"
    assert anon.get("/api/v1/me", HTTP_X_API_KEY=key).status_code == 200
    token = users.gangnam.api_tokens.get()
    assert token.last_used_at is not None and token.key_hash != key
    client.post("/account/tokens/", {"revoke": token.pk})
    assert anon.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert anon.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer sdp_forged").status_code == 401


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(as_user, users):
    from seoul_digital.core.services import do_create_token

    token, _ = do_create_token(users.gangnam, "mine")
    response = as_user("seocho").post("/account/tokens/", {"revoke": token.pk})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_openapi_schema_lists_core_routes(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("Seoul Digital")
    assert "/api/v1/me" in schema["paths"] and "/api/v1/jobs/{job_id}" in schema["paths"]


@pytest.mark.django_db
def test_api_scoping_matches_pages(users, as_user):
    from seoul_digital.core.jobs import start_job

    job = start_job(users.gangnam, "tests.core.jobfuncs.count_to", title="j",
                    district=users.gangnam.district, n=1)
    assert [j["id"] for j in as_user("gangnam").get("/api/v1/jobs").json()] == [job.pk]
    assert as_user("seocho").get("/api/v1/jobs").json() == []
    assert as_user("seocho").get(f"/api/v1/jobs/{job.pk}").status_code == 404


@pytest.mark.django_db
def test_api_writes_token_needs_no_csrf_session_does(users):
    from seoul_digital.core.services import do_create_token

    _token, key = do_create_token(users.gangnam, "gis")
    program = Client(enforce_csrf_checks=True)
    response = program.patch("/api/v1/me", '{"large_text": true}', content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    users.gangnam.refresh_from_db()
    assert users.gangnam.large_text is True

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users.gangnam, backend="django.contrib.auth.backends.ModelBackend")
    response = browser.patch("/api/v1/me", '{"large_text": false}', content_type="application/json")
    assert response.status_code == 403  # a forged cross-site request carries no CSRF token
    users.gangnam.refresh_from_db()
    assert users.gangnam.large_text is True
    browser.get("/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.patch("/api/v1/me", '{"large_text": false}', content_type="application/json",
                             HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    users.gangnam.refresh_from_db()
    assert users.gangnam.large_text is False
    assert Client().patch("/api/v1/me", '{"large_text": true}',
                          content_type="application/json").status_code == 401
