"""`seoul-digital check`: what an operator should know before opening the doors."""

from __future__ import annotations

import io
from typing import Iterator

from django.conf import settings
from django.core.management import call_command
from django.db import connection


def run_checks(deploy: bool = True) -> Iterator[tuple[bool, str]]:
    out = io.StringIO()
    try:
        call_command("check", deploy=deploy, fail_level="WARNING", stdout=out, stderr=out)
        yield True, "django check" + (" --deploy" if deploy else "") + ": no issues"
    except Exception as err:  # SystemCheckError carries the full report
        yield False, f"django check{' --deploy' if deploy else ''}: {err}".strip()

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        yield True, f"database reachable ({connection.vendor})"
    except Exception as err:
        yield False, f"database unreachable: {err}"
        return

    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    yield (not pending,
           "migrations applied" if not pending else f"{len(pending)} migrations not applied (run serve or manage migrate)")

    from seoul_digital.core.models import District

    count = District.objects.count()
    yield count == 25, f"{count} districts loaded (expected 25)"

    from django.contrib.staticfiles import finders

    yield bool(finders.find("vendor/htmx/htmx.min.js")), "vendored static assets present"

    data_dir = settings.SEOUL_DATA_DIR
    if data_dir is None:
        yield True, "SEOUL_DATA_DIR not set: programmes use synthetic demo data"
    else:
        yield data_dir.is_dir(), f"SEOUL_DATA_DIR = {data_dir}"

    media = settings.MEDIA_ROOT
    try:
        media.mkdir(parents=True, exist_ok=True)
        probe = media / ".write-test"
        probe.write_text("ok")
        probe.unlink()
        yield True, f"media folder writable ({media})"
    except OSError as err:
        yield False, f"media folder not writable ({media}): {err}"
