"""Writes of the siting app, each audited (core.services / core.audit)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from seoul_digital.core import audit
from seoul_digital.core.jobs import start_job
from seoul_digital.core.services import AccessDenied, do_create, do_update, ensure_can
from seoul_digital.siting.models import OverviewSnapshot, SitingRun, SitingSite, WeightProfile

__all__ = ["do_start_run", "do_save_weights", "do_record_export", "do_refresh_overview",
           "record_run_result", "record_run_failure", "engine_options"]

PARAMETER_KEYS = ("count", "budget_krw", "target_coverage", "radius", "existing_radius",
                  "unit_cost_krw", "weight_multipliers")


def engine_options(parameters: dict, weights_text: str | None = None):
    """Engine :class:`Options` from a run's stored parameters (validated)."""
    from seoul_digital.siting.engine.recommend import Options

    options = Options(**{k: parameters.get(k) for k in PARAMETER_KEYS}, weights_text=weights_text)
    options.validate()
    return options


def _mode(parameters: dict) -> str:
    if parameters.get("count") is not None:
        return SitingRun.Mode.COUNT
    if parameters.get("budget_krw") is not None:
        return SitingRun.Mode.BUDGET
    if parameters.get("target_coverage") is not None:
        return SitingRun.Mode.TARGET
    return SitingRun.Mode.KNEE


def do_start_run(user, district, parameters: dict, *, existing_upload=None, title: str = "",
                 request=None) -> SitingRun:
    """Create a run for ``district`` and queue its job. Bad parameters raise ValidationError
    with the engine's message; an officer of another district gets AccessDenied."""
    from seoul_digital.siting.engine.errors import SitingInputError

    parameters = {k: v for k, v in parameters.items() if k in PARAMETER_KEYS and v not in (None, "", {})}
    try:
        engine_options(parameters)
    except SitingInputError as err:
        raise ValidationError(str(err)) from None
    mode = _mode(parameters)
    with transaction.atomic():
        run = do_create(user, SitingRun, request=request, district=district, created_by=user,
                        title=title[:200] or f"{district.name_ko} {SitingRun.Mode(mode).label}",
                        mode=mode, parameters=parameters)
        if existing_upload is not None:
            run.existing_file.save(existing_upload.name[-80:], existing_upload, save=True)
    job = start_job(user, "seoul_digital.siting.jobs.run_siting", title=str(run), district=district,
                    request=request, run_id=run.pk)
    SitingRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def record_run_result(run: SitingRun, result, map_data: dict, synthetic: bool) -> SitingRun:
    """Store a finished recommendation (called by the job; audited as an update)."""
    with transaction.atomic():
        SitingSite.objects.filter(run=run).delete()
        SitingSite.objects.bulk_create([
            SitingSite(run=run, rank=s.rank, lat=s.lat, lon=s.lon, score=s.score,
                       demand_covered=s.demand_covered, demand_share=s.demand_share,
                       residents_covered=int(round(s.residents_covered)), area_type=s.area_type,
                       dong=s.dong[:50], reasons=s.reasons, why=s.why)
            for s in result.sites])
        before = {"state": run.state}
        run.summary = result.to_dict(with_sites=False)
        run.map_data = map_data
        run.synthetic = bool(synthetic or result.synthetic)
        run.state = SitingRun.State.SUCCEEDED
        run.error = ""
        run.finished_at = timezone.now()
        run.save()
        audit.record(run.created_by, "update", run, before=before,
                     after={"state": run.state, "count": result.count,
                            "coverage_after": round(result.coverage_after, 4)},
                     note="입지 분석 완료")
    return run


def record_run_failure(run: SitingRun, message: str) -> None:
    with transaction.atomic():
        SitingRun.objects.filter(pk=run.pk).update(state=SitingRun.State.FAILED, error=message[:2000],
                                                   finished_at=timezone.now())
        audit.record(run.created_by, "update", run, before={"state": run.state},
                     after={"state": "failed"}, note=message[:300])


def do_save_weights(user, district, yaml_text: str, *, request=None) -> WeightProfile:
    """Validate and save a district's weights YAML."""
    from seoul_digital.siting.engine.demand import parse_weights
    from seoul_digital.siting.engine.errors import SitingInputError

    try:
        parse_weights(yaml_text, source=f"{district.name_ko} 가중치", district=district.name_ko)
    except SitingInputError as err:
        raise ValidationError(str(err)) from None
    existing = WeightProfile.objects.filter(district=district).first()
    if existing is None:
        return do_create(user, WeightProfile, request=request, district=district, yaml_text=yaml_text,
                         updated_by=user)
    return do_update(user, existing, request=request, yaml_text=yaml_text, updated_by=user,
                     updated_at=timezone.now())


def do_record_export(user, run: SitingRun, fmt: str, *, request=None) -> None:
    ensure_can(user, "view", run)
    audit.record(user, "export", run, request=request, note=f"format: {fmt}")


def do_refresh_overview(user, *, request=None):
    from seoul_digital.core.roles import Role, has_role

    if not has_role(user, Role.foundation()):
        raise AccessDenied("only foundation staff refresh the Seoul overview")
    return start_job(user, "seoul_digital.siting.jobs.refresh_overview", title="서울 자치구 CCTV 비교",
                     request=request)


def create_overview(user, rows: list[dict], synthetic: bool, notes: list[str]) -> OverviewSnapshot:
    snapshot = OverviewSnapshot.objects.create(created_by=user, rows=rows, synthetic=synthetic, notes=notes)
    audit.record(user, "create", snapshot, after={"rows": len(rows), "synthetic": synthetic})
    return snapshot


def result_url(run: SitingRun) -> str:
    return reverse("siting:run_detail", kwargs={"pk": run.pk})
