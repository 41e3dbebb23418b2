import pytest

from seoul_digital.sewer.engine import grading


def test_clean_pipe_is_a():
    out = grading.grade_segment([], 50)
    assert out["structural"].grade == "A" and out["operational"].grade == "A"


def test_severity_and_class_drive_the_grade():
    assert grading.grade_segment([("BK", 5)], 50)["structural"].grade == "E"
    assert grading.grade_segment([("CL", 3)], 50)["structural"].grade == "D"
    assert grading.grade_segment([("JF", 1)], 50)["structural"].grade == "B"
    light = grading.grade_segment([("DS", 2), ("DG", 1)], 50)
    assert light["operational"].grade in ("B", "C") and light["structural"].grade == "A"


def test_many_defects_in_a_short_pipe_worsen_the_grade():
    few = grading.grade_segment([("SD", 2)], 50)["structural"]
    many = grading.grade_segment([("SD", 2)] * 6, 10)["structural"]
    assert grading.GRADES.index(many.grade) > grading.GRADES.index(few.grade)
    assert many.density > few.density and many.count == 6


def test_policy_overrides_and_validation():
    policy = grading.policy_from({"class_weights": {"DS": 10}})
    assert grading.grade_segment([("DS", 5)], 50, policy)["operational"].grade == "E"
    with pytest.raises(ValueError, match="unknown grading key"):
        grading.policy_from({"weights": {}})
    with pytest.raises(ValueError, match="four increasing"):
        grading.policy_from({"peak_thresholds": {"structural": [5, 1, 2, 3]}})
