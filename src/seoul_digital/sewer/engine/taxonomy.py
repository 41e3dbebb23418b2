"""The sewer-defect taxonomy: 18 defect classes and 2 context classes, in one place.

Codes are the ones Seoul and the AI Hub labels use. Each class carries its Korean and
English name, its group (structural / operational / context) and a class-importance weight
(CIW) used by the F2-CIW metric.

Class-importance weights
------------------------
Sewer-ML (Haurum & Moeslund, CVPR 2021) weights its 17 classes by the economic consequence
of missing them (``SEWERML_CIW`` below, copied from the benchmark's evaluation code). A class
of ours takes the weight of the Sewer-ML class it maps to:

====  ===========================  ==============================================
code  weight                       source
====  ===========================  ==============================================
CL    1.0000                       RB (cracks, breaks and collapses)
CC    1.0000                       RB
CM    1.0000                       RB
BK    1.0000                       RB
SD    0.5518                       OB (surface damage)
DF    0.1622                       DE (deformation)
LD    0.9009                       OS (lateral reinstatement cuts in a liner)
LS    0.4140                       mean of PH, PB, OP, OK (defective connections)
JF    0.1847                       IS (intruding sealing material: joint damage)
JD    0.6419                       FS (displaced joint)
DS    0.0811                       AF (settled deposits)
DG    0.2275                       BE (attached deposits)
RI    0.3559                       RO (roots)
IF    0.3131                       IN (infiltration)
TO    0.2477                       FO (obstacle)
====  ===========================  ==============================================

Three classes have no Sewer-ML counterpart; their weights are ours, documented here:

* LP (protruding lateral) = 0.4140, the connection-defect weight of LS: the Danish code puts
  intruding connections among the connection classes PH/PB/OP/OK.
* JS (open / separated joint) = 0.6419, the FS weight: separation is a displacement of the
  joint along the pipe axis and is repaired the same way.
* PO (permanent obstacle) = 0.2477, the FO weight: Sewer-ML's FO covers obstacles of any
  permanence.

Context classes (ND, PJ) carry weight 0: they are not defects and F2-CIW ignores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "STRUCTURAL",
    "OPERATIONAL",
    "CONTEXT",
    "SewerClass",
    "CLASSES",
    "BY_CODE",
    "DEFECT_CODES",
    "CONTEXT_CODES",
    "ALL_CODES",
    "MODEL_CODES",
    "NORMAL",
    "NORMAL_JOINT",
    "SEWERML_CIW",
    "SEWERML_TO_CODE",
    "CODE_TO_SEWERML",
    "AIHUB_TO_CODE",
    "YOLO_NAME_TO_CODE",
    "SKIP",
    "UnknownClass",
    "resolve",
    "weights_for",
    "is_defect",
]

STRUCTURAL = "structural"
OPERATIONAL = "operational"
CONTEXT = "context"


@dataclass(frozen=True)
class SewerClass:
    code: str
    name_ko: str
    name_en: str
    group: str
    weight: float
    weight_source: str

    @property
    def is_defect(self) -> bool:
        return self.group != CONTEXT

    def name(self, language: str = "ko") -> str:
        return self.name_en if language.startswith("en") else self.name_ko


# The Sewer-ML class-importance weights, as published with the benchmark.
SEWERML_CIW: dict[str, float] = {
    "RB": 1.00, "OB": 0.5518, "PF": 0.2896, "DE": 0.1622, "FS": 0.6419, "IS": 0.1847,
    "RO": 0.3559, "IN": 0.3131, "AF": 0.0811, "BE": 0.2275, "FO": 0.2477, "GR": 0.0901,
    "PH": 0.4167, "PB": 0.4167, "OS": 0.9009, "OP": 0.3829, "OK": 0.4396,
}
_CONNECTION_CIW = round((SEWERML_CIW["PH"] + SEWERML_CIW["PB"] + SEWERML_CIW["OP"]
                         + SEWERML_CIW["OK"]) / 4, 4)

CLASSES: tuple[SewerClass, ...] = (
    SewerClass("CL", "균열(길이)", "Longitudinal crack", STRUCTURAL, SEWERML_CIW["RB"], "Sewer-ML RB"),
    SewerClass("CC", "균열(원주)", "Circumferential crack", STRUCTURAL, SEWERML_CIW["RB"], "Sewer-ML RB"),
    SewerClass("CM", "균열(복합)", "Multiple (complex) cracks", STRUCTURAL, SEWERML_CIW["RB"], "Sewer-ML RB"),
    SewerClass("SD", "표면손상", "Surface damage", STRUCTURAL, SEWERML_CIW["OB"], "Sewer-ML OB"),
    SewerClass("BK", "파손", "Broken pipe", STRUCTURAL, SEWERML_CIW["RB"], "Sewer-ML RB"),
    SewerClass("DF", "변형", "Deformation", STRUCTURAL, SEWERML_CIW["DE"], "Sewer-ML DE"),
    SewerClass("LD", "라이닝결함", "Lining defect", STRUCTURAL, SEWERML_CIW["OS"], "Sewer-ML OS"),
    SewerClass("LP", "연결관 돌출", "Protruding lateral", OPERATIONAL, _CONNECTION_CIW,
               "documented: connection weight (mean of PH, PB, OP, OK)"),
    SewerClass("LS", "연결관 접합부 이상", "Defective lateral connection", STRUCTURAL,
               _CONNECTION_CIW, "Sewer-ML mean of PH, PB, OP, OK"),
    SewerClass("JF", "이음부 손상", "Joint damage", STRUCTURAL, SEWERML_CIW["IS"], "Sewer-ML IS"),
    SewerClass("JD", "이음부 단차", "Displaced joint (offset)", STRUCTURAL, SEWERML_CIW["FS"], "Sewer-ML FS"),
    SewerClass("JS", "이음부 이탈", "Separated (open) joint", STRUCTURAL, SEWERML_CIW["FS"],
               "documented: FS weight (axial displacement)"),
    SewerClass("DS", "토사퇴적", "Settled deposits", OPERATIONAL, SEWERML_CIW["AF"], "Sewer-ML AF"),
    SewerClass("DG", "폐유부착", "Attached grease deposits", OPERATIONAL, SEWERML_CIW["BE"], "Sewer-ML BE"),
    SewerClass("RI", "뿌리침입", "Root intrusion", OPERATIONAL, SEWERML_CIW["RO"], "Sewer-ML RO"),
    SewerClass("IF", "침입수", "Infiltration", OPERATIONAL, SEWERML_CIW["IN"], "Sewer-ML IN"),
    SewerClass("PO", "영구장애물", "Permanent obstacle", OPERATIONAL, SEWERML_CIW["FO"],
               "documented: FO weight (obstacles of any permanence)"),
    SewerClass("TO", "임시장애물", "Temporary obstacle (debris)", OPERATIONAL, SEWERML_CIW["FO"], "Sewer-ML FO"),
    SewerClass("ND", "정상", "Normal", CONTEXT, 0.0, "context class"),
    SewerClass("PJ", "정상 이음부", "Normal joint", CONTEXT, 0.0, "context class"),
)

BY_CODE: dict[str, SewerClass] = {c.code: c for c in CLASSES}
DEFECT_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES if c.is_defect)
CONTEXT_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES if not c.is_defect)
ALL_CODES: tuple[str, ...] = DEFECT_CODES + CONTEXT_CODES
NORMAL = "ND"
NORMAL_JOINT = "PJ"
# What the classifier predicts: every defect plus the normal joint. "Normal" (ND) is
# implicit, as in Sewer-ML: a frame is normal when no defect is predicted.
MODEL_CODES: tuple[str, ...] = DEFECT_CODES + (NORMAL_JOINT,)

assert len(DEFECT_CODES) == 18 and len(CONTEXT_CODES) == 2

# Marker for labels that are known but deliberately not mapped (e.g. AI Hub "ETC": a defect
# of unstated kind). Readers drop such annotations and count them; they never become "normal".
SKIP = "__skip__"

# Sewer-ML code → ours. Sewer-ML labels frames, not objects, and several of its classes
# are coarser than ours; each mapping names the closest class of ours:
SEWERML_TO_CODE: dict[str, str] = {
    "RB": "CM",  # cracks, breaks, collapses: no crack direction given → complex crack
    "OB": "SD",  # surface damage
    "PF": "SD",  # production error: shows as an irregular pipe surface
    "DE": "DF",  # deformation
    "FS": "JD",  # displaced joint
    "IS": "JF",  # intruding sealing material: a damaged joint
    "RO": "RI",  # roots
    "IN": "IF",  # infiltration
    "AF": "DS",  # settled deposits
    "BE": "DG",  # attached deposits (grease, encrustation)
    "FO": "TO",  # obstacle (foreign objects)
    "GR": "LS",  # branch pipe connection
    "PH": "LS",  # chiselled connection
    "PB": "LS",  # drilled connection
    "OS": "LD",  # lateral reinstatement cuts (in a liner)
    "OP": "LS",  # connection with transition profile
    "OK": "LS",  # connection with construction changes
}
assert set(SEWERML_TO_CODE) == set(SEWERML_CIW)

# Ours → Sewer-ML, for scoring our predictions in Sewer-ML's own terms.
CODE_TO_SEWERML: dict[str, str] = {
    "CL": "RB", "CC": "RB", "CM": "RB", "BK": "RB", "SD": "OB", "DF": "DE", "LD": "OS",
    "LP": "OK", "LS": "PB", "JF": "IS", "JD": "FS", "JS": "FS", "DS": "AF", "DG": "BE",
    "RI": "RO", "IF": "IN", "PO": "FO", "TO": "FO",
}

# AI Hub 하수관로 label codes → ours. "IN" is AI Hub's 정상-내부 (normal pipe interior);
# "ETC" (기타 결함) names no class and is skipped with a count, never read as normal.
AIHUB_TO_CODE: dict[str, str] = {
    "CL": "CL", "CC": "CC", "SD": "SD", "BK": "BK", "LP": "LP", "JF": "JF", "JD": "JD",
    "DS": "DS", "ETC": SKIP, "PJ": "PJ", "IN": "ND",
}

# YOLO class names seen in public sewer sets → ours (matched case-insensitively, with
# spaces, hyphens and underscores ignored). Our codes and names are accepted as well.
YOLO_NAME_TO_CODE: dict[str, str] = {
    "joint": "PJ",
    "normaljoint": "PJ",
    "obstacle": "PO",
    "crack": "CM",
    "longitudinalcrack": "CL",
    "circumferentialcrack": "CC",
    "break": "BK",
    "broken": "BK",
    "collapse": "BK",
    "deformation": "DF",
    "deposit": "DS",
    "deposits": "DS",
    "sediment": "DS",
    "grease": "DG",
    "root": "RI",
    "roots": "RI",
    "infiltration": "IF",
    "debris": "TO",
    "displacedjoint": "JD",
    "openjoint": "JS",
    "lateral": "LP",
    "protrudinglateral": "LP",
    "normal": "ND",
}


class UnknownClass(ValueError):
    """A label that is not one of ours and has no mapping; the message lists what is accepted."""


def _key(label: str) -> str:
    return re.sub(r"[\s_\-()]+", "", str(label)).lower()


_OWN_NAMES: dict[str, str] = {}
for _c in CLASSES:
    for _name in (_c.code, _c.name_ko, _c.name_en):
        _OWN_NAMES[_key(_name)] = _c.code


def resolve(label: str, source: str = "ours") -> str:
    """Our code for ``label`` written in ``source``'s vocabulary, or :data:`SKIP`.

    ``source`` is one of ``ours``, ``aihub``, ``sewerml``, ``yolo``, ``voc``. Our own codes
    and Korean/English names are accepted from every source.
    """
    text = str(label).strip()
    if source == "sewerml":
        if text.upper() in SEWERML_TO_CODE:
            return SEWERML_TO_CODE[text.upper()]
    elif source == "aihub":
        if text.upper() in AIHUB_TO_CODE:
            return AIHUB_TO_CODE[text.upper()]
    elif source in ("yolo", "voc"):
        if _key(text) in YOLO_NAME_TO_CODE:
            return YOLO_NAME_TO_CODE[_key(text)]
        if text.upper() in AIHUB_TO_CODE:
            return AIHUB_TO_CODE[text.upper()]
    elif source != "ours":
        raise ValueError(f"unknown label source {source!r}")
    own = _OWN_NAMES.get(_key(text))
    if own is not None:
        return own
    accepted = {
        "sewerml": sorted(SEWERML_TO_CODE),
        "aihub": sorted(AIHUB_TO_CODE),
        "yolo": sorted(YOLO_NAME_TO_CODE),
        "voc": sorted(YOLO_NAME_TO_CODE),
    }.get(source, [])
    raise UnknownClass(
        f"class '{text}' is not in the sewer taxonomy"
        + (f" and has no {source} mapping (known {source} labels: {', '.join(accepted)}; "
           if accepted else " (")
        + f"our codes: {', '.join(ALL_CODES)})"
    )


def weights_for(codes: Iterable[str]) -> list[float]:
    return [BY_CODE[c].weight for c in codes]


def is_defect(code: str) -> bool:
    return BY_CODE[code].is_defect
