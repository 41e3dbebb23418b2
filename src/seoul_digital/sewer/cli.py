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


def _own_args() -> list[str]:
    """The command's words after `seoul-digital sewer` (or `python -m seoul_digital.sewer.cli`)."""
    args = sys.argv[1:]
    return args[1:] if args[:1] == ["sewer"] else args


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
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256),
              help="processes rendering images (same files whatever the number)")
def synth(out: Path, images: int, videos: int, seed: int, width: int, height: int,
          video_seconds: float, workers: int) -> None:
    """Render labelled pipe frames (AI Hub JSON) and crawler videos; same seed, same files."""
    from seoul_digital.sewer.engine.synth import synthesize

    with _bar("synth") as progress:
        summary = synthesize(out, images=images, videos=videos, seed=seed, width=width,
                             height=height, video_seconds=video_seconds, workers=workers,
                             progress=progress)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=1))


FORMAT_CHOICE = click.Choice(["aihub", "voc", "sewerml", "yolo"])


def _read(data: Path, fmt: str, skip_missing: bool):
    from seoul_digital.sewer.engine.datasets import DatasetError, read_dataset

    try:
        return read_dataset(data, fmt, skip_missing=skip_missing)
    except DatasetError as err:
        _fail(str(err))


@group.command()
@click.option("--data", required=True, type=click.Path(path_type=Path), help="labelled dataset folder")
@click.option("--format", "fmt", required=True, type=FORMAT_CHOICE)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="model folder to write")
@click.option("--epochs", default=8, show_default=True, type=click.IntRange(1, 500))
@click.option("--device", default="cpu", show_default=True, type=click.Choice(["cpu", "cuda"]))
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 4096))
@click.option("--lr", default=2e-3, show_default=True, type=float)
@click.option("--freeze-blocks", default=13, show_default=True, type=click.IntRange(0, 16),
              help="MBConv blocks (of 16) that keep their ImageNet weights")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--threads", default=None, type=click.IntRange(1, 256), help="CPU threads (default: torch's)")
@click.option("--init", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="continue from a model folder trained here (fine-tuning)")
@click.option("--split-by", default="video", show_default=True, type=click.Choice(["video", "pipe", "district"]),
              help="group for splitting when the data has no split of its own")
@click.option("--regroup", is_flag=True,
              help="ignore the data's own train/val/test folders and split whole videos/pipes instead")
@click.option("--skip-missing", is_flag=True, help="train on the labelled images that exist")
def train(data, fmt, out, epochs, device, batch_size, lr, freeze_blocks, seed, threads, init, split_by,
          regroup, skip_missing):
    """Train the frame classifier, tune per-class thresholds on validation, export ONNX."""
    from seoul_digital.sewer.engine.datasets import DatasetError
    from seoul_digital.sewer.engine.model import TrainConfig, TrainingUnavailable, train_model

    dataset = _read(data, fmt, skip_missing)
    click.echo(f"{len(dataset)} images from {data} ({fmt}); " + "; ".join(dataset.notes), err=True)
    config = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, freeze_blocks=freeze_blocks,
                         device=device, seed=seed, threads=threads, init=str(init) if init else None,
                         split_key=split_by, use_given_split=not regroup,
                         command="seoul-digital sewer " + " ".join(_own_args()))
    try:
        with _bar("train") as progress:
            card = train_model(dataset, out, config, progress=progress)
    except (DatasetError, TrainingUnavailable) as err:
        _fail(str(err))
    summary = {split: {k: m[k] for k in ("f2_ciw", "f1_normal", "defect_accuracy")}
               for split, m in card["metrics"].items()}
    click.echo(json.dumps({"model": str(out), "version": card["version"], "split": card["split"],
                           "metrics": summary}, ensure_ascii=False, indent=1))


@group.command()
@click.option("--model", "model_dir", required=True, type=click.Path(path_type=Path))
@click.option("--data", required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True, type=FORMAT_CHOICE)
@click.option("--split", default=None, help="train, val, test, all or a sum like val+test "
              "(default: test when the data has a test split, else all)")
@click.option("--threads", default=None, type=click.IntRange(1, 256))
@click.option("--regroup", is_flag=True, help="split as 'train --regroup' does (same --seed and --split-by)")
@click.option("--split-by", default="video", show_default=True, type=click.Choice(["video", "pipe", "district"]))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--skip-missing", is_flag=True)
@click.option("--json", "as_json", is_flag=True, help="print the metrics as JSON")
def evaluate(model_dir, data, fmt, split, threads, regroup, split_by, seed, skip_missing, as_json):
    """Score a model on a labelled set: F2-CIW and F1-Normal as Sewer-ML defines them."""
    import cv2

    from seoul_digital.sewer.engine import metrics
    from seoul_digital.sewer.engine.inference import Classifier, ModelError

    dataset = _read(data, fmt, skip_missing)
    try:
        classifier = Classifier(model_dir, threads=threads)
    except ModelError as err:
        _fail(str(err))
    if regroup:
        from seoul_digital.sewer.engine.model import choose_splits

        groups, _how = choose_splits(dataset, key=split_by, seed=seed, use_given=False)
        for name, members in groups.items():
            for sample in members:
                sample.split = name
    splits = {s.split for s in dataset.samples}
    if split is None:
        split = "test" if "test" in splits else "all"
    if split != "all":
        wanted = set(split.replace(",", "+").split("+"))
        unknown = wanted - {"train", "val", "test"}
        if unknown:
            _fail(f"unknown split {', '.join(sorted(unknown))}; use train, val, test, all or val+test")
        dataset = dataset.subset(s for s in dataset.samples if s.split in wanted)
        if not len(dataset):
            _fail(f"no images in split {split} (the data has: {', '.join(sorted(x or '-' for x in splits))})")
    images = []
    for sample in dataset.samples:
        image = cv2.imread(str(sample.image), cv2.IMREAD_COLOR)
        if image is None:
            _fail(f"{sample.image}: not a readable image")
        images.append(image)
    codes = classifier.codes
    probs = classifier.predict(images, batch_size=64)
    result = metrics.evaluate_scores(probs, dataset.labels(codes), codes, classifier.thresholds)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    click.echo(f"model {classifier.card.version} on {len(dataset)} images ({split}) of {data}")
    fmt_ = lambda v: "   –  " if v is None else f"{v:6.3f}"  # noqa: E731
    click.echo(f"F2-CIW {fmt_(result['f2_ciw'])}   F1-Normal {fmt_(result['f1_normal'])}   "
               f"defect accuracy {fmt_(result['defect_accuracy'])}")
    counts = dataset.class_counts()
    click.echo("class  support  precision  recall     F1     AP")
    for code, v in result["per_class"].items():
        if counts.get(code, 0) or v["precision"] is not None:
            click.echo(f"{code:<5} {counts.get(code, 0):>8}  {fmt_(v['precision'])}  {fmt_(v['recall'])}  "
                       f"{fmt_(v['f1'])} {fmt_(v['ap'])}")


@group.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--model", "model_dir", default=None, type=click.Path(path_type=Path),
              help="model folder (default: the model shipped with the platform)")
@click.option("--fps", "sample_fps", default=5.0, show_default=True, type=click.FloatRange(0.1, 120),
              help="frames per second to classify")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 4096))
@click.option("--threads", default=None, type=click.IntRange(1, 256))
@click.option("--chainage", nargs=2, type=float, default=None, metavar="START_M END_M",
              help="distance at the start and end of the video, used when the counter cannot be read")
@click.option("--thumbs", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="folder for finding thumbnails and heatmaps (default: VIDEO.findings/)")
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON")
def screen(video, model_dir, sample_fps, batch_size, threads, chainage, thumbs, as_json):
    """Screen an inspection video and list the defects found with time, distance and clock."""
    from seoul_digital.sewer.engine.inference import Classifier, ModelError
    from seoul_digital.sewer.engine.registry import shipped_model_dir
    from seoul_digital.sewer.engine.screening import VideoError, screen_video

    try:
        classifier = Classifier(model_dir or shipped_model_dir(), threads=threads)
    except ModelError as err:
        _fail(str(err))
    thumbs = thumbs or video.with_name(video.name + ".findings")
    try:
        with _bar("screen", quiet=as_json) as progress:
            result = screen_video(video, classifier, sample_fps=sample_fps, batch_size=batch_size,
                                  chainage=tuple(chainage) if chainage else None, thumbs_dir=thumbs,
                                  progress=progress)
    except VideoError as err:
        _fail(str(err))
    if as_json:
        doc = result.as_dict()
        doc["thumbnails_dir"] = str(thumbs)
        doc.pop("timeline")
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    v = result.video
    click.echo(f"{video}: {v.width}×{v.height}, {v.fps:g} fps, {v.duration_s:.1f} s; "
               f"{result.frames_sampled} frames classified in {result.seconds:.1f} s")
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    for f in result.findings:
        where = f"{f.distance_m:.2f} m" if f.distance_m is not None else "?"
        click.echo(f"{f.start_s:7.1f}–{f.end_s:7.1f} s  {f.code} {taxonomy_name(f.code):<12} "
                   f"{f.confidence:.2f}  {where:>9}  {f.clock or '-'}시")
    click.echo(f"thumbnails: {thumbs}")


def taxonomy_name(code: str) -> str:
    from seoul_digital.sewer.engine.taxonomy import BY_CODE

    return BY_CODE[code].name_ko


@group.command("register-model")
@click.argument("model_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--name", default="", help="a name people will recognise")
@click.option("--district", "districts", multiple=True, help="행정안전부 code of a district to switch to it")
def register_model(model_dir, name, districts):
    """Copy a trained model into the registry (and optionally switch districts to it)."""
    from seoul_digital.cli import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from seoul_digital.core.models import District
    from seoul_digital.sewer import services
    from seoul_digital.sewer.engine.inference import ModelError

    try:
        version = services.do_register_model(None, model_dir, name=name)
    except (ValidationError, ModelError) as err:
        _fail(" ".join(getattr(err, "messages", [str(err)])))
    click.echo(f"registered {version.version} ({version.f2_ciw})")
    for code in districts:
        district = District.objects.filter(code=code).first()
        if district is None:
            _fail(f"no district with code {code}")
        services.do_choose_model(None, district, version)
        click.echo(f"{district.name_ko} now uses {version.version}")


if __name__ == "__main__":  # `python -m seoul_digital.sewer.cli`: the engine commands without Django
    group()
