"""Reads of the bikes app, always through ``restrict``."""

from __future__ import annotations

from django.db.models import Sum

from seoul_digital.core.models import District
from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.bikes.models import Recomputation, RouteStop, Station, StationBand, TruckRoute

__all__ = ["latest_run", "runs_for", "bands_for", "alerts_for", "band_for", "station_for",
           "routes_for", "districts_with_stations"]


def runs_for(user):
    return Recomputation.objects.restrict(user, "view")


def latest_run(user) -> Recomputation | None:
    return runs_for(user).first()


def bands_for(user, run, district_code: str | None = None):
    qs = (StationBand.objects.restrict(user, "view").filter(run=run)
          .select_related("station", "station__district"))
    if district_code:
        qs = qs.filter(station__district__code=district_code)
    return qs


def alerts_for(user, run, district_code: str | None = None):
    return (bands_for(user, run, district_code).exclude(risk=StationBand.Risk.OK)
            .order_by("severity", "-excess"))


def station_for(user, station_no: str) -> Station:
    return get_restricted_or_404(Station.objects.select_related("district"), user, "view",
                                 station_no=station_no)


def band_for(user, run, station: Station) -> StationBand | None:
    if run is None:
        return None
    return StationBand.objects.restrict(user, "view").filter(run=run, station=station).first()


def routes_for(user, run, district_code: str | None = None):
    """Routes of the run with the stops this user may see (officers: their district's);
    routes with no visible stop are left out for officers."""
    stops = RouteStop.objects.restrict(user, "view").filter(route__run=run).select_related(
        "station", "station__district", "route")
    if district_code:
        stops = stops.filter(station__district__code=district_code)
    by_route: dict[int, list] = {}
    for stop in stops.order_by("route__truck", "order"):
        by_route.setdefault(stop.route_id, []).append(stop)
    # ``carried``: bikes still on the truck when its route ends (trucks leave empty), which
    # it drops on its next route; summed over every stop, as the load is the truck's.
    routes = TruckRoute.objects.restrict(user, "view").filter(run=run, pk__in=list(by_route)).annotate(
        carried=Sum("stops__quantity"))
    return [(route, by_route[route.pk]) for route in routes.order_by("truck")]


def districts_with_stations(user):
    ids = Station.objects.restrict(user, "view").values("district").distinct()
    return District.objects.restrict(user, "view").filter(pk__in=ids).order_by("name_ko")
