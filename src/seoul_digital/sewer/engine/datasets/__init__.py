"""Readers for the sewer datasets the model can learn from (AI Hub JSON, Pascal VOC,
Sewer-ML CSV, YOLO txt) and group-wise splits. Plain Python: no Django, no torch."""

from __future__ import annotations

from pathlib import Path

from seoul_digital.sewer.engine.datasets.aihub import read_aihub, write_aihub
from seoul_digital.sewer.engine.datasets.base import Box, Dataset, DatasetError, Sample
from seoul_digital.sewer.engine.datasets.sewerml import read_sewerml
from seoul_digital.sewer.engine.datasets.splits import group_split
from seoul_digital.sewer.engine.datasets.voc import read_voc
from seoul_digital.sewer.engine.datasets.yolo import read_yolo

__all__ = ["FORMATS", "read_dataset", "read_aihub", "write_aihub", "read_voc", "read_sewerml",
           "read_yolo", "group_split", "Box", "Dataset", "DatasetError", "Sample"]

FORMATS = {"aihub": read_aihub, "voc": read_voc, "sewerml": read_sewerml, "yolo": read_yolo}


def read_dataset(root: str | Path, fmt: str, *, skip_missing: bool = False) -> Dataset:
    try:
        reader = FORMATS[fmt]
    except KeyError:
        raise DatasetError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return reader(root, skip_missing=skip_missing)
