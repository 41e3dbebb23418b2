"""The monthly statement of a supporter's hours and activity fees as XLSX (openpyxl)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seoul_digital.core.formatting import mask_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOTE_LABELS = {
    "planned": gettext_lazy("예정(미지급)"), "cancelled": gettext_lazy("취소"),
    "no_show": gettext_lazy("교육생 불참(미지급)"), "short": gettext_lazy("최소 시간 미달(미지급)"),
    "": "",
}


def statement_xlsx(supporter, year: int, month: int, user=None) -> bytes:
    """One sheet: header, one line per session of the month, totals. Learner names are
    masked. ``user`` scopes the lessons read (None: all of this supporter's lessons)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from seoul_digital.inclusion import selectors
    from seoul_digital.inclusion.engine import ledger
    from seoul_digital.inclusion.models import FeeSchedule, Lesson

    if user is not None:
        data = selectors.statement_for(user, supporter, year, month)
    else:
        start, end = selectors.month_bounds(year, month)
        lessons = Lesson.objects.filter(match__supporter=supporter, date__gte=start, date__lt=end)
        data = ledger.monthly_statement([l.as_session() for l in lessons.select_related("match__learner")],
                                        year, month, FeeSchedule.for_day(start).rule)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}-{month:02d}"
    bold = Font(bold=True)
    ws.append([_("어디나지원단 월별 활동 내역서")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("지원단"), supporter.name, _("자치구"), supporter.home_district.name_ko])
    ws.append([_("기간"), f"{year}-{month:02d}", _("1회 활동비(원)"), data.rate_per_session])
    ws.append([])
    header = [_("날짜"), _("시작"), _("시간(분)"), _("교육생"), _("상태"), _("출석"), _("지급"),
              _("활동비(원)"), _("비고")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = bold
    status_labels = dict(Lesson.Status.choices)
    attendance_labels = dict(Lesson.Attendance.choices)
    for line in data.lines:
        s = line.session
        ws.append([s.day, s.start.strftime("%H:%M"), s.minutes, mask_name(s.label),
                   str(status_labels.get(s.status, s.status)),
                   str(attendance_labels.get(s.attendance, "")) if s.attendance else "",
                   _("예") if line.paid else _("아니요"), line.fee, str(NOTE_LABELS.get(line.note, line.note))])
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
    ws.append([])
    totals = [
        (_("진행한 수업(회)"), data.held_sessions),
        (_("진행한 시간(분)"), data.held_minutes),
        (_("예정된 시간(분)"), data.planned_minutes),
        (_("월 한도(분)"), data.cap_minutes),
        (_("남은 시간(분)"), data.remaining_minutes),
        (_("지급 대상(회)"), data.paid_sessions),
        (_("활동비 합계(원)"), data.fee),
    ]
    for label, value in totals:
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=1).font = bold
    for column, width in zip("ABCDEFGHI", (14, 8, 10, 12, 10, 8, 8, 12, 22)):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
