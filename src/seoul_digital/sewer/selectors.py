"""Permission-checked reads for the sewer app: every query goes through ``restrict``."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from seoul_digital.core.models import District
from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.sewer.models import DistrictModel, Finding, Inspection, ModelVersion, SurveyResponse

__all__ = ["inspections_for", "inspection_for", "findings_for", "finding_for", "model_versions_for",
           "model_version_for", "district_models_for", "districts_for", "surveys_for", "district_stats"]


def inspections_for(user, action: str = "view"):
    return (Inspection.objects.restrict(user, action)
            .select_related("district", "model_version", "job", "reviewed_by")
            .annotate(finding_count=Count("findings", filter=~Q(findings__decision=Finding.Decision.REJECTED))))


def inspection_for(user, pk, action: str = "view") -> Inspection:
    return get_restricted_or_404(Inspection.objects.select_related("district", "model_version", "job"),
                                 user, action, pk=pk)


def findings_for(user, inspection: Inspection, action: str = "view"):
    return Finding.objects.restrict(user, action).filter(inspection=inspection).order_by("start_s", "id")


def finding_for(user, pk, action: str = "view") -> Finding:
    return get_restricted_or_404(Finding.objects.select_related("inspection", "inspection__district"),
                                 user, action, pk=pk)


def model_versions_for(user):
    return ModelVersion.objects.restrict(user, "view").annotate(district_count=Count("districts"))


def model_version_for(user, pk, action: str = "view") -> ModelVersion:
    return get_restricted_or_404(ModelVersion, user, action, pk=pk)


def district_models_for(user):
    return DistrictModel.objects.restrict(user, "view").select_related("district", "model_version")


def districts_for(user):
    """Districts the user may see sewer data of: all for the foundation, their own for officers."""
    districts = District.objects.restrict(user, "view")
    if getattr(user, "district_id", None) and getattr(user, "role", "") == "district_officer":
        districts = districts.filter(pk=user.district_id)
    return districts


def surveys_for(user, district=None):
    qs = SurveyResponse.objects.restrict(user, "view").select_related("district", "user")
    return qs.filter(district=district) if district is not None else qs


_STOPWORDS = {"그리고", "하지만", "있습니다", "합니다", "좋습니다", "있어요", "너무", "정말", "조금", "것", "수",
              "더", "잘", "좀", "the", "and", "a", "is", "to", "it", "of"}


def _keywords(comments: list[str], limit: int = 8) -> list[tuple[str, int]]:
    words = Counter()
    for comment in comments:
        seen = set()
        for raw in comment.replace(",", " ").replace(".", " ").split():
            word = raw.strip("!?\"'()[]~").lower()
            # Korean particles make every form unique; a word's first two syllables stand for it.
            stem = word[:2] if word and "\uac00" <= word[0] <= "\ud7a3" and len(word) > 2 else word
            if len(stem) < 2 or stem in _STOPWORDS or stem in seen:
                continue
            seen.add(stem)
            words[stem] += 1
    return [(w, n) for w, n in words.most_common(limit) if n > 1] or words.most_common(min(limit, 3))


def district_stats(user, district) -> dict:
    """The pilot dashboard for one district: AI precision/recall against officers'
    decisions, time saved, and the satisfaction survey."""
    inspections = Inspection.objects.restrict(user, "view").filter(district=district)
    findings = Finding.objects.restrict(user, "view").filter(inspection__district=district)
    reviewed = inspections.filter(status=Inspection.Status.REVIEWED)
    reviewed_findings = findings.filter(inspection__status=Inspection.Status.REVIEWED)
    ai = reviewed_findings.filter(source=Finding.Source.AI)
    ai_total = ai.count()
    ai_correct = ai.filter(decision=Finding.Decision.ACCEPTED).count()
    ai_relabelled = ai.filter(decision=Finding.Decision.RELABELLED).count()
    ai_rejected = ai.filter(decision=Finding.Decision.REJECTED).count()
    missed = reviewed_findings.filter(source=Finding.Source.OFFICER).count()
    true_defects = ai_correct + ai_relabelled + missed
    video_seconds = sum((i.video_info or {}).get("duration_s") or 0 for i in reviewed)
    review_seconds = sum(i.review_seconds for i in reviewed)
    per_class = {}
    for row in ai.values("ai_code", "decision").annotate(n=Count("id")):
        entry = per_class.setdefault(row["ai_code"], {"ai": 0, "correct": 0})
        entry["ai"] += row["n"]
        if row["decision"] == Finding.Decision.ACCEPTED:
            entry["correct"] += row["n"]
    surveys = list(surveys_for(user, district))
    scores = [s.score for s in surveys]
    return {
        "district": district,
        "inspections": inspections.count(),
        "reviewed": reviewed.count(),
        "ai_findings": ai_total,
        "ai_correct": ai_correct,
        "ai_relabelled": ai_relabelled,
        "ai_rejected": ai_rejected,
        "missed": missed,
        # Precision: AI findings the officer kept with the same class. Recall: of the
        # defects officers confirmed (kept, relabelled or added), the share the AI named right.
        "precision": (ai_correct / ai_total) if ai_total else None,
        "recall": (ai_correct / true_defects) if true_defects else None,
        "detection_recall": ((ai_correct + ai_relabelled) / true_defects) if true_defects else None,
        "video_minutes": video_seconds / 60.0,
        "review_minutes": review_seconds / 60.0,
        "minutes_saved": (video_seconds - review_seconds) / 60.0,
        "per_class": dict(sorted(per_class.items())),
        "survey_count": len(scores),
        "survey_mean": (sum(scores) / len(scores)) if scores else None,
        "survey_histogram": [scores.count(k) for k in range(1, 6)],
        "survey_keywords": _keywords([s.comment for s in surveys if s.comment]),
        "survey_recent": surveys[:5],
    }
