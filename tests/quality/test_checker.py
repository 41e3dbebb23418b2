"""The checker on synthetic files in the real schemas: counts of planted problems, the JSON
contract, 정합률 arithmetic, YAML overrides, progress."""

from __future__ import annotations

import json

import pytest

from seoul_digital.quality.engine import check_file, load_spec
from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES
from seoul_digital.quality.engine.spec import SpecError


def test_localdata_planted_problems(synthetic):
    path, planted = synthetic["localdata"]
    r = check_file(path)
    assert r.encoding == "CP949" and r.rows == 201  # 200 rows + the planted copy
    assert r.count("date_sentinel", "폐업일자") == planted["date_sentinel"]
    assert r.count("closed_without_date", "폐업일자") == planted["closed_without_date"]
    assert r.count("date_order", "폐업일자") == planted["date_order"]
    assert r.count("phone_unformatted", "전화번호") == planted["phone_unformatted"]
    assert r.count("phone_missing_area_code", "전화번호") == planted["phone_missing_area_code"]
    assert r.count("postcode_legacy", "도로명우편번호") == planted["postcode_legacy"]
    assert r.count("required_blank", "좌표정보(X)") == 2 and r.count("required_blank", "좌표정보(Y)") == 2
    assert r.count("coordinate_swapped") == 1 and r.count("coordinate_outside_seoul") == 1
    assert r.count("untrimmed_spaces", "사업장명") == 3
    assert r.count("blank_rows") == 2
    assert r.count("duplicate_rows") == 2  # the copied row, and the second blank row
    key = r.finding("duplicate_key", "개방자치단체코드+관리번호")
    assert key.count == 2 and "중복 1개" in key.message  # only the copied row repeats the key
    assert r.finding("key_component_repeats", "관리번호").count == 6
    assert "EPSG:2097" in r.finding("coordinate_system").message
    mixed = r.finding("date_format_mixed", "인허가일자")
    assert mixed.count == 51 and "YYYYMMDD 150" in mixed.message


def test_excel_resaved_damage(synthetic):
    path, planted = synthetic["localdata_excel"]
    r = check_file(path)
    assert r.count("id_scientific_notation", "관리번호") == planted["id_scientific_notation"]
    assert r.count("code_leading_zero_lost", "영업상태코드") == planted["code_leading_zero_lost"]
    assert r.count("date_truncated_by_excel", "데이터갱신일자") == planted["date_truncated_by_excel"]
    assert r.count("datetime_not_zero_padded", "최종수정일자") == 1


def test_childcare_coordinates_and_postcodes(synthetic):
    path, planted = synthetic["childcare"]
    r = check_file(path)
    assert r.count("postcode_leading_zero_lost", "우편번호") == 10
    assert r.count("required_blank", "위도") == 5
    assert r.count("coordinate_swapped", "경도+위도") == 1
    assert r.count("coordinate_outside_seoul", "위도") == 2  # one planted, one from the swap
    assert r.count("thousands_separator", "보육실 면적") == 3
    flags = r.finding("flag_mixed_vocabulary", "통학차량운영여부")
    assert flags.count == 2 and "운영/미운영 2" in flags.message
    for column in ("휴지시작일자", "휴지종료일자", "폐지일자"):
        assert r.count("all_blank_column", column) == 150


def test_population_workbook(synthetic):
    path, planted = synthetic["population"]
    r = check_file(path)
    assert r.sheet == "인구" and r.header_rows == 3 and r.title_rows == 1 and r.rows == 26
    assert r.header[:4] == ["기간", "자치구", "세대", "인구 합계 계"]
    assert r.count("aggregate_row", "자치구") == 1
    assert r.count("period_nonstandard", "기간") == 26
    assert r.count("extra_sheets") == 1


def test_json_contract_exact(synthetic):
    path, _ = synthetic["crime"]
    data = json.loads(check_file(path).to_json())
    for key in ("file", "encoding", "header_rows", "rows", "columns", "findings", "conformance_rate"):
        assert key in data
    assert data["file"] == "crime.csv" and data["encoding"] == "CP949"
    assert data["header_rows"] == 1 and data["rows"] == 6 and data["columns"] == 5
    finding = next(f for f in data["findings"] if f["rule"] == "thousands_separator")
    assert finding["dimension"] == "consistency" and finding["column"] == "절도 발생"
    assert finding["count"] == 5 and finding["examples"][0]["row"] == 2
    assert set(finding["examples"][0]) == {"row", "value"}
    for f in data["findings"]:
        assert f["dimension"] in DIMENSIONS and f["rule"] in RULES


def test_conformance_rate_is_error_cells_over_checked_cells(tmp_path):
    # 4 rows × 3 columns; 관리번호 is a key (required); two bad dates, one blank key,
    # one bad phone; an optional blank 전화번호 is not checked.
    p = tmp_path / "c.csv"
    p.write_text("관리번호,인허가일자,전화번호\n"
                 "A1,2020-01-01,02-123-4567\n"
                 "A2,2020-02-30,\n"
                 ",2020-03-01,02-1\n"
                 "A4,어제,02-999-1234\n", encoding="utf-8")
    r = check_file(p)
    assert r.checked_cells == 11  # 12 cells − the optional blank phone
    assert r.error_cells == 4  # 2 dates + blank key + bad phone
    assert r.conformance_rate == pytest.approx(1 - 4 / 11)
    assert r.dimension_errors == {"validity": 3, "completeness": 1}
    assert r.to_dict()["conformance_rate"] == round(1 - 4 / 11, 6)


def test_row_rule_errors_are_not_counted_twice(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("인허가일자,폐업일자\n2020-01-01,2019-01-01\n2020-01-01,2021-02-30\n",
                 encoding="utf-8")
    r = check_file(p)
    assert r.count("date_order") == 1 and r.count("date_invalid") == 1
    assert r.error_cells == 2 and r.checked_cells == 4


def test_yaml_spec_overrides_inference(tmp_path, synthetic):
    path, _ = synthetic["localdata"]
    spec = load_spec("""
name: 가상 대규모점포
columns:
  폐업일자: {kind: date, sentinels: []}
  전화번호: text
  점포구분명: {kind: code, codes: [A, B], required: true}
keys: [[관리번호]]
order: []
disable: [near_duplicate_rows, encoding_not_utf8]
""")
    r = check_file(path, spec)
    assert r.spec_source == "spec"
    assert r.count("date_sentinel") == 0 and r.count("date_out_of_range", "폐업일자") == 2
    assert r.count("phone_unformatted") == 0  # 전화번호 declared plain text
    assert r.count("required_blank", "점포구분명") == 201
    assert r.count("duplicate_key", "관리번호") == 6  # 관리번호 alone repeats: 3 ids on 6 rows
    assert r.count("date_order") == 0
    assert r.finding("encoding_not_utf8") is None


def test_spec_errors_are_clear():
    with pytest.raises(SpecError, match="unknown kind"):
        load_spec("columns:\n  a: {kind: colour}\n")
    with pytest.raises(SpecError, match="unknown spec keys"):
        load_spec("colums: {}\n")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_spec("columns: [\n")
    with pytest.raises(SpecError, match="unknown rules"):
        load_spec("disable: [nope]\n")


def test_progress_reaches_the_end(synthetic):
    path, _ = synthetic["childcare"]
    seen = []
    check_file(path, progress=lambda done, total, message="": seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0


def test_small_chunks_give_the_same_report(synthetic):
    path, _ = synthetic["localdata"]
    a, b = check_file(path), check_file(path, chunk_rows=7)
    assert [(f.rule, f.column, f.count) for f in a.findings] == \
           [(f.rule, f.column, f.count) for f in b.findings]
    assert (a.checked_cells, a.error_cells) == (b.checked_cells, b.error_cells)


def test_near_duplicates(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("사업장명,주소,전화번호,최종수정일자\n"
                 "가나마트,서울특별시 중구 세종대로 1,02-123-4567,2024-01-01\n"
                 "가나마트 ,서울특별시  중구 세종대로 1,02-123-4567,2024-03-01\n"
                 "다라마트,서울특별시 중구 세종대로 2,02-123-4568,2024-01-01\n", encoding="utf-8")
    r = check_file(p)
    assert r.count("near_duplicate_rows") == 1 and r.count("duplicate_rows") == 0
