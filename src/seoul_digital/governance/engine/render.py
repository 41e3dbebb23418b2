"""Write a :class:`~.report.Report` as PDF (reportlab, NanumGothic) or XLSX (XlsxWriter).

Both renderers take the same tables the web page shows, so the three formats cannot disagree.
"""

from __future__ import annotations

import io
from decimal import Decimal

from seoul_digital.governance.engine.report import DELTA, INT, MILLION, Report, ReportTable

__all__ = ["render_pdf", "render_xlsx"]


def render_pdf(report: Report, *, subtitle: str = "", generated: str = "") -> bytes:
    """A4 PDF with embedded NanumGothic; deterministic for the same input (invariant mode)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)

    from seoul_digital.common.fonts import register_reportlab_fonts

    regular, bold = register_reportlab_fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=14,
                                   textColor=colors.HexColor("#333333")),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12.5, leading=17, spaceBefore=10,
                             spaceAfter=2),
        "unit": ParagraphStyle("unit", fontName=regular, fontSize=8.5, leading=11,
                               alignment=2),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=8.5, leading=11),
        "note": ParagraphStyle("note", fontName=regular, fontSize=8, leading=11),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=report.title,
                            author="Seoul Digital Foundation platform", invariant=1)
    story = [Paragraph(_escape(report.title), styles["title"])]
    if subtitle:
        story.append(Paragraph(_escape(subtitle), styles["subtitle"]))
    if generated:
        story.append(Paragraph(_escape(generated), styles["subtitle"]))
    story.append(Spacer(1, 4 * mm))
    width = A4[0] - 30 * mm
    for table in report.tables:
        block = [Paragraph(_escape(table.title), styles["h2"])]
        if table.unit:
            block.append(Paragraph(_escape(f"({table.unit})"), styles["unit"]))
        block.append(_pdf_table(table, styles, width, Table, TableStyle, colors, bold))
        if table.note:
            block.append(Paragraph(_escape(table.note), styles["note"]))
        story.append(KeepTogether(block) if len(table.rows) < 25 else block[0])
        if len(table.rows) >= 25:
            story.extend(block[1:])
    doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _pdf_table(table: ReportTable, styles, width, Table, TableStyle, colors, bold):
    from reportlab.platypus import Paragraph

    text_rows = table.text_rows()
    data = []
    for header_row in table.header:
        data.append([Paragraph(_escape(h), styles["cellb"]) for h in header_row])
    for row, texts in zip(table.rows, text_rows):
        style = styles["cellb"] if row.level != "item" else styles["cell"]
        data.append([Paragraph(_escape(t), style) for t in texts])
    ncols = len(table.styles)
    text_cols = [i for i, s in enumerate(table.styles) if s == "text"]
    # Text columns share what the numeric columns (fixed width) leave.
    numeric_width = 22 * 2.8346  # ≈22 mm
    free = width - numeric_width * (ncols - len(text_cols))
    # Text columns get the free width in proportion to their longest cell (capped), so a
    # column of long duties is wider than a column of one-word kinds.
    demand = {i: min(60, max([_display_len(t[i]) for t in text_rows]
                             + [_display_len(h[i]) for h in table.header if i < len(h)] + [6]))
              for i in text_cols}
    total_demand = sum(demand.values()) or 1
    col_widths = [(free * demand[i] / total_demand) if i in text_cols else numeric_width
                  for i in range(ncols)]
    if free < 30 * 2.8346:  # many numeric columns (staffing): spread evenly
        col_widths = [width / ncols] * ncols
    pdf_table = Table(data, colWidths=col_widths, repeatRows=len(table.header))
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
        ("BACKGROUND", (0, 0), (-1, len(table.header) - 1), colors.HexColor("#e8edf2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, style in enumerate(table.styles):
        if style != "text":
            for r in range(len(table.header), len(data)):
                data[r][i].style = _right(data[r][i].style)
    for r, row in enumerate(table.rows, start=len(table.header)):
        if row.level != "item":
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f4f6f8")))
    pdf_table.setStyle(TableStyle(commands))
    return pdf_table


def _right(style):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(style.name + "-r", parent=style, alignment=2)


def render_xlsx(report: Report, *, subtitle: str = "") -> bytes:
    """One sheet per table; numbers stay numbers (△ and '-' come from the number format)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": report.title, "author": "Seoul Digital Foundation platform"})
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "unit": book.add_format({"italic": True, "align": "right"}),
        "head": book.add_format({"bold": True, "bg_color": "#E8EDF2", "border": 1,
                                 "align": "center", "valign": "vcenter", "text_wrap": True}),
        "text": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "textb": book.add_format({"border": 1, "bold": True, "bg_color": "#F4F6F8",
                                  "text_wrap": True}),
        INT: book.add_format({"border": 1, "num_format": "#,##0"}),
        INT + "b": book.add_format({"border": 1, "num_format": "#,##0", "bold": True,
                                    "bg_color": "#F4F6F8"}),
        DELTA: book.add_format({"border": 1, "num_format": '#,##0;"△"#,##0;"-"'}),
        DELTA + "b": book.add_format({"border": 1, "num_format": '#,##0;"△"#,##0;"-"',
                                      "bold": True, "bg_color": "#F4F6F8"}),
        MILLION: book.add_format({"border": 1, "num_format": "#,##0.0"}),
        MILLION + "b": book.add_format({"border": 1, "num_format": "#,##0.0", "bold": True}),
        "note": book.add_format({"italic": True, "text_wrap": True}),
    }
    groups: dict[str, list[ReportTable]] = {}
    for table in report.tables:
        groups.setdefault(table.sheet or table.title, []).append(table)
    used_names: set[str] = set()
    for sheet_title, tables in groups.items():
        sheet = book.add_worksheet(_sheet_name(sheet_title, used_names))
        row = 0
        if subtitle:
            sheet.write_string(row, 0, str(report.title), fmt["title"])
            sheet.write_string(row + 1, 0, str(subtitle))
            row += 3
        widths: dict[int, int] = {}
        for table in tables:
            row = _write_table(sheet, table, row, fmt, widths) + 2
        for col, w in widths.items():
            sheet.set_column(col, col, min(60, max(10, w + 2)))
    book.close()
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in '[]:*?/\\')[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _write_table(sheet, table: ReportTable, row: int, fmt, widths) -> int:
    sheet.write_string(row, 0, str(table.title), fmt["title"])
    if table.unit:
        sheet.write_string(row, max(0, len(table.styles) - 1), f"({table.unit})", fmt["unit"])
    row += 1
    for header_row in table.header:
        for col, text in enumerate(header_row):
            sheet.write_string(row, col, str(text), fmt["head"])
            widths[col] = max(widths.get(col, 0), _display_len(text))
        row += 1
    for report_row in table.rows:
        bold = report_row.level != "item"
        for col, (value, style) in enumerate(zip(report_row.cells, table.styles)):
            if value is None or value == "" or style == "text" or isinstance(value, str):
                sheet.write_string(row, col, "" if value is None else str(value),
                                   fmt["textb" if bold else "text"])
                widths[col] = max(widths.get(col, 0), min(60, _display_len(str(value or ""))))
            else:
                number = float(value) if isinstance(value, Decimal) else value
                sheet.write_number(row, col, number, fmt[style + ("b" if bold else "")])
                widths[col] = max(widths.get(col, 0), 12)
        row += 1
    if table.note:
        sheet.write_string(row, 0, str(table.note), fmt["note"])
        row += 1
    return row


def _display_len(text: str) -> int:
    # Hangul is about twice as wide as Latin text in spreadsheet columns.
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in str(text))
