"""`seoul-digital inclusion …` engine commands (no database)."""

import json

from click.testing import CliRunner

from seoul_digital.inclusion.cli import group


def test_synth_then_match_as_json(tmp_path):
    runner = CliRunner()
    made = runner.invoke(group, ["synth", "--learners", "40", "--supporters", "5", "--out", str(tmp_path)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(group, ["match", "--learners", str(tmp_path / "learners.csv"),
                                   "--supporters", str(tmp_path / "supporters.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stats"]["learners"] == 40
    assert data["stats"]["matched"] + data["stats"]["unmatched"] == 40
    assert all(p["reasons"][1]["code"] == "common_time" for p in data["proposals"])
    assert {u["reason"]["code"] for u in data["unmatched"]} <= {
        "no_time_given", "no_supporter_nearby", "no_common_time", "declined_before",
        "supporters_full", "taken_by_others"}
    greedy = runner.invoke(group, ["match", "--learners", str(tmp_path / "learners.csv"),
                                   "--supporters", str(tmp_path / "supporters.csv"), "--json",
                                   "--greedy"])
    assert json.loads(greedy.output)["stats"]["matched"] <= data["stats"]["matched"]


def test_match_reads_cp949_and_korean_values(tmp_path):
    learners = tmp_path / "l.csv"
    learners.write_bytes("id,district,windows,level,device\n"
                         "a,강남구,화 오전,생활,아이폰\n".encode("cp949"))
    supporters = tmp_path / "s.csv"
    supporters.write_bytes("id,home_district,windows,levels,devices\n"
                           "s,서초구,화 10:00-12:00,기초;생활,아이폰\n".encode("cp949"))
    result = CliRunner().invoke(group, ["match", "--learners", str(learners),
                                        "--supporters", str(supporters)])
    assert result.exit_code == 0, result.output
    assert "a → s" in result.output and "이웃 자치구" in result.output


def test_bad_csv_is_named_with_its_line(tmp_path):
    learners = tmp_path / "l.csv"
    learners.write_text("id,district,windows\na,강남구,화 오전\nb,강남구,언제든\n", encoding="utf-8")
    supporters = tmp_path / "s.csv"
    supporters.write_text("id,home_district\ns,강남구\n", encoding="utf-8")
    result = CliRunner().invoke(group, ["match", "--learners", str(learners),
                                        "--supporters", str(supporters)])
    assert result.exit_code != 0
    assert "l.csv line 3" in result.output
    result = CliRunner().invoke(group, ["match", "--learners", str(supporters),
                                        "--supporters", str(supporters)])
    assert "missing column(s) district, windows" in result.output


def test_diagnose_and_contents():
    from seoul_digital.inclusion.engine.diagnosis import QUESTIONNAIRE_V1

    answers = {q.code: 2 for q in QUESTIONNAIRE_V1.questions}
    result = CliRunner().invoke(group, ["diagnose", "--answers", json.dumps(answers)])
    assert result.exit_code == 0 and json.loads(result.output)["overall_level"] == "advanced"
    bad = CliRunner().invoke(group, ["diagnose", "--answers", "{}"])
    assert bad.exit_code != 0 and "unanswered" in bad.output
    listing = CliRunner().invoke(group, ["contents", "--level", "basic", "--no-partners"])
    assert len(listing.output.strip().splitlines()) == 14
