"""API routes of the CCTV siting programme, mounted at /api/v1/siting/ (same scoping as pages)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from seoul_digital.siting import exports, selectors, services
from seoul_digital.siting.models import SitingRun

router = Router(tags=["siting"])


class RunIn(Schema):
    district: str  # 행정안전부 code, e.g. 11680
    count: int | None = None
    budget_krw: int | None = None
    target_coverage: float | None = None
    radius: float | None = None
    unit_cost_krw: int | None = None
    weight_multipliers: dict[str, float] | None = None
    title: str = ""


class RunOut(Schema):
    id: int
    district: str
    district_code: str
    title: str
    mode: str
    state: str
    error: str
    created_at: dt.datetime
    synthetic: bool
    job_id: int | None
    count: int | None
    coverage_before: float | None
    coverage_after: float | None


class SiteOut(Schema):
    rank: int
    lat: float
    lon: float
    score: float
    dong: str
    area_type: str
    residents_covered: int
    demand_share: float
    reasons: list[dict]
    why: str


class RunDetailOut(RunOut):
    parameters: dict
    summary: dict | None
    sites: list[SiteOut]


def _run_out(run: SitingRun) -> dict:
    s = run.summary or {}
    return {"id": run.pk, "district": run.district.name_ko, "district_code": run.district.code,
            "title": str(run), "mode": run.mode, "state": run.state, "error": run.error,
            "created_at": run.created_at, "synthetic": run.synthetic, "job_id": run.job_id,
            "count": s.get("count"), "coverage_before": s.get("coverage_before"),
            "coverage_after": s.get("coverage_after")}


@router.get("/runs", response=list[RunOut])
def siting_runs(request, district: str | None = None, limit: int = 50):
    qs = selectors.runs_for(request.auth)
    if district:
        qs = qs.filter(district__code=district)
    return [_run_out(r) for r in qs[: max(1, min(limit, 500))]]


@router.post("/runs", response={201: RunOut})
def siting_run_create(request, payload: RunIn):
    district = selectors.district_for(request.auth, payload.district)
    params = payload.dict(exclude={"district", "title"})
    try:
        run = services.do_start_run(request.auth, district, params, title=payload.title, request=request)
    except ValidationError as err:
        raise HttpError(400, " ".join(err.messages)) from None
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/runs/{run_id}", response=RunDetailOut)
def siting_run(request, run_id: int):
    run = selectors.run_for(request.auth, run_id)
    sites = selectors.sites_for(request.auth, run)
    return {**_run_out(run), "parameters": run.parameters, "summary": run.summary,
            "sites": [{"rank": s.rank, "lat": s.lat, "lon": s.lon, "score": s.score, "dong": s.dong,
                       "area_type": s.area_type, "residents_covered": s.residents_covered,
                       "demand_share": s.demand_share, "reasons": s.reasons, "why": s.why}
                      for s in sites]}


@router.get("/runs/{run_id}/sites.geojson")
def siting_run_geojson(request, run_id: int):
    run = selectors.run_for(request.auth, run_id)
    if run.state != SitingRun.State.SUCCEEDED:
        raise HttpError(409, "분석이 아직 끝나지 않았습니다.")
    services.do_record_export(request.auth, run, "geojson", request=request)
    return HttpResponse(exports.geojson_bytes(run, list(selectors.sites_for(request.auth, run))),
                        content_type="application/geo+json")


@router.get("/overview")
def siting_overview(request):
    snapshot = selectors.latest_overview(request.auth)
    if snapshot is None:
        return {"created_at": None, "rows": [], "synthetic": False}
    return {"created_at": snapshot.created_at, "rows": snapshot.rows, "synthetic": snapshot.synthetic,
            "notes": snapshot.notes}
