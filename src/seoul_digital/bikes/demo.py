"""Demo data: the station list (real 2023-06 list where ../shared is present, else a
synthetic list in the same layout) and one recomputation from a simulated 08:00 snapshot."""

from __future__ import annotations

from typing import Iterator

DEMO_AT = "2018-05-15 08:00"


def demo_stations():
    from django.conf import settings

    from seoul_digital.bikes.engine.sources import load_sources

    folder = (settings.SEOUL_DATA_DIR / "bikes") if getattr(settings, "SEOUL_DATA_DIR", None) else None
    src = load_sources(None, folder, synthetic_stations=300, with_uci=False)
    return src.stations.usable, src.notes[0]


def load(recompute: bool = True) -> Iterator[str]:
    import pandas as pd

    from seoul_digital.bikes import services
    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.models import Recomputation, Station

    if not Station.objects.exists():
        frame, note = demo_stations()
        summary = services.do_sync_stations(None, frame, source=note)
        yield f"stations: {summary['created']} created ({note})"
    else:
        yield f"stations: {Station.objects.count()} already there"
    if recompute and not Recomputation.objects.exists():
        at = pd.Timestamp(DEMO_AT)
        stations = services.station_frame()
        usage, uci = services.load_engine_sources()
        demand = sy.build_demand(stations, at.strftime("%Y-%m"), usage, uci)
        snapshot = services.simulated_snapshot(stations, demand, at)
        run = services.do_recompute(None, snapshot, at=at, horizon=3, trucks=8, demand=demand,
                                    source=Recomputation.Source.DEMO, source_label="simulated 08:00")
        yield (f"recomputation at {DEMO_AT}: {run.stations} stations, {run.empty_risk} empty-risk, "
               f"{run.full_risk} full-risk, {run.routes.count()} truck routes")
