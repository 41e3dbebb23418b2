"""AI Hub COCO-style JSON: read a labelled set, and write one (synthetic frames, or the
findings officers reviewed) so the next model can learn from it.

The layout read is COCO's: ``images`` (id, file_name, width, height, plus optional
``pipe_id`` / ``video_id`` / ``district``), ``annotations`` (image_id, category_id, bbox
``[x, y, w, h]`` in pixels) and ``categories`` (id, name). Either one JSON for the whole set
or one JSON per image, anywhere under the folder. Category names may be AI Hub codes (CL,
CC, SD, BK, LP, JF, JD, DS, ETC, PJ, IN), our codes, or Korean/English class names.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from seoul_digital.sewer.engine import taxonomy
from seoul_digital.sewer.engine.datasets.base import (
    Box,
    Dataset,
    DatasetError,
    Sample,
    find_images,
    frame_group_key,
    missing_images_error,
)

__all__ = ["read_aihub", "write_aihub", "aihub_categories"]

_NOT_LABELS = {"model_card.json", "synth.json", "metrics.json", "findings.json"}


def _load_json(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DatasetError(f"{path}: cannot read ({err.strerror or err})") from None
    if not raw.strip():
        raise DatasetError(f"{path}: the annotation file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp949")
        except UnicodeDecodeError:
            raise DatasetError(f"{path}: not a text file (neither UTF-8 nor CP949)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DatasetError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object with 'images' and 'annotations'")
    return data


def _category_name(category: dict) -> str:
    for key in ("name", "code", "label", "class_name"):
        if category.get(key) not in (None, ""):
            return str(category[key])
    raise DatasetError(f"category {category!r} has no name")


def read_aihub(root: str | Path, *, skip_missing: bool = False) -> Dataset:
    root = Path(root)
    if not root.exists():
        raise DatasetError(f"{root}: no such folder")
    json_files = [root] if root.is_file() else sorted(p for p in root.rglob("*.json") if p.is_file())
    if root.is_dir():  # our own side files are not label files
        json_files = [p for p in json_files if p.name not in _NOT_LABELS and not p.name.endswith(".truth.json")]
    if not json_files:
        raise DatasetError(f"{root}: no AI Hub JSON label files (*.json) found")
    image_index = find_images(root if root.is_dir() else root.parent)
    samples: list[Sample] = []
    missing: list[str] = []
    skipped = Counter()
    for path in json_files:
        data = _load_json(path)
        if "images" not in data or "annotations" not in data:
            raise DatasetError(f"{path}: not an AI Hub/COCO label file (needs 'images' and 'annotations')")
        categories = {}
        for category in data.get("categories") or []:
            name = _category_name(category)
            try:
                categories[category.get("id")] = taxonomy.resolve(name, "aihub")
            except taxonomy.UnknownClass as err:
                raise DatasetError(f"{path}: {err}") from None
        boxes_by_image: dict = {}
        for ann in data["annotations"]:
            if not isinstance(ann, dict) or "image_id" not in ann:
                raise DatasetError(f"{path}: annotation without image_id: {str(ann)[:80]}")
            if "category_id" in ann and ann["category_id"] in categories:
                code = categories[ann["category_id"]]
            elif ann.get("category_name") or ann.get("label"):
                try:
                    code = taxonomy.resolve(ann.get("category_name") or ann.get("label"), "aihub")
                except taxonomy.UnknownClass as err:
                    raise DatasetError(f"{path}: {err}") from None
            else:
                raise DatasetError(f"{path}: annotation {ann.get('id', '?')} has category_id "
                                   f"{ann.get('category_id')!r}, which is not in 'categories'")
            if code == taxonomy.SKIP:
                skipped["unmapped label (e.g. ETC)"] += 1
                continue
            bbox = ann.get("bbox")
            box = None
            if bbox is not None:
                try:
                    box = tuple(float(v) for v in bbox[:4])
                    if len(box) != 4:
                        raise ValueError
                except (TypeError, ValueError):
                    raise DatasetError(f"{path}: annotation {ann.get('id', '?')} has a malformed bbox {bbox!r}") from None
            boxes_by_image.setdefault(ann["image_id"], []).append(Box(code, box))
        for image in data["images"]:
            if not isinstance(image, dict) or "file_name" not in image:
                raise DatasetError(f"{path}: image entry without file_name: {str(image)[:80]}")
            name = str(image["file_name"])
            candidate = (path.parent / name)
            if not candidate.is_file():
                candidate = image_index.get(Path(name).name) or image_index.get(Path(name).stem)
            if candidate is None or not Path(candidate).is_file():
                missing.append(name)
                continue
            boxes = tuple(boxes_by_image.get(image.get("id"), ()))
            codes = frozenset(b.code for b in boxes if b.code != taxonomy.NORMAL)
            stem = Path(name).stem
            samples.append(Sample(
                image=Path(candidate), codes=codes, boxes=boxes,
                width=image.get("width"), height=image.get("height"),
                pipe_id=str(image.get("pipe_id") or ""),
                video_id=str(image.get("video_id") or image.get("pipe_id") or frame_group_key(stem)),
                district=str(image.get("district") or ""),
                split=str(image.get("split") or ""),
                meta={k: image[k] for k in ("frame_time_s", "distance_m", "render") if k in image},
            ))
    if missing and not skip_missing:
        raise missing_images_error(missing, f"the AI Hub labels in {root}")
    notes = [f"skipped {n} annotation(s): {why}" for why, n in skipped.items()]
    if missing:
        notes.append(f"skipped {len(missing)} labelled image(s) that are missing")
    if not samples:
        raise DatasetError(f"{root}: the label files list no readable images")
    return Dataset(samples, "aihub", root, notes)


def aihub_categories() -> list[dict]:
    """Categories in our own codes (an AI Hub reader resolves them all)."""
    return [{"id": i + 1, "name": c.code, "name_ko": c.name_ko, "name_en": c.name_en,
             "supercategory": c.group} for i, c in enumerate(taxonomy.CLASSES)]


def write_aihub(path: str | Path, images: Iterable[dict], *, description: str) -> Path:
    """Write one COCO-style JSON. ``images`` yields dicts with ``file_name``, ``width``,
    ``height``, optional metadata, and ``objects``: a list of ``{code, bbox}``."""
    path = Path(path)
    categories = aihub_categories()
    cat_id = {c["name"]: c["id"] for c in categories}
    out_images, out_annotations = [], []
    for image_id, image in enumerate(images, start=1):
        objects = image.get("objects", [])
        entry = {k: v for k, v in image.items() if k != "objects"}
        entry["id"] = image_id
        out_images.append(entry)
        for obj in objects:
            code = obj["code"]
            if code not in cat_id:
                raise ValueError(f"class {code!r} is not in the taxonomy")
            bbox = obj.get("bbox")
            ann = {"id": len(out_annotations) + 1, "image_id": image_id, "category_id": cat_id[code],
                   "iscrowd": 0, "segmentation": []}
            if bbox is not None:
                ann["bbox"] = [round(float(v), 1) for v in bbox]
                ann["area"] = round(float(bbox[2]) * float(bbox[3]), 1)
            out_annotations.append(ann)
    document = {
        "info": {"description": description, "version": "1.0",
                 "date_created": dt.date.today().isoformat(),
                 "taxonomy": "Seoul sewer 18+2 (seoul_digital.sewer.engine.taxonomy)"},
        "images": out_images,
        "annotations": out_annotations,
        "categories": categories,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
