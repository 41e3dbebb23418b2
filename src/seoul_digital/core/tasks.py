"""The one background task: run a job's function with a progress callback.

Apps do not define django-tasks tasks themselves; they write a plain function
``def f(job, progress, **arguments)`` and start it with :func:`seoul_digital.core.jobs.start_job`.
Failure handling and progress reporting then live here, once.
"""

from __future__ import annotations

import logging
import time
import traceback

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger("seoul_digital.jobs")

# Progress writes are throttled: a screening job reports thousands of frames.
MIN_PROGRESS_INTERVAL_S = 0.5


class _ProgressWriter:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last_write = 0.0
        self.last_percent = -1.0

    def __call__(self, done: float, total: float, message: str = "") -> None:
        from seoul_digital.core.models import Job

        percent = (100.0 * done / total) if total else 0.0
        percent = min(max(percent, 0.0), 99.9)  # 100 only when the function has returned
        now = time.monotonic()
        if now - self.last_write < MIN_PROGRESS_INTERVAL_S and percent - self.last_percent < 5:
            return
        self.last_write, self.last_percent = now, percent
        Job.objects.filter(pk=self.job_id).update(progress=percent, message=str(message)[:300])


@task()
def run_job(job_id: int) -> dict:
    from seoul_digital.core.models import Job

    job = Job.objects.get(pk=job_id)
    if job.state != Job.State.QUEUED:
        return {"skipped": job.state}
    Job.objects.filter(pk=job_id).update(state=Job.State.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    try:
        function = import_string(job.function)
        result = function(job, _ProgressWriter(job_id), **(job.arguments or {}))
    except Exception as err:  # a failed job keeps everything else and says why
        logger.exception("job %s (%s) failed", job_id, job.function)
        reason = f"{err.__class__.__name__}: {err}" if str(err) else err.__class__.__name__
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, finished_at=timezone.now(), error=reason[:2000],
            message=traceback.format_exc(limit=-3)[-300:],
        )
        return {"failed": reason}
    updates = {"state": Job.State.SUCCEEDED, "finished_at": timezone.now(), "progress": 100.0}
    if isinstance(result, dict):
        updates["result"] = result
        if result.get("url"):
            updates["result_url"] = str(result["url"])[:300]
        if result.get("message"):
            updates["message"] = str(result["message"])[:300]
    Job.objects.filter(pk=job_id).update(**updates)
    return {"ok": True}
