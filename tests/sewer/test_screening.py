import json

import cv2
import numpy as np
import pytest

from seoul_digital.sewer.engine import screening, synth
from seoul_digital.sewer.engine.inference import Classifier
from seoul_digital.sewer.engine.registry import shipped_model_dir
from seoul_digital.sewer.engine.taxonomy import DEFECT_CODES


@pytest.fixture(scope="module")
def classifier():
    return Classifier(shipped_model_dir(), threads=2)


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    out = tmp_path_factory.mktemp("video")
    return synth.generate_video(out / "pipe.mp4", seed=21, length_m=6.0, fps=15.0, defects=3,
                                width=640, height=426, start_m=20.0)


def test_screening_finds_defects_with_time_distance_clock_and_thumbnails(video, classifier, tmp_path):
    result = screening.screen_video(video.path, classifier, thumbs_dir=tmp_path, chainage=(20.0, 26.0))
    assert result.frames_sampled == pytest.approx(video.duration_s * 5, abs=3)
    assert result.video.width == 640 and not result.video.browser_playable
    assert result.findings, "the shipped model should flag something in a pipe with three defects"
    for f in result.findings:
        assert f.code in DEFECT_CODES and 0 <= f.start_s < f.end_s <= video.duration_s + 1
        assert 0 < f.confidence <= 1 and f.start_s <= f.peak_s <= f.end_s
        assert f.clock is None or 1 <= f.clock <= 12
        assert f.distance_source == "ocr" and 20.0 <= f.distance_m <= 26.1
        assert (tmp_path / f.thumbnail).is_file() and (tmp_path / f.heatmap).is_file()
    doc = result.as_dict()
    assert set(doc["findings"][0]) >= {"code", "start_s", "end_s", "confidence", "distance_m", "clock", "thumbnail"}
    json.dumps(doc)  # serialisable as the CLI prints it


def test_distance_falls_back_to_chainage(video, classifier):
    result = screening.screen_video(video.path, classifier, chainage=(100.0, 106.0), read_counter=False)
    for f in result.findings:
        assert f.distance_source == "chainage" and 100.0 <= f.distance_m <= 106.0
    bare = screening.screen_video(video.path, classifier, read_counter=False)
    assert all(f.distance_m is None for f in bare.findings)


def test_browser_copy_is_webm(video, tmp_path):
    out = screening.make_browser_copy(video.path, tmp_path / "copy.webm", max_width=320)
    info = screening.probe_video(out)
    assert info.browser_playable and info.width == 320 and info.codec == "vp80"


@pytest.mark.parametrize("content,code", [
    (b"", "empty"),
    (b"%PDF-1.4 this is a report, not a video" * 20, "not_video"),
    (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 400, "unreadable"),
])
def test_bad_files_are_refused_by_content(tmp_path, content, code):
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)
    with pytest.raises(screening.VideoError) as err:
        screening.probe_video(path)
    assert err.value.code == code and "upload.mp4" in str(err.value)


def test_truncated_video_is_refused_or_screened_in_part(video, classifier, tmp_path):
    data = video.path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    try:
        result = screening.screen_video(cut, classifier)
    except screening.VideoError as err:
        assert err.code in ("unreadable", "no_frames")
    else:
        assert result.warnings and "truncated" in result.warnings[0]


def test_huge_resolution_is_refused(tmp_path):
    path = tmp_path / "huge.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (4000, 2400))
    for _ in range(2):
        writer.write(np.zeros((2400, 4000, 3), np.uint8))
    writer.release()
    with pytest.raises(screening.VideoError) as err:
        screening.probe_video(path)
    assert err.value.code == "too_large" and "4000×2400" in str(err.value)


def test_zero_fps_is_refused(video, monkeypatch):
    real = cv2.VideoCapture

    class Capture:  # a wrapper, not a subclass: subclassing OpenCV's type is unsafe
        def __init__(self, path):
            self._capture = real(path)

        def get(self, prop):
            return 0.0 if prop == cv2.CAP_PROP_FPS else self._capture.get(prop)

        def __getattr__(self, name):
            return getattr(self._capture, name)

    monkeypatch.setattr(screening.cv2, "VideoCapture", Capture)
    with pytest.raises(screening.VideoError) as err:
        screening.probe_video(video.path)
    assert err.value.code == "zero_fps"


@pytest.mark.parametrize("cell,clock", [((0, 3), 12), ((2, 6), 3), ((4, 3), 6), ((2, 0), 9), ((0, 6), 2)])
def test_clock_from_activation_map(cell, clock):
    cam = np.zeros((5, 7), np.float32)
    cam[cell] = 5.0
    assert screening.clock_from_cam(cam, (480, 720), (360, 240)) == clock


def test_vanishing_point_is_the_dark_far_end():
    frame = np.full((240, 360, 3), 150, np.uint8)
    cv2.circle(frame, (210, 100), 25, (5, 5, 5), -1)
    cv2.rectangle(frame, (0, 200), (80, 240), (0, 0, 0), -1)  # dark water by the edge is ignored
    x, y = screening.vanishing_point(frame)
    assert abs(x - 210) < 15 and abs(y - 100) < 15


def test_hysteresis_segments_join_short_gaps_and_drop_blips():
    score = np.array([0, .9, .9, .5, .9, 0, 0, 0, .9, 0, 0, .8, .8, .8])
    assert screening._segments(score, 0.7, 0.49, max_gap=1, min_len=2) == [(1, 4), (11, 13)]
