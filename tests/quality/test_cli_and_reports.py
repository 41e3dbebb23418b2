"""`seoul-digital quality check/fix` and the Korean HTML/XLSX reports."""

from __future__ import annotations

import csv
import json

import openpyxl
from click.testing import CliRunner

from seoul_digital.cli import cli
from seoul_digital.quality.engine import Report, check_file
from seoul_digital.quality.engine.render import render_html


def test_check_command_outputs(tmp_path, synthetic):
    path, _ = synthetic["localdata"]
    html_out, xlsx_out = tmp_path / "r.html", tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["quality", "check", str(path), "--json", "--html", str(html_out),
                                      "--xlsx", str(xlsx_out)])
    assert result.exit_code == 1  # error findings
    data = json.loads(result.output)
    assert data["file"] == path.name and data["rows"] == 201
    page = html_out.read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "정합률" in page and "열별 프로필" in page
    assert "폐업 상태인데 폐업일자 없음" in page
    wb = openpyxl.load_workbook(xlsx_out)
    assert wb.sheetnames == ["요약", "발견사항", "열 프로필"]
    rules = [row[3] for row in wb["발견사항"].iter_rows(min_row=2, values_only=True)]
    assert "closed_without_date" in rules
    profile_names = [row[0] for row in wb["열 프로필"].iter_rows(min_row=2, values_only=True)]
    assert profile_names[:2] == ["개방자치단체코드", "관리번호"]


def test_check_command_human_summary_and_clean_exit(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("자치구,인구\n강남구,100\n서초구,200\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["quality", "check", str(p)])
    assert result.exit_code == 0
    assert "정합률: 100.00%" in result.output


def test_fix_command(tmp_path, synthetic):
    path, _ = synthetic["crime"]
    out, log, review = tmp_path / "c.csv", tmp_path / "l.csv", tmp_path / "review.json"
    result = CliRunner().invoke(cli, ["quality", "fix", str(path), "--out", str(out), "--log", str(log),
                                      "--review", str(review)])
    assert result.exit_code == 0, result.output
    assert "thousands_separator" in result.output
    with open(log, encoding="utf-8-sig", newline="") as fh:
        entries = list(csv.DictReader(fh))
    assert len(entries) == 5 and all("," in e["before"] and "," not in e["after"] for e in entries)
    assert json.loads(review.read_text(encoding="utf-8")) == []
    assert check_file(out).count("thousands_separator") == 0


def test_rules_command_lists_every_rule():
    result = CliRunner().invoke(cli, ["quality", "rules"])
    assert result.exit_code == 0 and "date_sentinel" in result.output and "유일성" in result.output


def test_report_round_trips_through_json(synthetic):
    path, _ = synthetic["childcare"]
    report = check_file(path)
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.to_dict() == report.to_dict()
    assert render_html(again) == render_html(report)


def test_html_escapes_cell_values(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("인허가일자\n<script>alert(1)</script>\n", encoding="utf-8")
    page = render_html(check_file(p))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
