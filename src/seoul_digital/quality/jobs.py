"""Long work of the quality app, run as core jobs (progress bar, failure reason)."""

from __future__ import annotations

from django.urls import reverse


def check_version(job, progress, version_id: int):
    """Check, report and fix one uploaded version (``services.run_check``)."""
    from seoul_digital.quality import services
    from seoul_digital.quality.models import DatasetVersion

    version = DatasetVersion.objects.select_related("dataset").get(pk=version_id)
    try:
        version = services.run_check(version, progress=progress)
    except Exception as err:
        services.mark_failed(version_id, f"{err.__class__.__name__}: {err}")
        raise
    rate = version.conformance_rate
    message = (f"정합률 {rate * 100:.2f}%" if rate is not None
               else f"읽을 수 없는 파일: {version.check_error[:200]}")
    return {"url": reverse("quality:version_detail", args=[version.pk]), "message": message,
            "conformance_rate": rate}
