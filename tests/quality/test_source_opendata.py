"""Every problem ../shared/data/seoul/opendata/SOURCE.md lists is reported by the checker
(rule, column, count where the SOURCE gives one)."""

from __future__ import annotations

import functools

import pytest

from seoul_digital.common.korean_files import read_table
from seoul_digital.quality.engine import check_file
from tests.shared_data import seoul

pytestmark = pytest.mark.shared_data


@functools.lru_cache(maxsize=None)
def report(name: str):
    return check_file(seoul("opendata", name))


def count(r, rule, column=None):
    return r.count(rule, column)


def test_bike_stations_2206_multiheader():
    r = report("bike_stations_2206_cp949_multiheader.csv")
    assert r.encoding == "CP949"
    assert r.header_rows == 4 and r.rows == 2653 and r.columns == 10
    assert count(r, "multi_row_header") == 4  # "header spread over rows 1-4"
    assert "설치형태 LCD 거치대수" in r.header and "대여소번호" in r.header
    assert count(r, "blank_rows") == 1  # "one blank line"
    assert count(r, "blank_cells", "설치형태 LCD 거치대수") > 0  # "blank cells"
    assert r.finding("mutually_exclusive_columns",
                     "설치형태 LCD 거치대수+설치형태 QR 거치대수") is not None  # LCD/QR split
    # 샾 (byte 187571) decodes: CP949, not EUC-KR
    table = read_table(seoul("opendata", "bike_stations_2206_cp949_multiheader.csv"))
    assert any("샾" in cell for row in table.rows for cell in row)


def test_bike_stations_2112_xlsx():
    r = report("bike_stations_2112.xlsx")
    assert r.sheet == "대여소현황" and r.rows == 2586 and r.columns == 10
    assert count(r, "multi_row_header") == 4 and count(r, "blank_rows") == 1  # 5-row header block
    extra = r.finding("extra_sheets")
    assert extra.count == 5 and "조사서 - 2020년 (하반기) 신규대여소 구축" in extra.message
    mixed = r.finding("date_format_mixed", "설치시기")  # datetime cells among dates
    assert mixed is not None and "YYYY-MM-DD HH:MM:SS" in mixed.message


def test_card_subway_ragged_rows_and_line_endings():
    r = report("CARD_SUBWAY_MONTH_202307.csv")
    assert r.encoding == "UTF-8 (BOM)"
    assert r.rows == 18297 and r.columns == 6
    assert count(r, "trailing_delimiter") == 18297  # header 6 fields, every row 7
    assert count(r, "mixed_line_endings") == 1  # header CRLF, data LF
    assert r.finding("all_values_quoted") is not None
    # the column pandas shows 100 % blank is read in place
    assert r.finding("all_blank_column", "등록일자") is None
    assert r.finding("blank_cells", "등록일자") is None


def test_cinema_licences():
    r = report("localdata_cinema_license_cp949.csv")
    assert r.rows == 903 and r.columns == 56
    mixed = r.finding("date_format_mixed", "인허가일자")  # YYYYMMDD and YYYY-MM-DD in one column
    assert mixed.count == 275 and "YYYYMMDD 628" in mixed.message
    assert count(r, "date_sentinel", "폐업일자") == 1  # 9999-12-31
    repeats = r.finding("key_component_repeats", "관리번호")
    assert repeats.count == 743 and "186개" in repeats.message  # 743 rows in 186 ids
    assert r.finding("duplicate_key") is None  # (개방자치단체코드, 관리번호) is unique
    assert count(r, "closed_without_date", "폐업일자") == 9
    assert count(r, "postcode_legacy", "소재지우편번호") == 216  # 6-digit (old)
    assert count(r, "postcode_legacy", "도로명우편번호") == 10  # 6 digits among 5-digit codes
    crs = r.finding("coordinate_system", "좌표정보(X)+좌표정보(Y)")
    assert "EPSG:2097" in crs.message
    assert count(r, "required_blank", "좌표정보(X)") == 16
    assert count(r, "required_blank", "좌표정보(Y)") == 16
    assert r.finding("coordinate_outside_seoul") is None


def test_postnatal_care():
    r = report("localdata_postnatal_care_cp949.csv")
    assert r.rows == 115
    assert count(r, "blank_rows") == 125
    assert count(r, "duplicate_rows") == 124
    phones = r.finding("phone_unformatted", "전화번호")
    assert phones.count == 13 and any(e.value == "024313535" for e in phones.examples)


def test_large_mart_excel_resaved():
    r = report("localdata_large_mart_excel_resaved.csv")
    sci = r.finding("id_scientific_notation", "관리번호")
    assert sci.count == 741 and sci.examples[0].value == "2.0133170142075e+18"
    assert count(r, "code_leading_zero_lost", "영업상태코드") == 741
    truncated = r.finding("date_truncated_by_excel", "데이터갱신일자")
    assert truncated.count == 741 and truncated.examples[0].value == "03:00.0"
    padded = r.finding("datetime_not_zero_padded", "최종수정일자")
    assert padded.count == 127 and any(e.value == "2023-03-14 9:57" for e in padded.examples)
    # the destroyed ids collide: the composite key repeats
    assert count(r, "duplicate_key", "개방자치단체코드+관리번호") == 514


def test_childcare_centers():
    r = report("childcare_centers_utf8sig.csv")
    assert r.rows == 4249
    zeros = r.finding("postcode_leading_zero_lost", "우편번호")
    assert zeros.count == 4235 and zeros.examples[0].value == "2404"
    assert count(r, "required_blank", "위도") == 112 and count(r, "required_blank", "경도") == 112
    assert count(r, "coordinate_outside_seoul", "위도") == 1  # lat > 37.72
    assert count(r, "coordinate_outside_seoul", "경도") == 1  # lon < 126.76
    for column in ("휴지시작일자", "휴지종료일자", "폐지일자"):
        assert count(r, "all_blank_column", column) == 4249


def test_subway_stations_unnamed_blank_column():
    r = report("subway_stations_cp949.csv")
    assert r.rows == 289
    assert count(r, "blank_header_label", "열6") == 1
    assert count(r, "all_blank_column", "열6") == 289


def test_population_2017_xls():
    r = report("population_in_Seoul_2017.xls")
    assert r.kind == "xls" and r.sheet == "YainSoft_Excel1"
    assert r.header_rows == 3 and r.columns == 14
    assert "인구 합계 계" in r.header and "인구 등록외국인 여자" in r.header
    assert count(r, "multi_row_header") == 3
    assert count(r, "period_nonstandard", "기간") == 26  # "2017.1/4"
    assert count(r, "aggregate_row", "자치구") == 1  # 합계 mixed with gu rows


def test_crime_thousands_separators():
    r = report("crime_in_Seoul_cp949.csv")
    assert r.rows == 31
    assert count(r, "thousands_separator") == 86
    assert count(r, "thousands_separator", "절도 발생") == 27
    assert r.finding("thousands_separator", "절도 발생").examples[0].value == "1,395"


def test_public_wifi_header_only():
    r = report("public_wifi_header_only_cp949.csv")
    assert r.rows == 0 and r.columns == 16
    assert count(r, "no_data_rows") == 1
    assert r.conformance_rate is None
    assert count(r, "coordinate_column_order", "Y좌표") == 1  # "Y좌표, X좌표"


def test_every_opendata_report_keeps_the_json_contract():
    for name in ("bike_stations_2206_cp949_multiheader.csv", "bike_stations_2112.xlsx",
                 "CARD_SUBWAY_MONTH_202307.csv", "localdata_cinema_license_cp949.csv",
                 "localdata_postnatal_care_cp949.csv", "localdata_large_mart_excel_resaved.csv",
                 "childcare_centers_utf8sig.csv", "subway_stations_cp949.csv",
                 "population_in_Seoul_2017.xls", "crime_in_Seoul_cp949.csv",
                 "public_wifi_header_only_cp949.csv"):
        data = report(name).to_dict()
        assert {"file", "encoding", "header_rows", "rows", "columns", "findings",
                "conformance_rate"} <= data.keys()
        for f in data["findings"]:
            assert {"rule", "dimension", "column", "count", "examples"} <= f.keys()
            assert all(set(e) == {"row", "value"} for e in f["examples"])
        rate = data["conformance_rate"]
        assert rate is None or 0.0 <= rate <= 1.0
