"""Access cases for the bikes app (see tests/access/registry.py)."""

from tests.access.registry import Case, api, page


def build(world):
    from tests.bikes.helpers import make_world

    world.bikes_run = make_world(world.users.admin)


GANGNAM_STATION = {"station_no": "2301"}
API_DENIED_ANON = 401

CASES = [
    page("bikes:index"),
    page("bikes:index", query="?district=11650", label="district filter"),
    page("bikes:station_detail", kwargs=GANGNAM_STATION, seocho=404),
    page("bikes:station_detail", kwargs={"station_no": "99999"}, admin=404, gangnam=404,
         seocho=404, label="unknown station"),
    page("bikes:routes"),
    Case("bikes:recompute", method="post", data={"horizon": "2", "trucks": "1"},
         expect={"anon": 302, "admin": 302, "staff": 302, "gangnam": 404, "seocho": 404}),
    api("api:bikes_run_latest"),
    api("api:bikes_stations"),
    api("api:bikes_alerts"),
    api("api:bikes_station", kwargs=GANGNAM_STATION, seocho=404),
    api("api:bikes_routes"),
    Case("api:bikes_recompute", method="post", data={"horizon": 2, "trucks": 1},
         content_type="application/json",
         expect={"anon": 401, "admin": 200, "staff": 200, "gangnam": 404, "seocho": 404}),
]
