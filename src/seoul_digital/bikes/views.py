"""Pages of the bikes app: map + alerts, station page, truck routes, recompute."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seoul_digital.core.jobs import start_job
from seoul_digital.core.roles import Role, has_role, role_required
from seoul_digital.bikes import selectors
from seoul_digital.bikes.apps import BikesConfig
from seoul_digital.bikes.models import Recomputation, StationBand

RISK_SHAPES = {"empty_risk": "▼", "full_risk": "■", "ok": "●"}


def _district_filter(request):
    """Officers are held to their district; others may pick one (or all)."""
    user = request.user
    if user.role == Role.DISTRICT_OFFICER:
        return user.district.code if user.district_id else None, True
    code = request.GET.get("district", "").strip()
    return (code or None), False


@role_required(BikesConfig.nav_roles)
def index(request):
    run = selectors.latest_run(request.user)
    district, fixed = _district_filter(request)
    bands = list(selectors.bands_for(request.user, run, district)) if run else []
    alerts = [b for b in bands if b.risk != StationBand.Risk.OK]
    order = {"high": 0, "medium": 1, "low": 2, "": 3}
    alerts.sort(key=lambda b: (order.get(b.severity, 3), -b.excess))
    points = [{"no": b.station.station_no, "name": b.station.name, "lat": b.station.lat,
               "lon": b.station.lon, "risk": b.risk, "label": b.get_risk_display(),
               "stock": b.stock, "band": [b.low, b.target, b.high], "shape": RISK_SHAPES[b.risk]}
              for b in bands]
    counts = {"empty_risk": sum(b.risk == "empty_risk" for b in bands),
              "full_risk": sum(b.risk == "full_risk" for b in bands),
              "ok": sum(b.risk == "ok" for b in bands),
              "unknown": sum(b.stock is None for b in bands)}
    return render(request, "bikes/index.html", {
        "run": run, "alerts": alerts[:200], "alert_total": len(alerts), "points": points,
        "counts": counts, "districts": selectors.districts_with_stations(request.user),
        "district": district, "district_fixed": fixed,
        "can_recompute": has_role(request.user, Role.foundation()),
        "route_presets": Recomputation.RoutePreset.choices,
        "station_total": len(bands),
    })


@role_required(BikesConfig.nav_roles)
def station_detail(request, station_no: str):
    station = selectors.station_for(request.user, station_no)
    run = selectors.latest_run(request.user)
    band = selectors.band_for(request.user, run, station)
    chart = None
    if band is not None:
        f = band.forecast or {}
        hours = len(f.get("rent", []))
        start = run.taken_at
        chart = {"labels": [f"+{h}h" for h in range(hours + 1)],
                 "rent": f.get("rent", []), "rent_q10": f.get("rent_q10", []),
                 "rent_q90": f.get("rent_q90", []), "ret": f.get("ret", []),
                 "ret_q10": f.get("ret_q10", []), "ret_q90": f.get("ret_q90", []),
                 "stock_mean": f.get("stock_mean", []), "stock_q10": f.get("stock_q10", []),
                 "stock_q90": f.get("stock_q90", []), "low": band.low, "high": band.high,
                 "target": band.target, "start": start.isoformat()}
    return render(request, "bikes/station.html", {"station": station, "band": band, "run": run,
                                                  "chart": chart})


@role_required(BikesConfig.nav_roles)
def routes(request):
    run = selectors.latest_run(request.user)
    district, fixed = _district_filter(request)
    plan = selectors.routes_for(request.user, run, district) if run else []
    return render(request, "bikes/routes.html", {
        "run": run, "plan": plan, "districts": selectors.districts_with_stations(request.user),
        "district": district, "district_fixed": fixed,
        "bikes_total": sum(route.bikes_moved for route, _stops in plan),
        "km_total": sum(route.km for route, _stops in plan)})


@require_POST
@role_required(BikesConfig.nav_roles)
def recompute(request):
    if not has_role(request.user, Role.foundation()):
        raise Http404
    try:
        horizon = min(max(int(request.POST.get("horizon", 3)), 1), 6)
        trucks = min(max(int(request.POST.get("trucks", 5)), 0), 50)
    except ValueError:
        messages.error(request, _("예측 구간과 트럭 수는 숫자로 입력하세요."))
        return redirect("bikes:index")
    preset = request.POST.get("preset", Recomputation.RoutePreset.SERVICE)
    if preset not in Recomputation.RoutePreset.values:
        messages.error(request, _("경로 계획 방식을 목록에서 고르세요."))
        return redirect("bikes:index")
    job = start_job(request.user, "seoul_digital.bikes.jobs.recompute",
                    title=_("따릉이 안전재고 재계산"), request=request, horizon=horizon,
                    trucks=trucks, demo=request.POST.get("source") != "live",
                    user_id=request.user.pk, preset=preset)
    return redirect("core:job_detail", pk=job.pk)
