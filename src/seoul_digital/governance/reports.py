"""The annual work report, regenerated from the database (page, HTML, PDF, XLSX).

Figures come from the governance and core records as the user may see them; totals and
subtotals are computed by the engine. Labels are translated (Korean by default).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.core.models import Programme
from seoul_digital.governance import selectors
from seoul_digital.governance.engine import report as engine
from seoul_digital.governance.models import AuditItem, FinanceLine, Unit

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportUnavailable(ValueError):
    """No data for the year asked for; the message says which years there are."""


def _labels() -> dict[str, str]:
    return {
        "division": _("구분"), "total": _("계"), "quota": _("정원"), "current": _("현원"),
        "gap": _("과부족"), "assets": _("자산"), "claims": _("부채 및 자본"), "change": _("증감"),
        "year_format": _("'%(yy)s년"), "subtotal": _("소계"), "grand_total": _("합계"),
        "programme": _("사업명"), "amount": _("예산액"), "remarks": _("비고"),
        "q1": _("1분기"), "q2": _("2분기"), "q3": _("3분기"), "q4": _("4분기"),
        "unit": _("부서명"), "kind": _("구분"), "duties": _("담당업무"),
        "category": _("구분"), "appointment": _("임용 형태"), "count": _("인원"),
        "total_filled": _("현원 계"),
    }


def build_report(user, year: int) -> engine.Report:
    fiscal_year = selectors.fiscal_years_for(user).filter(year=year).first()
    if fiscal_year is None:
        years = list(selectors.fiscal_years_for(user).values_list("year", flat=True))
        raise ReportUnavailable(_("%(year)s년 자료가 없습니다. 있는 연도: %(years)s")
                                % {"year": year, "years": ", ".join(map(str, years)) or "-"})
    labels = _labels()
    report = engine.Report(year, _("%(year)s 주요업무 보고 — 일반현황·예산·행정사무감사 처리결과")
                           % {"year": year})

    # 1. Organisation (1실 7팀) and staffing.
    units = list(selectors.units_for(user).filter(active=True))
    offices = sum(1 for u in units if u.kind == Unit.Kind.OFFICE)
    teams = sum(1 for u in units if u.kind == Unit.Kind.TEAM)
    report.tables.append(engine.units_table(
        [(u.name, u.get_kind_display(), u.duties) for u in units], labels=labels,
        title=_("조직: %(offices)s실 %(teams)s팀") % {"offices": offices, "teams": teams}))

    grades = list(selectors.grades_for(user))
    counted = max((g.counted_on for g in grades), default=None)
    extra = list(selectors.extra_personnel_for(user))
    extra_text = ", ".join(f"{e.name} {e.count}{_('명')}" if e.count else e.name for e in extra)
    report.tables.append(engine.staffing_table(
        [(g.name, g.quota, g.current) for g in grades], labels=labels,
        title=_("인력: 현원 %(current)s명 (정원 %(quota)s명)")
        % {"current": sum(g.current for g in grades), "quota": sum(g.quota for g in grades)},
        unit=(_("%(date)s 기준, 단위: 명") % {"date": counted.strftime("%Y.%m.%d.")}) if counted
        else _("단위: 명"),
        note=(_("정원 외 인력: %(list)s") % {"list": extra_text}) if extra else ""))

    # 2. Finance (two latest years present).
    figures = defaultdict(dict)
    for figure in selectors.finance_figures_for(user):
        figures[figure.line_id][figure.year] = figure.amount_eok
    years = sorted({y for values in figures.values() for y in values}, reverse=True)[:2]
    if len(years) == 2:
        lines = list(selectors.finance_lines_for(user))
        assets = [(l.name, figures[l.pk]) for l in lines if l.side == FinanceLine.Side.ASSETS]
        claims = [(l.name, figures[l.pk]) for l in lines if l.side == FinanceLine.Side.CLAIMS]
        report.tables.append(engine.finance_table(assets, claims, years=years, labels=labels,
                                                  title=_("재무현황"), unit=_("단위: 억원")))

    # 3. Board composition by role.
    board = selectors.boards_for(user).first()
    if board is not None:
        roles = list(selectors.board_roles_for(user).filter(board=board))
        report.tables.append(engine.board_table(
            [(r.get_category_display(),
              " ".join(part for part in (r.get_appointment_display() if r.appointment else "",
                                          f"({r.note})" if r.note else "") if part),
              r.seats_filled) for r in roles],
            quota=board.member_quota, labels=labels, title=_("이사회 구성"), unit=_("단위: 명")))

    # 4. Budget 총괄표 (천원) with subtotals by strategy.
    programmes = list(Programme.objects.restrict(user, "view"))
    report.tables.append(engine.budget_summary_table(
        [(p.strategy, p.name, p.budget_2021_thousand_krw) for p in programmes], labels=labels,
        title=_("%(year)s년 예산 총괄표") % {"year": year}, unit=_("단위: 천원")))

    # 5. Each programme's quarterly execution plan (백만원).
    lines_by_programme = defaultdict(list)
    for line in selectors.cost_lines_for(user, fiscal_year):
        plans = {p.quarter: p.amount_million_krw for p in line.quarter_plans.all()}
        if plans:
            lines_by_programme[line.programme_id].append(
                (line.name, [plans.get(q, Decimal(0)) for q in (1, 2, 3, 4)], line.note))
    for number, programme in enumerate(p for p in programmes if lines_by_programme.get(p.pk)):
        entries = lines_by_programme[programme.pk]
        report.tables.append(engine.plan_table(
            f"plan_{programme.code}", [(name, quarters) for name, quarters, _n in entries],
            labels=labels, title=_("예산집행계획: %(name)s") % {"name": programme.name},
            unit=_("단위: 백만원"), notes=[n for _name, _q, n in entries if n],
            sheet=_("분기별 예산집행계획")))

    # 6. The council's audit: summary counted from the register.
    items = list(selectors.audit_items_for(user))
    audit_years = sorted({i.audit_year for i in items})
    kinds = [(AuditItem.Kind.CORRECTION, _("시정·처리요구사항")),
             (AuditItem.Kind.RECOMMENDATION, _("건의사항")),
             (AuditItem.Kind.OTHER, _("기타(자료제출 등)"))]
    report.tables.append(engine.audit_summary_table(
        [(i.kind, i.status) for i in items], kinds=kinds,
        statuses=[(code, str(label)) for code, label in AuditItem.Status.choices], labels=labels,
        title=_("%(years)s 행정사무감사 처리결과 총괄") % {
            "years": ", ".join(str(y) for y in audit_years) or ""},
        unit=_("단위: 건")))
    sheets = {"units": _("조직"), "staffing": _("인력"), "finance": _("재무"), "board": _("이사회"),
              "budget_summary": _("예산 총괄표"), "audit_summary": _("행정사무감사")}
    for table in report.tables:
        table.sheet = table.sheet or sheets.get(table.key, "")
    return report


def subtitle(report: engine.Report) -> str:
    return _("서울디지털재단 · 플랫폼 데이터로 다시 만든 표 · 생성 %(at)s") % {
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}


def render(user, year: int, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in ``fmt``."""
    from seoul_digital.governance.engine import render as renderers

    if fmt not in FORMATS:
        raise Http404
    report = build_report(user, year)
    name = f"governance-report-{year}.{fmt}"
    if fmt == "pdf":
        content = renderers.render_pdf(report, subtitle=subtitle(report))
    elif fmt == "xlsx":
        content = renderers.render_xlsx(report, subtitle=subtitle(report))
    else:
        content = render_to_string("governance/report_document.html",
                                   {"report": report, "subtitle": subtitle(report)}).encode()
    return content, CONTENT_TYPES[fmt], name
