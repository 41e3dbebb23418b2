"""Start long work as a job the UI can follow (state, 0–100 %, failure reason)."""

from __future__ import annotations

from django.db import transaction

from seoul_digital.core import audit

__all__ = ["start_job"]


def start_job(user, function: str, *, title: str, district=None, request=None,
              **arguments):
    """Create a Job for ``function`` (dotted path of ``f(job, progress, **arguments)``) and
    queue it. Arguments must be JSON-serialisable (ids, not objects)."""
    from seoul_digital.core.models import Job
    from seoul_digital.core.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(
            title=title[:200], function=function, arguments=arguments,
            user=user if getattr(user, "is_authenticated", False) else None,
            district=district,
        )
        audit.record(user, "create", job, after=audit.snapshot(job), request=request)
    # Enqueued after the commit so a worker never picks up a job row it cannot see yet.
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job
