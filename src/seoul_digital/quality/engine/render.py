"""The report as a standalone Korean HTML page and as an XLSX workbook.

Both show the summary (file, encoding and its evidence, header rows, rows, columns,
정합률), the conformance per quality item (ISO/IEC 25024), every finding with its count and
examples, and a profile of each column. No Django here: the HTML is built with escaped
f-strings so the CLI can write it anywhere.
"""

from __future__ import annotations

import html
from pathlib import Path

from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES
from seoul_digital.quality.engine.report import Report

__all__ = ["write_html", "write_xlsx", "render_html", "SEVERITY_KO", "KIND_KO", "percent"]

SEVERITY_KO = {"error": "오류", "warning": "경고", "info": "참고"}
KIND_KO = {
    "text": "글자", "date": "날짜", "yearmonth": "연월", "year": "연도", "period": "기간",
    "time": "시각", "phone": "전화번호", "postcode": "우편번호", "bizno": "사업자등록번호",
    "latitude": "위도", "longitude": "경도", "tm_x": "X좌표(TM)", "tm_y": "Y좌표(TM)",
    "lat": "위도", "lon": "경도", "x": "X좌표", "y": "Y좌표", "flag": "여부",
    "percent": "비율(%)", "amount": "금액", "measure": "측정값", "count": "개수",
    "number": "숫자", "code": "코드", "id": "식별번호", "district": "자치구",
}
SOURCE_KO = {"name": "열 이름", "values": "값", "spec": "명세", "LOCALDATA": "LOCALDATA 표준",
             "none": "-"}


def percent(rate: float | None, digits: int = 2) -> str:
    return "-" if rate is None else f"{rate * 100:.{digits}f}%"


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


_CSS = """
body{font-family:"Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo",sans-serif;font-size:16px;
line-height:1.5;margin:2rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef}td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{font-weight:bold}.sev-error::before{content:"● "}.sev-warning::before{content:"▲ "}
.sev-info::before{content:"○ "}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{font-weight:bold}code{background:#f4f4f4;padding:0 .2rem}.rate{font-size:2rem;font-weight:bold}
table.findings td:nth-child(-n+2){white-space:nowrap}
"""


def render_html(report: Report, title: str | None = None) -> str:
    rate = report.conformance_rate
    rows = []
    rows.append(f"<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>{_e(title or report.file)} 품질 검사 결과</title><style>{_CSS}</style></head><body>")
    rows.append(f"<h1>{_e(title or report.file)} 품질 검사 결과</h1>")
    rows.append("<section aria-labelledby=\"summary\"><h2 id=\"summary\">요약</h2><dl>")
    summary = [
        ("파일", report.file),
        ("형식", report.kind + (f" / 시트 {report.sheet}" if report.sheet else "")),
        ("인코딩", f"{report.encoding or '-'} — {report.encoding_evidence}" if report.encoding else "-"),
        ("머리글 행 수", report.header_rows),
        ("데이터 행 수", f"{report.rows:,}"),
        ("열 수", report.columns),
        ("검사한 셀", f"{report.checked_cells:,}"),
        ("오류 셀", f"{report.error_cells:,}"),
        ("검사 규칙", "열 이름·값으로 추론" if report.spec_source == "inferred" else f"명세 {report.spec_source}"),
    ]
    for label, value in summary:
        rows.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    rows.append(f"<dt>정합률</dt><dd class=\"rate\">{_e(percent(rate))}</dd></dl>")
    rows.append("<p>정합률 = 1 − 오류 셀 ÷ 검사한 셀. 검사한 셀은 비어 있지 않은 모든 셀과 필수 항목의 빈 셀(그리고 "
                "행 규칙이 살펴본 빈 셀)입니다. 경고·참고는 정합률에 넣지 않습니다.</p>")
    if report.unreadable:
        rows.append(f"<p role=\"alert\"><strong>읽을 수 없는 파일:</strong> {_e(report.unreadable)}</p>")
    rows.append("</section>")
    rows.append("<section aria-labelledby=\"dims\"><h2 id=\"dims\">품질 항목별 정합률 (ISO/IEC 25024)</h2>")
    rows.append("<table><caption>항목별 오류 셀과 정합률</caption><thead><tr><th scope=\"col\">항목</th>"
                "<th scope=\"col\">ISO/IEC 25012 특성</th><th scope=\"col\">오류 셀</th>"
                "<th scope=\"col\">정합률</th></tr></thead><tbody>")
    for code, r in report.dimension_rates().items():
        d = DIMENSIONS[code]
        rows.append(f"<tr><th scope=\"row\">{_e(d.ko)}</th><td>{_e(d.iso)}</td>"
                    f"<td class=\"num\">{report.dimension_errors.get(code, 0):,}</td>"
                    f"<td class=\"num\">{_e(percent(r))}</td></tr>")
    rows.append("</tbody></table></section>")
    rows.append("<section aria-labelledby=\"findings\"><h2 id=\"findings\">발견 사항</h2>")
    if not report.findings:
        rows.append("<p>발견 사항이 없습니다.</p>")
    else:
        rows.append("<table class=\"findings\"><caption>심각도 순 발견 사항 (● 오류, ▲ 경고, ○ 참고)</caption><thead><tr>"
                    "<th scope=\"col\">심각도</th><th scope=\"col\">항목</th><th scope=\"col\">규칙</th>"
                    "<th scope=\"col\">열</th><th scope=\"col\">건수</th><th scope=\"col\">설명</th>"
                    "<th scope=\"col\">예시(행: 값)</th></tr></thead><tbody>")
        for f in report.findings:
            examples = "<br>".join(f"{e.row}: <code>{_e(e.value[:80])}</code>" for e in f.examples)
            rows.append(f"<tr><td class=\"sev-{_e(f.severity)}\">{_e(SEVERITY_KO[f.severity])}</td>"
                        f"<td>{_e(DIMENSIONS[f.dimension].ko)}</td>"
                        f"<td>{_e(RULES[f.rule].ko)}<br><small><code>{_e(f.rule)}</code></small></td>"
                        f"<td>{_e(f.column or '(파일 전체)')}</td><td class=\"num\">{f.count:,}</td>"
                        f"<td>{_e(f.message)}</td><td>{examples}</td></tr>")
        rows.append("</tbody></table>")
    rows.append("</section>")
    rows.append("<section aria-labelledby=\"profile\"><h2 id=\"profile\">열별 프로필</h2>")
    rows.append("<table><caption>열마다 적용한 규칙, 빈 값 비율, 고유값, 자주 나오는 값</caption><thead><tr>"
                "<th scope=\"col\">열</th><th scope=\"col\">규칙 종류</th><th scope=\"col\">근거</th>"
                "<th scope=\"col\">필수</th><th scope=\"col\">빈 값</th><th scope=\"col\">빈 값 비율</th>"
                "<th scope=\"col\">고유값</th><th scope=\"col\">길이</th><th scope=\"col\">최소~최대</th>"
                "<th scope=\"col\">형식</th><th scope=\"col\">자주 나오는 값</th>"
                "<th scope=\"col\">정합률</th></tr></thead><tbody>")
    for p in report.profiles:
        top = ", ".join(f"{v[:30]} ({n:,})" for v, n in p.top[:3])
        formats = ", ".join(f"{k} {v:,}" for k, v in list(p.formats.items())[:4])
        rng = "" if p.minimum is None else f"{p.minimum:g} ~ {p.maximum:g}"
        length = "" if p.min_length is None else f"{p.min_length}~{p.max_length}"
        distinct = f"{p.distinct:,}" + ("+" if p.distinct_capped else "")
        rows.append(f"<tr><th scope=\"row\">{_e(p.name)}</th><td>{_e(KIND_KO.get(p.kind, p.kind))}</td>"
                    f"<td>{_e(SOURCE_KO.get(p.source, p.source))}</td><td>{'예' if p.required else '아니오'}</td>"
                    f"<td class=\"num\">{p.blank:,}</td><td class=\"num\">{_e(percent(p.blank_rate, 1))}</td>"
                    f"<td class=\"num\">{distinct}</td><td>{_e(length)}</td><td>{_e(rng)}</td>"
                    f"<td>{_e(formats)}</td><td>{_e(top)}</td><td class=\"num\">{_e(percent(p.conformance))}</td></tr>")
    rows.append("</tbody></table></section>")
    if report.notes:
        rows.append("<section aria-labelledby=\"notes\"><h2 id=\"notes\">읽기 메모</h2><ul>")
        rows.extend(f"<li>{_e(n)}</li>" for n in report.notes)
        rows.append("</ul></section>")
    rows.append("</body></html>")
    return "\n".join(rows)


def write_html(report: Report, path: str | Path, title: str | None = None) -> Path:
    path = Path(path)
    path.write_text(render_html(report, title), encoding="utf-8")
    return path


def write_xlsx(report: Report, path: str | Path, title: str | None = None) -> Path:
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#EEEEFF", "border": 1, "text_wrap": True})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    pct = wb.add_format({"border": 1, "num_format": "0.00%"})
    num = wb.add_format({"border": 1, "num_format": "#,##0"})
    ws = wb.add_worksheet("요약")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 70)
    rate = report.conformance_rate
    summary = [("파일", report.file), ("형식", report.kind), ("시트", report.sheet or ""),
               ("인코딩", report.encoding or ""), ("인코딩 근거", report.encoding_evidence),
               ("머리글 행 수", report.header_rows), ("데이터 행 수", report.rows),
               ("열 수", report.columns), ("검사한 셀", report.checked_cells),
               ("오류 셀", report.error_cells)]
    ws.write(0, 0, title or f"{report.file} 품질 검사 결과", wb.add_format({"bold": True, "font_size": 14}))
    r = 2
    for label, value in summary:
        ws.write(r, 0, label, bold)
        ws.write(r, 1, value, num if isinstance(value, int) else cell)
        r += 1
    ws.write(r, 0, "정합률", bold)
    if rate is None:
        ws.write(r, 1, "-", cell)
    else:
        ws.write_number(r, 1, rate, pct)
    r += 2
    ws.write_row(r, 0, ["품질 항목", "ISO/IEC 25012 특성", "오류 셀", "정합률"], bold)
    for code, value in report.dimension_rates().items():
        r += 1
        ws.write(r, 0, DIMENSIONS[code].ko, cell)
        ws.write(r, 1, DIMENSIONS[code].iso, cell)
        ws.write_number(r, 2, report.dimension_errors.get(code, 0), num)
        if value is None:
            ws.write(r, 3, "-", cell)
        else:
            ws.write_number(r, 3, value, pct)
    if report.unreadable:
        ws.write(r + 2, 0, "읽을 수 없음", bold)
        ws.write(r + 2, 1, report.unreadable, cell)
    wf = wb.add_worksheet("발견사항")
    headers = ["심각도", "품질 항목", "규칙", "규칙 ID", "열", "건수", "설명", "예시 행", "예시 값"]
    wf.write_row(0, 0, headers, bold)
    wf.set_column(0, 1, 10)
    wf.set_column(2, 3, 26)
    wf.set_column(4, 4, 24)
    wf.set_column(6, 6, 50)
    wf.set_column(8, 8, 40)
    wf.freeze_panes(1, 0)
    for i, f in enumerate(report.findings, start=1):
        wf.write_row(i, 0, [SEVERITY_KO[f.severity], DIMENSIONS[f.dimension].ko, RULES[f.rule].ko,
                            f.rule, f.column or "(파일 전체)"], cell)
        wf.write_number(i, 5, f.count, num)
        wf.write(i, 6, f.message, cell)
        wf.write(i, 7, ", ".join(str(e.row) for e in f.examples), cell)
        wf.write(i, 8, " | ".join(e.value[:60] for e in f.examples), cell)
    wf.autofilter(0, 0, max(len(report.findings), 1), len(headers) - 1)
    wp = wb.add_worksheet("열 프로필")
    headers = ["열", "규칙 종류", "근거", "필수", "빈 값", "빈 값 비율", "고유값", "최소 길이", "최대 길이",
               "최솟값", "최댓값", "형식", "자주 나오는 값", "검사한 셀", "오류 셀", "정합률"]
    wp.write_row(0, 0, headers, bold)
    wp.set_column(0, 0, 24)
    wp.set_column(11, 12, 40)
    wp.freeze_panes(1, 1)
    for i, p in enumerate(report.profiles, start=1):
        wp.write(i, 0, p.name, cell)
        wp.write(i, 1, KIND_KO.get(p.kind, p.kind), cell)
        wp.write(i, 2, SOURCE_KO.get(p.source, p.source), cell)
        wp.write(i, 3, "예" if p.required else "아니오", cell)
        wp.write_number(i, 4, p.blank, num)
        wp.write_number(i, 5, p.blank_rate, pct)
        wp.write(i, 6, f"{p.distinct}+" if p.distinct_capped else p.distinct, num)
        for k, value in enumerate((p.min_length, p.max_length, p.minimum, p.maximum), start=7):
            if value is None:
                wp.write_blank(i, k, None, cell)
            else:
                wp.write_number(i, k, value, cell)
        wp.write(i, 11, ", ".join(f"{k} {v}" for k, v in p.formats.items()), cell)
        wp.write(i, 12, ", ".join(f"{v} ({n})" for v, n in p.top[:5]), cell)
        wp.write_number(i, 13, p.checked, num)
        wp.write_number(i, 14, p.errors, num)
        if p.conformance is None:
            wp.write(i, 15, "-", cell)
        else:
            wp.write_number(i, 15, p.conformance, pct)
    wb.close()
    return path
