"""Every route × {anonymous, foundation admin, staff, 강남구 officer, 서초구 officer}.

New routes without a case fail ``test_every_route_has_a_case``: add the case in
``tests/<app>/access_cases.py``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import login_client

TESTS = Path(__file__).resolve().parent.parent
# Routes that are not ours to test (framework internals without a name are skipped anyway).
IGNORED_PREFIXES = ("static/", "media/")


def _case_modules():
    for path in sorted(TESTS.glob("*/access_cases.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.access_cases")


def all_cases():
    cases = []
    for module in _case_modules():
        cases.extend(module.CASES)
    return cases


def named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(p.url_patterns, full)
            elif isinstance(p, URLPattern) and p.name:
                if str(p.pattern).startswith(IGNORED_PREFIXES):
                    continue
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_route_has_a_case():
    covered = {case.route for case in all_cases()}
    missing = sorted(named_routes() - covered)
    assert not missing, f"routes without an access case: {missing}"
    stale = sorted(covered - named_routes())
    assert not stale, f"access cases for routes that no longer exist: {stale}"


@pytest.fixture
def world(users, districts):
    world = SimpleNamespace(users=users, districts=districts)
    for module in _case_modules():
        if hasattr(module, "build"):
            module.build(world)
    return world


CASES = all_cases()


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case, world):
    url = reverse(case.route, kwargs=case.resolve_kwargs(world)) + case.query
    results = {}
    for who, expected in case.expect.items():
        client = login_client(None if who == "anon" else getattr(world.users, who))
        data = case.resolve_data(world)
        if case.method == "get":
            response = client.get(url, data or {})
        elif case.content_type == "application/json":
            response = getattr(client, case.method)(url, json.dumps(data or {}),
                                                    content_type="application/json")
        else:
            response = getattr(client, case.method)(url, data or {})
        results[who] = response.status_code
        if response.status_code == 404 and expected == 404:
            # A foreign or forbidden object must not leak its content through the 404 page.
            body = response.content.decode(errors="replace")
            assert "Traceback" not in body
    assert results == case.expect, f"{case.id}: got {results}"
