"""`seoul-digital bikes …` commands. Import heavy modules inside commands, not here."""

from __future__ import annotations

import json
import sys

import click


def _bar(label: str):
    def report(done, total, message=""):
        if total:
            click.echo(f"\r{label}: {100 * done / total:5.1f}% {message[:40]:<40}", nl=False, err=True)
            if done >= total:
                click.echo("", err=True)
    return report


def _dump(payload, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        for key, value in payload.items():
            click.echo(f"{key}: {value if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False, default=str)}")


@click.group(help="따릉이 safety stock: synthetic trips, forecasts, [min, target, max], routes, replay.")
def group() -> None:
    pass


@group.command()
@click.option("--month", default="2018-05", show_default=True, help="YYYY-MM to simulate")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="CSV to write (OA-15182, CP949)")
@click.option("--stations", "station_file", type=click.Path(exists=True, dir_okay=False),
              help="station list (default: the real 2023-06 list, else a synthetic one)")
@click.option("--data-dir", type=click.Path(file_okay=False), help="folder of the real bikes data")
@click.option("--scale", default=1.0, show_default=True, type=float, help="demand multiplier")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--encoding", default="cp949", show_default=True, type=click.Choice(["cp949", "utf-8"]))
def synth(month, out, station_file, data_dir, scale, seed, encoding):
    """Synthetic trips for one month in the published 대여이력 (OA-15182) layout."""
    import re

    from seoul_digital.bikes.engine import synth as sy
    from seoul_digital.bikes.engine.sources import load_sources
    from seoul_digital.bikes.engine.trips import write_trips

    if not re.fullmatch(r"\d{4}-\d{2}", month):
        raise click.BadParameter("use YYYY-MM, e.g. 2018-05", param_hint="--month")
    src = load_sources(station_file, data_dir, seed=seed)
    model = sy.build_demand(src.stations.usable, month, src.usage, src.uci, scale=scale, seed=seed)
    trips = sy.sample_trips(model, seed=seed, progress=_bar("sampling"))
    write_trips(trips, out, encoding=encoding)
    for note in src.notes:
        click.echo(note, err=True)
    for line in (src.problems.lines() + model.problems.lines()):
        click.echo(f"counted: {line}", err=True)
    click.echo(f"{len(trips):,} trips over {len(model.station_nos):,} stations → {out} "
               f"({encoding.upper()}); expected {model.calibration['expected_rentals']:,.0f}")
