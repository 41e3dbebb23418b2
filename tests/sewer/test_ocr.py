import cv2
import numpy as np
import pytest

from seoul_digital.sewer.engine.ocr import read_distance
from seoul_digital.sewer.engine.overlay import draw_overlay


@pytest.mark.parametrize("width", [640, 720, 1280])
def test_reads_the_counter_on_noisy_jpeg_frames(width):
    rng = np.random.default_rng(width)
    for _ in range(12):
        image = cv2.GaussianBlur((rng.random((int(width / 1.5), width, 3)) * 220).astype(np.uint8), (0, 0), 3)
        distance = round(float(rng.uniform(0, 999)), 2)
        draw_overlay(image, when="2021-05-10 10:00:00", pipe_id="GN-0001", distance_m=distance, extra="D600")
        _ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70])
        assert read_distance(cv2.imdecode(buf, 1)) == pytest.approx(distance, abs=1e-6)


def test_no_counter_reads_none():
    image = np.full((480, 720, 3), 60, np.uint8)
    assert read_distance(image) is None
    draw_overlay(image, when="2021-05-10", pipe_id="GN-0001", distance_m=None)
    assert read_distance(image) is None
    assert read_distance(None) is None
