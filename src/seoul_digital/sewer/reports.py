"""Outputs of a reviewed inspection: the PDF inspection report (Korean fonts from the
koreanize-matplotlib wheel's NanumGothic), the XLSX 조사표, and the reviewed findings as an
AI Hub JSON training set (frames + labels) so the next model learns from officers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.sewer.engine import taxonomy
from seoul_digital.sewer.models import Finding, Inspection

__all__ = ["inspection_pdf", "inspection_xlsx", "training_set_zip", "korean_font_path"]


def korean_font_path(bold: bool = False) -> Path:
    from importlib.util import find_spec

    spec = find_spec("koreanize_matplotlib")  # locate the wheel's fonts without importing matplotlib
    if spec is None or spec.origin is None:
        raise RuntimeError("koreanize-matplotlib (NanumGothic fonts for Korean PDFs) is not installed")
    folder = Path(spec.origin).resolve().parent / "fonts"
    return folder / ("NanumGothicBold.ttf" if bold else "NanumGothic.ttf")


def _register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(korean_font_path())))
        pdfmetrics.registerFont(TTFont("NanumGothic-Bold", str(korean_font_path(bold=True))))
    return "NanumGothic", "NanumGothic-Bold"


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes:02d}:{secs:02d}"


def _kept(inspection: Inspection) -> list[Finding]:
    return [f for f in inspection.findings.order_by("start_s", "id") if f.counts_as_defect]


def _header_rows(inspection: Inspection) -> list[tuple[str, str]]:
    return [
        (_("자치구"), inspection.district.name_ko),
        (_("관로 번호"), inspection.pipe_id),
        (_("구간"), f"{inspection.upstream_manhole} → {inspection.downstream_manhole}"),
        (_("관경·관종"), f"{inspection.diameter_mm} mm · {inspection.get_material_display()}"),
        (_("연장"), f"{inspection.length_m} m"),
        (_("조사일"), inspection.inspected_on.isoformat()),
        (_("조사 업체"), inspection.contractor),
        (_("분석 모델"), str(inspection.model_version or "-")),
        (_("검토자"), inspection.reviewed_by.display_name if inspection.reviewed_by else "-"),
        (_("검토 완료일"), timezone.localtime(inspection.reviewed_at).strftime("%Y-%m-%d %H:%M") if inspection.reviewed_at else "-"),
        (_("구조적 상태 등급"), inspection.structural_grade or "-"),
        (_("운영적 상태 등급"), inspection.operational_grade or "-"),
    ]


def inspection_pdf(inspection: Inspection) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from seoul_digital.sewer.services import media_path

    regular, bold = _register_fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm,
                            title=_("하수관로 CCTV 조사 보고서"), author=_("서울디지털재단 플랫폼"))
    story = [Paragraph(_("하수관로 CCTV 조사 보고서"), title),
             Paragraph(_("AI가 찾은 결함 후보를 담당자가 검토해 확정한 결과입니다."), body), Spacer(1, 4 * mm)]
    info = Table([[Paragraph(k, body), Paragraph(str(v), body)] for k, v in _header_rows(inspection)],
                 colWidths=[38 * mm, 130 * mm])
    info.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f6"))]))
    story += [info, Spacer(1, 3 * mm)]
    detail = inspection.grade_detail or {}
    if detail:
        story.append(Paragraph(_("등급 근거: 최대 점수와 10m당 점수 중 나쁜 쪽으로 정합니다(가중치는 문서 참조)."), body))
        rows = [[_("구분"), _("등급"), _("최대 점수"), _("10m당 점수"), _("결함 수")]]
        for group, label in (("structural", _("구조적")), ("operational", _("운영적"))):
            g = detail.get(group, {})
            rows.append([label, g.get("grade", "-"), g.get("peak", "-"), g.get("density", "-"), g.get("count", 0)])
        grade_table = Table([[Paragraph(str(c), body) for c in r] for r in rows])
        grade_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                         ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6"))]))
        story += [grade_table]
    kept = _kept(inspection)
    story.append(Paragraph(_("확정 결함 목록 (%(n)d건)") % {"n": len(kept)}, heading))
    rows = [[_("번호"), _("결함"), _("구분"), _("시각"), _("거리(m)"), _("시계"), _("심각도"), _("출처"), _("메모")]]
    for n, f in enumerate(kept, start=1):
        rows.append([n, f"{f.code} {f.class_name}",
                     _("구조") if f.group == taxonomy.STRUCTURAL else _("운영"),
                     _fmt_s(f.start_s), "" if f.distance_m is None else f"{f.distance_m:.1f}",
                     f"{f.clock}시" if f.clock else "", f.severity or "",
                     _("AI") if f.source == Finding.Source.AI else _("담당자"), f.note])
    table = Table([[Paragraph(str(c), body) for c in r] for r in rows],
                  colWidths=[10 * mm, 34 * mm, 12 * mm, 14 * mm, 16 * mm, 12 * mm, 14 * mm, 14 * mm, 42 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(table)
    pictures = [f for f in kept if f.heatmap and media_path(f.heatmap).is_file()][:12]
    if pictures:
        story.append(Paragraph(_("결함 화면 (AI 주목 영역 표시)"), heading))
        cells, row = [], []
        for f in pictures:
            cell = [Image(str(media_path(f.heatmap)), width=56 * mm, height=37 * mm),
                    Paragraph(f"{f.code} {f.class_name} · {_fmt_s(f.start_s)}"
                              + (f" · {f.distance_m:.1f} m" if f.distance_m is not None else ""), body)]
            row.append(cell)
            if len(row) == 3:
                cells.append(row)
                row = []
        if row:
            cells.append(row + [""] * (3 - len(row)))
        story.append(Table(cells, colWidths=[60 * mm] * 3))
    rejected = inspection.findings.filter(decision=Finding.Decision.REJECTED).count()
    story += [Spacer(1, 4 * mm),
              Paragraph(_("AI 후보 중 기각 %(r)d건. 보고서 생성: %(when)s") % {
                  "r": rejected, "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}, body)]
    doc.build(story)
    return buffer.getvalue()


def inspection_xlsx(inspection: Inspection) -> bytes:
    """조사표: one sheet with the segment header and one row per confirmed defect."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "조사표"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F6")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = _("하수관로 CCTV 조사표")
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for key, value in _header_rows(inspection):
        ws.cell(row=row, column=1, value=key).font = bold
        ws.cell(row=row, column=1).fill = fill
        ws.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    headers = [_("번호"), _("결함코드"), _("결함명"), _("구분"), _("시작(초)"), _("끝(초)"), _("거리(m)"),
               _("시계방향"), _("심각도"), _("출처"), _("AI 분류"), _("AI 신뢰도"), _("메모")]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=header)
        cell.font, cell.fill, cell.border = bold, fill, box
        cell.alignment = Alignment(horizontal="center")
    for n, f in enumerate(_kept(inspection), start=1):
        row += 1
        values = [n, f.code, f.class_name, _("구조") if f.group == taxonomy.STRUCTURAL else _("운영"),
                  round(f.start_s, 1), round(f.end_s, 1), f.distance_m, f.clock, f.severity,
                  _("AI") if f.source == Finding.Source.AI else _("담당자"), f.ai_code or "",
                  f.confidence, f.note]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).border = box
    for col, width in zip("ABCDEFGHIJKLM", (8, 10, 18, 8, 10, 10, 10, 10, 8, 8, 10, 10, 30)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 24)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def training_set_zip(inspections) -> tuple[bytes, dict]:
    """Reviewed findings as an AI Hub JSON training set: a frame per finding (its peak
    time), labelled with every kept finding in view at that moment; rejected AI findings
    become frames without that label (hard negatives). Boxes are not drawn by officers,
    so labels are frame-level (no bbox), which the AI Hub reader accepts."""
    import cv2

    from seoul_digital.sewer.engine.datasets.aihub import aihub_categories

    categories = aihub_categories()
    cat_id = {c["name"]: c["id"] for c in categories}
    images, annotations = [], []
    buffer = io.BytesIO()
    stats = {"inspections": 0, "frames": 0, "labels": 0, "negatives": 0}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for inspection in inspections:
            if not inspection.video or inspection.status != Inspection.Status.REVIEWED:
                continue
            findings = list(inspection.findings.order_by("peak_s"))
            kept = [f for f in findings if f.counts_as_defect]
            capture = cv2.VideoCapture(inspection.video.path)
            fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
            stats["inspections"] += 1
            for f in findings:
                capture.set(cv2.CAP_PROP_POS_FRAMES, int(round(f.peak_s * fps)))
                ok, frame = capture.read()
                if not ok:
                    continue
                ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 92])
                name = f"images/{inspection.district.code}_{inspection.pk}_{f.pk}.jpg"
                archive.writestr(name, jpeg.tobytes())
                image_id = len(images) + 1
                images.append({"id": image_id, "file_name": name, "width": int(frame.shape[1]),
                               "height": int(frame.shape[0]), "pipe_id": inspection.pipe_id,
                               "video_id": f"{inspection.district.code}-{inspection.pk}",
                               "district": inspection.district.name_ko, "frame_time_s": round(f.peak_s, 2),
                               "source": "officer-review"})
                in_view = {k.code for k in kept if k.start_s - 0.5 <= f.peak_s <= k.end_s + 0.5}
                if not f.counts_as_defect:
                    in_view.discard(f.ai_code or f.code)
                    stats["negatives"] += 1
                for code in sorted(in_view):
                    annotations.append({"id": len(annotations) + 1, "image_id": image_id,
                                        "category_id": cat_id[code], "iscrowd": 0, "segmentation": []})
                stats["frames"] += 1
            capture.release()
        stats["labels"] = len(annotations)
        import json

        document = {"info": {"description": "reviewed sewer findings (Seoul Digital Foundation platform)",
                             "date_created": timezone.localdate().isoformat()},
                    "images": images, "annotations": annotations, "categories": categories}
        archive.writestr("labels.json", json.dumps(document, ensure_ascii=False, indent=1))
    return buffer.getvalue(), stats
