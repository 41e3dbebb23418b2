"""`seoul-digital sewer …` commands. Import heavy modules inside commands, not here.

Engine commands (synth, train, evaluate, screen) never start Django.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click


@click.group(help="AI sewer inspection: synthetic data, training, evaluation, video screening.")
def group() -> None:
    pass


@contextmanager
def _bar(label: str, quiet: bool = False):
    """A terminal progress bar speaking the engines' progress(done, total, message)."""
    if quiet or not sys.stderr.isatty():
        last = {"pct": -10}

        def report(done, total, message=""):
            pct = int(100 * done / total) if total else 0
            if pct >= last["pct"] + 10 and not quiet:
                last["pct"] = pct
                click.echo(f"{label}: {pct}% {message}", err=True)

        yield report
        return
    with click.progressbar(length=1000, label=label, file=sys.stderr, show_eta=True) as bar:
        state = {"pos": 0}

        def report(done, total, message=""):
            pos = int(1000 * done / total) if total else 0
            if pos > state["pos"]:
                bar.update(pos - state["pos"])
                state["pos"] = pos

        yield report


def _fail(message: str) -> None:
    raise click.ClickException(message)


@group.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="folder to write images/, labels.json and videos/ into")
@click.option("--images", default=200, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--videos", default=1, show_default=True, type=click.IntRange(0, 1000))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--width", default=360, show_default=True, type=click.IntRange(64, 4096))
@click.option("--height", default=240, show_default=True, type=click.IntRange(48, 4096))
@click.option("--video-seconds", default=40.0, show_default=True, type=click.FloatRange(5, 3600),
              help="approximate length of each video")
def synth(out: Path, images: int, videos: int, seed: int, width: int, height: int,
          video_seconds: float) -> None:
    """Render labelled pipe frames (AI Hub JSON) and crawler videos; same seed, same files."""
    from seoul_digital.sewer.engine.synth import synthesize

    with _bar("synth") as progress:
        summary = synthesize(out, images=images, videos=videos, seed=seed, width=width,
                             height=height, video_seconds=video_seconds, progress=progress)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
