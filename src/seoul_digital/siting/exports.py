"""Exports of a finished run: GeoJSON, CSV (UTF-8 with BOM for Excel), XLSX and a PDF report
with a map, the numbers and the ranked sites (Korean fonts from koreanize-matplotlib)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from seoul_digital.common.fonts import nanum_gothic_paths, register_reportlab_fonts
from seoul_digital.core.formatting import group, percent

__all__ = ["geojson_bytes", "csv_bytes", "xlsx_bytes", "pdf_bytes", "SITE_COLUMNS"]

SITE_COLUMNS = [("rank", "순위"), ("lat", "위도"), ("lon", "경도"), ("dong", "행정동"),
                ("area_type_label", "지역 유형"), ("score", "수요 점수"),
                ("residents_covered", "새로 감시하는 주민(명)"), ("demand_share", "구 전체 수요 중 비율"),
                ("reasons", "주된 이유"), ("why", "추천 이유")]
MODE_LABELS = {"knee": "권장 개수(곡선의 무릎)", "count": "개수 지정", "budget": "예산", "target": "목표 커버율"}
AREA_LABELS = {"residential": "주거", "commercial": "상업", "business": "업무", "mixed": "혼합"}


def _site_rows(sites) -> list[dict]:
    return [{"rank": s.rank, "lat": round(s.lat, 6), "lon": round(s.lon, 6), "dong": s.dong,
             "area_type_label": AREA_LABELS.get(s.area_type, s.area_type), "score": round(s.score, 1),
             "residents_covered": s.residents_covered, "demand_share": round(s.demand_share, 5),
             "reasons": ", ".join(f"{r['label']} {r['share']:.0%}" for r in s.reasons), "why": s.why}
            for s in sites]


def _summary_lines(run) -> list[tuple[str, str]]:
    s = run.summary or {}
    lines = [("자치구", run.district.name_ko), ("방식", MODE_LABELS.get(s.get("mode"), run.mode)),
             ("새 CCTV", f"{s.get('count', 0)}개소"),
             ("설치비", f"{group(s.get('total_cost_krw', 0))}원 (1개소 {group(s.get('unit_cost_krw', 0))}원)"),
             ("감시 반경", f"{s.get('radius_m', 50):g} m"),
             ("수요 커버율", f"{percent(s.get('coverage_before', 0))} → {percent(s.get('coverage_after', 0))}"),
             ("행정안전부 방식(같은 개수)", percent(s.get("mois_baseline_coverage_after") or 0)),
             ("기존 CCTV", f"{s.get('existing_sites', 0)}개소, {s.get('existing_cameras', 0)}대"),
             ("자료", "합성 자료(시연용)" if run.synthetic else "서울 공공데이터")]
    if s.get("budget_krw"):
        lines.insert(3, ("예산", f"{group(s['budget_krw'])}원"))
    if s.get("target_coverage"):
        lines.insert(3, ("목표 커버율", percent(s["target_coverage"])))
    return lines


def geojson_bytes(run, sites) -> bytes:
    feats = []
    for row in _site_rows(sites):
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        props["radius_m"] = (run.summary or {}).get("radius_m")
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}})
    data = {"type": "FeatureCollection", "name": f"{run.district.name_ko} CCTV 추천 입지 #{run.pk}",
            "synthetic_data": run.synthetic, "features": feats}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def csv_bytes(run, sites) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([label for _k, label in SITE_COLUMNS])
    for row in _site_rows(sites):
        writer.writerow([row[k] for k, _label in SITE_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(run, sites) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("요약")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 60)
    for i, (k, v) in enumerate(_summary_lines(run)):
        ws.write(i, 0, k, bold)
        ws.write(i, 1, v)
    sheet = wb.add_worksheet("추천 입지")
    for j, (_k, label) in enumerate(SITE_COLUMNS):
        sheet.write(0, j, label, bold)
    for i, row in enumerate(_site_rows(sites), start=1):
        for j, (k, _label) in enumerate(SITE_COLUMNS):
            sheet.write(i, j, row[k])
    sheet.set_column(9, 9, 90)
    sheet.freeze_panes(1, 0)
    notes = wb.add_worksheet("참고")
    for i, note in enumerate((run.summary or {}).get("notes", [])):
        notes.write(i, 0, note)
    wb.close()
    return out.getvalue()


def _font_paths() -> tuple[str, str]:
    regular, bold = nanum_gothic_paths()
    return str(regular), str(bold)


def _map_png(run, sites) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    regular, _bold = _font_paths()
    font = FontProperties(fname=regular)
    data = run.map_data or {}
    fig, ax = plt.subplots(figsize=(7.5, 7.5), dpi=130)
    heat = data.get("heat") or []
    if heat:
        lat, lon, score = zip(*heat)
        sc = ax.scatter(lon, lat, c=score, s=3, marker="s", cmap="YlOrRd", vmin=0, vmax=100, linewidths=0)
        cbar = fig.colorbar(sc, ax=ax, shrink=0.6)
        cbar.set_label("수요 점수 (0–100)", fontproperties=font)
    for feat in (data.get("dongs") or {}).get("features", []):
        _draw(ax, feat["geometry"], color="#555", lw=0.4)
    if data.get("boundary"):
        _draw(ax, data["boundary"], color="black", lw=1.2)
    existing = data.get("existing") or []
    if existing:
        ax.scatter([e[1] for e in existing], [e[0] for e in existing], s=2, c="#1f5fbf",
                   label="기존 CCTV", linewidths=0)
    if sites:
        ax.scatter([s.lon for s in sites], [s.lat for s in sites], s=28, marker="*", c="#0a7d2c",
                   edgecolors="black", linewidths=0.3, label="추천 입지")
        for s in sites[:15]:
            ax.annotate(str(s.rank), (s.lon, s.lat), fontsize=6, xytext=(2, 2), textcoords="offset points")
    ax.set_aspect(1 / 0.79)  # ~cos(37.5°): metres look square
    ax.set_xticks([])
    ax.set_yticks([])
    leg = ax.legend(loc="lower left", prop=font, fontsize=7, markerscale=2)
    leg.get_frame().set_alpha(0.8)
    ax.set_title(f"{run.district.name_ko} 수요와 추천 입지", fontproperties=font)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _draw(ax, geometry: dict, **style) -> None:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for poly in polys:
        for ring in poly:
            xs, ys = zip(*ring)
            ax.plot(xs, ys, **style)


def pdf_bytes(run, sites, max_rows: int = 60) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)

    regular_font, bold_font = register_reportlab_fonts()
    body = ParagraphStyle("body", fontName=regular_font, fontSize=9.5, leading=14)
    small = ParagraphStyle("small", fontName=regular_font, fontSize=8, leading=11)
    title = ParagraphStyle("title", fontName=bold_font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=bold_font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"{run.district.name_ko} CCTV 입지 보고서", author="서울디지털재단")
    story = [Paragraph(f"{run.district.name_ko} 공공 CCTV 입지 보고서", title)]
    if run.synthetic:
        story.append(Paragraph("주의: 합성 자료(시연용)로 계산한 결과입니다. 실제 입지 결정에 쓰지 마세요.", body))
    story.append(Paragraph(f"분석 #{run.pk} · {run.created_at:%Y-%m-%d %H:%M}", small))
    table = Table([[Paragraph(k, body), Paragraph(v, body)] for k, v in _summary_lines(run)],
                  colWidths=[55 * mm, 120 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke)]))
    story += [Spacer(1, 4 * mm), table, Spacer(1, 4 * mm),
              Image(io.BytesIO(_map_png(run, sites)), width=150 * mm, height=150 * mm)]
    story += [Paragraph("읽는 법", h2), Paragraph(
        "수요 점수(0–100)는 인구, 1인 가구, 야간 유동인구, 유흥업소, 학교·어린이집 등 변수를 지역 유형별 "
        "가중치로 더한 값입니다. 커버율은 구 전체 수요 가운데 카메라 감시 반경 안에 드는 비율입니다. "
        "순위는 설치 순서입니다: 위에서부터 설치하면 매번 아직 감시되지 않는 수요를 가장 많이 더합니다. "
        "자세한 방법은 플랫폼의 매뉴얼을 보세요.", body)]
    story.append(PageBreak())
    story.append(Paragraph(f"추천 입지 (상위 {min(len(sites), max_rows)}곳 / 전체 {len(sites)}곳)", h2))
    rows = [[Paragraph(h, small) for h in ("순위", "행정동(유형)", "위도, 경도", "점수", "주민", "주된 이유")]]
    for r in _site_rows(sites[:max_rows]):
        rows.append([Paragraph(str(r["rank"]), small),
                     Paragraph(f"{r['dong']} ({r['area_type_label']})", small),
                     Paragraph(f"{r['lat']:.5f}, {r['lon']:.5f}", small), Paragraph(f"{r['score']:.0f}", small),
                     Paragraph(f"{r['residents_covered']:,}", small), Paragraph(r["reasons"], small)])
    t = Table(rows, colWidths=[12 * mm, 32 * mm, 36 * mm, 12 * mm, 14 * mm, 74 * mm], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(t)
    notes = (run.summary or {}).get("notes") or []
    if notes:
        story.append(Paragraph("자료 참고 사항", h2))
        story += [Paragraph("· " + n, small) for n in notes]
    doc.build(story)
    return out.getvalue()
