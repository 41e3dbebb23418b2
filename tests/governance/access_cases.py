"""Access cases for the governance app (see tests/access/registry.py).

Governance is foundation-only: admins edit everything, programme staff (``staff`` runs the
``data`` programme) read the organisation, plans, audit register and report and handle only
their own programme's spending; district officers get 404 on every page and API route.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.registry import API_DENIED_ANON, PAGE_DENIED_ANON, Case, api, page

NO_OFFICERS = {"gangnam": 404, "seocho": 404}
ADMIN_ONLY = {"staff": 404, "gangnam": 404, "seocho": 404}


def _csv(rows: str, name: str = "spending.csv"):
    return SimpleUploadedFile(name, ("집행일,사업,금액,집행내용\n" + rows).encode("utf-8"),
                              content_type="text/csv")


def build(world):
    from seoul_digital.core.models import Programme
    from seoul_digital.governance import services
    from seoul_digital.governance.models import (
        AuditItem, Board, BoardRole, ExtraPersonnel, FinanceFigure, FiscalYear, PositionGrade,
        Unit,
    )

    admin, staff = world.users.admin, world.users.staff
    year = FiscalYear.objects.get(year=2021)
    world.gov_year = year
    data = Programme.objects.get(code="data")
    overseas = Programme.objects.get(code="overseas")
    world.gov_own_row = services.do_add_spending(staff, year, programme=data, date=dt.date(2021, 2, 1),
                                                 amount_krw=1_000_000, description="own")
    world.gov_own_row_2 = services.do_add_spending(staff, year, programme=data,
                                                   date=dt.date(2021, 2, 2), amount_krw=2_000_000,
                                                   description="own, to delete")
    world.gov_other_row = services.do_add_spending(admin, year, programme=overseas,
                                                   date=dt.date(2021, 2, 3), amount_krw=3_000_000,
                                                   description="other programme")
    world.gov_admin_batch = services.do_check_spending_file(
        admin, year, _csv("2021-01-05,overseas,1000,x\n2021-13-01,overseas,5,bad\n"), mode="valid")
    world.gov_staff_batch = services.do_check_spending_file(
        staff, year, _csv("2021-01-06,data,2000,y\n", "staff.csv"), mode="valid")
    world.gov_staff_batch_2 = services.do_check_spending_file(
        staff, year, _csv("2021-01-07,data,3000,z\n", "staff2.csv"), mode="valid")
    world.gov_item = AuditItem.objects.get(audit_year=2020, number=1)
    world.gov_evidence = services.do_add_evidence(
        admin, world.gov_item, SimpleUploadedFile("plan.txt", b"quarterly plan"), description="d")
    world.gov_org = {
        "unit": Unit.objects.get(code="planning"),
        "position": PositionGrade.objects.get(code="grade4"),
        "extra": ExtraPersonnel.objects.first(),
        "board": Board.objects.first(),
        "boardrole": BoardRole.objects.first(),
        "finance": FinanceFigure.objects.first(),
    }


def _org(kind):
    return lambda w: {"kind": kind, "pk": w.gov_org[kind].pk}


def _ordered(**expect):
    """Keep the order given: POST cases change state, so who goes first matters."""
    return dict(expect)


CASES = [
    page("governance:index", **NO_OFFICERS),
    page("governance:organisation", **NO_OFFICERS),
    page("governance:unit_create", **ADMIN_ONLY),
    page("governance:org_history", **ADMIN_ONLY),
    *[page("governance:org_edit", kwargs=_org(kind), label=kind, **ADMIN_ONLY)
      for kind in ("unit", "position", "extra", "board", "boardrole", "finance")],
    page("governance:org_edit", kwargs={"kind": "nope", "pk": 1}, label="unknown kind",
         admin=404, **ADMIN_ONLY),
    page("governance:budget", **NO_OFFICERS),
    page("governance:budget", query="?year=2021&quarter=4", label="Q4", **NO_OFFICERS),
    page("governance:budget", query="?year=1999", label="unknown year", admin=404, **NO_OFFICERS),
    page("governance:budget_settings", **ADMIN_ONLY),
    page("governance:adjustments", **NO_OFFICERS),
    Case("governance:adjustments", method="post", label="staff may not add",
         data={"kind": "carry_in", "date": "2021-02-01", "programme": 1,
               "amount_thousand_krw": 1, "reason": "x"},
         expect=_ordered(anon=PAGE_DENIED_ANON, staff=404, gangnam=404, seocho=404)),
    page("governance:budget_programme", kwargs={"code": "data"}, label="own", **NO_OFFICERS),
    page("governance:budget_programme", kwargs={"code": "overseas"}, label="other", staff=404,
         **NO_OFFICERS),
    page("governance:spending_list", **NO_OFFICERS),
    page("governance:spending_create", **NO_OFFICERS),
    page("governance:spending_edit", kwargs=lambda w: {"pk": w.gov_own_row.pk}, label="own",
         **NO_OFFICERS),
    page("governance:spending_edit", kwargs=lambda w: {"pk": w.gov_other_row.pk}, label="other",
         staff=404, **NO_OFFICERS),
    Case("governance:spending_delete", method="post", label="own",
         kwargs=lambda w: {"pk": w.gov_own_row_2.pk},
         expect=_ordered(anon=PAGE_DENIED_ANON, gangnam=404, seocho=404, staff=302, admin=404)),
    Case("governance:spending_delete", method="post", label="other",
         kwargs=lambda w: {"pk": w.gov_other_row.pk},
         expect=_ordered(anon=PAGE_DENIED_ANON, staff=404, gangnam=404, seocho=404, admin=302)),
    page("governance:import_upload", **NO_OFFICERS),
    page("governance:import_detail", kwargs=lambda w: {"pk": w.gov_admin_batch.pk},
         label="admin's", staff=404, **NO_OFFICERS),
    page("governance:import_detail", kwargs=lambda w: {"pk": w.gov_staff_batch.pk},
         label="staff's", **NO_OFFICERS),
    Case("governance:import_apply", method="post", data={"mode": "valid"},
         kwargs=lambda w: {"pk": w.gov_staff_batch.pk},
         expect=_ordered(anon=PAGE_DENIED_ANON, gangnam=404, seocho=404, staff=302, admin=302)),
    Case("governance:import_apply", method="post", data={"mode": "valid"}, label="admin's",
         kwargs=lambda w: {"pk": w.gov_admin_batch.pk},
         expect=_ordered(anon=PAGE_DENIED_ANON, gangnam=404, seocho=404, staff=404, admin=302)),
    Case("governance:import_cancel", method="post",
         kwargs=lambda w: {"pk": w.gov_staff_batch_2.pk},
         expect=_ordered(anon=PAGE_DENIED_ANON, gangnam=404, seocho=404, staff=302, admin=302)),
    page("governance:import_rejections_csv", kwargs=lambda w: {"pk": w.gov_admin_batch.pk},
         staff=404, **NO_OFFICERS),
    page("governance:audit_register", **NO_OFFICERS),
    page("governance:audit_item", kwargs=lambda w: {"pk": w.gov_item.pk}, **NO_OFFICERS),
    page("governance:audit_item_edit", kwargs=lambda w: {"pk": w.gov_item.pk}, **ADMIN_ONLY),
    Case("governance:audit_note_add", method="post", kwargs=lambda w: {"pk": w.gov_item.pk},
         data={"date": "2021-04-01", "text": "checked", "status_after": ""},
         expect=_ordered(anon=PAGE_DENIED_ANON, staff=404, gangnam=404, seocho=404, admin=302)),
    Case("governance:audit_evidence_add", method="post", kwargs=lambda w: {"pk": w.gov_item.pk},
         data=lambda w: {"file": SimpleUploadedFile("note.txt", b"evidence"), "description": ""},
         expect=_ordered(anon=PAGE_DENIED_ANON, staff=404, gangnam=404, seocho=404, admin=302)),
    page("governance:evidence_download", kwargs=lambda w: {"pk": w.gov_evidence.pk}, **NO_OFFICERS),
    page("governance:report", **NO_OFFICERS),
    *[page("governance:report_download", kwargs={"fmt": fmt}, label=fmt, **NO_OFFICERS)
      for fmt in ("html", "pdf", "xlsx")],
    page("governance:report_download", kwargs={"fmt": "doc"}, label="unknown format", admin=404,
         **NO_OFFICERS),
    # API
    api("api:governance_budget", kwargs={"year": 2021}, **NO_OFFICERS),
    api("api:governance_budget_programme", kwargs={"year": 2021, "code": "data"}, label="own",
        **NO_OFFICERS),
    api("api:governance_budget_programme", kwargs={"year": 2021, "code": "overseas"},
        label="other", staff=404, **NO_OFFICERS),
    api("api:governance_spending", kwargs={"year": 2021}, **NO_OFFICERS),
    Case("api:governance_spending_import", method="post", kwargs={"year": 2021},
         data=lambda w: {"file": _csv("2021-03-02,data,5000,api\n", "api.csv"), "mode": "valid",
                         "dry_run": "true"},
         expect=_ordered(anon=API_DENIED_ANON, admin=200, staff=200, gangnam=404, seocho=404)),
    api("api:governance_import", kwargs=lambda w: {"import_id": w.gov_admin_batch.pk},
        staff=404, **NO_OFFICERS),
    api("api:governance_audit_items", **NO_OFFICERS),
    api("api:governance_audit_summary", **NO_OFFICERS),
    api("api:governance_report", kwargs={"year": 2021}, **NO_OFFICERS),
]
