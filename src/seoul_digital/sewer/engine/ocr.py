"""A small digit reader for the running-distance counter burnt into inspection videos.

No OCR model: the counter is white text with a dark outline in a known corner, so the
reader thresholds that corner, splits it into connected components, and matches each one
against glyphs rendered with the overlay's own font (normalised to a fixed size). It reads
the synthetic overlay (:mod:`.overlay`) reliably; on a contractor's own overlay it returns
``None`` when nothing reads as ``<digits>.<2 digits>`` and screening falls back to
interpolating the chainage the officer entered.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cv2
import numpy as np

from seoul_digital.sewer.engine.overlay import DISTANCE_ROI, FONT, font_scale_for

__all__ = ["read_distance", "read_text", "GLYPHS"]

GLYPHS = "0123456789m"  # the counter's own glyphs; the "DIST" label is skipped by position
_SIZE = (16, 24)  # (w, h) each glyph is normalised to
_PATTERN = re.compile(r"(\d+)\.(\d{2})")


def _normalise(mask: np.ndarray) -> np.ndarray:
    h, w = mask.shape
    side = max(h, w)
    canvas = np.zeros((side, side), np.float32)
    y0, x0 = (side - h) // 2, (side - w) // 2
    canvas[y0:y0 + h, x0:x0 + w] = mask
    out = cv2.resize(canvas, (_SIZE[1], _SIZE[1]), interpolation=cv2.INTER_AREA)
    out = cv2.GaussianBlur(out, (3, 3), 0.8)  # tolerate a pixel of stroke-width difference
    out -= out.mean()
    norm = np.linalg.norm(out)
    return out / norm if norm > 0 else out


def _holes(mask: np.ndarray) -> int:
    padded = np.pad(mask.astype(np.uint8), 1)
    contours, hierarchy = cv2.findContours(padded, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    return int(sum(1 for h in hierarchy[0] if h[3] >= 0))


def _components(gray: np.ndarray, digit_h: float):
    """Upscale so digits are ~32 px tall, threshold the white text, and return the blobs of
    the bottom line as (x, mask) pairs plus the upscaled digit height."""
    factor = max(1.0, 32.0 / max(digit_h, 1.0))
    if factor > 1.0:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    digit_h *= factor
    white = (gray > 150).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(white, connectivity=8)
    blobs = []
    for i in range(1, count):
        bx, by, bw, bh, area = stats[i]
        if area < 3 * factor or bh > digit_h * 1.6 or bw > digit_h * 12:
            continue
        blobs.append((bx, by, bw, bh, i))
    tall = [b for b in blobs if b[3] >= 0.6 * digit_h]
    if not tall:
        return [], digit_h
    baseline = max(b[1] + b[3] for b in tall)
    line = sorted((b for b in blobs if abs((b[1] + b[3]) - baseline) <= 0.35 * digit_h),
                  key=lambda b: b[0])
    out = []
    for bx, by, bw, bh, i in line:
        mask = labels[by:by + bh, bx:bx + bw] == i
        out.extend((bx + x, part.shape[1], part.shape[0], part) for x, part in _split_touching(mask, digit_h))
    return out, digit_h


def _split_touching(mask: np.ndarray, digit_h: float):
    """Digits drawn close together can touch; cut a blob wider than one digit at the
    thinnest columns near each expected boundary."""
    h, w = mask.shape
    digit_w = 0.62 * digit_h  # Hershey simplex digits are ~0.6 as wide as tall
    parts = int(round(w / digit_w))
    if h < 0.6 * digit_h or parts < 2 or w < 1.4 * digit_w:
        return [(0, mask)]
    profile = mask.sum(axis=0)
    cuts, start = [], 0
    for k in range(1, parts):
        centre = int(round(k * w / parts))
        lo, hi = max(centre - int(0.25 * digit_w), start + 1), min(centre + int(0.25 * digit_w), w - 1)
        if hi <= lo:
            continue
        cut = lo + int(np.argmin(profile[lo:hi]))
        cuts.append(cut)
        start = cut
    pieces, prev = [], 0
    for cut in cuts + [w]:
        piece = mask[:, prev:cut]
        rows = np.nonzero(piece.any(axis=1))[0]
        cols = np.nonzero(piece.any(axis=0))[0]
        if len(rows) and len(cols):
            pieces.append((prev + int(cols[0]), piece[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]))
        prev = cut
    return pieces


def _put_like_overlay(canvas: np.ndarray, text: str, origin, scale: float) -> None:
    thickness = max(1, int(round(scale * 2)))
    cv2.putText(canvas, text, origin, FONT, scale, 0, thickness + 2, cv2.LINE_AA)
    cv2.putText(canvas, text, origin, FONT, scale, 255, thickness, cv2.LINE_AA)


@lru_cache(maxsize=16)
def _templates(scale: float):
    """Glyph templates made by drawing the overlay font and putting it through the same
    upscale-threshold-segment steps as a frame, so both degrade alike."""
    thickness = max(1, int(round(scale * 2)))
    (_w, digit_h), _ = cv2.getTextSize("0", FONT, scale, thickness)
    names, vectors, holes = [], [], []
    for ch in GLYPHS:
        (tw, th), base = cv2.getTextSize(ch, FONT, scale, thickness)
        canvas = np.full((th + base + 20, tw + 20), 90, np.uint8)
        _put_like_overlay(canvas, ch, (10, th + 10), scale)
        comps, _ = _components(canvas, digit_h)
        if not comps:
            continue
        _x, _bw, _bh, mask = max(comps, key=lambda c: c[3].sum())
        names.append(ch)
        vectors.append(_normalise(mask.astype(np.float32)).ravel())
        holes.append(_holes(mask))
    return names, np.stack(vectors), np.array(holes), float(digit_h)


def read_text(image: np.ndarray, roi=DISTANCE_ROI) -> str:
    """The white overlay text inside ``roi`` (fractions x0, y0, x1, y1) of a BGR frame,
    bottom line only, as the glyphs it matches ('?' where none matches)."""
    if image is None or image.ndim < 2:
        return ""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = int(roi[0] * w), int(roi[1] * h), int(roi[2] * w), int(roi[3] * h)
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return ""
    gray = crop.min(axis=2) if crop.ndim == 3 else crop  # white text is bright in every channel
    names, vectors, holes, digit_h = _templates(round(font_scale_for(w), 3))
    comps, digit_h_up = _components(gray, digit_h)
    text = []
    previous_end = None
    for x, bw, bh, mask in comps:
        if previous_end is not None and x - previous_end > 0.25 * digit_h_up:
            text.append(" ")  # a word gap
        previous_end = x + bw
        if bh < 0.35 * digit_h_up and bw < 0.5 * digit_h_up:
            text.append(".")
            continue
        scores = vectors @ _normalise(mask.astype(np.float32)).ravel()
        scores = scores - 0.15 * (holes != _holes(mask))
        best = int(np.argmax(scores))
        text.append(names[best] if scores[best] > 0.45 else "?")
    return "".join(text)


def read_distance(image: np.ndarray, roi=DISTANCE_ROI) -> float | None:
    """Metres shown by the on-screen counter, or None when it cannot be read."""
    for token in read_text(image, roi).split():
        match = _PATTERN.match(token)  # the counter shows 2 decimals; whatever follows is the unit
        if match:
            return float(f"{match.group(1)}.{match.group(2)}")
    return None
