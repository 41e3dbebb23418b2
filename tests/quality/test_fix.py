"""The fixer: only changes that need no guessing, every changed cell logged, the rest listed;
re-checked output has fewer findings and the same rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from seoul_digital.quality.engine import check_file
from seoul_digital.quality.engine.fix import fix_file
from tests.shared_data import seoul


def read_log(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_improved(before, after):
    assert after.rows == before.rows
    assert after.problem_count <= before.problem_count
    assert after.problem_count < before.problem_count or len(after.findings) < len(before.findings)


def test_fix_localdata_excel_damage(tmp_path, synthetic):
    path, planted = synthetic["localdata_excel"]
    out, log = tmp_path / "clean.csv", tmp_path / "changes.csv"
    result = fix_file(path, out, log)
    entries = read_log(log)
    assert result.changes == len(entries) > 0
    assert set(entries[0]) == {"row", "column", "before", "after", "rule"}
    zero = [e for e in entries if e["rule"] == "code_leading_zero_lost" and e["column"] == "영업상태코드"]
    assert len(zero) == planted["code_leading_zero_lost"]
    assert {(e["before"], e["after"]) for e in zero} <= {("1", "01"), ("3", "03")}
    assert any(e["rule"] == "datetime_not_zero_padded" and e["after"] == "2023-02-28 09:56" for e in entries)
    phones = [e for e in entries if e["rule"] == "phone_unformatted"]
    assert len(phones) == 5 and all(e["after"].startswith("02-") for e in phones)
    assert len([e for e in entries if e["rule"] == "blank_rows"]) == 2
    # destroyed ids and truncated dates are for a person: listed, not changed
    review = {item.rule: item for item in result.needs_review}
    assert review["id_scientific_notation"].count == planted["id_scientific_notation"]
    assert review["date_truncated_by_excel"].count == planted["date_truncated_by_excel"]
    assert review["phone_missing_area_code"].examples[0]["proposal"].startswith("02-")
    assert not any(e["rule"] == "id_scientific_notation" for e in entries)
    after = check_file(out)
    assert after.encoding == "UTF-8 (BOM)"
    assert after.count("code_leading_zero_lost") == 0 and after.count("phone_unformatted") == 0
    assert after.count("id_scientific_notation") == planted["id_scientific_notation"]
    assert_improved(result.report, after)


def test_fix_keeps_every_other_value(tmp_path, synthetic):
    path, _ = synthetic["localdata"]
    out, log = tmp_path / "clean.csv", tmp_path / "changes.csv"
    result = fix_file(path, out, log)
    with open(path, encoding="cp949", newline="") as fh:
        original = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cleaned = list(csv.reader(fh))
    assert len(original) == len(cleaned)
    changed = {(int(e["row"]), e["column"]) for e in read_log(log) if e["row"].isdigit()}
    header = cleaned[0]
    # map cleaned rows back to their source row numbers (blank rows were removed)
    numbers = []
    number = 1
    with open(path, encoding="cp949", newline="") as fh:
        for raw in list(csv.reader(fh))[1:]:
            number += 1
            if any(c.strip() for c in raw):
                numbers.append(number)
    for number, before, after in zip(numbers, original[1:], cleaned[1:]):
        for j, name in enumerate(header):
            if (number, name) not in changed:
                assert before[j] == after[j], (number, name)
    assert result.rows_in == result.rows_out == len(cleaned) - 1


def test_fix_population_header_and_title(tmp_path, synthetic):
    path, _ = synthetic["population"]
    out, log = tmp_path / "pop.csv", tmp_path / "pop_log.csv"
    result = fix_file(path, out, log)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["기간", "자치구", "세대", "인구 합계 계"]
    assert len(rows) == 27
    rules = {e["rule"] for e in read_log(log)}
    assert {"title_rows", "multi_row_header"} <= rules
    after = check_file(out)
    assert after.header_rows == 1 and after.title_rows == 0
    assert_improved(result.report, after)


def test_fix_refuses_to_overwrite_its_input(tmp_path, synthetic):
    path, _ = synthetic["crime"]
    with pytest.raises(ValueError, match="new file"):
        fix_file(path, path, tmp_path / "log.csv")


def test_fix_unreadable_file_reports_instead_of_crashing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = fix_file(bad, tmp_path / "o.csv", tmp_path / "l.csv")
    assert result.error and "binary" in result.error
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.shared_data
@pytest.mark.slow
def test_fix_every_real_file(tmp_path):
    """check → fix → re-check on every real CSV/XLSX/XLS in ../shared: never a crash, same rows,
    never more problems; strictly fewer findings whenever the fixer changed something; and
    for every opendata file (whose dirt SOURCE.md lists) there is something fixed."""
    root = seoul()
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".xls"))
    assert len(files) > 50
    for i, path in enumerate(files):
        out, log = tmp_path / f"{i}.csv", tmp_path / f"{i}.log.csv"
        result = fix_file(path, out, log)
        assert result.error is None, (path, result.error)
        after = check_file(out)
        before = result.report
        assert after.rows == before.rows, path
        assert after.problem_count <= before.problem_count, path
        if result.changes:
            assert (after.problem_count < before.problem_count
                    or len(after.findings) < len(before.findings)), path
        if path.parent.name == "opendata":
            assert len(after.findings) < len(before.findings), path
