"""Condition grades A–E for one pipe segment, structural and operational, from the
reviewed findings (each with a severity 1–5).

Method (defaults below; every number can be replaced through
``settings.SEWER_GRADING`` — a dict with any of the keys of :data:`DEFAULT_POLICY`):

1. A finding's *score* = class weight × severity factor. Class weights default to
   10 × the class-importance weight of :mod:`.taxonomy` (so a collapse-type break counts
   10, settled deposits 0.8); severity factors for 1–5 are 1, 2, 4, 7, 10.
2. The segment's *peak score* per group (structural, operational) is its worst finding;
   the *density* is the sum of scores per 10 m of pipe.
3. Grade = the worse of the grade of the peak score and the grade of the density, with
   the thresholds below (A = no or negligible defects … E = urgent repair).

The thresholds were set so that one severity-5 break (100) is E, one severity-3 crack
(40) is D, and a few light operational defects stay B/C. They are the platform's starting
point for the pilot, not a national standard; districts adjust them with the foundation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from seoul_digital.sewer.engine import taxonomy

__all__ = ["DEFAULT_POLICY", "GradeResult", "grade_segment", "finding_score", "GRADES", "policy_from"]

GRADES = ("A", "B", "C", "D", "E")

DEFAULT_POLICY: dict = {
    "class_weights": {c.code: round(10 * c.weight, 2) for c in taxonomy.CLASSES if c.is_defect},
    "severity_factors": [1, 2, 4, 7, 10],
    # Upper bounds (exclusive) of A, B, C, D; anything at or above the last is E.
    "peak_thresholds": {"structural": [1, 10, 30, 60], "operational": [1, 8, 20, 40]},
    "density_thresholds": {"structural": [1, 15, 40, 80], "operational": [1, 10, 25, 50]},
}


@dataclass(frozen=True)
class GradeResult:
    grade: str
    peak: float
    density: float
    count: int


def policy_from(overrides: Mapping | None) -> dict:
    policy = {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in DEFAULT_POLICY.items()}
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_POLICY:
            raise ValueError(f"unknown grading key {key!r}; known: {', '.join(DEFAULT_POLICY)}")
        if isinstance(policy[key], dict):
            policy[key].update(value)
        else:
            policy[key] = list(value)
    if len(policy["severity_factors"]) != 5:
        raise ValueError("severity_factors needs five numbers (severity 1–5)")
    for name in ("peak_thresholds", "density_thresholds"):
        for group, bounds in policy[name].items():
            if len(bounds) != 4 or list(bounds) != sorted(bounds):
                raise ValueError(f"{name}[{group}] needs four increasing numbers")
    return policy


def finding_score(code: str, severity: int, policy: Mapping = DEFAULT_POLICY) -> float:
    severity = min(max(int(severity or 1), 1), 5)
    return float(policy["class_weights"].get(code, 0.0)) * float(policy["severity_factors"][severity - 1])


def _grade(value: float, bounds) -> str:
    for grade, bound in zip(GRADES, bounds):
        if value < bound:
            return grade
    return GRADES[-1]


def grade_segment(findings: Iterable[tuple[str, int]], length_m: float | None,
                  policy: Mapping = DEFAULT_POLICY) -> dict[str, GradeResult]:
    """``findings`` = (code, severity) of the accepted findings; returns a GradeResult for
    ``structural`` and ``operational``."""
    scores = {taxonomy.STRUCTURAL: [], taxonomy.OPERATIONAL: []}
    for code, severity in findings:
        group = taxonomy.BY_CODE[code].group
        if group in scores:
            scores[group].append(finding_score(code, severity, policy))
    length = max(float(length_m or 0.0), 1.0)
    out = {}
    for group, values in scores.items():
        peak = max(values, default=0.0)
        density = sum(values) * 10.0 / length
        grade = max(_grade(peak, policy["peak_thresholds"][group]),
                    _grade(density, policy["density_thresholds"][group]))
        out[group] = GradeResult(grade, round(peak, 2), round(density, 2), len(values))
    return out
