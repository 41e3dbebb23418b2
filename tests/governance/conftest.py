from __future__ import annotations

import pytest

from tests.governance.seed_tables import SEED_NAME, Seed
from tests.shared_data import require


@pytest.fixture(scope="session")
def seed() -> Seed:
    """The 2021 work report's text, parsed (skips locally when ../shared is absent)."""
    return Seed.read(require("seed", SEED_NAME))


@pytest.fixture
def fiscal_year(db):
    from seoul_digital.governance.models import FiscalYear

    return FiscalYear.objects.get(year=2021)


@pytest.fixture
def admin_report(users):
    from seoul_digital.governance.reports import build_report

    return build_report(users.admin, 2021)


@pytest.fixture(autouse=True)
def korean():
    """Each test starts in Korean (a page request in English leaves English active)."""
    from django.utils import translation

    with translation.override("ko"):
        yield
