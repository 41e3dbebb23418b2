"""axe-core over every page an admin can open without parameters (every app's pages)."""

import pytest
from django.urls import reverse

from tests.access.test_matrix import all_cases
from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = sorted({
    case.route for case in all_cases()
    if case.method == "get" and not case.kwargs and not case.query
    and not case.route.startswith("api:") and case.expect.get("admin") == 200
    and case.route not in ("healthz", "javascript_catalog")
})


def test_every_parameterless_page_has_no_serious_axe_violation(browser_page):
    page = browser_page
    page.login("admin")
    failures = []
    for route in PAGES:
        page.goto(reverse(route))
        try:
            axe_check(page)
        except AssertionError as err:
            failures.append(str(err))
    assert not failures, "\n\n".join(failures)
    assert len(PAGES) >= 5
