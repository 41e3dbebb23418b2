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
