"""Demo accounts for every role plus each programme app's sample records (idempotent)."""

from __future__ import annotations

from typing import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

from seoul_digital.core.models import District, Programme
from seoul_digital.core.roles import Role

DEMO_PASSWORD = "seoul-demo-2021"

# username, role, district code, programme code, Korean display name (family, given)
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, None, None, ("재단", "관리자")),
    ("staff", Role.STAFF, None, "data", ("데이터혁신팀", "담당")),
    ("edu", Role.STAFF, None, "inclusion", ("디지털교육팀", "담당")),
    ("gangnam", Role.DISTRICT_OFFICER, "11680", None, ("강남구", "담당자")),
    ("seocho", Role.DISTRICT_OFFICER, "11650", None, ("서초구", "담당자")),
    ("gwanak", Role.DISTRICT_OFFICER, "11620", None, ("관악구", "담당자")),
    ("supporter", Role.SUPPORTER, "11680", None, ("어디나", "지원단원")),
    ("applicant", Role.APPLICANT, None, None, ("기업", "신청자")),
    ("evaluator", Role.EVALUATOR, None, None, ("평가", "위원")),
)


def ensure_demo_users() -> list[str]:
    User = get_user_model()
    created = []
    for username, role, district_code, programme_code, (last, first) in DEMO_ACCOUNTS:
        district = District.objects.get(code=district_code) if district_code else None
        programme = Programme.objects.filter(code=programme_code).first() if programme_code else None
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "district": district, "programme": programme,
                      "last_name": last, "first_name": first},
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(username)
    return created


def load_demo() -> Iterator[str]:
    with transaction.atomic():
        created = ensure_demo_users()
    yield f"demo accounts: {len(DEMO_ACCOUNTS)} ({len(created)} new)"
    for config in apps.get_app_configs():
        loader = getattr(config, "demo_loader", None)
        if loader:
            for line in import_string(loader)():
                yield f"{config.label}: {line}"
    yield ""
    yield f"Demo logins (password for all: {DEMO_PASSWORD}):"
    for username, role, district_code, _p, _n in DEMO_ACCOUNTS:
        where = f" · {District.objects.get(code=district_code).name_ko}" if district_code else ""
        yield f"  {username:<10} {Role(role).label}{where}"
