"""Value rules, one domain at a time."""

from __future__ import annotations

import pytest

from seoul_digital.quality.engine.rules.codes import CodeRule, DistrictRule, FlagRule, IdRule
from seoul_digital.quality.engine.rules.contact import (BiznoRule, PhoneRule, PostcodeRule,
                                                       bizno_ok, format_phone)
from seoul_digital.quality.engine.rules.dates import DateRule, PeriodRule, TimeRule, parse_date
from seoul_digital.quality.engine.rules.geo import CoordinateRule, detect_system, pair_verdicts
from seoul_digital.quality.engine.rules.keys import SeenHashes
from seoul_digital.quality.engine.rules.numbers import NumberRule
from seoul_digital.quality.engine.spec import infer_kind


@pytest.mark.parametrize("text,fmt,number", [
    ("20230701", "YYYYMMDD", 20230701),
    ("2023-07-01", "YYYY-MM-DD", 20230701),
    ("2023.07.01", "YYYY.MM.DD", 20230701),
    ("2023-7-1", "YYYY-M-D", 20230701),
    ("2023-02-28 9:56", "YYYY-MM-DD H:MM", 20230228),
    ("2024-06-05 13:26:10", "YYYY-MM-DD HH:MM:SS", 20240605),
    ("2023년 7월 1일", "YYYY년 M월 D일", 20230701),
    ("20230231", "YYYYMMDD", None),  # calendar-invalid
    ("20240229", "YYYYMMDD", 20240229),  # leap day
    ("20230229", "YYYYMMDD", None),
])
def test_parse_date(text, fmt, number):
    got_fmt, got_number, _iso = parse_date(text)
    assert got_fmt == fmt and got_number == number


def test_date_rule_findings_and_fixes():
    rule = DateRule()
    assert rule.evaluate("99991231").errors == ("date_sentinel",)
    assert rule.evaluate("9999-12-31").errors == ("date_sentinel",)
    assert rule.evaluate("19000101").errors == ("date_sentinel",)
    assert rule.evaluate("03:00.0").errors == ("date_truncated_by_excel",)
    assert rule.evaluate("20230231").errors == ("date_invalid",)
    assert rule.evaluate("1850-01-01").errors == ("date_out_of_range",)
    assert rule.evaluate("어제").errors == ("date_invalid",)
    serial = rule.evaluate("44197")
    assert serial.errors == ("excel_serial_date",) and serial.proposal == "2021-01-01"
    v = rule.evaluate("2023-02-28 9:56")
    assert v.errors == ("datetime_not_zero_padded",) and v.fix == "2023-02-28 09:56"
    v = rule.evaluate("20050322")
    assert not v.errors and v.fix == "2005-03-22" and v.fix_rule == "date_format_mixed"
    # with other sentinels declared, 9999-12-31 is simply out of range
    assert DateRule(sentinels=["20000101"]).evaluate("99991231").errors == ("date_out_of_range",)


def test_time_and_period():
    t = TimeRule()
    assert t.evaluate("0930").fmt == "HHMM" and not t.evaluate("0930").errors
    assert t.evaluate("09:30").fmt == "HH:MM"
    assert t.evaluate("2460").errors == ("time_invalid",)
    assert not t.evaluate("2400").errors
    p = PeriodRule()
    assert p.evaluate("2017.1/4").errors == ("period_nonstandard",)
    assert not p.evaluate("20241").errors and not p.evaluate("2017-Q1").errors
    assert p.evaluate("2017.5/4").errors == ("period_invalid",)


@pytest.mark.parametrize("digits,expected", [
    ("024313535", "02-431-3535"), ("0222316375", "02-2231-6375"), ("01012345678", "010-1234-5678"),
    ("0317654321", "031-765-4321"), ("07012345678", "070-1234-5678"), ("15881234", "1588-1234"),
    ("050443307147", "0504-4330-7147"), ("0801234567", "080-123-4567"), ("12345", None),
    ("0101234567", None), ("021234", None),
])
def test_format_phone(digits, expected):
    assert format_phone(digits) == expected


def test_phone_rule():
    rule = PhoneRule()
    assert rule.evaluate("02-2109-7000").errors == ()
    v = rule.evaluate("024313535")
    assert v.errors == ("phone_unformatted",) and v.fix == "02-431-3535"
    assert rule.evaluate("02)2670-8240").fix == "02-2670-8240"
    v = rule.evaluate("2118-5443")
    assert v.errors == ("phone_missing_area_code",) and v.proposal == "02-2118-5443"
    assert rule.evaluate("000-0000-0000").errors == ("phone_invalid",)
    assert rule.evaluate("전화없음").errors == ("phone_invalid",)
    assert rule.evaluate("02-123-4567 내선 12").errors == ()


def test_postcodes():
    rule = PostcodeRule()
    assert rule.evaluate("04533").errors == ()
    v = rule.evaluate("2404")
    assert v.errors == ("postcode_leading_zero_lost",) and v.fix == "02404"
    assert rule.evaluate("153-023").errors == ("postcode_legacy",)
    assert rule.evaluate("158860").errors == ("postcode_legacy",)
    assert rule.evaluate("1234567").errors == ("postcode_invalid",)


def test_business_registration_checksum():
    # check digits computed by hand with the weights 1,3,7,1,3,7,1,3,5
    assert bizno_ok("2208162517") and bizno_ok("1248100998")
    assert not bizno_ok("2208162518")
    rule = BiznoRule()
    assert rule.evaluate("220-81-62517").errors == ()
    assert rule.evaluate("220-81-62518").errors == ("bizno_checksum",)
    assert rule.evaluate("22081625").errors == ("bizno_invalid",)
    assert rule.evaluate("2208162517").errors == ()


def test_codes_ids_flags_districts():
    status = CodeRule(codes=["01", "02", "03", "04"], length=2)
    v = status.evaluate("1")
    assert v.errors == ("code_leading_zero_lost",) and v.fix == "01" and v.fmt == "2자리"
    assert status.evaluate("07").errors == ("code_not_in_list",)
    assert CodeRule().evaluate("2.0133170142075e+18").errors == ("id_scientific_notation",)
    assert IdRule().evaluate("2.0133170142075E+18").errors == ("id_scientific_notation",)
    assert IdRule().evaluate("CDFF4220002005000002").errors == ()
    flag = FlagRule()
    assert flag.evaluate("Y").fmt == "Y/N" and flag.evaluate("1").fmt == "1/0"
    assert flag.evaluate("maybe").errors == ("flag_invalid",)
    gu = DistrictRule()
    assert gu.evaluate("강남구").errors == () and gu.evaluate("서울특별시 강남구").errors == ()
    v = gu.evaluate("강남")
    assert v.errors == ("district_name_short",) and v.fix == "강남구"
    assert gu.evaluate("수원시").errors == ("district_unknown",)
    assert gu.evaluate("합계").parsed == "aggregate"


def test_numbers():
    count = NumberRule(integer=True, minimum=0)
    v = count.evaluate("1,395")
    assert v.errors == ("thousands_separator",) and v.fix == "1395" and v.parsed == 1395.0
    assert count.evaluate("-3").errors == ("negative_value",)
    assert count.evaluate("2.5").errors == ("not_integer",)
    assert count.evaluate("1,000명").errors == ("number_with_unit",)
    assert count.evaluate("약 10").errors == ("number_invalid",)
    pct = NumberRule(percent=True)
    assert pct.evaluate("101.5").errors == ("percent_out_of_range",)
    assert pct.evaluate("12.5%").errors == ()


def test_coordinates_and_tm_systems():
    lat, lon = CoordinateRule("lat"), CoordinateRule("lon")
    assert lat.evaluate("37.5665").errors == ()
    assert lat.evaluate("38.27").errors == ("coordinate_outside_seoul",)
    assert lon.evaluate("126.12").errors == ("coordinate_outside_seoul",)
    assert lat.evaluate("N37").errors == ("coordinate_invalid",)
    # City Hall (126.9780, 37.5665) in each TM system, computed with pyproj
    from seoul_digital.common import crs

    for system, family in (("EPSG:2097", "EPSG:2097"), ("EPSG:5174", "EPSG:2097"),
                           ("EPSG:5181", "EPSG:2097"), ("EPSG:5186", "EPSG:5186"),
                           ("EPSG:5179", "EPSG:5179")):
        x, y = crs.from_wgs84([126.9780, 127.0276, 126.9104], [37.5665, 37.4979, 37.5556], system)
        found, swapped, _ = detect_system(list(x), list(y))
        assert found == family and not swapped, system
        found, swapped, _ = detect_system(list(y), list(x))
        assert found == family and swapped, system
        verdicts = pair_verdicts([x[0], y[0], 350_000.0], [y[0], x[0], 150_000.0], found)
        assert verdicts == [None, "coordinate_swapped", "coordinate_outside_seoul"]
    assert detect_system([37.5, 37.6], [127.0, 126.9])[0] is None  # lat/lon is no TM pair


def test_seen_hashes_counts_repeats_across_batches():
    import numpy as np

    seen = SeenHashes()
    assert seen.add(np.array([1, 2, 3, 2])).tolist() == [False, False, False, True]
    assert seen.add(np.array([3, 4, 1, 1])).tolist() == [True, False, True, True]
    for batch in range(20):
        seen.add(np.arange(100 + batch * 10, 110 + batch * 10))
    assert seen.add(np.array([105, 999])).tolist() == [True, False]
    assert seen.duplicates == 5
    assert seen.distinct_repeated == 4  # 1, 2, 3, 105
    assert seen.rows_involved == 9


@pytest.mark.parametrize("label,kind", [
    ("인허가일자", "date"), ("최종수정일자", "date"), ("데이터갱신일자", "date"), ("설치시기", "date"),
    ("전화번호", "phone"), ("역전화번호", "phone"), ("팩스번호", "phone"), ("소재지우편번호", "postcode"),
    ("사업자등록번호", "bizno"), ("위도", "lat"), ("소재지(위치) 경도", "lon"), ("좌표정보(X)", "x"),
    ("Y좌표", "y"), ("통학차량운영여부", "flag"), ("개업_율", "percent"), ("폐업_률", "percent"),
    ("사용금액(원)", "amount"), ("소재지면적", "measure"), ("승차총승객수", "count"),
    ("거치대수", "count"), ("영업상태코드", "code"), ("관리번호", "id"), ("대여소ID", "id"),
    ("자치구", "district"), ("시군구명", "district"), ("기준_년분기_코드", "period"),
    ("설치년월", "yearmonth"), ("설치년도", "year"), ("운영시작시간", "time"), ("사업장명", None),
])
def test_kind_from_korean_column_name(label, kind):
    assert infer_kind(label) == kind
