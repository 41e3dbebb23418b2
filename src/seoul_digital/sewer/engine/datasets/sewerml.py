"""Sewer-ML CSV (multi-hot frame labels): ``Filename, RB, OB, …, OK`` (0/1), optionally
``Defect``, ``VideoId``/``Video`` and ``Split`` columns. Split files named like
``SewerML_Train.csv`` / ``SewerML_Val.csv`` set each row's split (the benchmark's own splits
are by video). Labels map to ours through :data:`taxonomy.SEWERML_TO_CODE`.
"""

from __future__ import annotations

from pathlib import Path

from seoul_digital.common.korean_files import UnreadableFile, read_table
from seoul_digital.sewer.engine import taxonomy
from seoul_digital.sewer.engine.datasets.base import (
    Box,
    Dataset,
    DatasetError,
    Sample,
    find_images,
    missing_images_error,
)

__all__ = ["read_sewerml"]

_SPLIT_WORDS = {"train": "train", "training": "train", "val": "val", "valid": "val",
                "validation": "val", "test": "test"}


def _split_from_name(name: str) -> str:
    lowered = name.lower()
    for word, split in _SPLIT_WORDS.items():
        if f"_{word}" in lowered or lowered.startswith(word):
            return split
    return ""


def read_sewerml(root: str | Path, *, skip_missing: bool = False) -> Dataset:
    root = Path(root)
    if not root.exists():
        raise DatasetError(f"{root}: no such folder")
    csv_files = [root] if root.is_file() else sorted(p for p in root.rglob("*.csv") if p.is_file())
    if not csv_files:
        raise DatasetError(f"{root}: no Sewer-ML label files (*.csv) found")
    image_index = find_images(root if root.is_dir() else root.parent)
    samples, missing = [], []
    for path in csv_files:
        try:
            table = read_table(path)
        except UnreadableFile as err:
            raise DatasetError(f"{path}: {err}") from None
        filename_col = table.find_column("Filename", "filename", "file_name", "image")
        if filename_col is None:
            raise DatasetError(f"{path}: no 'Filename' column (header: {', '.join(table.header[:8])})")
        label_cols = [h for h in table.header if h.strip().upper() in taxonomy.SEWERML_TO_CODE]
        unknown = [h for h in table.header
                   if len(h.strip()) == 2 and h.strip().isupper() and h.strip() not in taxonomy.SEWERML_TO_CODE]
        if unknown:
            raise DatasetError(f"{path}: class column(s) {', '.join(unknown)} are not Sewer-ML classes "
                               f"(known: {', '.join(taxonomy.SEWERML_TO_CODE)})")
        if not label_cols:
            raise DatasetError(f"{path}: none of the Sewer-ML class columns ({', '.join(taxonomy.SEWERML_TO_CODE)}) found")
        video_col = table.find_column("VideoId", "Video", "video_id")
        split_col = table.find_column("Split")
        file_split = _split_from_name(path.stem)
        for line_no, record in enumerate(table.records(), start=table.first_data_line):
            name = record[filename_col].strip()
            if not name:
                continue
            codes = set()
            for col in label_cols:
                value = record[col].strip()
                if value in ("", "0", "0.0"):
                    continue
                if value not in ("1", "1.0"):
                    raise DatasetError(f"{path} line {line_no}: column {col} is {value!r}, expected 0 or 1")
                codes.add(taxonomy.SEWERML_TO_CODE[col.strip().upper()])
            image = image_index.get(name) or image_index.get(Path(name).stem)
            if image is None:
                missing.append(name)
                continue
            samples.append(Sample(
                image=image, codes=frozenset(codes), boxes=tuple(Box(c) for c in sorted(codes)),
                video_id=(record[video_col].strip() if video_col else ""),
                split=_SPLIT_WORDS.get(record[split_col].strip().lower(), "") if split_col else file_split,
            ))
    if missing and not skip_missing:
        raise missing_images_error(missing, f"the Sewer-ML CSV in {root}")
    notes = [f"skipped {len(missing)} labelled image(s) that are missing"] if missing else []
    if not samples:
        raise DatasetError(f"{root}: no labelled images could be read")
    dataset = Dataset(samples, "sewerml", root, notes)
    if not any(s.video_id for s in samples):
        from seoul_digital.sewer.engine.datasets.splits import group_numeric_runs

        group_numeric_runs(dataset.samples)
        dataset.notes.append("no video column: videos inferred from runs of consecutive frame numbers")
    return dataset
