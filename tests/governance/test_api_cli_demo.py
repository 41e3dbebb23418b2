"""API, command line and demo loader."""

from __future__ import annotations


import openpyxl
import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_api_import_then_budget(as_user):
    admin = as_user("admin")
    text = "집행일,사업,금액\n2021-01-15,data,100000000\n2021-02-01,없는사업,5\n"
    dry = admin.post("/api/v1/governance/spending/2021/import", {
        "file": SimpleUploadedFile("a.csv", text.encode()), "mode": "valid", "dry_run": "true"})
    assert dry.status_code == 200
    body = dry.json()
    assert body["status"] == "checked" and body["rows_imported"] == 0
    assert body["rejected"] == [{"line": 3, "values": {"date": "2021-02-01", "programme": "없는사업",
                                                        "amount": "5", "description": ""},
                                 "reasons": ["알 수 없는 사업입니다: '없는사업' (사업 코드나 사업명을 쓰세요)"],
                                 "codes": ["unknown_programme"]}]
    done = admin.post("/api/v1/governance/spending/2021/import", {
        "file": SimpleUploadedFile("a.csv", text.encode()), "mode": "all"}).json()
    assert done["status"] == "rejected" and done["rows_imported"] == 0
    done = admin.post("/api/v1/governance/spending/2021/import", {
        "file": SimpleUploadedFile("a.csv", text.encode()), "mode": "valid"}).json()
    assert done["status"] == "partial" and done["amount_imported_krw"] == 100_000_000
    again = admin.post("/api/v1/governance/spending/2021/import", {
        "file": SimpleUploadedFile("b.csv", text.encode()), "mode": "valid"}).json()
    assert again["status"] == "rejected" and again["duplicate_of"] == done["id"]

    budget = admin.get("/api/v1/governance/budget/2021").json()
    data = next(p for p in budget["programmes"] if p["code"] == "data")
    q1 = data["quarters"][0]
    assert q1["cumulative_spend_krw"] == 100_000_000 and q1["current_budget_krw"] == 568_400_000
    assert q1["gap_pp"] == pytest.approx((100 / 568.4 - 168.95 / 568.4) * 100, abs=0.01)
    assert budget["quarter"] == 1 and "data" in budget["alerts"]
    assert "만회되지 않는다" in budget["projection_method"]
    assert as_user("staff").get("/api/v1/governance/budget/2021").json()["programmes"][0]["code"] == "data"
    assert len(as_user("staff").get("/api/v1/governance/budget/2021").json()["programmes"]) == 1
    assert admin.get("/api/v1/governance/budget/2021?quarter=7").status_code == 422
    rows = admin.get("/api/v1/governance/spending/2021").json()
    assert [r["amount_krw"] for r in rows] == [100_000_000]


def test_api_report_and_audit_summary(as_user):
    admin = as_user("admin")
    report = admin.get("/api/v1/governance/report/2021").json()
    budget = next(t for t in report["tables"] if t["key"] == "budget_summary")
    assert budget["rows"][-1] == ["합계", "", "7,381,683", ""]
    assert budget["values"][-1][2] == 7_381_683
    summary = admin.get("/api/v1/governance/audit-summary").json()
    assert summary["total"] == {"total": 12, "done": 7, "in_progress": 3, "reviewing": 2,
                                "not_reflected": 0}
    assert summary["kinds"]["correction"]["in_progress"] == 3
    items = admin.get("/api/v1/governance/audit-items?status=reviewing").json()
    assert [i["number"] for i in items] == [5, 6]
    assert admin.get("/api/v1/governance/report/1999").status_code == 404


def test_cli_report_writes_each_format(tmp_path, users):
    from seoul_digital.governance.cli import group

    runner = CliRunner()
    for fmt in ("html", "pdf", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(group, ["report", "--year", "2021", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    values = [v for row in book["예산 총괄표"].iter_rows(values_only=True) for v in row]
    assert 7_381_683 in values and 4_088_983 in values
    assert "7,381,683" in (tmp_path / "r.html").read_text(encoding="utf-8")
    result = runner.invoke(group, ["report", "--year", "2019", "--format", "html", "--out",
                                   str(tmp_path / "x.html")])
    assert result.exit_code != 0 and "2019년 자료가 없습니다" in result.output


def test_cli_import_spending(tmp_path, users):
    from seoul_digital.governance.cli import group
    from seoul_digital.governance.models import Spending

    path = tmp_path / "s.csv"
    path.write_text("집행일,사업,금액\n2021-01-15,robots,1000\n2021-01-16,robots,-1\n", encoding="cp949")
    runner = CliRunner()
    result = runner.invoke(group, ["import-spending", str(path), "--user", "admin", "--mode", "all"])
    assert result.exit_code == 1 and "line 3" in result.output and "음수" in result.output
    assert Spending.objects.count() == 0
    result = runner.invoke(group, ["import-spending", str(path), "--user", "admin", "--mode", "valid"])
    assert result.exit_code == 0 and "imported 1 rows" in result.output
    result = runner.invoke(group, ["status", "--year", "2021"])
    assert result.exit_code == 0 and "robots" in result.output


def test_demo_loader_is_idempotent_and_shows_alerts(users):
    from seoul_digital.governance import monitoring
    from seoul_digital.governance.demo import load
    from seoul_digital.governance.models import AuditProgressNote, BudgetAdjustment, FiscalYear, Spending

    first = list(load())
    assert "Q1 spending imported: 25 rows" in first[0]
    counts = (Spending.objects.count(), BudgetAdjustment.objects.count(),
              AuditProgressNote.objects.count())
    second = list(load())
    assert "already" in second[0]
    assert counts == (Spending.objects.count(), BudgetAdjustment.objects.count(),
                      AuditProgressNote.objects.count())
    result = monitoring.monitor(users.admin, FiscalYear.objects.get(year=2021))
    assert result.quarter == 1
    assert [a.code for a in result.alerts] == ["data", "smartcity_center"]
    assert Spending.objects.filter(date__month__gt=3).count() == 0
