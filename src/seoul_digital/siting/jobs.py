"""Background work of the siting app: ``f(job, progress, **ids)`` started by core.jobs."""

from __future__ import annotations

import numpy as np

from seoul_digital.siting.models import SitingRun

__all__ = ["run_siting", "refresh_overview", "map_data_for"]


def _geojson_geom(geom, tolerance: float = 0.00003):
    import shapely.geometry

    return shapely.geometry.mapping(geom.simplify(tolerance, preserve_topology=True))


def map_data_for(inst, result) -> dict:
    """What the map draws, in WGS84: district and 행정동 polygons (offline base map), demand
    heat per 100 m cell, existing cameras with their radius, the coverage curve."""
    from seoul_digital.siting.engine.area_types import AREA_TYPE_LABELS

    layers = inst.layers
    dong_types = inst.dong_types
    pop = layers.dong_stats.get("population")
    dongs = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": _geojson_geom(g),
         "properties": {"name": n, "area_type": t, "area_type_label": AREA_TYPE_LABELS[t],
                        "population": None if pop is None or not np.isfinite(pop[i]) else int(pop[i])}}
        for i, (n, g, t) in enumerate(zip(layers.dong_names, layers.dong_geoms_wgs84, dong_types))]}
    g = inst.grid
    score = inst.model.score
    keep = score >= 1.0
    heat = np.column_stack([np.round(g.lat[keep], 6), np.round(g.lon[keep], 6),
                            np.round(score[keep], 1)]).tolist()
    # the cameras the model counted (traffic enforcement left out), with the radius it used
    from seoul_digital.common import crs

    lon, lat = crs.to_wgs84(inst.existing_xy[:, 0], inst.existing_xy[:, 1], crs.UTMK)
    existing = [[round(float(a), 6), round(float(b), 6), float(r)]
                for a, b, r in zip(np.atleast_1d(lat), np.atleast_1d(lon), inst.existing_radius)]
    return {"boundary": _geojson_geom(layers.boundary_wgs84), "dongs": dongs, "cell_size": g.cell_size,
            "heat": heat, "existing": existing, "radius": inst.radius,
            "area_types": {k: v for k, v in AREA_TYPE_LABELS.items()}}


def run_siting(job, progress, run_id: int):
    from seoul_digital.siting import services
    from seoul_digital.siting.data import data_dir_for
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.recommend import prepare, recommend
    from seoul_digital.siting.models import WeightProfile

    run = SitingRun.objects.select_related("district").get(pk=run_id)
    SitingRun.objects.filter(pk=run.pk).update(state=SitingRun.State.RUNNING)
    try:
        root, synthetic = data_dir_for(run.district.code)
        profile = WeightProfile.objects.filter(district=run.district).first()
        options = services.engine_options(run.parameters, profile.yaml_text if profile else None)
        existing = run.existing_file.path if run.existing_file else None
        inst = prepare(root, run.district.code, options=options, existing_csv=existing, progress=progress)
        result = recommend(root, run.district.code, options, instance=inst, progress=progress)
    except SitingInputError as err:
        services.record_run_failure(run, str(err))
        raise
    except Exception as err:  # an unexpected failure still marks the run, then the job
        services.record_run_failure(run, f"{err.__class__.__name__}: {err}")
        raise
    services.record_run_result(run, result, map_data_for(inst, result), synthetic)
    return {"url": services.result_url(run),
            "message": f"{run.district.name_ko}: 새 CCTV {result.count}개소, 커버율 "
                       f"{result.coverage_before:.1%} → {result.coverage_after:.1%}"}


def refresh_overview(job, progress):
    """District comparison for Seoul: official camera counts per km² and per 1,000 residents,
    demand coverage of the located cameras, unserved demand and crime per 1,000 residents."""
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.siting import services
    from seoul_digital.siting.data import data_dir_for
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.layers import seoul_district_table
    from seoul_digital.siting.engine.recommend import prepare

    rows, notes = [], []
    synthetic_any = False
    tables: dict[str, dict] = {}
    for i, d in enumerate(DISTRICTS):
        progress(i, len(DISTRICTS), d.name_ko)
        root, synthetic = data_dir_for(d.mois_code)
        synthetic_any |= synthetic
        if str(root) not in tables:
            tables[str(root)] = {r["code"]: r for r in seoul_district_table(root)}
        base = dict(tables[str(root)].get(d.mois_code, {"district": d.name_ko, "code": d.mois_code}))
        base["synthetic"] = synthetic
        try:
            inst = prepare(root, d.mois_code)
        except SitingInputError as err:
            notes.append(f"{d.name_ko}: {err}")
            rows.append(base)
            continue
        w = inst.demand_w
        total = float(w.sum())
        covered = float(w[inst.covered_existing].sum())
        area = base.get("area_km2") or inst.layers.area_km2
        pop = base.get("population") or inst.layers.population
        cams = base.get("cameras_official")
        crime = base.get("crime_total")
        base.update({
            "area_km2": round(float(area), 2), "population": int(pop) if pop else None,
            "camera_sites_located": len(inst.layers.cameras),
            "cameras_per_km2": round(cams / area, 1) if cams and area else None,
            "cameras_per_1000": round(cams / pop * 1000, 2) if cams and pop else None,
            "coverage": round(covered / total, 4) if total else None,
            "unserved_demand_per_km2": round((total - covered) / area, 1) if area else None,
            "crime_per_1000": round(crime / pop * 1000, 2) if crime and pop else None,
        })
        rows.append(base)
    progress(len(DISTRICTS), len(DISTRICTS), "저장")
    services.create_overview(job.user, rows, synthetic_any, notes)
    from django.urls import reverse

    return {"url": reverse("siting:overview"), "message": f"{len(rows)}개 자치구 비교"}
