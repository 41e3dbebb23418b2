"""Core API: who am I, districts, programmes, jobs, audit log (admins)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from seoul_digital.core import selectors
from seoul_digital.core.roles import Role, has_role

router = Router(tags=["core"])


class DistrictOut(Schema):
    code: str
    kostat_code: str
    name_ko: str
    name_en: str


class MeOut(Schema):
    username: str
    role: str
    district: DistrictOut | None
    programme: str | None


class TargetOut(Schema):
    label_ko: str
    label_en: str
    value: float | None
    unit_ko: str


class ProgrammeOut(Schema):
    code: str
    name_ko: str
    name_en: str
    strategy_ko: str
    budget_2021_thousand_krw: int
    targets: list[TargetOut]


class JobOut(Schema):
    id: int
    title: str
    state: str
    progress: float
    message: str
    error: str
    result_url: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class AuditOut(Schema):
    at: dt.datetime
    username: str
    action: str
    model: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    return {"username": user.username, "role": user.role, "district": user.district,
            "programme": user.programme.code if user.programme_id else None}


class PreferencesIn(Schema):
    large_text: bool


@router.patch("/me", response=MeOut)
def update_me(request, payload: PreferencesIn):
    """Display preferences of the caller (large text)."""
    from seoul_digital.core.services import do_set_large_text

    do_set_large_text(request.auth, payload.large_text, request=request)
    return me(request)


@router.get("/districts", response=list[DistrictOut])
def districts(request):
    return list(selectors.districts_for(request.auth))


@router.get("/programmes", response=list[ProgrammeOut])
def programmes(request):
    return [
        {**{f: getattr(p, f) for f in ("code", "name_ko", "name_en", "strategy_ko",
                                        "budget_2021_thousand_krw")},
         "targets": [{"label_ko": t.label_ko, "label_en": t.label_en,
                      "value": float(t.value) if t.value is not None else None,
                      "unit_ko": t.unit_ko} for t in p.targets.all()]}
        for p in selectors.programmes_for_dashboard(request.auth)
    ]


@router.get("/jobs", response=list[JobOut])
def jobs(request, limit: int = 50):
    return list(selectors.jobs_for(request.auth)[: max(1, min(limit, 500))])


@router.get("/jobs/{job_id}", response=JobOut)
def job(request, job_id: int):
    return selectors.job_for(request.auth, job_id)


@router.get("/audit", response=list[AuditOut])
def audit(request, limit: int = 100):
    if not has_role(request.auth, Role.admins()):
        raise Http404
    return list(selectors.audit_entries(request.auth)[: max(1, min(limit, 1000))])
