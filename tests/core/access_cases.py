"""Access cases for core routes (see tests/access/registry.py)."""

from tests.access.registry import Case, api, page


def build(world):
    from seoul_digital.core.jobs import start_job

    world.gangnam_job = start_job(world.users.gangnam, "tests.core.jobfuncs.count_to",
                                  title="강남 작업", district=world.users.gangnam.district, n=3)


CASES = [
    page("healthz", anon=200),
    page("core:home"),
    page("core:login", anon=200, admin=302, gangnam=302, seocho=302),
    Case("core:logout", method="post", expect={"anon": 302, "admin": 302, "gangnam": 302, "seocho": 302}),
    page("core:password_change"),
    Case("core:toggle_large_text", method="post", data={"next": "/"},
         expect={"anon": 302, "admin": 302, "gangnam": 302, "seocho": 302}),
    Case("set_language", method="post", data={"language": "en", "next": "/"},
         expect={"anon": 302, "admin": 302, "gangnam": 302, "seocho": 302}),
    page("javascript_catalog", anon=200),
    page("core:job_list"),
    page("core:job_detail", kwargs=lambda w: {"pk": w.gangnam_job.pk}, seocho=404),
    page("core:job_progress", kwargs=lambda w: {"pk": w.gangnam_job.pk}, seocho=404),
    page("core:audit_log", staff=404, gangnam=404, seocho=404),
    page("core:api_tokens"),
    page("core:user_list", staff=404, gangnam=404, seocho=404),
    page("core:user_create", staff=404, gangnam=404, seocho=404),
    page("core:user_edit", kwargs=lambda w: {"pk": w.users.gangnam.pk}, staff=404, gangnam=404,
         seocho=404),
    api("api:openapi-json", anon=200),
    api("api:openapi-view", anon=200),
    api("api:me"),
    api("api:districts"),
    api("api:programmes"),
    api("api:jobs"),
    api("api:job", kwargs=lambda w: {"job_id": w.gangnam_job.pk}, seocho=404),
    api("api:audit", staff=404, gangnam=404, seocho=404),
]
CASES.append(api("api:api-root", anon=404, admin=404, gangnam=404, seocho=404))
CASES.append(Case("api:update_me", method="patch", data={"large_text": False},
                  content_type="application/json",
                  expect={"anon": 401, "admin": 200, "staff": 200, "gangnam": 200, "seocho": 200}))
