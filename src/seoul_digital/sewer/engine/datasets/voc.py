"""Pascal VOC XML (the Seoul contractors' annotation exports): one XML per image.

``<annotation><filename>…</filename><size><width/><height/></size>
<object><name>CL</name><bndbox><xmin/>…</bndbox></object>…</annotation>``; optional
``<pipe_id>``, ``<video_id>``, ``<district>`` elements (Seoul extension) give the group.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

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

__all__ = ["read_voc"]


def _text(node, tag: str, default: str = "") -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None and found.text else default


def read_voc(root: str | Path, *, skip_missing: bool = False) -> Dataset:
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root}: no such folder")
    xml_files = sorted(p for p in root.rglob("*.xml") if p.is_file())
    if not xml_files:
        raise DatasetError(f"{root}: no Pascal VOC label files (*.xml) found")
    image_index = find_images(root)
    samples, missing, skipped = [], [], Counter()
    for path in xml_files:
        try:
            tree = ET.parse(path)
        except ET.ParseError as err:
            raise DatasetError(f"{path}: not valid XML ({err})") from None
        except OSError as err:
            raise DatasetError(f"{path}: cannot read ({err.strerror or err})") from None
        node = tree.getroot()
        if node.tag != "annotation":
            raise DatasetError(f"{path}: not a Pascal VOC file (root element <{node.tag}>, expected <annotation>)")
        filename = _text(node, "filename") or path.with_suffix(".jpg").name
        image = path.parent / filename
        if not image.is_file():
            image = image_index.get(Path(filename).name) or image_index.get(Path(filename).stem) \
                or image_index.get(path.stem)
        if image is None or not Path(image).is_file():
            missing.append(filename)
            continue
        boxes = []
        for obj in node.findall("object"):
            name = _text(obj, "name")
            if not name:
                raise DatasetError(f"{path}: an <object> has no <name>")
            try:
                code = taxonomy.resolve(name, "voc")
            except taxonomy.UnknownClass as err:
                raise DatasetError(f"{path}: {err}") from None
            if code == taxonomy.SKIP:
                skipped[name] += 1
                continue
            bbox = None
            bnd = obj.find("bndbox")
            if bnd is not None:
                try:
                    x0, y0, x1, y1 = (float(_text(bnd, t)) for t in ("xmin", "ymin", "xmax", "ymax"))
                except ValueError:
                    raise DatasetError(f"{path}: <bndbox> of '{name}' is not four numbers") from None
                bbox = (x0, y0, x1 - x0, y1 - y0)
            boxes.append(Box(code, bbox))
        size = node.find("size")
        width = int(float(_text(size, "width", "0"))) if size is not None else None
        height = int(float(_text(size, "height", "0"))) if size is not None else None
        samples.append(Sample(
            image=Path(image), codes=frozenset(b.code for b in boxes if b.code != taxonomy.NORMAL),
            boxes=tuple(boxes), width=width or None, height=height or None,
            pipe_id=_text(node, "pipe_id"),
            video_id=_text(node, "video_id") or _text(node, "pipe_id") or frame_group_key(Path(filename).stem),
            district=_text(node, "district"),
            split=_text(node, "split"),
        ))
    if missing and not skip_missing:
        raise missing_images_error(missing, f"the VOC labels in {root}")
    notes = [f"skipped {n} object(s) labelled '{name}' (not mapped)" for name, n in skipped.items()]
    if missing:
        notes.append(f"skipped {len(missing)} labelled image(s) that are missing")
    if not samples:
        raise DatasetError(f"{root}: no labelled images could be read")
    return Dataset(samples, "voc", root, notes)
