"""YOLO txt labels: ``images/<split>/*.png`` with ``labels/<split>/*.txt`` (``class cx cy w h``,
normalised), class names in ``labels.txt`` / ``classes.txt`` / ``data.yaml``.

The real frames in ``../shared/data/sewer/sewer_defects`` are in this format (joint → PJ,
obstacle → PO). Their file names are 8-digit frame numbers; videos are inferred from runs
of consecutive numbers so near-duplicate frames stay on one side of a split.
"""

from __future__ import annotations

from pathlib import Path

from seoul_digital.sewer.engine import taxonomy
from seoul_digital.sewer.engine.datasets.base import (
    IMAGE_SUFFIXES,
    Box,
    Dataset,
    DatasetError,
    Sample,
    frame_group_key,
    missing_images_error,
)

__all__ = ["read_yolo", "read_class_names"]

_SPLITS = {"train": "train", "training": "train", "val": "val", "valid": "val",
           "validation": "val", "test": "test", "testing": "test"}


def read_class_names(root: Path) -> list[str]:
    for name in ("labels.txt", "classes.txt", "obj.names", "classes.names"):
        for path in sorted(root.rglob(name)):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            names = [line.strip() for line in text.splitlines() if line.strip()]
            if names:
                return names
    for path in sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml")):
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as err:
            raise DatasetError(f"{path}: not valid YAML ({err})") from None
        names = (data or {}).get("names") if isinstance(data, dict) else None
        if isinstance(names, dict):
            return [str(names[k]) for k in sorted(names)]
        if isinstance(names, list):
            return [str(n) for n in names]
    raise DatasetError(f"{root}: no class-name file (labels.txt, classes.txt, obj.names or data.yaml 'names')")


def _split_of(path: Path, root: Path) -> str:
    for part in path.relative_to(root).parts:
        if part.lower() in _SPLITS:
            return _SPLITS[part.lower()]
    return ""


def read_yolo(root: str | Path, *, skip_missing: bool = False) -> Dataset:
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root}: no such folder")
    names = read_class_names(root)
    try:
        codes_by_id = [taxonomy.resolve(n, "yolo") for n in names]
    except taxonomy.UnknownClass as err:
        raise DatasetError(f"{root}: {err}") from None
    label_files = sorted(p for p in root.rglob("*.txt")
                         if p.is_file() and p.name not in ("labels.txt", "classes.txt"))
    if not label_files:
        raise DatasetError(f"{root}: no YOLO label files (*.txt) found")
    samples, missing = [], []
    for path in label_files:
        # images/<split>/x.png beside labels/<split>/x.txt, or the image next to the label.
        parts = list(path.parts)
        candidates = []
        if "labels" in parts:
            i = len(parts) - 1 - parts[::-1].index("labels")
            candidates.append(Path(*parts[:i], "images", *parts[i + 1:]).with_suffix(""))
        candidates.append(path.with_suffix(""))
        image = None
        for base in candidates:
            for suffix in IMAGE_SUFFIXES + tuple(s.upper() for s in IMAGE_SUFFIXES):
                if base.with_suffix(suffix).is_file():
                    image = base.with_suffix(suffix)
                    break
            if image:
                break
        if image is None:
            missing.append(path.name)
            continue
        boxes = []
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise DatasetError(f"{path}: cannot read ({err})") from None
        for line_no, line in enumerate(lines, start=1):
            fields = line.split()
            if not fields:
                continue
            try:
                class_id = int(fields[0])
                cx, cy, w, h = (float(v) for v in fields[1:5])
            except (ValueError, IndexError):
                raise DatasetError(f"{path} line {line_no}: expected 'class cx cy w h', got {line.strip()[:60]!r}") from None
            if not 0 <= class_id < len(codes_by_id):
                raise DatasetError(f"{path} line {line_no}: class id {class_id} is not in the "
                                   f"{len(codes_by_id)} class names ({', '.join(names)})")
            code = codes_by_id[class_id]
            if code == taxonomy.SKIP:
                continue
            boxes.append(Box(code, (cx - w / 2, cy - h / 2, w, h)))  # normalised units
        samples.append(Sample(
            image=image, codes=frozenset(b.code for b in boxes if b.code != taxonomy.NORMAL),
            boxes=tuple(boxes), split=_split_of(path, root),
            meta={"bbox_units": "normalised"},
        ))
    if missing and not skip_missing:
        raise missing_images_error(missing, f"the YOLO labels in {root}")
    if not samples:
        raise DatasetError(f"{root}: no labelled images could be read")
    dataset = Dataset(samples, "yolo", root,
                      [f"classes: " + ", ".join(f"{n}→{c}" for n, c in zip(names, codes_by_id))])
    if missing:
        dataset.notes.append(f"skipped {len(missing)} label file(s) without an image")
    if all(s.image.stem.isdigit() for s in samples):
        from seoul_digital.sewer.engine.datasets.splits import group_numeric_runs

        group_numeric_runs(samples)
        dataset.notes.append("videos inferred from runs of consecutive frame numbers")
    else:
        for s in samples:
            s.video_id = frame_group_key(s.image.stem)
    return dataset
