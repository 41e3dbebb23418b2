"""Bad input: a clear message and a report, never a crash or a hang."""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner

from seoul_digital.quality.cli import group
from seoul_digital.quality.engine import check_file


def cases(tmp_path):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    broken_xlsx = tmp_path / "broken.xlsx"
    broken_xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return {"binary": binary, "empty": empty, "pdf": pdf, "broken_xlsx": broken_xlsx}


@pytest.mark.parametrize("name,words", [("binary", "binary"), ("empty", "empty"),
                                        ("pdf", "PDF"), ("broken_xlsx", "binary")])
def test_unreadable_files_give_a_report(tmp_path, name, words):
    path = cases(tmp_path)[name]
    r = check_file(path)
    assert r.unreadable and words in r.unreadable
    assert [f.rule for f in r.findings] == ["unreadable"]
    data = r.to_dict()
    assert data["conformance_rate"] is None and data["rows"] == 0
    result = CliRunner().invoke(group, ["check", str(path), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["findings"][0]["rule"] == "unreadable"


def test_missing_file(tmp_path):
    r = check_file(tmp_path / "nope.csv")
    assert r.unreadable and "no such file" in r.unreadable


def test_header_only(tmp_path):
    p = tmp_path / "wifi.csv"
    p.write_bytes('"관리번호","자치구","Y좌표","X좌표"\n'.encode("cp949"))
    r = check_file(p)
    assert r.rows == 0 and r.columns == 4 and r.count("no_data_rows") == 1
    assert r.conformance_rate is None


def test_zip_named_csv(tmp_path):
    p = tmp_path / "licences.csv"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("licences.csv", "관리번호,인허가일자\nA1,20200101\nA2,20200230\n".encode("cp949"))
    r = check_file(p)
    assert r.count("container_archive") == 1 and "zip:licences.csv" in r.kind
    assert r.rows == 2 and r.count("date_invalid", "인허가일자") == 1


def test_mixed_encodings_within_a_file(tmp_path):
    p = tmp_path / "mixed.csv"
    lines = ["자치구,시설명"] + [f"강남구,시설 {i}" for i in range(50)]
    data = b"".join((line + "\n").encode("cp949" if i % 10 == 3 else "utf-8")
                    for i, line in enumerate(lines))
    p.write_bytes(data)
    r = check_file(p)
    mixed = r.finding("mixed_encoding")
    assert mixed.count == 5 and mixed.examples[0].value == "cp949"
    assert r.count("district_unknown") == 0  # every line decoded right


def test_single_line_of_a_gigabyte_is_refused_quickly(tmp_path, monkeypatch):
    """The real 1 GB case runs in bench/quality_vs_frictionless.py --huge-line; here the
    same code path with a smaller limit."""
    from seoul_digital.common import korean_files

    monkeypatch.setattr(korean_files, "MAX_LINE_BYTES", 2 << 20)
    p = tmp_path / "line.csv"
    with open(p, "wb") as fh:
        for _ in range(12):
            fh.write(b"a," * (1 << 19))
    r = check_file(p)
    assert r.unreadable and "no line break" in r.unreadable


def test_spec_errors_exit_2(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("columns:\n  a: {kind: colour}\n", encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    result = CliRunner().invoke(group, ["check", str(data), "--spec", str(spec)])
    assert result.exit_code == 2 and "unknown kind" in result.output
