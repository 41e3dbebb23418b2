"""Synthetic files in the real published schemas, with known dirt in known amounts.

Tests and the demo use them when the real files in ../shared are absent. Each writer
returns the counts of what it planted, so tests assert exact numbers. The schemas are the
published ones (LOCALDATA 인허가 columns, 서울시 어린이집 정보, 따릉이 대여소 정보 with its
4-row header, 서울시 주민등록인구 with its 3-row header); the values are made up.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from seoul_digital.common.districts import DISTRICTS

__all__ = ["write_localdata", "write_childcare", "write_bike_stations", "write_population_xlsx",
           "write_crime", "LOCALDATA_HEADER", "DATASET_WRITERS"]

LOCALDATA_HEADER = [
    "개방자치단체코드", "관리번호", "인허가일자", "인허가취소일자", "영업상태코드", "영업상태명",
    "상세영업상태코드", "상세영업상태명", "폐업일자", "휴업시작일자", "휴업종료일자", "재개업일자",
    "전화번호", "소재지면적", "소재지우편번호", "지번주소", "도로명주소", "도로명우편번호", "사업장명",
    "최종수정일자", "데이터갱신구분", "데이터갱신일자", "업태구분명", "좌표정보(X)", "좌표정보(Y)",
    "점포구분명",
]
# 개방자치단체코드 of each 자치구 (LOCALDATA uses 3xx0000 codes)
_OPEN_CODES = ["3000000", "3010000", "3020000", "3030000", "3040000", "3050000", "3060000",
               "3070000", "3080000", "3090000", "3100000", "3110000", "3120000", "3130000",
               "3140000", "3150000", "3160000", "3170000", "3180000", "3190000", "3200000",
               "3210000", "3220000", "3230000", "3240000"]
_ROADS = ["세종대로", "테헤란로", "올림픽로", "강남대로", "도봉로", "마포대로", "양화로", "남부순환로"]


def _date(rng: random.Random, y0=1995, y1=2022) -> tuple[int, int, int]:
    return rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)


def write_localdata(path: str | Path, n: int = 200, seed: int = 1, encoding: str = "cp949",
                    excel_resaved: bool = False) -> dict[str, int]:
    """A LOCALDATA 인허가 file (대규모점포 columns). Planted, by rule:

    date_sentinel 2 (폐업일자 99991231), closed_without_date 3, date_order 1,
    date_format_mixed (인허가일자: every 4th row YYYY-MM-DD, the rest YYYYMMDD),
    phone_unformatted 5 (digits only), phone_missing_area_code 4, postcode_legacy 6 (도로명),
    required_blank 4 (좌표 X and Y), coordinate_swapped 1, coordinate_outside_seoul 1,
    duplicate_rows 1, blank_rows 2, untrimmed_spaces 3 (사업장명), 관리번호 repeated across
    two 자치구 (composite key unique). With ``excel_resaved``: 관리번호 in scientific
    notation, 영업상태코드 '1', 데이터갱신일자 '03:00.0', 최종수정일자 '9:56'.
    """
    rng = random.Random(seed)
    rows = []
    planted = {"date_sentinel": 2, "closed_without_date": 3, "date_order": 1,
               "phone_unformatted": 5, "phone_missing_area_code": 4, "postcode_legacy": 6,
               "required_blank": 4, "coordinate_swapped": 1, "coordinate_outside_seoul": 1,
               "duplicate_rows": 1, "blank_rows": 2, "untrimmed_spaces": 3,
               "key_component_repeats": 2}
    for i in range(n):
        gu = i % 25
        y, m, d = _date(rng)
        licensed = f"{y:04d}{m:02d}{d:02d}" if i % 4 else f"{y:04d}-{m:02d}-{d:02d}"
        closed = i % 5 == 0
        status = ("03", "폐업", "03", "폐업") if closed else ("01", "영업/정상", "01", "정상영업")
        closing = ""
        if closed:
            cy = min(y + rng.randint(1, 10), 2024)
            closing = f"{cy:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"02-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
        x = round(rng.uniform(185_000, 212_000), 6)
        yv = round(rng.uniform(442_000, 458_000), 6)
        serial = 2000 + i
        manage = f"{y}{_OPEN_CODES[gu][:3]}{serial:011d}"
        row = [_OPEN_CODES[gu], manage, licensed, "", status[0], status[1], status[2], status[3],
               closing, "", "", "", phone, f"{rng.uniform(100, 30000):.2f}",
               f"{rng.randint(100, 199)}-{rng.randint(100, 999)}",
               f"서울특별시 {DISTRICTS[gu].name_ko} 가상동 {rng.randint(1, 999)}",
               f"서울특별시 {DISTRICTS[gu].name_ko} {rng.choice(_ROADS)} {rng.randint(1, 500)}",
               f"0{rng.randint(1000, 8999)}", f"가상마트 {i + 1}호점",
               f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(10, 23)}:{rng.randint(10, 59)}",
               "U", f"2024-01-{rng.randint(10, 28)} 0{rng.randint(1, 9)}:00:00.0", "",
               f"{x}", f"{yv}", ""]
        rows.append(row)
    # planted problems (rows chosen not to overlap)
    rows[5][8] = "99991231"  # open status but a sentinel date: sentinel only counts once
    rows[5][4:8] = ["03", "폐업", "03", "폐업"]
    rows[10][8] = "9999-12-31"
    rows[10][4:8] = ["03", "폐업", "03", "폐업"]
    for i in (15, 20, 25):  # closed without a date
        rows[i][8] = ""
        rows[i][4:8] = ["03", "폐업", "03", "폐업"]
    rows[30][4:8] = ["03", "폐업", "03", "폐업"]
    rows[30][2] = "20200105"
    rows[30][8] = "2019-12-31"  # closed before licensed
    for k, i in enumerate((33, 34, 35, 36, 37)):
        rows[i][12] = f"02{rng.randint(200, 999)}{rng.randint(1000, 9999)}"
    for i in (41, 42, 43, 44):
        rows[i][12] = f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    for i in (50, 51, 52, 53, 54, 55):
        rows[i][17] = f"{rng.randint(100, 199)}{rng.randint(100, 999)}"
    for i in (60, 61):
        rows[i][23] = rows[i][24] = ""
    rows[70][23], rows[70][24] = rows[70][24], rows[70][23]
    rows[75][23], rows[75][24] = "350000.0", "150000.0"
    for i in (80, 81, 82):
        rows[i][18] = rows[i][18] + " "
    rows[91][1] = rows[90][1]  # same 관리번호 in another 자치구: fine with the composite key
    rows[93][1] = rows[92][1]
    dup = list(rows[100])
    rows.insert(101, dup)
    if excel_resaved:
        for r in rows:
            r[1] = f"{float(r[1][:4] + r[1][4:]):.13e}".replace("e+", "e+")
            r[4] = r[4].lstrip("0")
            r[21] = "03:00.0"
        rows[7][19] = "2023-02-28 9:56"
        planted.update({"id_scientific_notation": n + 1, "code_leading_zero_lost": n + 1,
                        "date_truncated_by_excel": n + 1, "datetime_not_zero_padded": 1})
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(LOCALDATA_HEADER)
    for i, r in enumerate(rows):
        writer.writerow(r)
        if i in (120, 121):
            buf.write("," * (len(LOCALDATA_HEADER) - 1) + "\n")
    data = buf.getvalue()
    Path(path).write_bytes(("\ufeff" + data).encode("utf-8") if encoding == "utf-8-sig"
                           else data.encode(encoding))
    return planted


CHILDCARE_HEADER = ["시군구명", "어린이집코드", "어린이집명", "어린이집유형", "운영현황", "우편번호",
                    "상세주소", "전화번호", "팩스번호", "홈페이지주소", "보육실수", "보육실 면적",
                    "놀이터수", "CCTV총설치수", "보육교직원수", "정원", "현원", "위도", "경도",
                    "통학차량운영여부", "인가일자", "휴지시작일자", "휴지종료일자", "폐지일자",
                    "데이터기준일자"]


def write_childcare(path: str | Path, n: int = 150, seed: int = 2) -> dict[str, int]:
    """서울시 어린이집 정보 (UTF-8 BOM). Planted: postcode_leading_zero_lost 10 (4 digits),
    required_blank 5 (위도 and 경도), coordinate_outside_seoul 1 (위도) + 1 (경도),
    coordinate_swapped 1, all_blank_column 휴지시작일자/휴지종료일자/폐지일자,
    flag_mixed_vocabulary (통학차량운영여부 Y/N and 운영/미운영), thousands_separator 3."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        gu = DISTRICTS[i % 25]
        lat, lon = rng.uniform(37.45, 37.68), rng.uniform(126.82, 127.15)
        y, m, d = _date(rng, 1990, 2023)
        rows.append([gu.name_ko, f"1123000{i:04d}", f"가상어린이집{i + 1}", rng.choice(["국공립", "민간", "가정"]),
                     "정상", f"0{rng.randint(1000, 8999)}", f"서울특별시 {gu.name_ko} 가상로 {i + 1}",
                     f"02-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}", "", "", str(rng.randint(2, 9)),
                     str(rng.randint(40, 300)), str(rng.randint(0, 2)), str(rng.randint(0, 20)),
                     str(rng.randint(2, 30)), str(rng.randint(10, 99)), str(rng.randint(0, 90)),
                     f"{lat:.6f}", f"{lon:.6f}", "Y" if i % 2 else "N", f"{y:04d}-{m:02d}-{d:02d}",
                     "", "", "", "2025-02-19"])
    for i in range(10):
        rows[i][5] = str(rng.randint(1000, 8999))
    for i in (20, 21, 22, 23, 24):
        rows[i][17] = rows[i][18] = ""
    rows[30][17] = "38.27356621610019"
    rows[31][18] = "126.12349990154604"
    rows[40][17], rows[40][18] = rows[40][18], rows[40][17]
    for i in (50, 51):
        rows[i][19] = "운영" if i == 50 else "미운영"
    for i in (60, 61, 62):
        rows[i][11] = "1,250"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CHILDCARE_HEADER)
    writer.writerows(rows)
    Path(path).write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return {"postcode_leading_zero_lost": 10, "required_blank": 5, "coordinate_outside_seoul": 2,
            "coordinate_swapped": 1, "flag_mixed_vocabulary": 2, "thousands_separator": 3}


def write_bike_stations(path: str | Path, n: int = 120, seed: int = 3) -> dict[str, int]:
    """따릉이 대여소 정보 with its 4-row merged header and a blank line, CP949 (with 샾, a
    syllable EUC-KR lacks). Planted: blank_rows 1, untrimmed_spaces 2."""
    rng = random.Random(seed)
    header = [
        ['대여소\n번호', '보관소(대여소)명', '소재지(위치)', '', '', '', '설치\n시기', '설치형태', '', '운영\n방식'],
        ['', '', '', '', '', '', '', 'LCD', 'QR', ''],
        ['', '', '자치구', '상세주소', '위도', '경도', '', '', '', ''],
        ['', '', '', '', '', '', '', '거치\n대수', '거치\n대수', ''],
        [''] * 10,
    ]
    rows = []
    for i in range(n):
        gu = DISTRICTS[i % 25]
        lcd = i % 3 == 0
        rows.append([str(100 + i), f"샾 정류장 {i}" if i == 7 else f"가상역 {i}번 출구",
                     gu.name_ko, f"서울특별시 {gu.name_ko} 가상로 {i}", f"{rng.uniform(37.45, 37.68):.8f}",
                     f"{rng.uniform(126.82, 127.15):.7f}", f"20{rng.randint(15, 22)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                     str(rng.randint(5, 20)) if lcd else "", "" if lcd else str(rng.randint(5, 20)),
                     "LCD" if lcd else "QR"])
    rows[3][1] += " "
    rows[9][3] = " " + rows[9][3]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(header)
    writer.writerows(rows)
    Path(path).write_bytes(buf.getvalue().encode("cp949"))
    return {"header_rows": 4, "blank_rows": 1, "untrimmed_spaces": 2, "rows": n}


def write_population_xlsx(path: str | Path, seed: int = 4) -> dict[str, int]:
    """서울시 주민등록인구 (구별) with a title row and a 3-row header, a 합계 row first,
    quarters written 2017.1/4."""
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "인구"
    ws.append(["서울시 주민등록인구 (구별) 통계"])
    ws.append(["기간", "자치구", "세대", "인구", "인구", "인구", "세대당인구"])
    ws.append(["기간", "자치구", "세대", "합계", "합계", "합계", "세대당인구"])
    ws.append(["기간", "자치구", "세대", "계", "남자", "여자", "세대당인구"])
    body = []
    for d in DISTRICTS:
        men, women = rng.randint(100_000, 300_000), rng.randint(100_000, 300_000)
        households = rng.randint(60_000, 250_000)
        body.append(["2017.1/4", d.name_ko, households, men + women, men, women,
                     round((men + women) / households, 2)])
    total = ["2017.1/4", "합계"] + [sum(r[k] for r in body) for k in range(2, 6)] + [2.36]
    ws.append(total)
    for r in body:
        ws.append(r)
    extra = wb.create_sheet("작성요령")
    extra.append(["이 시트는 작성 안내입니다"])
    wb.save(path)
    return {"header_rows": 3, "title_rows": 1, "aggregate_row": 1, "period_nonstandard": 26,
            "rows": 26}


def write_crime(path: str | Path) -> dict[str, int]:
    """관서별 5대 범죄 (CP949) with thousands separators in quotes."""
    rng = random.Random(5)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["관서명", "살인 발생", "살인 검거", "절도 발생", "절도 검거"])
    planted = 0
    for name in ("중부서", "종로서", "남대문서", "서대문서", "혜화서", "용산서"):
        theft = rng.randint(800, 3500)
        shown = f"{theft:,}"
        planted += "," in shown
        writer.writerow([name, rng.randint(0, 9), rng.randint(0, 9), shown, rng.randint(300, 900)])
    Path(path).write_bytes(buf.getvalue().encode("cp949"))
    return {"thousands_separator": planted}


DATASET_WRITERS = {
    "localdata": write_localdata,
    "childcare": write_childcare,
    "bike_stations": write_bike_stations,
    "population": write_population_xlsx,
    "crime": write_crime,
}
