"""Demo records: a first quarter of synthetic 2021 spending (imported through the real import
path, so the demo exercises it), one 이월 and one 전용, and follow-up notes on the audit items.

The spending is invented but realistic in size: most programmes near their Q1 plan, two well
behind it (데이터 창출 and 스마트시티센터) so the alerts show. Idempotent: the spending file has a
fixed content, and a second import of the same content is refused as a duplicate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterator

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

# programme code, cost line (or ""), [(month, day, amount in 천원, description)]
Q1_SPENDING = [
    ("policy_research", "", [(1, 29, 6_200, "연구 착수 인건비(1월)"), (2, 26, 6_200, "연구 인건비(2월)"),
                             (3, 10, 2_400, "자문위원회 자문료"), (3, 31, 9_000, "연구 인건비(3월)")]),
    ("data", "data_services", [(1, 20, 12_000, "도시데이터 컨설팅 공동연구 착수금"),
                               (2, 18, 18_500, "하수관로 학습데이터 구축 1차"),
                               (3, 15, 21_000, "CCTV 입지분석 자문·데이터 구입"),
                               (3, 30, 26_000, "공동연구 중도금")]),
    ("data", "citizen_data", [(3, 24, 9_500, "서울데이터서포터즈 운영 계획 수립 용역")]),
    ("overseas", "", [(2, 5, 8_000, "협력기관 발굴 출장"), (3, 19, 19_500, "스테이지 유레카 공고·홍보")]),
    ("smartcity_center", "", [(1, 31, 52_000, "센터 임차료(1월)"), (2, 28, 52_000, "센터 임차료(2월)"),
                              (3, 12, 24_000, "Tech-Lab 장비 유지보수"),
                              (3, 31, 52_000, "센터 임차료(3월)")]),
    ("inclusion", "", [(3, 8, 4_000, "어디나지원단 모집 공고"), (3, 29, 7_800, "지원단 오리엔테이션")]),
    ("robots", "", [(3, 22, 21_500, "로봇교육 운영사 계약 선금")]),
    ("personnel", "", [(1, 25, 229_000, "1월 급여"), (2, 25, 229_000, "2월 급여"),
                       (3, 25, 231_000, "3월 급여"), (3, 31, 26_000, "1분기 사회보험 사용자 부담")]),
    ("administration", "", [(1, 31, 93_000, "1월 운영경비"), (2, 28, 88_000, "2월 운영경비"),
                           (3, 31, 97_000, "3월 운영경비")]),
]

DEMO_FILE_NAME = "demo-2021-q1-spending.csv"


def demo_csv() -> bytes:
    """The demo's first-quarter spending as a UTF-8 CSV (amounts in won)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["집행일", "사업", "금액", "집행내용"])
    for code, line, rows in Q1_SPENDING:
        for month, day, thousand, description in rows:
            writer.writerow([dt.date(2021, month, day).isoformat(), line or code,
                             thousand * 1000, description])
    return out.getvalue().encode("utf-8")


def load() -> Iterator[str]:
    from django.contrib.auth import get_user_model

    from seoul_digital.core.models import Programme
    from seoul_digital.governance import services
    from seoul_digital.governance.models import (
        AuditItem, AuditProgressNote, BudgetAdjustment, FiscalYear, SpendingImport,
    )

    admin = get_user_model().objects.filter(username="admin").first()
    fiscal_year = FiscalYear.objects.filter(year=2021).first()
    if admin is None or fiscal_year is None:
        yield "skipped (no admin account or no 2021 fiscal year)"
        return

    content = demo_csv()
    from seoul_digital.governance.engine.spending import file_sha256

    if SpendingImport.objects.filter(sha256=file_sha256(content),
                                     status__in=("imported", "partial")).exists():
        yield "Q1 spending already imported"
    else:
        batch = services.do_check_spending_file(
            admin, fiscal_year, SimpleUploadedFile(DEMO_FILE_NAME, content),
            mode=SpendingImport.Mode.ALL_OR_NOTHING)
        batch = services.do_apply_spending_import(admin, batch)
        yield (f"Q1 spending imported: {batch.rows_imported} rows, "
               f"{batch.amount_imported_krw:,} KRW ({batch.get_status_display()})")

    programmes = {p.code: p for p in Programme.objects.all()}
    with transaction.atomic():
        if not BudgetAdjustment.objects.filter(fiscal_year=fiscal_year).exists():
            services.do_add_adjustment(
                admin, fiscal_year, kind=BudgetAdjustment.Kind.CARRY_IN, date=dt.date(2021, 2, 15),
                programme=programmes["smartcity_center"], amount_thousand_krw=42_000,
                reason="2020년 Tech-Lab 장비 구매 계약분 이월(데모)")
            services.do_add_adjustment(
                admin, fiscal_year, kind=BudgetAdjustment.Kind.TRANSFER, date=dt.date(2021, 3, 18),
                programme=programmes["robots"], source_programme=programmes["administration"],
                amount_thousand_krw=5_000, reason="로봇교육 콘텐츠 접근성 보완 비용(데모)")
            yield "이월·전용: 2 entries"
        else:
            yield "이월·전용 already present"

    # Follow-up of the items still open: due dates and a progress note each (once).
    plans = {
        1: (dt.date(2021, 7, 31), dt.date(2021, 4, 12),
            "1분기 집행 실적을 사업별로 점검하고 분기별 배정 계획을 이사장 보고함(데모 기록)."),
        2: (dt.date(2021, 6, 30), dt.date(2021, 4, 20),
            "채용 공고 게재처 기준과 채용 경비 집행 기준 초안 작성(데모 기록)."),
        4: (dt.date(2021, 12, 31), dt.date(2021, 4, 5),
            "경영혁신 TF 2차 회의: 만족도 하락 요인 설문 문항 확정(데모 기록)."),
        5: (dt.date(2021, 9, 30), None, ""),
        6: (dt.date(2021, 9, 30), None, ""),
    }
    added = 0
    with transaction.atomic():
        for number, (due, note_date, text) in plans.items():
            item = AuditItem.objects.filter(audit_year=2020, number=number).first()
            if item is None:
                continue
            if item.due_date is None:
                services.do_update_audit_item(admin, item, due_date=due)
            if note_date and not AuditProgressNote.objects.filter(item=item, date=note_date).exists():
                services.do_add_progress_note(admin, item, date=note_date, text=text)
                added += 1
    yield f"audit follow-up: due dates set, {added} progress notes added"
