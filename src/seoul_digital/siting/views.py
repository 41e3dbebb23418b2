"""Pages of the siting app. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seoul_digital.core.roles import Role, has_role, role_required
from seoul_digital.siting import exports, selectors, services
from seoul_digital.siting.apps import SitingConfig
from seoul_digital.siting.forms import RunForm, WeightsForm
from seoul_digital.siting.models import SitingRun

OFFICIALS = SitingConfig.nav_roles


def _latest_by_district(user) -> dict[int, SitingRun]:
    latest: dict[int, SitingRun] = {}
    for run in selectors.runs_for(user).filter(state=SitingRun.State.SUCCEEDED).order_by("-created_at")[:500]:
        latest.setdefault(run.district_id, run)
    return latest


@role_required(OFFICIALS)
def index(request):
    districts = list(selectors.districts_for(request.user))
    latest = _latest_by_district(request.user)
    rows = [(d, latest.get(d.pk)) for d in districts]
    return render(request, "siting/index.html", {
        "rows": rows, "recent_runs": selectors.runs_for(request.user)[:10],
        "single": len(districts) == 1,
    })


def _district_variables(district, user):
    """(variable, label) pairs in the district's weights (edited copy or packaged file)."""
    from seoul_digital.siting.engine.demand import load_weights
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.grid import VARIABLE_LABELS
    from seoul_digital.siting.engine.layers import resolve_district

    d = resolve_district(district.code)
    profile = selectors.weights_for(user, district)
    try:
        weights = load_weights(d.slug, d.name_ko, text=profile.yaml_text if profile else None)
    except SitingInputError:
        weights = load_weights(d.slug, d.name_ko)
    return [(v, VARIABLE_LABELS[v]) for v in weights.variables()]


@role_required(OFFICIALS)
@require_http_methods(["GET", "POST"])
def district(request, code: str):
    district = selectors.district_for(request.user, code)
    variables = _district_variables(district, request.user)
    if request.method == "POST":
        form = RunForm(request.POST, request.FILES, variables=variables)
        if form.is_valid():
            try:
                run = services.do_start_run(request.user, district, form.parameters(),
                                            existing_upload=form.cleaned_data.get("existing_file"),
                                            title=form.cleaned_data.get("title", ""), request=request)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                return redirect("siting:run_detail", pk=run.pk)
    else:
        form = RunForm(variables=variables)
    runs = selectors.runs_for(request.user, district)
    latest = runs.filter(state=SitingRun.State.SUCCEEDED).first()
    from seoul_digital.siting.data import has_real_data

    return render(request, "siting/district.html", {
        "district": district, "form": form, "runs": runs[:20], "latest": latest,
        "real_data": has_real_data(district.code),
    }, status=400 if request.method == "POST" else 200)


@role_required(OFFICIALS)
def run_detail(request, pk: int):
    run = selectors.run_for(request.user, pk)
    sites = list(selectors.sites_for(request.user, run))
    variables = _district_variables(run.district, request.user)
    initial = _form_initial(run)
    form = RunForm(initial=initial, variables=variables)
    return render(request, "siting/run_detail.html", {
        "run": run, "sites": sites, "summary": run.summary or {}, "form": form,
        "tile_url": _tile_url(),
    })


def _form_initial(run: SitingRun) -> dict:
    p = run.parameters or {}
    initial = {"mode": run.mode, "count": p.get("count"), "budget_krw": p.get("budget_krw"),
               "target_percent": round(p["target_coverage"] * 100, 1) if p.get("target_coverage") else None,
               "radius": str(int(p.get("radius", 50))), "unit_cost_krw": p.get("unit_cost_krw")}
    for var, factor in (p.get("weight_multipliers") or {}).items():
        initial[f"w_{var}"] = factor
    return initial


def _tile_url() -> str:
    from django.conf import settings

    return getattr(settings, "SITING_TILE_URL", "") or ""


@role_required(OFFICIALS)
def run_map(request, pk: int):
    """What the map draws, as JSON (loaded by siting/map.js)."""
    run = selectors.run_for(request.user, pk)
    if run.state != SitingRun.State.SUCCEEDED:
        raise Http404
    sites = selectors.sites_for(request.user, run)
    data = dict(run.map_data or {})
    data["sites"] = [{"rank": s.rank, "lat": s.lat, "lon": s.lon, "score": round(s.score, 1),
                      "dong": s.dong, "area_type": s.area_type, "why": s.why} for s in sites]
    data["synthetic"] = run.synthetic
    data["curve"] = (run.summary or {}).get("curve", [])
    data["count"] = (run.summary or {}).get("count")
    return JsonResponse(data)


EXPORTS = {
    "geojson": ("application/geo+json", "geojson", exports.geojson_bytes),
    "csv": ("text/csv; charset=utf-8", "csv", exports.csv_bytes),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", exports.xlsx_bytes),
    "pdf": ("application/pdf", "pdf", exports.pdf_bytes),
}


@role_required(OFFICIALS)
def run_export(request, pk: int, fmt: str):
    run = selectors.run_for(request.user, pk)
    if fmt not in EXPORTS or run.state != SitingRun.State.SUCCEEDED:
        raise Http404
    content_type, ext, build = EXPORTS[fmt]
    sites = list(selectors.sites_for(request.user, run))
    body = build(run, sites)
    services.do_record_export(request.user, run, fmt, request=request)
    response = HttpResponse(body, content_type=content_type)
    filename = f"siting-{run.district.code}-{run.pk}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(OFFICIALS)
@require_http_methods(["GET", "POST"])
def weights(request, code: str):
    from seoul_digital.siting.engine.demand import WEIGHT_REASONS, load_weights, weights_path
    from seoul_digital.siting.engine.grid import VARIABLE_LABELS
    from seoul_digital.siting.engine.layers import resolve_district

    district = selectors.district_for(request.user, code)
    d = resolve_district(district.code)
    profile = selectors.weights_for(request.user, district)
    packaged = weights_path(d.slug)
    default_text = packaged.read_text(encoding="utf-8") if packaged.exists() else ""
    status = 200
    if request.method == "POST":
        form = WeightsForm(request.POST)
        if "reset" in request.POST:
            form = WeightsForm(initial={"yaml_text": default_text})
        elif "calibrate" in request.POST:
            from seoul_digital.siting.data import data_dir_for
            from seoul_digital.siting.engine.errors import SitingInputError
            from seoul_digital.siting.engine.recommend import calibrated_weights

            try:
                root, _synthetic = data_dir_for(district.code)
                _w, text = calibrated_weights(root, district.code)
            except SitingInputError as err:
                form = WeightsForm(initial={"yaml_text": profile.yaml_text if profile else default_text})
                messages.error(request, str(err))
            else:
                form = WeightsForm(initial={"yaml_text": text})
                messages.info(request, _("기존 CCTV 위치에 맞춘 가중치를 불러왔습니다. 검토한 뒤 저장하세요."))
        elif form.is_valid():
            try:
                services.do_save_weights(request.user, district, form.cleaned_data["yaml_text"], request=request)
            except ValidationError as err:
                form.add_error("yaml_text", err)
                status = 400
            else:
                messages.success(request, _("가중치를 저장했습니다. 다음 분석부터 쓰입니다."))
                return redirect("siting:weights", code=district.code)
        else:
            status = 400
    else:
        form = WeightsForm(initial={"yaml_text": profile.yaml_text if profile else default_text})
    current = load_weights(d.slug, d.name_ko, text=profile.yaml_text if profile else None)
    table = [(v, VARIABLE_LABELS[v], WEIGHT_REASONS.get(v, ""),
              [current.by_type[t].get(v, 0) for t in ("residential", "commercial", "business", "mixed")])
             for v in current.variables()]
    return render(request, "siting/weights.html", {
        "district": district, "form": form, "profile": profile, "table": table,
    }, status=status)


@role_required(OFFICIALS)
def manual(request):
    from seoul_digital.siting.engine.demand import DEFAULT_WEIGHTS, WEIGHT_REASONS
    from seoul_digital.siting.engine.grid import VARIABLE_LABELS

    rows = [(v, VARIABLE_LABELS[v], WEIGHT_REASONS[v],
             [DEFAULT_WEIGHTS[t][v] for t in ("residential", "commercial", "business", "mixed")])
            for v in DEFAULT_WEIGHTS["residential"]]
    template = "siting/manual_en.html" if (get_language() or "ko").startswith("en") else "siting/manual_ko.html"
    return render(request, template, {"rows": rows})


@role_required(OFFICIALS)
def overview(request):
    snapshot = selectors.latest_overview(request.user)
    return render(request, "siting/overview.html", {
        "snapshot": snapshot, "rows": snapshot.rows if snapshot else [],
        "can_refresh": has_role(request.user, Role.foundation()),
    })


@role_required(Role.foundation())
@require_POST
def overview_refresh(request):
    if request.POST.get("confirm") != "1":
        messages.warning(request, _("다시 계산하려면 비교 화면의 단추를 누르세요."))
        return redirect("siting:overview")
    job = services.do_refresh_overview(request.user, request=request)
    return redirect("core:job_detail", pk=job.pk)
