import json

import cv2
import numpy as np
import pytest

from seoul_digital.sewer.engine import synth
from seoul_digital.sewer.engine.datasets import read_dataset
from seoul_digital.sewer.engine.ocr import read_distance
from seoul_digital.sewer.engine.taxonomy import DEFECT_CODES


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    report = synth.generate_images(out, 57, seed=7, width=192, height=128, frames_per_pipe=3)
    return out, report


def test_every_defect_class_is_drawn_and_labelled(small_set):
    out, report = small_set
    dataset = read_dataset(out, "aihub")
    assert len(dataset) == 57
    counts = dataset.class_counts()
    missing = [c for c in DEFECT_CODES if counts[c] == 0]
    assert not missing, f"classes never in view: {missing}"
    # Boxes lie inside the frame.
    for sample in dataset.samples:
        for box in sample.boxes:
            x, y, w, h = box.bbox
            assert 0 <= x <= 192 and 0 <= y <= 128 and w >= 0 and h >= 0


def test_test_split_uses_heldout_appearance(small_set):
    out, _ = small_set
    doc = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    renders = {(img["split"], img["render"]) for img in doc["images"]}
    assert ("test", "heldout") in renders and ("train", "train") in renders
    assert not any(split != "test" and render == "heldout" for split, render in renders)
    # Whole pipes share a split.
    by_pipe = {}
    for img in doc["images"]:
        by_pipe.setdefault(img["pipe_id"], set()).add(img["split"])
    assert all(len(v) == 1 for v in by_pipe.values())


def test_same_seed_same_frames(tmp_path):
    a = synth.generate_images(tmp_path / "a", 3, seed=11, width=96, height=64, frames_per_pipe=3)
    b = synth.generate_images(tmp_path / "b", 3, seed=11, width=96, height=64, frames_per_pipe=3)
    c = synth.generate_images(tmp_path / "c", 3, seed=12, width=96, height=64, frames_per_pipe=3)
    doc_a = json.loads(a.labels.read_text())
    doc_b = json.loads(b.labels.read_text())
    doc_a["info"].pop("date_created"), doc_b["info"].pop("date_created")
    assert doc_a == doc_b
    img_a = cv2.imread(str(tmp_path / "a" / doc_a["images"][0]["file_name"]))
    img_b = cv2.imread(str(tmp_path / "b" / doc_b["images"][0]["file_name"]))
    img_c = cv2.imread(str(tmp_path / "c" / json.loads(c.labels.read_text())["images"][0]["file_name"]))
    assert np.array_equal(img_a, img_b) and not np.array_equal(img_a, img_c)


def test_a_defect_changes_the_pixels_where_it_is_labelled():
    rng = np.random.default_rng(3)
    plain = synth.build_scene(np.random.default_rng(3), length_m=4, radius_m=0.3, defects=[], laterals=0)
    broken = synth.build_scene(np.random.default_rng(3), length_m=4, radius_m=0.3, defects=[("BK", 2.0)], laterals=0)
    camera = synth.random_camera(np.random.default_rng(1), 240, 160, synth.TRAIN_RANGES)
    look = synth.random_look(np.random.default_rng(1), synth.TRAIN_RANGES, plain)
    look.noise = 0
    z = broken.radii(2.0) - 2.5
    a = synth.render_view(plain, camera, look, z, rng).astype(int)
    b = synth.render_view(broken, camera, look, z, rng).astype(int)
    labels = synth.visible_labels(broken, camera, z)
    bk = [lab for lab in labels if lab["code"] == "BK"]
    assert bk
    x, y, w, h = (int(v) for v in bk[0]["bbox"])
    inside = np.abs(a - b)[y:y + h + 1, x:x + w + 1].mean()
    outside = np.abs(a - b).mean()
    assert inside > 5 * max(outside - inside * (w * h) / (240 * 160), 0.01)


def test_video_with_overlay_and_truth(tmp_path):
    report = synth.generate_video(tmp_path / "v.mp4", seed=5, length_m=3.0, defects=2,
                                  width=640, height=426, start_m=12.0)
    cap = cv2.VideoCapture(str(report.path))
    assert cap.get(cv2.CAP_PROP_FPS) == 30
    frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    assert frames == report.frames > 100
    truth = json.loads(report.truth_path.read_text())
    assert len(truth["defects"]) == 2 and all(d["code"] in DEFECT_CODES for d in truth["defects"])
    seen = [d for d in truth["defects"] if d["start_s"] is not None]
    assert seen and all(0 <= d["start_s"] <= d["end_s"] <= truth["duration_s"] for d in seen)
    readings = []
    for index in (0, frames // 2, frames - 1):
        cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = cap.read()
        assert ok
        readings.append(read_distance(frame))
    assert None not in readings
    assert readings[0] == pytest.approx(12.0, abs=0.02)
    assert readings[0] < readings[1] < readings[2] <= 12.0 + 3.0 + 0.01


def test_rendering_in_processes_gives_the_same_files(tmp_path):
    one = synth.generate_images(tmp_path / "one", 14, seed=11, workers=1)
    two = synth.generate_images(tmp_path / "two", 14, seed=11, workers=2)
    assert one.images == two.images == 14
    doc_one, doc_two = json.loads(one.labels.read_text()), json.loads(two.labels.read_text())
    doc_one["info"].pop("date_created"), doc_two["info"].pop("date_created")
    assert doc_one == doc_two
    names = sorted(p.name for p in (tmp_path / "one" / "images").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two" / "images").iterdir())
    for name in names:
        assert (tmp_path / "one" / "images" / name).read_bytes() == (tmp_path / "two" / "images" / name).read_bytes()
