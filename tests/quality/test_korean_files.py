"""common.korean_files: encodings, headers, ragged rows, streaming, bad input."""

from __future__ import annotations

import gzip
import tracemalloc
import zipfile

import pytest

from seoul_digital.common import korean_files as kf
from seoul_digital.common.korean_files import (UnreadableFile, detect_encoding, detect_header,
                                               iter_csv_rows, open_table, read_table,
                                               read_tables, sniff_kind, table_from_text)


def write(path, text: str, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- encodings

def test_encoding_order_bom_utf8_cp949():
    assert detect_encoding("\ufeff가,나".encode("utf-8")).encoding == "utf-8-sig"
    assert detect_encoding("가,나".encode("utf-8")).encoding == "utf-8"
    guess = detect_encoding("가,나\n샾,똠".encode("cp949"))
    assert guess.encoding == "cp949"
    assert "invalid UTF-8" in guess.evidence
    with pytest.raises(UnicodeDecodeError):
        "샾".encode("cp949").decode("euc_kr")  # why EUC-KR is never used


def test_cp949_evidence_mentions_continuation_bytes(tmp_path):
    p = write(tmp_path / "a.csv", "이름,값\n가나,1\n", "cp949")
    with open_table(p) as t:
        assert t.encoding.encoding == "cp949"
        assert "0x80" in t.encoding.evidence


@pytest.mark.parametrize("primary", ["utf-8", "cp949"])
def test_mixed_encoding_lines_are_decoded_and_counted(tmp_path, primary):
    other = "cp949" if primary == "utf-8" else "utf-8"
    lines = ["구분,이름"] + [f"{i},서울특별시 강남구 테헤란로 {i}" for i in range(300)]
    data = bytearray()
    odd = {7, 150, 299}
    for i, line in enumerate(lines):
        data += (line + "\n").encode(other if i in odd else primary)
    p = tmp_path / "mixed.csv"
    p.write_bytes(bytes(data))
    table = read_table(p)
    assert table.encoding.encoding == primary
    assert all("서울특별시" in r[1] for r in table.rows)  # nothing became mojibake
    assert table.stats.other_encoding_lines == {other: 3}
    assert [line for line, _ in table.stats.other_encoding_examples] == sorted(i + 1 for i in odd)


def test_undecodable_bytes_become_replacement_and_are_counted(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes("a,b\n1,가\n".encode("utf-8") + b"2,\xff\xfe\xfa\n")
    table = read_table(p)
    assert table.stats.replaced_lines == 1
    assert "\ufffd" in table.rows[1][1]


# ---------------------------------------------------------------- headers

def test_multi_row_header_with_embedded_newlines(tmp_path):
    text = ('"대여소\n번호",보관소(대여소)명,소재지(위치),,,,"설치\n시기",설치형태,,"운영\n방식"\n'
            ",,,,,,,LCD,QR,\n,,자치구,상세주소,위도,경도,,,,\n"
            ',,,,,,,"거치\n대수","거치\n대수",\n,,,,,,,,,\n'
            + "".join(f"{100 + i},역 {i},마포구,주소 {i},37.55,126.91,2022-05-03,,{i % 9 + 1},QR\n"
                      for i in range(20)))
    p = write(tmp_path / "bike.csv", text, "cp949")
    table = read_table(p)
    assert table.header_rows == 4
    assert table.header == ["대여소번호", "보관소(대여소)명", "소재지(위치) 자치구", "소재지(위치) 상세주소",
                            "소재지(위치) 위도", "소재지(위치) 경도", "설치시기",
                            "설치형태 LCD 거치대수", "설치형태 QR 거치대수", "운영방식"]
    assert len(table.rows) == 20
    assert table.stats.blank_rows == 1
    assert table.first_data_line == 6  # the blank 5th row sits between header and data
    assert table.find_column("대여소 번호") == "대여소번호"


def test_kosis_header_starting_with_a_year_row():
    rows = [["자치구별(1)", "자치구별(2)", "2014", "2014"],
            ["자치구별(1)", "자치구별(2)", "합계", "합계"],
            ["자치구별(1)", "자치구별(2)", "발생", "검거"]] + \
           [["합계", gu, str(100 + i), str(50 + i)] for i, gu in enumerate(["종로구", "중구", "용산구", "성동구"] * 3)]
    assert detect_header(rows) == (0, 3)


def test_title_rows_are_skipped():
    rows = [["2021년 자치구별 현황"], [""], ["(단위: 명)"], ["자치구", "인구", "세대"]] + \
           [[gu, str(1000 + i), str(500 + i)] for i, gu in enumerate(["종로구", "중구"] * 5)]
    assert detect_header(rows) == (3, 1)


def test_file_without_header(tmp_path):
    text = "".join(f"1,0,서울특별시 강남구 역삼동 {i},37.49{i},127.04{i}\n" for i in range(30))
    table = read_table(write(tmp_path / "lights.csv", text))
    assert table.header_rows == 0
    assert table.header == ["열1", "열2", "열3", "열4", "열5"]
    assert len(table.rows) == 30


def test_blank_and_duplicate_labels(tmp_path):
    text = "연번,역명,,역명\n" + "".join(f"{i},역{i},,x\n" for i in range(5))
    table = read_table(write(tmp_path / "s.csv", text))
    assert table.header == ["연번", "역명", "열3", "역명_2"]
    assert any("blank header label" in n for n in table.notes)


def test_xlsx_title_rows_merged_header_and_datetime_cells(tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "현황"
    ws.append(["대여소 현황 (2021.12.31 기준)"])
    ws.append(["대여소번호", "설치", None])
    ws.append([None, "시기", "거치대수"])
    for i in range(10):
        ws.append([100 + i, dt.datetime(2015, 9, 6, 23, 42, i), i + 3])
    other = wb.create_sheet("lookup")
    other.append(["x"])
    p = tmp_path / "b.xlsx"
    wb.save(p)
    table = read_table(p)
    assert table.sheet == "현황"
    assert table.header_rows == 2
    assert table.header[:2] == ["대여소번호", "설치 시기"]
    assert table.rows[0][1] == "2015-09-06 23:42:00"
    assert table.first_data_line == 4
    assert [t.sheet for t in read_tables(p)] == ["현황", "lookup"]


# ---------------------------------------------------------------- rows

def test_ragged_rows_and_trailing_delimiter(tmp_path):
    text = '"a","b","c"\r\n' + "".join(f'"{i}","x","y",""\n' for i in range(10)) + '"z","1"\n'
    table = read_table(write(tmp_path / "r.csv", text))
    assert table.header == ["a", "b", "c"]  # no phantom 4th column
    assert table.stats.trailing_empty_rows == 10
    assert table.stats.short_rows == 1
    assert table.stats.mixed_line_endings
    assert table.stats.quoted_share == pytest.approx(1.0)
    assert table.rows[0] == ["0", "x", "y", ""]  # values kept exactly as read


def test_line_breaks_inside_quotes_are_not_mixed_line_endings(tmp_path):
    text = 'a,b\r\n"x\ny",1\r\n"p\nq",2\r\n'
    table = read_table(write(tmp_path / "q.csv", text))
    assert table.rows == [["x\ny", "1"], ["p\nq", "2"]]
    assert not table.stats.mixed_line_endings


def test_values_stay_text(tmp_path):
    table = read_table(write(tmp_path / "t.csv", "코드,번호\n01,2.0133170142075e+18\n007,1\n"))
    assert table.column("코드") == ["01", "007"]
    assert table.records()[0]["번호"] == "2.0133170142075e+18"


def test_stream_is_bounded_on_many_rows(tmp_path):
    p = tmp_path / "big.csv"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write("id,이름,값\n")
        for i in range(200_000):
            fh.write(f"{i},서울특별시 {i % 25},{i * 3}\n")
    tracemalloc.start()
    count = 0
    with open_table(p) as t:
        for _numbers, rows in t.iter_chunks(5000):
            count += len(rows)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 20 * 1024 * 1024, peak  # the 5 MB file is never held whole, nor its rows


# ---------------------------------------------------------------- bad input

def test_empty_and_blank_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFile, match="empty"):
        read_table(empty)
    blank = write(tmp_path / "blank.csv", "\n\n  \n")
    with pytest.raises(UnreadableFile, match="no table"):
        read_table(blank)


def test_binary_files_are_named(tmp_path):
    png = tmp_path / "image.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnreadableFile, match="PNG"):
        read_table(png)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 500)
    assert sniff_kind(junk) == "binary"


def test_header_only_file(tmp_path):
    table = read_table(write(tmp_path / "h.csv", '"관리번호","자치구","Y좌표","X좌표"\n', "cp949"))
    assert table.header == ["관리번호", "자치구", "Y좌표", "X좌표"]
    assert table.rows == []


def test_zip_named_csv_with_one_table_is_read_through(tmp_path):
    p = tmp_path / "data.csv"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("inside.csv", "이름,값\n가,1\n나,2\n".encode("cp949"))
    with open_table(p) as t:
        assert t.container == "zip:inside.csv"
        assert [r for _, r in t] == [["가", "1"], ["나", "2"]]
    two = tmp_path / "two.csv"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.csv", "x\n1\n")
        zf.writestr("b.csv", "x\n2\n")
    with pytest.raises(UnreadableFile, match="2 tables"):
        read_table(two)
    nothing = tmp_path / "nothing.csv"
    with zipfile.ZipFile(nothing, "w") as zf:
        zf.writestr("readme.pdf", b"%PDF")
    with pytest.raises(UnreadableFile, match="no CSV"):
        read_table(nothing)


def test_gzip_file(tmp_path):
    p = tmp_path / "data.csv.gz"
    p.write_bytes(gzip.compress("a,b\n1,2\n".encode()))
    assert read_table(p).rows == [["1", "2"]]


def test_single_huge_line_is_refused_in_bounded_memory(tmp_path):
    p = tmp_path / "one_line.csv"
    with open(p, "wb") as fh:
        chunk = b"x," * (1 << 19)
        for _ in range(40):  # 40 MiB without a newline
            fh.write(chunk)
    tracemalloc.start()
    with pytest.raises(UnreadableFile, match="no line break"):
        open_table(p, max_line_bytes=4 << 20)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 24 * 1024 * 1024, peak


def test_huge_line_in_the_middle_is_skipped_and_reported(tmp_path):
    p = tmp_path / "mid.csv"
    with open(p, "wb") as fh:
        fh.write(b"a,b\n1,2\n")
        fh.write(b"y" * (3 << 20) + b"\n")
        fh.write(b"3,4\n")
    with open_table(p, max_line_bytes=1 << 20) as t:
        rows = [(n, r) for n, r in t]
        assert rows == [(2, ["1", "2"]), (4, ["3", "4"])]
        assert t.stats.oversized_lines == 1
        assert t.stats.oversized_examples[0][1] == (3 << 20) + 1


def test_unclosed_quote_stops_with_a_reason(tmp_path):
    import csv

    old = csv.field_size_limit(1000)
    try:
        p = write(tmp_path / "q.csv", 'a,b\n1,"never closed\n' + "x,y\n" * 2000)
        table = read_table(p)
        assert table.stats.stopped and "unclosed quote" in table.stats.stopped
    finally:
        csv.field_size_limit(old)


# ---------------------------------------------------------------- public API kept

def test_public_api_still_works(tmp_path):
    p = write(tmp_path / "api.csv", "대여소\n번호,이름\n".replace("\n번호", "번호") + "1,가\n2,나\n")
    guess, delimiter, rows = iter_csv_rows(p)
    assert delimiter == "," and next(rows) == ["대여소번호", "이름"]
    t = table_from_text("a\tb\n1\t2\n")
    assert t.header == ["a", "b"] and t.rows == [["1", "2"]]
    text, guess = kf.read_text(write(tmp_path / "j.json", '{"a": "가"}', "cp949"))
    assert "가" in text and guess.encoding == "cp949"
    assert kf.decode_bytes("가".encode())[0] == "가"
    assert kf.normalise_label(" 대여소\n번호 ") == "대여소번호"
    table = read_table(p, header_rows=0)
    assert len(table.rows) == 3
    assert isinstance(kf.EncodingGuess("cp949", "x").label, str)


def test_tsv_file(tmp_path):
    p = write(tmp_path / "stations.tsv", "역명\t전화번호\t주소\n강남\t02-6110-2221\t서울특별시 강남구 강남대로 지하 396\n", "cp949")
    table = read_table(p)
    assert table.header == ["역명", "전화번호", "주소"]
    assert table.rows[0][2] == "서울특별시 강남구 강남대로 지하 396"
