"""Group-wise splits: whole pipes, videos or districts go to one split, never single frames,
so no near-duplicate frame of a video sits on both sides."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Sequence

from seoul_digital.sewer.engine.datasets.base import Sample

__all__ = ["group_split", "group_numeric_runs", "shared_groups", "near_duplicate_pairs", "SPLIT_NAMES"]

SPLIT_NAMES = ("train", "val", "test")


def group_numeric_runs(samples: Sequence[Sample], max_gap: int = 100) -> None:
    """Give frames named by number (Sewer-ML style ``00212205``) a video id per run of
    numbers no more than ``max_gap`` apart: frames of one video are numbered consecutively."""
    numbered = sorted(samples, key=lambda s: int(s.image.stem))
    run_start, previous = None, None
    for sample in numbered:
        number = int(sample.image.stem)
        if previous is None or number - previous > max_gap:
            run_start = sample.image.stem
        sample.video_id = sample.video_id or f"run-{run_start}"
        previous = number


def group_split(samples: Sequence[Sample], fractions: Sequence[float] = (0.7, 0.15, 0.15), *,
                key: str = "video", seed: int = 0) -> dict[str, list[Sample]]:
    """Assign whole groups to train/val/test so each split's frame count approaches its
    fraction. Deterministic for a seed; groups are taken largest first, each to the split
    furthest below its target."""
    if len(fractions) != 3 or any(f < 0 for f in fractions) or sum(fractions) <= 0:
        raise ValueError("fractions must be three non-negative numbers (train, val, test)")
    total = sum(fractions)
    fractions = [f / total for f in fractions]
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.group(key)].append(sample)
    names = sorted(groups)
    random.Random(seed).shuffle(names)
    names.sort(key=lambda g: -len(groups[g]))  # stable: ties keep the shuffled order
    targets = [f * len(samples) for f in fractions]
    counts = [0, 0, 0]
    result: dict[str, list[Sample]] = {name: [] for name in SPLIT_NAMES}
    for index, name in enumerate(names):
        # Every split with a positive fraction gets at least one group when there are enough.
        empty = [i for i in range(3) if fractions[i] > 0 and counts[i] == 0]
        if empty and len(names) - index <= len(empty):
            choice = empty[0]
        else:
            choice = max(range(3), key=lambda i: (targets[i] - counts[i]) / max(targets[i], 1e-9)
                         if fractions[i] > 0 else float("-inf"))
        counts[choice] += len(groups[name])
        result[SPLIT_NAMES[choice]].extend(groups[name])
    return result


def shared_groups(a: Sequence[Sample], b: Sequence[Sample], key: str = "video") -> set[str]:
    return {s.group(key) for s in a} & {s.group(key) for s in b}


def near_duplicate_pairs(train: Sequence[Sample], other: Sequence[Sample], max_gap: int = 100) -> int:
    """For numbered frames: how many frames of ``other`` lie within ``max_gap`` frame numbers
    of a training frame (a leak when a source's own split was made by frame)."""
    numbers = sorted(int(s.image.stem) for s in train if s.image.stem.isdigit())
    if not numbers:
        return 0
    import bisect

    close = 0
    for sample in other:
        if not sample.image.stem.isdigit():
            continue
        n = int(sample.image.stem)
        i = bisect.bisect_left(numbers, n)
        near = [numbers[j] for j in (i - 1, i) if 0 <= j < len(numbers)]
        if any(abs(n - m) <= max_gap for m in near):
            close += 1
    return close
