import pytest

from seoul_digital.inclusion.engine import contents
from seoul_digital.inclusion.engine import diagnosis as d

FORM = d.QUESTIONNAIRE_V1


def answers(**by_skill):
    """All questions of each skill answered with the given value (default 0)."""
    return {q.code: by_skill.get(s.code, 0) for s in FORM.skills for q in s.questions}


def test_beginner_is_basic_everywhere():
    result = d.diagnose(FORM, answers())
    assert result.overall_level == "basic"
    assert set(result.skill_levels.values()) == {"basic"}
    assert result.overall_score == 0.0


def test_overall_level_is_the_first_band_not_mastered():
    basic_done = {s.code: 2 for s in FORM.skills if s.band == "basic"}
    result = d.diagnose(FORM, answers(**basic_done))
    assert result.band_scores["basic"] == pytest.approx(66.7)
    assert result.overall_level == "daily"  # does all basics alone → teach the daily band
    almost = dict(basic_done, camera=1)     # one basic skill only with help
    assert d.diagnose(FORM, answers(**almost)).overall_level == "basic"


def test_levels_per_skill_follow_the_score_lines():
    mixed = answers(phone_basics=2, web_search=0, kakaotalk=1)
    mixed["camera.1"], mixed["camera.2"] = 2, 1               # mean 1.5
    result = d.diagnose(FORM, mixed)
    assert result.skill_levels["phone_basics"] == "advanced"   # alone: 66.7
    assert result.skill_levels["web_search"] == "basic"        # never: 0
    assert result.skill_levels["kakaotalk"] == "daily"         # with help: 33.3
    assert result.skill_levels["camera"] == "daily"
    assert result.skill_scores["kakaotalk"] == pytest.approx(33.3)
    assert result.skill_scores["camera"] == pytest.approx(50.0)


def test_all_bands_mastered_is_advanced():
    result = d.diagnose(FORM, answers(**{s.code: 3 for s in FORM.skills}))
    assert result.overall_level == "advanced"
    assert result.overall_score == 100.0


@pytest.mark.parametrize("change, message", [
    ({"phone_basics.1": None}, "unanswered question"),
    ({"phone_basics.1": 4}, "not an answer 0–3"),
    ({"phone_basics.1": "많이"}, "not an answer 0–3"),
    ({"nonsense.1": 1}, "unknown question"),
])
def test_bad_answers_are_named(change, message):
    data = answers()
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(d.DiagnosisError, match=message):
        d.diagnose(FORM, data)


def test_gain_and_aggregate():
    pre = d.diagnose(FORM, answers())
    post = d.diagnose(FORM, answers(**{s.code: 3 for s in FORM.skills if s.band == "basic"}))
    g = d.gain(pre, post)
    assert g.skills["phone_basics"] == 100.0 and g.skills["kiosk"] == 0.0
    assert g.overall == pytest.approx(100 * 4 / 12, abs=0.1)
    assert (g.level_before, g.level_after, g.level_steps) == ("basic", "daily", 1)
    flat = d.gain(pre, pre)
    summary = d.aggregate_gains([g, flat])
    assert summary.learners == 2
    assert summary.improved_share == 0.5 and summary.level_up_share == 0.5
    assert summary.per_skill["phone_basics"] == 50.0


def test_versions_compare_on_shared_skills_only():
    v2 = d.Questionnaire("digital-skills", 2, FORM.skills[:3])
    pre = d.diagnose(FORM, answers())
    post = d.diagnose(v2, {q.code: 3 for q in v2.questions})
    g = d.gain(pre, post)
    assert g.comparable_skills == ("phone_basics", "web_search", "kakaotalk")
    assert d.Questionnaire.from_dict(v2.as_dict()) == v2


def test_contents_are_forty_in_three_levels_and_teach_diagnosed_skills():
    assert len(contents.CONTENTS) == 40
    levels = {c.level for c in contents.CONTENTS}
    assert levels == {"basic", "daily", "advanced"}
    codes = [c.code for c in contents.CONTENTS + contents.PARTNER_COURSES]
    assert len(codes) == len(set(codes))
    skills = {s.code: s.band for s in FORM.skills}
    for c in contents.CONTENTS + contents.PARTNER_COURSES:
        assert c.skill in skills, c.code
    for c in contents.CONTENTS:
        assert skills[c.skill] == c.level, c.code
    assert all(c.partner_ko for c in contents.PARTNER_COURSES)
    assert contents.for_skills(["kiosk"]) == [c for c in contents.CONTENTS if c.skill == "kiosk"]
