from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def users(db):
    """One account per demo role: admin, staff, edu, gangnam, seocho, gwanak, supporter,
    applicant, evaluator (the Healthchecks-style owner / member / outsider set)."""
    from django.contrib.auth import get_user_model

    from seoul_digital.core.demo import ensure_demo_users

    ensure_demo_users()
    return SimpleNamespace(**{u.username: u for u in get_user_model().objects.all()})


@pytest.fixture
def as_user(users):
    """as_user("gangnam") → a logged-in test client."""

    def make(username: str | None) -> Client:
        return login_client(getattr(users, username) if username else None)

    return make


@pytest.fixture
def districts(db):
    from seoul_digital.core.models import District

    return SimpleNamespace(gangnam=District.objects.get(code="11680"),
                           seocho=District.objects.get(code="11650"),
                           gwanak=District.objects.get(code="11620"))


# ---------------------------------------------------------------- browser tests
# Playwright drives Debian's /usr/bin/chromium (it cannot download browsers here).
# Without Chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
import os  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") not in ("", "0")


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _browser_required():
            pytest.fail(message + "; REQUIRE_BROWSER=1")
        pytest.skip(message)
    # Playwright's sync API refuses to start inside a running asyncio loop; none runs here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def reference_snapshot(django_db_setup, django_db_blocker):
    """Rows that data migrations load (districts, the 2021 plan, programme reference data),
    captured once right after the test database is created."""
    from django.apps import apps
    from django.core import serializers

    with django_db_blocker.unblock():
        models = [m for config in apps.get_app_configs() if config.name.startswith("seoul_digital.")
                  for m in config.get_models()]
        objects = [obj for model in models for obj in model._base_manager.order_by("pk")]
        return serializers.serialize("json", objects)


@pytest.fixture
def reference_data(reference_snapshot, transactional_db):
    """Transactional tests (live server) flush every table afterwards, data-migration rows
    included; put them back before the test so each one starts like a migrated database."""
    from django.core import serializers
    from django.db import transaction

    from seoul_digital.core.models import District

    if not District.objects.exists():
        with transaction.atomic():
            for obj in serializers.deserialize("json", reference_snapshot):
                obj.save()


@pytest.fixture
def browser_page(reference_data, chromium_browser, live_server, users):
    """A fresh Korean-locale page against the live server; ``page.login(username)`` signs in.

    Live-server tests use transactional databases; ``reference_data`` restores the rows that
    data migrations loaded.
    """
    from seoul_digital.core.demo import DEMO_PASSWORD

    context = chromium_browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul",
                                           base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)

    def login(username: str, password: str = DEMO_PASSWORD):
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()

    page.login = login
    yield page
    context.close()


def axe_check(page, *, impacts=("serious", "critical")):
    """Run axe-core on the page; fail listing every violation of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in impacts]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:5])
        for v in bad)
    assert not bad, f"axe found {len(bad)} serious/critical violations on {page.url}:\n{report}"
    return results
