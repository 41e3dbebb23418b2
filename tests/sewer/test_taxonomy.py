import pytest

from seoul_digital.sewer.engine import taxonomy as tx


def test_eighteen_defects_and_two_context_classes_in_issue_order():
    assert tx.DEFECT_CODES == ("CL", "CC", "CM", "SD", "BK", "DF", "LD", "LP", "LS", "JF", "JD",
                               "JS", "DS", "DG", "RI", "IF", "PO", "TO")
    assert tx.CONTEXT_CODES == ("ND", "PJ")
    assert tx.MODEL_CODES[-1] == "PJ" and "ND" not in tx.MODEL_CODES
    for cls in tx.CLASSES:
        assert cls.name_ko and cls.name_en
        assert cls.group in (tx.STRUCTURAL, tx.OPERATIONAL, tx.CONTEXT)
        assert (cls.weight > 0) == cls.is_defect


def test_weights_follow_sewer_ml_where_a_class_maps():
    assert tx.BY_CODE["BK"].weight == tx.SEWERML_CIW["RB"] == 1.0
    assert tx.BY_CODE["SD"].weight == tx.SEWERML_CIW["OB"]
    assert tx.BY_CODE["JD"].weight == tx.SEWERML_CIW["FS"]
    assert tx.BY_CODE["DS"].weight == tx.SEWERML_CIW["AF"]
    # Every Sewer-ML class maps to a defect of ours, and each mapped weight is documented.
    for code, ours in tx.SEWERML_TO_CODE.items():
        assert ours in tx.DEFECT_CODES
    for cls in tx.CLASSES:
        if cls.is_defect:
            assert cls.weight_source.startswith(("Sewer-ML", "documented"))


@pytest.mark.parametrize("label,source,code", [
    ("RB", "sewerml", "CM"), ("fo", "sewerml", "TO"), ("IN", "sewerml", "IF"),
    ("IN", "aihub", "ND"), ("PJ", "aihub", "PJ"), ("ETC", "aihub", tx.SKIP),
    ("joint", "yolo", "PJ"), ("Obstacle", "yolo", "PO"), ("root", "voc", "RI"),
    ("균열(길이)", "aihub", "CL"), ("뿌리침입", "yolo", "RI"), ("Root intrusion", "ours", "RI"),
    ("TO", "ours", "TO"),
])
def test_resolve_maps_each_vocabulary(label, source, code):
    assert tx.resolve(label, source) == code


def test_unknown_class_names_what_is_accepted():
    with pytest.raises(tx.UnknownClass) as err:
        tx.resolve("manhole cover", "yolo")
    message = str(err.value)
    assert "manhole cover" in message and "joint" in message and "CL" in message
