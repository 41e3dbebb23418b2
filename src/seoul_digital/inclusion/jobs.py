"""Long work of the inclusion app, run as core jobs (progress bar, failure reason)."""

from __future__ import annotations

from django.urls import reverse


def run_matching(job, progress, run_id: int):
    """Match the waiting learners of a run (``services.execute_match_run``)."""
    from seoul_digital.inclusion.models import MatchRun
    from seoul_digital.inclusion.services import execute_match_run

    run = MatchRun.objects.get(pk=run_id)
    try:
        execute_match_run(run, progress=progress)
    except Exception as err:
        MatchRun.objects.filter(pk=run_id).update(state=MatchRun.State.FAILED, error=str(err)[:2000])
        raise
    stats = run.stats
    return {"url": reverse("inclusion:run_detail", args=[run_id]),
            "message": f"{stats['matched']}/{stats['learners']} matched",
            "matched": stats["matched"], "unmatched": stats["unmatched"]}
