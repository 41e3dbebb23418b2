"""Fixtures for the sewer tests: tiny datasets in every format, written per test."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest


def write_image(path: Path, value: int = 100, size=(48, 64)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.full((*size, 3), value, dtype=np.uint8)
    cv2.putText(image, str(value), (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 1)
    assert cv2.imwrite(str(path), image)
    return path


@pytest.fixture
def write_png():
    return write_image
