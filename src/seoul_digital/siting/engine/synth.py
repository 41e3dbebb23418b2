"""A synthetic data folder in the layout and schemas of ``../shared/data/seoul``.

The demo and the tests must run without the real data. :func:`write_synthetic` writes, for a
few districts, every file :mod:`layers` reads — same file names, encodings (CP949 where the
real file is CP949), header rows, column labels, coordinate systems (WGS84 lat/lon, LOCALDATA
TM EPSG:5174, KOSTAT polygons on the Bessel datum like the real 2013 files) — filled with
made-up but plausible values:

* each district is an irregular blob of roughly its real area around its real centre, cut into
  행정동 by a Voronoi split;
* residents follow a few neighbourhood centres, night-time street population and bars follow
  commercial centres, alleys (보안등) follow the residential ones;
* existing cameras are placed mostly where that synthetic demand is high, with spacing like a
  real district's, so the backtest has something to find.

A ``SYNTHETIC.md`` marker makes every result say it came from synthetic data.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from seoul_digital.common import crs
from seoul_digital.common.districts import District
from seoul_digital.siting.engine.layers import INDUSTRY_GROUPS, resolve_district

__all__ = ["write_synthetic", "APPROX_CENTRES", "DEMO_DISTRICTS"]

DEMO_DISTRICTS = ("강남구", "서초구", "관악구")

# Approximate centre (lon, lat) and area (km²) of each district, for placing synthetic blobs.
APPROX_CENTRES = {
    "종로구": (126.979, 37.594, 23.9), "중구": (126.998, 37.560, 10.0), "용산구": (126.979, 37.531, 21.9),
    "성동구": (127.041, 37.551, 16.9), "광진구": (127.086, 37.546, 17.1), "동대문구": (127.055, 37.581, 14.2),
    "중랑구": (127.093, 37.598, 18.5), "성북구": (127.019, 37.606, 24.6), "강북구": (127.011, 37.643, 23.6),
    "도봉구": (127.032, 37.669, 20.7), "노원구": (127.075, 37.652, 35.4), "은평구": (126.927, 37.619, 29.7),
    "서대문구": (126.939, 37.578, 17.6), "마포구": (126.906, 37.559, 23.8), "양천구": (126.856, 37.525, 17.4),
    "강서구": (126.822, 37.561, 41.4), "구로구": (126.856, 37.494, 20.1), "금천구": (126.902, 37.460, 13.0),
    "영등포구": (126.910, 37.522, 24.6), "동작구": (126.952, 37.499, 16.4), "관악구": (126.945, 37.467, 29.6),
    "서초구": (127.031, 37.473, 47.0), "강남구": (127.063, 37.497, 39.5), "송파구": (127.117, 37.505, 33.9),
    "강동구": (127.147, 37.550, 24.6),
}

STANDARD_HEADER = ["관리기관명", "소재지도로명주소", "소재지지번주소", "설치목적구분", "카메라대수",
                   "카메라화소수", "촬영방면정보", "보관일수", "설치년월", "관리기관전화번호", "위도", "경도",
                   "데이터기준일자"]
INDUSTRIES = ["농업 임업 및 어업", "광업", "제조업", "전기 가스 증기 및 수도사업",
              "하수 · 폐기물 처리 원료재생 및 환경복원업", "건설업", "도매 및 소매업", "운수업",
              "숙박 및 음식점업", "출판 영상 방송통신 및 정보서비스업", "금융 및 보험업",
              "부동산업 및 임대업", "전문 과학 및 기술 서비스업", "사업시설관리 및 사업지원 서비스업",
              "공공행정 국방 및 사회보장 행정", "교육 서비스업", "보건업 및 사회복지 서비스업",
              "예술 스포츠 및 여가관련 서비스업", "협회 및 단체 수리 및 기타 개인 서비스업"]


def _write_csv(path: Path, header: list[str] | None, rows: list[list], encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _blob(rng, cx: float, cy: float, area_m2: float):
    """An irregular, star-shaped polygon of about ``area_m2`` around (cx, cy) in metres."""
    import shapely.geometry

    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    harmonics = sum(rng.uniform(0.04, 0.12) * np.sin(k * angles + rng.uniform(0, 2 * np.pi))
                    for k in (2, 3, 5))
    radius = 1.0 + harmonics
    poly = shapely.geometry.Polygon(np.column_stack([radius * np.cos(angles), radius * np.sin(angles)]))
    scale = np.sqrt(area_m2 / poly.area)
    coords = np.asarray(poly.exterior.coords) * scale + [cx, cy]
    return shapely.geometry.Polygon(coords)


def _to_bessel_lonlat(geom):
    """UTM-K polygon → lon/lat on the Bessel datum (how the real KOSTAT 2013 files store it)."""
    import shapely

    tr = crs.transformer(crs.UTMK, "EPSG:4162")
    return shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def _sample_in(rng, poly, n: int, centres: np.ndarray, spread: float, uniform_share: float = 0.2):
    """n points inside ``poly``: mostly Gaussian around ``centres``, some uniform."""
    import shapely

    minx, miny, maxx, maxy = poly.bounds
    out = []
    shapely.prepare(poly)
    while len(out) < n:
        k = max(64, 2 * (n - len(out)))
        uniform = rng.random(k) < uniform_share
        c = centres[rng.integers(len(centres), size=k)]
        xs = np.where(uniform, rng.uniform(minx, maxx, k), c[:, 0] + rng.normal(0, spread, k))
        ys = np.where(uniform, rng.uniform(miny, maxy, k), c[:, 1] + rng.normal(0, spread, k))
        ok = shapely.contains_xy(poly, xs, ys)
        out.extend(zip(xs[ok], ys[ok]))
    pts = np.array(out[:n])
    return pts[:, 0], pts[:, 1]


def _lonlat(x, y):
    lon, lat = crs.to_wgs84(np.asarray(x), np.asarray(y), crs.UTMK)
    return np.asarray(lon), np.asarray(lat)


def write_synthetic(out_dir: str | Path, districts=DEMO_DISTRICTS, *, seed: int = 0,
                    scale: float = 1.0) -> Path:
    """Write the synthetic folder for ``districts``; ``scale`` multiplies each district's area
    (tests use small ones). Returns the folder."""
    import shapely

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    chosen: list[District] = [resolve_district(d) for d in districts]
    (out / "SYNTHETIC.md").write_text(
        "# 합성 자료 (synthetic)\n\n이 폴더의 파일은 `seoul-digital siting synth`가 만든 가짜 자료입니다. "
        "실제 서울 자료와 같은 파일 이름·인코딩·열 구성을 따르지만 값은 모두 지어낸 것입니다. "
        "이 자료로 낸 결과는 시연용이며 실제 입지 결정에 쓰면 안 됩니다.\n", encoding="utf-8")
    district_features, dong_features = [], []
    pop_rows, hh_rows, float_rows, est_rows = [], [], [], []
    cam_files: dict[str, list[list]] = {}
    bells, lamps, schools, childcare, bars = [], [], [], [], []
    crime_rows, cctv_rows, gu_pop_rows, gu_area_rows = [], [], [], []
    for d in chosen:
        lon0, lat0, area_km2 = APPROX_CENTRES[d.name_ko]
        cx, cy = crs.from_wgs84(lon0, lat0, crs.UTMK)
        poly = _blob(rng, float(cx), float(cy), area_km2 * 1e6 * scale)
        minx, miny, maxx, maxy = poly.bounds
        size = np.sqrt(poly.area)
        # neighbourhood (residential) and commercial centres
        res_c = np.column_stack(_sample_in(rng, poly, 6, np.array([[cx, cy]]), size / 3, 0.6))
        com_c = np.column_stack(_sample_in(rng, poly, 3, np.array([[cx, cy]]), size / 4, 0.5))
        # 행정동 by Voronoi
        n_dong = int(np.clip(round(poly.area / 1.8e6), 5, 26))
        seeds = np.column_stack(_sample_in(rng, poly, n_dong, np.array([[cx, cy]]), size / 3, 0.8))
        cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=poly.buffer(size))
        dongs = [shapely.intersection(g, poly) for g in shapely.get_parts(cells)]
        dongs = [g if g.geom_type == "Polygon" else max(shapely.get_parts(g), key=lambda p: p.area)
                 for g in dongs if not g.is_empty]
        district_features.append({"type": "Feature", "properties": {
            "code": d.kostat_code, "name": d.name_ko, "name_eng": d.name_en, "base_year": "2013"},
            "geometry": shapely.geometry.mapping(_to_bessel_lonlat(poly))})
        base_name = d.name_ko[:-1]
        total_pop = 0.0
        for i, geom in enumerate(dongs, start=1):
            name = f"{base_name}{i}동"
            code = f"{d.kostat_code}{50 + i:02d}"
            mois_code = f"{d.mois_code}{500 + i * 10:03d}"
            dong_features.append({"type": "Feature", "properties": {
                "code": code, "name": name, "name_eng": f"{d.slug.title()} {i}-dong", "base_year": "2013"},
                "geometry": shapely.geometry.mapping(_to_bessel_lonlat(geom))})
            c = geom.representative_point()
            d_res = np.min(np.hypot(res_c[:, 0] - c.x, res_c[:, 1] - c.y)) / size
            d_com = np.min(np.hypot(com_c[:, 0] - c.x, com_c[:, 1] - c.y)) / size
            density = 9000 + 25000 * np.exp(-4 * d_res) + rng.normal(0, 1500)
            pop = max(2000.0, density * geom.area / 1e6)
            total_pop += pop
            pop_rows.append(["2016", d.name_ko, name, f"{pop:,.1f}", f"{pop * 0.14:.1f}", f"{pop * 0.15:.1f}"])
            households = pop / 2.3
            one = households * np.clip(0.25 + 0.3 * np.exp(-3 * d_com) + rng.normal(0, 0.03), 0.1, 0.7)
            hh_rows.append([len(hh_rows) + 1, name, d.name_ko, int(households), int(one), code,
                            one / households])
            commercial = np.exp(-3 * d_com)
            night = pop * (20 + 120 * commercial) * rng.uniform(0.8, 1.2)
            for q in ("20241", "20242", "20243", "20244"):
                parts = rng.dirichlet([3, 4, 3, 3, 4, 3]) * night * 3
                total = night * 5
                float_rows.append([q, mois_code, name, f"{total:.0f}", f"{total * 0.48:.0f}",
                                   f"{total * 0.52:.0f}", *[f"{total / 6:.0f}"] * 6,
                                   f"{night * 0.55:.0f}", f"{parts[1]:.0f}", f"{parts[2]:.0f}",
                                   f"{parts[3]:.0f}", f"{parts[4]:.0f}", f"{night * 0.45:.0f}",
                                   *[f"{total / 7:.0f}"] * 7])
            workers = pop * (0.3 + 4.0 * commercial ** 2) * rng.uniform(0.7, 1.3)
            estab = workers / rng.uniform(4, 9)
            shares = rng.dirichlet(np.ones(len(INDUSTRIES)))
            com_share = np.clip(0.45 + 0.25 * commercial + rng.normal(0, 0.05), 0.2, 0.8)
            row = ["2016", d.name_ko, name, f"{estab:.0f}", f"{estab * 0.3:.0f}", f"{workers:.0f}",
                   f"{workers * 0.55:.0f}", f"{workers * 0.45:.0f}"]
            for k, ind in enumerate(INDUSTRIES):
                in_com = ind in INDUSTRY_GROUPS["commercial"]
                share = (com_share / 4 if in_com else (1 - com_share) * shares[k] / max(
                    sum(shares[j] for j, n2 in enumerate(INDUSTRIES) if n2 not in INDUSTRY_GROUPS["commercial"]), 1e-9))
                row += [f"{estab * share:.0f}", f"{workers * share:.0f}"]
            est_rows.append(row)
        # points
        def pts(n, centres, spread, uniform=0.2):
            return _sample_in(rng, poly, max(n, 1), centres, spread, uniform)

        scale_n = max(scale, 0.05)
        bx, by = pts(int(60 * scale_n * area_km2 / 30), res_c, size / 8)
        blon, blat = _lonlat(bx, by)
        for lo, la in zip(blon, blat):
            bells.append([len(bells) + 1, "근린공원", "", f"서울특별시 {d.name_ko}", la, lo,
                          f"서울특별시 {d.name_ko} 공원녹지과", "02-000-0000"])
        lx, ly = pts(int(700 * scale_n * area_km2 / 30), com_c, size / 5, 0.4)
        for lo, la in zip(*_lonlat(lx, ly)):
            lamps.append([f"{d.slug}-{len(lamps):05d}", la, lo])
        sx, sy = pts(int(45 * scale_n * area_km2 / 30), res_c, size / 6, 0.4)
        for k, (lo, la) in enumerate(zip(*_lonlat(sx, sy))):
            kind = ("초등학교", "중학교", "고등학교")[k % 3]
            schools.append([f"S{d.mois_code}{k:04d}", f"가상{d.name_ko[:-1]}{k}{kind[:1]}", kind,
                            "1990-03-01", "공립", "본교", "운영", f"서울특별시 {d.name_ko}",
                            f"서울특별시 {d.name_ko}", "7010000", "서울특별시교육청", "7021000",
                            "서울특별시강남서초교육지원청", "2013-11-29", "2025-10-25", la, lo,
                            "2026-03-20", "B554398", "한국교육시설안전원"])
        cx_, cy_ = pts(int(150 * scale_n * area_km2 / 30), res_c, size / 6, 0.3)
        for k, (lo, la) in enumerate(zip(*_lonlat(cx_, cy_))):
            childcare.append([d.name_ko, f"{d.mois_code}{k:06d}", f"가상어린이집{k}", "민간", "정상",
                              "6000", f"서울특별시 {d.name_ko}", "02-000-0000", "", "", "3", "90", "0",
                              "2", "5", "30", "25", la, lo] + [""] * 43)
        rx, ry = pts(int(150 * scale_n * area_km2 / 30), com_c, size / 10, 0.05)
        tm_x, tm_y = crs.transformer(crs.UTMK, "EPSG:5174").transform(rx, ry)
        for k, (tx, ty) in enumerate(zip(tm_x, tm_y)):
            state = "영업/정상" if k % 5 else "폐업"
            bars.append(["3220000", f"3220000-102-2018-{k:05d}", "2018-12-11", "", "01", state, "01",
                         "영업", "", "", "", "", "", "100", "", f"서울특별시 {d.name_ko}", "", "",
                         f"가상주점{k}", "2023-09-08 17:16:56", "U", "2022-12-08 23:00:00.0", "룸살롱",
                         f"{tx:.3f}", f"{ty:.3f}"] + [""] * 19)
        # cameras: where residents, alleys and bars are, ~1 site per 17,000 m² of built-up area
        n_cam = int(poly.area / 17000 * 0.6)
        kx, ky = pts(n_cam, np.vstack([res_c, com_c]), size / 7, 0.1)
        rows = []
        for k, (lo, la) in enumerate(zip(*_lonlat(kx, ky))):
            purpose = ("생활방범", "생활방범", "생활방범", "어린이보호", "다목적", "교통단속")[k % 6]
            direction = "360도 전방면" if k % 3 else "고정형"
            rows.append([f"서울특별시 {d.name_ko}청", "", f"서울특별시 {d.name_ko} 가상동 {k}", purpose,
                         str(int(rng.integers(1, 5))), "200", direction, "30", "2019-06", "02-000-0000",
                         f"{la:.6f}", f"{lo:.6f}", "2020-02-27"])
        cam_files[d.name_ko] = rows
        crime_rows.append((d.name_ko, int(total_pop / 1000 * 28)))
        cctv_rows.append([len(cctv_rows) + 1, d.name_ko] + [f"{int(n_cam * (0.5 + 0.07 * y) * 2.2):,}"
                                                            for y in range(9)] + [""] * 12)
        gu_pop_rows.append(["합계", d.name_ko, f"{total_pop / 2.3:.0f}", f"{total_pop:.0f}",
                            f"{total_pop * .48:.0f}", f"{total_pop * .52:.0f}", f"{total_pop:.0f}",
                            f"{total_pop * .48:.0f}", f"{total_pop * .52:.0f}", "0", "0", "0"])
        gu_area_rows.append(["서울시", d.name_ko, f"{poly.area / 1e6:.2f}", "0", str(len(dongs)), "0", "0", "0"])

    # boundaries
    b = out / "boundaries"
    b.mkdir(parents=True, exist_ok=True)
    (b / "kostat_2013_seoul_municipalities_geo.json").write_text(
        json.dumps({"type": "FeatureCollection", "features": district_features}, ensure_ascii=False), "utf-8")
    (b / "kostat_2013_seoul_submunicipalities_geo_simple.json").write_text(
        json.dumps({"type": "FeatureCollection", "features": dong_features}, ensure_ascii=False), "utf-8")
    # population
    p = out / "population"
    _write_csv(p / "dong_pop_2016.csv", ["기간", "자치구", "동", "계", "청년남자", "청년여자"], pop_rows, "utf-8-sig")
    _write_csv(p / "dong_households_1person.csv", ["", "행정동", "자치구", "전체세대수", "X1인세대", "code",
                                                   "X1인세대밀도"], hh_rows, "cp949")
    _write_csv(p / "floating_pop_dong_quarterly_2019Q1-2025Q1_cp949.csv", [
        "기준_년분기_코드", "행정동_코드", "행정동_코드_명", "총_유동인구_수", "남성_유동인구_수", "여성_유동인구_수",
        "연령대_10_유동인구_수", "연령대_20_유동인구_수", "연령대_30_유동인구_수", "연령대_40_유동인구_수",
        "연령대_50_유동인구_수", "연령대_60_이상_유동인구_수", "시간대_00_06_유동인구_수", "시간대_06_11_유동인구_수",
        "시간대_11_14_유동인구_수", "시간대_14_17_유동인구_수", "시간대_17_21_유동인구_수", "시간대_21_24_유동인구_수",
        "월요일_유동인구_수", "화요일_유동인구_수", "수요일_유동인구_수", "목요일_유동인구_수", "금요일_유동인구_수",
        "토요일_유동인구_수", "일요일_유동인구_수"], float_rows, "cp949")
    _write_establishments(p / "dong_business_establishments.xlsx", est_rows)
    _write_csv(p / "주민등록인구(월별)_synthetic.csv", None, [
        ["동별(1)", "동별(2)"] + ["2021. 12"] * 10,
        ["동별(1)", "동별(2)", "세대 (세대)", "합계 (명)", "합계 (명)", "합계 (명)", "한국인 (명)", "한국인 (명)",
         "한국인 (명)", "외국인 (명)", "외국인 (명)", "외국인 (명)"],
        ["동별(1)", "동별(2)", "소계", "소계", "남자", "여자", "소계", "남자", "여자", "소계", "남자", "여자"],
        *gu_pop_rows], "utf-8-sig")
    _write_csv(p / "행정구역(구별)_synthetic.csv", None, [
        ["자치구별(1)", "자치구별(2)"] + ["2022"] * 6,
        ["자치구별(1)", "자치구별(2)", "면적", "면적", "동", "동", "통 (개)", "반 (개)"],
        ["자치구별(1)", "자치구별(2)", "면적 (km²)", "구성비 (%)", "행정 (개)", "법정 (개)", "소계", "소계"],
        *gu_area_rows], "utf-8-sig")
    # cameras
    c = out / "cctv"
    for name, rows in cam_files.items():
        _write_csv(c / "standard_points_2018_2020" / f"서울특별시_{name}_CCTV_20200227.csv",
                   STANDARD_HEADER, rows, "cp949")
    _write_csv(c / "서울시 자치구 연도별 방범용 CCTV 운영 현황_230630기준.csv",
               ["", "구분"] + [f"{y}년" for y in range(2015, 2024)] + [""] * 12, cctv_rows, "cp949")
    # facilities
    f = out / "facilities"
    _write_csv(f / "Seoul_Bell.csv", ["안전비상벨관리번호", "설치위치", "소재지도로명주소", "소재지지번주소", "위도",
                                      "경도", "관리기관명", "관리기관전화번호"], bells, "cp949")
    _write_csv(f / "서울특별시_가로등 위치 정보_20221108.csv", ["관리번호", "위도", "경도"], lamps, "cp949")
    _write_csv(f / "전국초중등학교위치표준데이터.csv", [
        "학교ID", "학교명", "학교급구분", "설립일자", "설립형태", "본교분교구분", "운영상태", "소재지지번주소",
        "소재지도로명주소", "시도교육청코드", "시도교육청명", "교육지원청코드", "교육지원청명", "생성일자", "변경일자",
        "위도", "경도", "데이터기준일자", "제공기관코드", "제공기관명"], schools, "cp949")
    _write_csv(f / "서울시 유흥주점영업 인허가 정보.csv", [
        "개방자치단체코드", "관리번호", "인허가일자", "인허가취소일자", "영업상태코드", "영업상태명", "상세영업상태코드",
        "상세영업상태명", "폐업일자", "휴업시작일자", "휴업종료일자", "재개업일자", "전화번호", "소재지면적",
        "소재지우편번호", "지번주소", "도로명주소", "도로명우편번호", "사업장명", "최종수정일자", "데이터갱신구분",
        "데이터갱신일자", "업태구분명", "좌표정보(X)", "좌표정보(Y)", "위생업태명", "남성종사자수", "여성종사자수",
        "영업장주변구분명", "등급구분명", "급수시설구분명", "총인원", "본사종업원수", "공장사무직종업원수",
        "공장판매직종업원수", "공장생산직종업원수", "건물소유구분명", "보증액", "월세액", "다중이용업소여부",
        "시설총규모", "전통업소지정번호", "전통업소주된음식", "홈페이지"], bars, "cp949")
    _write_csv(out / "opendata" / "childcare_centers_utf8sig.csv", [
        "시군구명", "어린이집코드", "어린이집명", "어린이집유형", "운영현황", "우편번호", "상세주소", "전화번호",
        "팩스번호", "홈페이지주소", "보육실수", "보육실 면적", "놀이터수", "CCTV총설치수", "보육교직원수", "정원",
        "현원", "위도", "경도"] + [f"항목{k}" for k in range(43)], childcare, "utf-8-sig")
    # crime (KOSIS layout, 4 header rows)
    kinds = ["소계", "살인", "강도", "강간·강제추행", "절도", "폭력"]
    header1 = ["자치구별(1)", "자치구별(2)"] + ["2022"] * 12
    header2 = ["자치구별(1)", "자치구별(2)"] + ["합계"] * 12
    header3 = ["자치구별(1)", "자치구별(2)"] + [k for k in kinds for _ in (0, 1)]
    header4 = ["자치구별(1)", "자치구별(2)"] + ["발생", "검거"] * 6
    crow = []
    for name, total in crime_rows:
        split = [total, 2, 3, int(total * .08), int(total * .42), int(total * .47)]
        crow.append(["합계", name] + [v for s in split for v in (s, int(s * .7))])
    _write_csv(out / "crime" / "5대+범죄+발생현황_synthetic.csv", None,
               [header1, header2, header3, header4, *crow], "utf-8-sig")
    return out


def _write_establishments(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r1 = ["기간", "자치구", "동"] + ["합계"] * 5
    r2 = ["기간", "자치구", "동", "사업체수", "사업체수", "종사자수", "종사자수", "종사자수"]
    r3 = ["기간", "자치구", "동", "사업체수", "여성대표자", "계", "남", "여"]
    for ind in INDUSTRIES:
        r1 += [ind, ind]
        r2 += ["사업체수", "종사자수"]
        r3 += ["사업체수", "종사자수"]
    for r in (r1, r2, r3, *rows):
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
