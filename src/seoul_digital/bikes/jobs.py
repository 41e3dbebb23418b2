"""Background work of the bikes app: ``f(job, progress, **ids)`` (see core.jobs)."""

from __future__ import annotations


def recompute(job, progress, *, snapshot_path: str | None = None, at: str | None = None,
              horizon: int = 3, trucks: int = 5, demo: bool = False, user_id: int | None = None,
              preset: str = "service"):
    """Recompute every station's band from a snapshot file, the live API (when enabled) or
    a simulated demo snapshot."""
    import pandas as pd
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from seoul_digital.bikes import services
    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.live import BikeListPoller, read_status_file
    from seoul_digital.bikes.models import Recomputation, Station

    user = get_user_model().objects.get(pk=user_id) if user_id else job.user
    when = pd.Timestamp(at) if at else None
    st_to_no = dict(Station.objects.exclude(st_id="").values_list("st_id", "station_no"))
    demand = None
    if snapshot_path:
        snapshot = read_status_file(snapshot_path, st_to_no)
        source, label = Recomputation.Source.FILE, str(snapshot_path)
    elif getattr(settings, "BIKES_LIVE_ENABLED", False) and not demo:
        poller = BikeListPoller(getattr(settings, "BIKES_LIVE_KEY", ""),
                                getattr(settings, "BIKES_LIVE_URL", None) or
                                "http://openapi.seoul.go.kr:8088/{key}/json/bikeList/{start}/{end}/",
                                enabled=True)
        snapshot = poller.fetch(st_to_no)
        source, label = Recomputation.Source.LIVE, "bikeList"
    else:
        stations = services.station_frame()
        when = when or pd.Timestamp("2018-05-15 08:00")
        usage, uci = services.load_engine_sources()
        demand = sy.build_demand(stations, when.strftime("%Y-%m"), usage, uci)
        snapshot = services.simulated_snapshot(stations, demand, when)
        source, label = Recomputation.Source.DEMO, "simulated"
    run = services.do_recompute(user, snapshot, at=when, horizon=horizon, trucks=trucks,
                                source=source, source_label=label, demand=demand,
                                preset=preset, progress=progress)
    from django.urls import reverse

    return {"run": run.pk, "url": reverse("bikes:index"),
            "message": f"{run.stations}개 대여소, 빈 대여소 위험 {run.empty_risk}곳"}
