"""Load the figures of the foundation's 2021 work report to the Seoul council.

Source: ../shared/seed/000_d918727517d51c71.txt (제299회 임시회 행정자치위원회, 2021. 3.).
Figures are copied as data: staffing by grade (2021-02-17), finance 2019–2020 (억원), the
programmes' cost lines (천원) with their quarterly execution plans (백만원), 1실 7팀, the board's
composition by role, and the 12 items of the 2020 administrative audit with their statuses.
Texts (duties, audit summaries, plan activities) are our own short summaries, not the
report's sentences. The report spells out 7 of the 12 audit items (4 corrections, 3
recommendations); the 5 "other" items (자료제출 등) are only counted there, so they are
loaded as generic entries with the status the summary gives them (all 완료). The data is written out here so the migration never changes with code.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

YEAR = 2021
STAFFING_DATE = dt.date(2021, 2, 17)
REPORT_DATE = dt.date(2021, 3, 1)  # the report is dated 2021. 3.

# code, kind, name_ko, name_en, duties_ko, duties_en, programme codes
UNITS = [
    ("office", "office", "실 (보고서에 명칭 미수록)", "Office (name not given in the report)",
     "보고서는 조직을 1실 7팀으로 밝히지만 실의 이름과 소관 팀은 조직도 그림에만 있어 본문에서 "
     "확인되지 않습니다. 관리자가 확인해 고쳐 주십시오.",
     "The report counts one office and seven teams; the office's name and its teams appear "
     "only in the organisation chart, which the text does not carry. Admins should fill them in.",
     []),
    ("planning", "team", "기획팀", "Planning Team",
     "연간 사업계획과 경영평가·기관장 성과계약을 챙기고, 중장기 인력계획·채용·인사위원회·직원 교육 "
     "등 인사노무와 대외 홍보·협력, 사회공헌을 맡습니다.",
     "Annual planning, management evaluation and the head's performance contract; workforce "
     "planning, recruitment, HR committee and training; public relations and partnerships.",
     ["personnel", "administration"]),
    ("general_affairs", "team", "총무회계팀", "General Affairs and Accounting Team",
     "세입·세출 예산과 회계, 급여·퇴직금·사회보험 지급을 관리하고, 구매·계약, 안전과 자산 관리, "
     "전산·정보보안, 누리집 운영을 맡습니다.",
     "Revenue and expenditure budget, accounting and payroll; purchasing and contracts, safety "
     "and assets, IT and security, the website.",
     ["administration"]),
    ("policy_research", "team", "정책연구팀", "Policy Research Team",
     "디지털 격차 실태조사와 접근성 표준·디지털 윤리 연구 등 스마트도시 정책연구를 하고, 비대면 "
     "공공서비스와 까치온 시민 서비스를 기획하며, 현안 연구와 이슈리포트를 냅니다.",
     "Smart-city policy research (digital-divide survey, accessibility standards, digital "
     "ethics), planning of contact-free public services including Kkachi-On, issue reports.",
     ["policy_research"]),
    ("data_innovation", "team", "데이터혁신팀", "Data Innovation Team",
     "도시데이터 분석모델을 만들어 보급하고, 마이데이터·데이터 결합 컨설팅과 서비스 개발, 서울시 "
     "공공데이터 정비·가공과 개방, 데이터 활용 사례 공유와 포럼을 맡습니다.",
     "Urban-data analysis models, MyData and data-linkage consulting, cleaning and opening "
     "Seoul's public data, sharing use cases and forums.",
     ["data"]),
    ("digital_education", "team", "디지털교육팀", "Digital Education Team",
     "어디나지원단을 운영하며 디지털 포용·격차해소 교육을 하고, 지원단과 교육생을 이어 주는 "
     "매칭·운영 플랫폼을 구축합니다.",
     "Runs the 어디나 supporter corps and digital-inclusion classes, and builds the platform that "
     "matches supporters with learners.",
     ["inclusion"]),
    ("business_cooperation", "team", "기업협력팀", "Business Cooperation Team",
     "로봇을 활용한 격차해소 교육 플랫폼을 보급·운영하며 새 콘텐츠를 만들고, 스마트도시 기업의 "
     "해외 전시회 참가를 지원합니다.",
     "Deploys and runs the robot-assisted inclusion platform and its content; supports smart-city "
     "companies at overseas exhibitions.",
     ["robots", "overseas"]),
    ("smartcity_center", "team", "스마트시티센터팀", "Smart City Center Team",
     "도시기술실험실(Tech-Lab) 테스트베드를 운영하고, 비대면 기술기업의 보육과 온라인 펀딩, "
     "공유오피스 입주를 지원합니다.",
     "Runs the Tech-Lab test bed; incubation, online funding and shared-office support for "
     "contact-free technology companies.",
     ["smartcity_center"]),
]

# code, name_ko, name_en, 정원, 현원
GRADES = [
    ("executive", "상근임원", "Standing executive", 1, 0),
    ("grade1", "1급", "Grade 1", 1, 1),
    ("grade2", "2급", "Grade 2", 1, 0),
    ("grade3", "3급", "Grade 3", 3, 2),
    ("grade4", "4급", "Grade 4", 8, 7),
    ("grade5", "5급", "Grade 5", 16, 16),
    ("grade6", "6급", "Grade 6", 13, 13),
    ("grade7", "7급", "Grade 7", 2, 2),
]

EXTRA_PERSONNEL = [
    ("이사장 직무대행", "Acting chair", None),
    ("파견공무원", "Seconded city officials", 1),
    ("계약직", "Contract staff", 2),
]

BOARD = ("서울디지털재단 이사회", "Board of the Seoul Digital Foundation", 10,
         "법령과 정관이 정한 주요 정책을 심의합니다: 재단 운영의 기본 방침, 사업계획과 예산, "
         "사업실적과 결산의 승인, 그 밖에 법령·조례·정관이 이사회 권한으로 정한 사항.",
         "Deliberates on the main matters set by law and the articles: the foundation's basic "
         "policy, the business plan and budget, approval of results and accounts, and other "
         "matters the law, ordinances or articles give it.")

# category, appointment, seats filled, note_ko, note_en
BOARD_ROLES = [
    ("chair", "", 0, "공석", "vacant"),
    ("director", "non_standing", 3, "", ""),
    ("director", "ex_officio", 3, "서울시 실·국장급 당연직", "ex officio: Seoul city directors"),
    ("auditor", "ex_officio", 1, "서울시 담당관 당연직", "ex officio: Seoul city official"),
    ("auditor", "non_standing", 1, "", ""),
]

# code, side, name_ko, name_en, {year: 억원}
FINANCE = [
    ("current_assets", "assets", "유동자산", "Current assets", {2020: 37, 2019: 35}),
    ("non_current_assets", "assets", "비유동자산", "Non-current assets", {2020: 13, 2019: 9}),
    ("liabilities", "claims", "부채", "Liabilities", {2020: 5, 2019: 8}),
    ("equity", "claims", "자본", "Equity", {2020: 45, 2019: 36}),
]

# programme code, line code, name_ko, name_en, 예산액(천원), 추가 확보 추진(천원), note_ko, note_en,
# quarterly plan (백만원) or None, quarterly activities [(ko, en)] or None
COST_LINES = [
    ("policy_research", "policy_research", "스마트도시 정책연구·컨설팅",
     "Smart-city policy research and consulting", 347_600, 0,
     "집행계획은 백만원 미만을 버린 347백만원 기준입니다(예산 347,600천원).",
     "The execution plan counts 347 million won: the budget of 347,600 thousand won with the "
     "remainder under a million dropped.",
     ("30", "120", "76", "121"),
     [("인건비·전문가 자문", "Staff and expert advice"), ("연구 수행", "Research"),
      ("데이터 구입·연구용역", "Data and commissioned research"), ("연구 수행", "Research")]),
    ("data", "data_services", "공공분야 데이터서비스 기획 및 개발 (도시데이터 활용 컨설팅)",
     "Public data services: planning and development (urban-data consulting)", 389_400, 0, "", "",
     ("160", "153", "46", "30.4"),
     [("과제 기획·공동연구·자문·데이터 구축", "Planning, joint research, advice, data building"),
      ("과제 수행 계속", "Research continues"),
      ("결과 활용(매뉴얼·시스템 운영)", "Using results (manuals, system operation)"),
      ("성과 확산(세미나·홍보)", "Dissemination (seminars, publicity)")]),
    ("data", "citizen_data", "시민참여형 서울데이터 창출", "Citizen-made Seoul data", 179_000, 821_000,
     "배정액은 179백만원이며, 정부·서울시 일자리 사업과 연계해 821백만원을 더 확보하려는 "
     "계획(합계 1,000백만원)으로 분기별 집행계획이 짜여 있습니다.",
     "179 million won is allocated; the quarterly plan assumes 821 million more from central "
     "and city job programmes (1,000 million in all).",
     ("50", "250", "400", "300"),
     [("사업 기획(가공 프로그램·인프라)", "Planning (processing programme, infrastructure)"),
      ("서울데이터서포터즈 운영", "Seoul Data Supporters at work"),
      ("서울데이터서포터즈 운영", "Seoul Data Supporters at work"),
      ("데이터 품질인증", "Data quality certification")]),
    ("overseas", "overseas", "기술기업 해외진출 지원사업", "Overseas expansion of tech companies",
     1_086_100, 0, "", "", ("30", "182", "206", "668"),
     [("협력기관 발굴·수시 지원", "Finding partners, ad-hoc support"),
      ("기업 선발(사전검증·투자유치)", "Selecting companies (PoC, investment)"),
      ("기업성장 프로그램", "Growth programme"), ("CES 서울관 조성", "Building the CES Seoul pavilion")]),
    ("smartcity_center", "smartcity_center", "스마트시티센터 운영", "Seoul Smart City Center",
     1_095_200, 0, "", "", ("305", "296", "366", "128"),
     [("계획 수립·지원 대상 모집", "Planning, recruiting companies"),
      ("센터 운영·비대면 지원", "Centre operation, contact-free support"),
      ("센터 운영·비대면 지원", "Centre operation, contact-free support"),
      ("결과 보고·성과 홍보", "Reporting and publicising results")]),
    ("inclusion", "inclusion", "디지털 역량강화", "Digital skills", 100_000, 0, "", "",
     ("15", "40", "40", "5"),
     [("지원단 선발·수요처 발굴", "Selecting supporters, finding venues"),
      ("교육 운영·새 콘텐츠 개발", "Classes, new content"),
      ("교육 운영·기업 연계", "Classes, company partnerships"),
      ("성과 공유·결과 보고", "Sharing results, final report")]),
    ("robots", "robots", "로봇 활용 디지털 격차해소 교육", "Robot-assisted digital inclusion classes",
     95_400, 0, "", "", ("25", "30", "30", "10"),
     [("교육 운영사 선정", "Choosing the operator"),
      ("콘텐츠 개발·교육 착수", "Content, classes start"), ("교육 운영", "Classes"),
      ("성과 확산·결과 보고", "Dissemination, final report")]),
    ("personnel", "personnel", "인건비", "Personnel", 2_814_743, 0,
     "보고서에 분기별 계획이 없어 분기마다 4분의 1씩 집행하는 것으로 봅니다.",
     "The report gives no quarterly plan: a quarter of the budget per quarter is assumed.",
     None, None),
    ("administration", "administration", "행정운영경비", "Administration", 1_274_240, 0,
     "보고서에 분기별 계획이 없어 분기마다 4분의 1씩 집행하는 것으로 봅니다.",
     "The report gives no quarterly plan: a quarter of the budget per quarter is assumed.",
     None, None),
]

COMMITTEE = "행정자치위원회"
AUDIT_YEAR = 2020

# number, kind, status, owner unit, title, summary, action plan (our own words)
AUDIT_ITEMS = [
    (1, "correction", "in_progress", "general_affairs", "인건비·사업비 집행잔액 과다",
     "인건비와 사업비에 쓰지 못한 잔액이 많이 남은 것은 예산을 넉넉히 잡았거나 사업이 계획대로 "
     "굴러가지 않았다는 신호일 수 있으니, 사업계획에 근거해 제대로 추계한 예산을 편성하라는 요구.",
     "2021년 계획에서 4개 사업을 구조조정하고 세부사업별 예산을 이사장 주재 회의에서 점검함. 앞으로 "
     "분기별로 예산을 배정하고 집행 실적을 수시로 점검하며, 상반기가 끝나면 결산 보고서를 만들 계획."),
    (2, "correction", "in_progress", "planning", "홍보비의 채용광고 지출과 불분명한 지출 기준",
     "기관 인지도가 낮은데도 홍보 예산이 직원 채용 광고에 쓰였고, 채용 공고를 낸 곳과 채용 관련 "
     "수수료·교통비·면접 수당이 일관된 기준 없이 지출되었다는 지적. 반복된 지적이므로 홍보비 사용을 "
     "바로잡고 지출 기준을 분명히 하라는 요구.",
     "2021년부터 채용 광고비를 지급수수료 비목으로 옮겼고, 연구 성과 보도와 소셜미디어로 인지도를 "
     "높이는 중. 채용 공고는 서울시 누리집과 서울일자리포털에 싣고, 유관기관 수준의 집행 기준을 "
     "만들 계획."),
    (3, "correction", "done", "planning", "이사장 공석 중 비전·전략 수립",
     "이사장이 비어 있는 상황에서도 분명한 비전과 전략을 세워 조직을 이끌 방안을 마련하라는 요구.",
     "2020년 내부 검토와 국내외 전문가 자문을 거쳐 비전·전략과 세 갈래 추진방향을 정하고, 이를 "
     "바탕으로 2021년 사업계획을 세움."),
    (4, "correction", "in_progress", "planning", "내부 만족도 저조와 잦은 이직",
     "직원 만족도 조사에서 두 해 내리 하위권이고 이직이 잦아 리더십에 문제가 있어 보이므로, "
     "만족도를 높일 조직문화 개선책을 찾으라는 요구.",
     "업무 효율화 캠페인(유연근무 확대, 나쁜 관행 정리, 소통 강화)을 펴고 설문으로 변화를 점검하며, "
     "2021년 2월 직원이 참여하는 경영혁신 TF를 꾸려 만족도 하락 원인을 분석하고 인사·경영 제도를 "
     "손볼 계획."),
    (5, "recommendation", "reviewing", "planning", "자체 감사기구 부재",
     "투자·출연기관 가운데 자체 감사기구가 없는 곳이므로 대책을 검토하라는 건의.",
     "조직이 작아 별도 부서를 새로 만들기는 어렵지만, 감사 전담 인력 배치와 외부 감사기구와의 협력 "
     "등 감사 기능 보강 방안을 감사기구를 갖춘 공사·공단의 도움을 받아 마련할 계획."),
    (6, "recommendation", "reviewing", "policy_research", "까치온 공공와이파이 위탁에 따른 조직·인력",
     "까치온 공공와이파이 사업을 재단에 맡기면 업무가 늘어나므로 조직과 인력을 어떻게 늘릴지 계획을 "
     "검토하라는 건의.",
     "2020년 11월부터 서울시 관련 부서와 재단이 참여하는 업무위탁 준비 TF에서 위탁 절차와 범위, "
     "법령, 재단 운영 방안을 검토하는 중."),
    (7, "recommendation", "done", "planning", "재단의 역할과 설립 목적 재정립",
     "재단이 맡을 역할과 설립 목적을 다시 정리하고 앞으로의 계획을 검토하라는 건의.",
     "2020년 11월 중기 발전방안을 세워 서울의 디지털 전환과 스마트 포용을 이끄는 전문기관으로 "
     "비전을 정하고, 세 갈래 추진방향(빅데이터·AI 연구, 비대면산업 육성, 포용적 스마트도시)에 맞춰 "
     "2021년 사업계획을 세움."),
] + [
    (n, "other", "done", "planning", f"기타 요구사항(자료제출 등) {n - 7}",
     "감사 중 요구된 자료 제출 등 기타 사항. 총괄표에 다섯 건 모두 완료로 보고되었으나 건별 내용은 "
     "보고서에 실려 있지 않음.",
     "")
    for n in range(8, 13)
]


def load(apps, schema_editor):
    Programme = apps.get_model("core", "Programme")
    Unit = apps.get_model("governance", "Unit")
    PositionGrade = apps.get_model("governance", "PositionGrade")
    ExtraPersonnel = apps.get_model("governance", "ExtraPersonnel")
    Board = apps.get_model("governance", "Board")
    BoardRole = apps.get_model("governance", "BoardRole")
    FinanceLine = apps.get_model("governance", "FinanceLine")
    FinanceFigure = apps.get_model("governance", "FinanceFigure")
    FiscalYear = apps.get_model("governance", "FiscalYear")
    CostLine = apps.get_model("governance", "CostLine")
    QuarterPlan = apps.get_model("governance", "QuarterPlan")
    AuditItem = apps.get_model("governance", "AuditItem")
    AuditProgressNote = apps.get_model("governance", "AuditProgressNote")

    programmes = {p.code: p for p in Programme.objects.all()}
    units = {}
    for order, (code, kind, ko, en, duties_ko, duties_en, codes) in enumerate(UNITS):
        unit, _ = Unit.objects.update_or_create(code=code, defaults={
            "kind": kind, "name_ko": ko, "name_en": en, "duties_ko": duties_ko,
            "duties_en": duties_en, "sort_order": order, "active": True})
        unit.programmes.set([programmes[c] for c in codes if c in programmes])
        units[code] = unit

    for order, (code, ko, en, quota, current) in enumerate(GRADES):
        PositionGrade.objects.update_or_create(code=code, defaults={
            "name_ko": ko, "name_en": en, "quota": quota, "current": current,
            "counted_on": STAFFING_DATE, "sort_order": order})
    for order, (ko, en, count) in enumerate(EXTRA_PERSONNEL):
        ExtraPersonnel.objects.update_or_create(name_ko=ko, defaults={
            "name_en": en, "count": count, "sort_order": order})

    ko, en, quota, functions_ko, functions_en = BOARD
    board, _ = Board.objects.update_or_create(name_ko=ko, defaults={
        "name_en": en, "member_quota": quota, "functions_ko": functions_ko,
        "functions_en": functions_en})
    BoardRole.objects.filter(board=board).delete()
    for order, (category, appointment, filled, note_ko, note_en) in enumerate(BOARD_ROLES):
        BoardRole.objects.create(board=board, category=category, appointment=appointment,
                                 seats_filled=filled, note_ko=note_ko, note_en=note_en,
                                 sort_order=order)

    for order, (code, side, ko, en, figures) in enumerate(FINANCE):
        line, _ = FinanceLine.objects.update_or_create(code=code, defaults={
            "side": side, "name_ko": ko, "name_en": en, "sort_order": order})
        for year, amount in figures.items():
            FinanceFigure.objects.update_or_create(line=line, year=year,
                                                   defaults={"amount_eok": Decimal(amount)})

    year, _ = FiscalYear.objects.get_or_create(year=YEAR, defaults={"alert_threshold_pp": Decimal("10.0")})
    for order, (pcode, code, ko, en, budget, pending, note_ko, note_en, plan, activities) in enumerate(COST_LINES):
        line, _ = CostLine.objects.update_or_create(fiscal_year=year, code=code, defaults={
            "programme": programmes[pcode], "name_ko": ko, "name_en": en,
            "budget_thousand_krw": budget, "pending_thousand_krw": pending, "note_ko": note_ko,
            "note_en": note_en, "sort_order": order})
        QuarterPlan.objects.filter(cost_line=line).delete()
        if plan:
            for quarter, (amount, (act_ko, act_en)) in enumerate(zip(plan, activities), start=1):
                QuarterPlan.objects.create(cost_line=line, quarter=quarter,
                                           amount_million_krw=Decimal(amount),
                                           activity_ko=act_ko, activity_en=act_en)

    for number, kind, status, unit, title, summary, action in AUDIT_ITEMS:
        item, created = AuditItem.objects.update_or_create(
            audit_year=AUDIT_YEAR, committee=COMMITTEE, number=number, defaults={
                "kind": kind, "status": status, "owner_unit": units[unit], "title": title,
                "summary": summary, "action_plan": action, "status_date": REPORT_DATE})
        if created:
            AuditProgressNote.objects.create(
                item=item, date=REPORT_DATE, status_after=status,
                text="2021년 3월 시의회(제299회 임시회) 처리결과 보고 기준 상태.")


def unload(apps, schema_editor):
    for model in ("AuditProgressNote", "AuditItem", "QuarterPlan", "CostLine", "FiscalYear",
                  "FinanceFigure", "FinanceLine", "BoardRole", "Board", "ExtraPersonnel",
                  "PositionGrade", "Unit"):
        apps.get_model("governance", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial"), ("core", "0002_load_districts_and_plan")]
    operations = [migrations.RunPython(load, unload)]
