"""API routes of the bikes app, mounted at /api/v1/bikes/ (same selectors as the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Router, Schema

from seoul_digital.core.jobs import start_job
from seoul_digital.core.roles import Role, has_role
from seoul_digital.bikes import selectors

router = Router(tags=["bikes"])


class RunOut(Schema):
    id: int
    taken_at: dt.datetime
    created_at: dt.datetime
    source: str
    horizon_hours: int
    route_preset: str
    stations: int
    with_stock: int
    empty_risk: int
    full_risk: int
    seconds: float
    problems: dict


class BandOut(Schema):
    station_no: str
    name: str
    district: str | None
    lat: float
    lon: float
    docks: int
    stock: int | None
    low: int
    target: int
    high: int
    risk: str
    severity: str
    p_empty: float | None
    p_full: float | None
    expected_dissatisfied: float | None
    excess: float


class BandDetailOut(BandOut):
    forecast: dict


class StopOut(Schema):
    order: int
    station_no: str
    quantity: int
    arrive_min: float


class RouteOut(Schema):
    truck: int
    km: float
    minutes: float
    bikes_moved: int
    bikes_on_board_at_end: int  # loaded for the truck's next route (trucks leave empty)
    stops: list[StopOut]


class RecomputeIn(Schema):
    horizon: int = 3
    trucks: int = 5
    # The benchmarked planner's presets: ``service`` serves the most rentals, ``lean``
    # moves about two thirds of the bikes greedy trucks move (docs/bikes.md).
    preset: Literal["service", "lean"] = "service"


class JobRef(Schema):
    job_id: int
    state: str


def _band(b, detail=False):
    out = {"station_no": b.station.station_no, "name": b.station.name,
           "district": b.station.district.code if b.station.district_id else None,
           "lat": b.station.lat, "lon": b.station.lon, "docks": b.station.docks,
           "stock": b.stock, "low": b.low, "target": b.target, "high": b.high, "risk": b.risk,
           "severity": b.severity, "p_empty": b.p_empty, "p_full": b.p_full,
           "expected_dissatisfied": b.expected_dissatisfied, "excess": b.excess}
    if detail:
        out["forecast"] = b.forecast
    return out


def _run(request):
    run = selectors.latest_run(request.auth)
    if run is None:
        raise Http404("no recomputation yet")
    return run


def _district(request, district: str | None):
    user = request.auth
    if user.role == Role.DISTRICT_OFFICER:
        return user.district.code if user.district_id else None
    return district


@router.get("/runs/latest", response=RunOut, url_name="bikes_run_latest")
def run_latest(request):
    return _run(request)


@router.get("/stations", response=list[BandOut], url_name="bikes_stations")
def stations(request, district: str | None = None, risk: str | None = None):
    qs = selectors.bands_for(request.auth, _run(request), _district(request, district))
    if risk:
        qs = qs.filter(risk=risk)
    return [_band(b) for b in qs]


@router.get("/alerts", response=list[BandOut], url_name="bikes_alerts")
def alerts(request, district: str | None = None, limit: int = 200):
    qs = selectors.alerts_for(request.auth, _run(request), _district(request, district))
    return [_band(b) for b in qs[: max(1, min(limit, 5000))]]


@router.get("/stations/{station_no}", response=BandDetailOut, url_name="bikes_station")
def station(request, station_no: str):
    st = selectors.station_for(request.auth, station_no)
    band = selectors.band_for(request.auth, _run(request), st)
    if band is None:
        raise Http404
    return _band(band, detail=True)


@router.get("/routes", response=list[RouteOut], url_name="bikes_routes")
def routes(request, district: str | None = None):
    plan = selectors.routes_for(request.auth, _run(request), _district(request, district))
    return [{"truck": r.truck, "km": r.km, "minutes": r.minutes, "bikes_moved": r.bikes_moved,
             "bikes_on_board_at_end": r.carried,
             "stops": [{"order": s.order, "station_no": s.station.station_no,
                        "quantity": s.quantity, "arrive_min": s.arrive_min} for s in stops]}
            for r, stops in plan]


@router.post("/recompute", response=JobRef, url_name="bikes_recompute")
def recompute(request, payload: RecomputeIn):
    if not has_role(request.auth, Role.foundation()):
        raise Http404
    job = start_job(request.auth, "seoul_digital.bikes.jobs.recompute", title="따릉이 안전재고 재계산",
                    request=request, horizon=min(max(payload.horizon, 1), 6),
                    trucks=min(max(payload.trucks, 0), 50), demo=True, user_id=request.auth.pk,
                    preset=payload.preset)
    job.refresh_from_db()
    return {"job_id": job.pk, "state": job.state}
