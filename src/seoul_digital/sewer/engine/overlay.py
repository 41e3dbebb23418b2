"""The on-screen text a CCTV inspection records (date, pipe id, running distance), drawn the
way the synthetic videos carry it. The digit reader in :mod:`.ocr` reads this layout."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["FONT", "draw_overlay", "distance_text", "font_scale_for", "DISTANCE_ROI"]

FONT = cv2.FONT_HERSHEY_SIMPLEX
# The running distance sits in the bottom-left corner: (x0, y0, x1, y1) as image fractions.
DISTANCE_ROI = (0.0, 0.80, 0.55, 1.0)


def font_scale_for(width: int) -> float:
    return max(0.35, width / 720.0 * 0.75)


def distance_text(distance_m: float) -> str:
    return f"DIST {distance_m:07.2f}m"


def _put(image: np.ndarray, text: str, origin: tuple[int, int], scale: float) -> None:
    thickness = max(1, int(round(scale * 2)))
    # A black outline keeps the white text legible over bright pipe walls.
    cv2.putText(image, text, origin, FONT, scale, (0, 0, 0), thickness + 2, cv2.LINE_AA)
    cv2.putText(image, text, origin, FONT, scale, (255, 255, 255), thickness, cv2.LINE_AA)


def draw_overlay(image: np.ndarray, *, when: str, pipe_id: str, distance_m: float | None,
                 extra: str = "") -> np.ndarray:
    """Draw the inspection overlay in place: date/time and pipe id top-left, running distance
    bottom-left, ``extra`` (diameter, material) bottom-right."""
    h, w = image.shape[:2]
    scale = font_scale_for(w)
    line = int(round(30 * scale / 0.75))
    margin = int(round(12 * scale / 0.75))
    _put(image, when, (margin, margin + line - 8), scale)
    _put(image, pipe_id, (margin, margin + 2 * line - 8), scale)
    if distance_m is not None:
        _put(image, distance_text(distance_m), (margin, h - margin), scale)
    if extra:
        (tw, _th), _ = cv2.getTextSize(extra, FONT, scale, max(1, int(round(scale * 2))))
        _put(image, extra, (w - margin - tw, h - margin), scale)
    return image
