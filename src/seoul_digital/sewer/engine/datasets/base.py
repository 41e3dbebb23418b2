"""What every reader returns: samples (one image each, multi-label) and a dataset around them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from seoul_digital.sewer.engine.taxonomy import ALL_CODES, DEFECT_CODES, MODEL_CODES, NORMAL

__all__ = ["DatasetError", "Box", "Sample", "Dataset", "IMAGE_SUFFIXES", "frame_group_key",
           "find_images", "missing_images_error"]

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


class DatasetError(ValueError):
    """An annotation set we cannot read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Box:
    """One labelled object: class code and pixel box (x, y, width, height), if any."""

    code: str
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class Sample:
    image: Path
    codes: frozenset[str]
    boxes: tuple[Box, ...] = ()
    width: int | None = None
    height: int | None = None
    pipe_id: str = ""
    video_id: str = ""
    district: str = ""
    split: str = ""  # the split the source assigned, if any ("train", "val", "test")
    meta: dict = field(default_factory=dict)

    @property
    def is_defect(self) -> bool:
        return any(c in DEFECT_CODES for c in self.codes)

    def group(self, key: str = "video") -> str:
        """The grouping value for ``key`` (pipe, video or district), falling back to the
        finer groups so a sample never lands alone by accident."""
        if key == "district":
            return self.district or self.pipe_id or self.video_id or self.image.stem
        if key == "pipe":
            return self.pipe_id or self.video_id or self.image.stem
        if key == "video":
            return self.video_id or self.pipe_id or self.image.stem
        raise ValueError(f"unknown group key {key!r}; use pipe, video or district")


@dataclass
class Dataset:
    samples: list[Sample]
    format: str
    root: Path
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.samples)

    def labels(self, codes: Sequence[str] = MODEL_CODES) -> np.ndarray:
        """Multi-hot matrix (samples × codes) as float32."""
        index = {c: i for i, c in enumerate(codes)}
        y = np.zeros((len(self.samples), len(codes)), dtype=np.float32)
        for row, sample in enumerate(self.samples):
            for code in sample.codes:
                if code in index:
                    y[row, index[code]] = 1.0
        return y

    def class_counts(self) -> dict[str, int]:
        counts = Counter(code for s in self.samples for code in s.codes)
        counts[NORMAL] = sum(1 for s in self.samples if not s.is_defect)
        return {c: counts.get(c, 0) for c in ALL_CODES}

    def subset(self, samples: Iterable[Sample]) -> "Dataset":
        return Dataset(list(samples), self.format, self.root, list(self.notes))

    def by_split(self, split: str) -> "Dataset":
        return self.subset(s for s in self.samples if s.split == split)

    def summary(self) -> dict:
        return {
            "format": self.format,
            "root": str(self.root),
            "images": len(self.samples),
            "defect_images": sum(1 for s in self.samples if s.is_defect),
            "splits": dict(Counter(s.split or "-" for s in self.samples)),
            "groups": len({s.group("video") for s in self.samples}),
            "class_counts": {k: v for k, v in self.class_counts().items() if v},
            "notes": self.notes,
        }


_TRAILING_FRAME = re.compile(r"^(.*?)[_\-\s.]*(?:f|frame)?[_\-]?(\d+)$", re.IGNORECASE)


def frame_group_key(stem: str) -> str:
    """A video/pipe key from a frame's file name: the name without its trailing frame number
    ("V0012_000345" → "V0012"). Names that are only digits are grouped later by
    :func:`seoul_digital.sewer.engine.datasets.splits.group_numeric_runs`."""
    match = _TRAILING_FRAME.match(stem)
    if match and match.group(1):
        return match.group(1)
    return stem


def find_images(root: Path) -> dict[str, Path]:
    """Every image under ``root`` by file name (and by stem, for labels that omit suffixes)."""
    index: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            index.setdefault(path.name, path)
            index.setdefault(path.stem, path)
    return index


def missing_images_error(missing: list[str], label_source: str) -> DatasetError:
    shown = ", ".join(missing[:5]) + (f" … (+{len(missing) - 5} more)" if len(missing) > 5 else "")
    return DatasetError(
        f"{len(missing)} labelled image(s) not found for {label_source}: {shown}. "
        "Put the images beside the labels (or in an images/ folder), or pass --skip-missing "
        "to train on the images that are there."
    )
