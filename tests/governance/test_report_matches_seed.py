"""The regenerated report equals the 2021 work report, figure for figure.

Each table the platform builds from its database (loaded by migration 0002, totals computed)
is compared with the same table parsed from the report's own text by tests/governance/
seed_tables.py. Key totals are also asserted directly, so the check holds without ../shared.
"""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import pytest

from tests.governance.seed_tables import squash

pytestmark = pytest.mark.django_db


def _rows(table):
    return [row.cells for row in table.rows]


# --- direct figures (no seed file needed) ---------------------------------------------------

def test_key_totals(admin_report):
    staffing = admin_report.table("staffing")
    assert staffing.row("정원").cells[1] == 45
    assert staffing.row("현원").cells[1] == 41
    assert staffing.row("과부족").cells[1] == -4
    budget = admin_report.table("budget_summary")
    assert budget.row("합계").cells[2] == 7_381_683
    subtotals = {row.cells[0]: row.cells[2] for row in budget.rows if row.level == "subtotal"}
    assert subtotals == {"빅데이터(AI) 연구": 916_000, "비대면산업 육성": 2_181_300,
                         "포용적 스마트도시 구현": 195_400, "운영경비": 4_088_983}
    audit = admin_report.table("audit_summary")
    assert audit.row("계").cells[1:] == [12, 7, 3, 2, 0]
    assert audit.row("시정·처리요구사항").cells[1:] == [4, 1, 3, 0, 0]
    assert audit.row("건의사항").cells[1:] == [3, 1, 0, 2, 0]
    assert audit.row("기타(자료제출 등)").cells[1:] == [5, 5, 0, 0, 0]
    finance = admin_report.table("finance")
    assert finance.rows[0].cells == ["계", 50, 44, 6, "계", 50, 44, 6]
    data_plan = admin_report.table("plan_data")
    assert [r[:2] for r in _rows(data_plan)] == [
        ["공공분야 데이터서비스 기획 및 개발 (도시데이터 활용 컨설팅)", Decimal("389.4")],
        ["시민참여형 서울데이터 창출", Decimal("1000")]]


def test_cell_text_matches_the_reports_notation(admin_report):
    staffing = admin_report.table("staffing")
    texts = dict((row[0], row[1:]) for row in staffing.text_rows())
    assert texts["과부족"] == ["△4", "△1", "-", "△1", "△1", "△1", "-", "-", "-"]
    assert texts["현원"][:3] == ["41", "-", "1"]
    budget = dict((r[1] or r[0], r[2]) for r in admin_report.table("budget_summary").text_rows())
    assert budget["합계"] == "7,381,683"
    finance = admin_report.table("finance").text_rows()
    assert finance[1][4:] == ["부채", "5", "8", "△3"]
    plan = admin_report.table("plan_data").text_rows()
    assert plan[0][1:] == ["389.4", "160", "153", "46", "30.4"]


def test_budget_lines_add_up_to_each_programmes_budget(fiscal_year):
    from seoul_digital.core.models import Programme
    from seoul_digital.governance.models import CostLine

    for programme in Programme.objects.all():
        lines = CostLine.objects.filter(fiscal_year=fiscal_year, programme=programme)
        assert sum(l.budget_thousand_krw for l in lines) == programme.budget_2021_thousand_krw, programme.code


def test_plan_totals_are_the_budget_in_millions_truncated(fiscal_year):
    """Each single-line programme's plan adds up to its 천원 budget with the part under a
    million dropped (347,600 → 347, not 348); the 데이터 창출 lines follow their own figures."""
    from seoul_digital.governance.models import CostLine

    for line in CostLine.objects.filter(fiscal_year=fiscal_year).prefetch_related("quarter_plans"):
        plans = list(line.quarter_plans.all())
        if not plans:
            assert line.programme.code in ("personnel", "administration")
            continue
        total = sum(p.amount_million_krw for p in plans)
        allocated = Decimal(line.budget_thousand_krw + line.pending_thousand_krw) / 1000
        if line.code in ("data_services", "citizen_data"):
            assert total == allocated
        else:
            assert total == int(allocated), line.code


# --- every figure against the report's text -------------------------------------------------

def test_staffing_equals_seed(admin_report, seed):
    table = admin_report.table("staffing")
    header = [squash(h) for h in table.header[0]]
    expected = seed.staffing()
    got = {row.cells[0]: dict(zip(header[1:], row.cells[1:])) for row in table.rows}
    assert got == {label: {k: int(v) for k, v in values.items()} for label, values in expected.items()}


def test_staffing_headline_differs_from_table(seed, admin_report):
    """The report's heading says 총 42명 while its table sums to 41 현원; we show the table's
    figure (computed) and record the heading's discrepancy here so it is not lost."""
    assert seed.staffing_headline() == 42
    assert admin_report.table("staffing").row("현원").cells[1] == 41 == seed.staffing()["현원"]["계"]


def test_finance_equals_seed(admin_report, seed):
    expected = seed.finance()
    got = {}
    for n, row in enumerate(admin_report.table("finance").rows):
        left = "자산계" if n == 0 else row.cells[0]
        right = "부채및자본계" if n == 0 else row.cells[4]
        got[left] = tuple(Decimal(v) for v in row.cells[1:4])
        got[right] = tuple(Decimal(v) for v in row.cells[5:8])
    assert got == expected


def test_budget_summary_equals_seed(admin_report, seed):
    got, group = [], ""
    for row in admin_report.table("budget_summary").rows:
        if row.cells[0]:
            group = row.cells[0]
        got.append((group, row.cells[1], Decimal(row.cells[2])))
    assert got == seed.budget_summary()


def test_every_quarterly_plan_equals_seed(admin_report, seed):
    got = []
    for table in admin_report.tables_with_prefix("plan_"):
        for name, total, *quarters in _rows(table):
            got.append((name, total, quarters))
    assert got == seed.execution_plans()
    assert len(got) == 7  # six programmes, 데이터 창출 with two lines


def test_audit_summary_equals_seed(admin_report, seed):
    table = admin_report.table("audit_summary")
    header = [squash(h) for h in table.header[0]]
    got = {squash(row.cells[0]): dict(zip(header[1:], row.cells[1:])) for row in table.rows}
    assert got == {k: {c: int(n) for c, n in v.items()} for k, v in seed.audit_summary().items()}
    assert seed.audit_total_line() == table.row("계").cells[1]


def test_register_items_match_the_items_the_report_spells_out(seed, users):
    from seoul_digital.governance.models import AuditItem

    printed = {"추진중": "in_progress", "추진완료": "done", "검토중": "reviewing", "미반영": "not_reflected"}
    sections = {"시정·처리요구사항": "correction", "건의사항": "recommendation"}
    expected = [(sections[s], printed[status]) for s, status in seed.audit_items()]
    items = AuditItem.objects.filter(audit_year=2020).exclude(kind="other").order_by("number")
    assert [(i.kind, i.status) for i in items] == expected
    others = AuditItem.objects.filter(audit_year=2020, kind="other")
    assert others.count() == 5 and set(others.values_list("status", flat=True)) == {"done"}


def test_organisation_equals_seed(admin_report, seed):
    offices, teams = seed.organisation_counts()
    units = admin_report.table("units")
    kinds = [row.cells[1] for row in units.rows]
    assert (kinds.count("실"), kinds.count("팀")) == (offices, teams) == (1, 7)
    assert [row.cells[0] for row in units.rows if row.cells[1] == "팀"] == seed.team_names()
    assert units.title == "조직: 1실 7팀"


def test_board_equals_seed(admin_report, seed):
    expected = seed.board()
    table = admin_report.table("board")
    by_role = {}
    for category, appointment, count in _rows(table)[:-2]:
        key = squash(appointment.split("(")[0]) + category if category != "이사장" else "이사장"
        by_role[key] = count
    assert by_role.pop("이사장") == 0 and expected["이사장공석"] == 1
    assert by_role == expected["members"]
    assert table.row("정원").cells[2] == expected["정원"] == 10
    assert sum(v for k, v in by_role.items() if k.endswith("이사")) == expected["이사"]
    assert sum(v for k, v in by_role.items() if k.endswith("감사")) == expected["감사"]


# --- the tables are computed from the data, not stored -------------------------------------

def test_report_follows_edits(users):
    from seoul_digital.governance import services
    from seoul_digital.governance.models import AuditItem, PositionGrade
    from seoul_digital.governance.reports import build_report

    grade = PositionGrade.objects.get(code="grade4")
    services.do_update_org(users.admin, grade, current=8)
    item = AuditItem.objects.get(audit_year=2020, number=1)
    services.do_update_audit_item(users.admin, item, status="done")
    report = build_report(users.admin, 2021)
    assert report.table("staffing").row("현원").cells[1] == 42
    assert report.table("staffing").row("과부족").cells[1] == -3
    assert report.table("audit_summary").row("계").cells[1:] == [12, 8, 2, 2, 0]


# --- the three formats carry the same figures -----------------------------------------------

def test_xlsx_has_every_figure(admin_report):
    import openpyxl

    from seoul_digital.governance.engine.render import render_xlsx

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(admin_report, subtitle="t")))
    cells = []
    for sheet in book.worksheets:
        cells.extend(sheet.iter_rows(values_only=True))
    written = [tuple(v for v in row if v is not None) for row in cells]
    for table in admin_report.tables:
        for row in table.rows:
            expected = tuple(float(v) if isinstance(v, Decimal) else v for v in row.cells
                             if v is not None)
            assert any(_same(expected, got) for got in written), (table.key, expected)
    assert set(book.sheetnames) >= {"인력", "재무", "예산 총괄표", "분기별 예산집행계획", "행정사무감사"}


def _same(expected, got) -> bool:
    if len(expected) != len(got):
        return False
    return all((a == b) or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                            and abs(a - b) < 1e-9) for a, b in zip(expected, got))


def test_pdf_embeds_nanum_gothic(admin_report):
    from seoul_digital.governance.engine.render import render_pdf

    pdf = render_pdf(admin_report, subtitle="t")
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NanumGothic", pdf)
    assert b"/FontFile2" in pdf  # the TrueType program itself is embedded


def test_report_page_and_html_download_show_every_cell(users, as_user):
    client = as_user("admin")
    page = html.unescape(client.get("/governance/report/").content.decode())
    document = client.get("/governance/report/download/html/?year=2021")
    assert document.status_code == 200
    text = html.unescape(document.content.decode())
    from seoul_digital.governance.reports import build_report

    for table in build_report(users.admin, 2021).tables:
        for row in table.text_rows():
            for cell in row:
                if cell:
                    assert cell in page, (table.key, cell)
                    assert cell in text, (table.key, cell)
