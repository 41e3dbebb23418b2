import json

import pytest

from seoul_digital.sewer.engine.datasets import DatasetError, read_dataset, write_aihub
from seoul_digital.sewer.engine.datasets.splits import group_split, near_duplicate_pairs, shared_groups
from tests.sewer.conftest import write_image


def _aihub_set(root, n_videos=4, frames=5):
    images = []
    for v in range(n_videos):
        for f in range(frames):
            name = f"images/V{v:03d}_{f:04d}.png"
            write_image(root / name, value=20 * v + f)
            objects = [{"code": "CL", "bbox": [1, 2, 10, 12]}] if f % 2 else []
            if f == 4:
                objects.append({"code": "PJ", "bbox": [0, 0, 64, 10]})
            images.append({"file_name": name, "width": 64, "height": 48, "video_id": f"V{v:03d}",
                           "pipe_id": f"P{v // 2}", "objects": objects})
    write_aihub(root / "labels.json", images, description="test")
    return root


def test_aihub_round_trip(tmp_path):
    dataset = read_dataset(_aihub_set(tmp_path), "aihub")
    assert len(dataset) == 20
    counts = dataset.class_counts()
    assert counts["CL"] == 8 and counts["PJ"] == 4 and counts["ND"] == 12
    y = dataset.labels()
    assert y.shape == (20, 19) and y.sum() == 12
    sample = next(s for s in dataset.samples if "CL" in s.codes)
    assert sample.boxes[0].bbox == (1.0, 2.0, 10.0, 12.0)
    assert {s.pipe_id for s in dataset.samples} == {"P0", "P1"}


def test_aihub_codes_of_the_real_dataset(tmp_path):
    write_image(tmp_path / "a_0001.jpg")
    write_image(tmp_path / "a_0002.jpg")
    doc = {"images": [{"id": 1, "file_name": "a_0001.jpg"}, {"id": 2, "file_name": "a_0002.jpg"}],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [0, 0, 5, 5]},
                           {"id": 2, "image_id": 1, "category_id": 9, "bbox": [0, 0, 5, 5]},
                           {"id": 3, "image_id": 2, "category_id": 11}],
           "categories": [{"id": 7, "name": "JD"}, {"id": 9, "name": "ETC"}, {"id": 11, "name": "IN"}]}
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    dataset = read_dataset(tmp_path, "aihub")
    by_name = {s.image.name: s for s in dataset.samples}
    assert by_name["a_0001.jpg"].codes == {"JD"}
    assert by_name["a_0002.jpg"].codes == frozenset()  # IN = normal interior
    assert any("ETC" in note for note in dataset.notes)


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON (line 1"),
    ("", "empty"),
    ('{"images": []}', "needs 'images' and 'annotations'"),
    ('{"images": [{"id": 1, "file_name": "x.png"}], "annotations": [{"image_id": 1, "category_id": 1}],'
     ' "categories": [{"id": 1, "name": "manhole"}]}', "'manhole' is not in the sewer taxonomy"),
])
def test_aihub_bad_annotation_files_are_named(tmp_path, content, needle):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        read_dataset(tmp_path, "aihub")
    assert needle in str(err.value) and "bad.json" in str(err.value)


def test_missing_images_are_listed_and_can_be_skipped(tmp_path):
    _aihub_set(tmp_path, n_videos=1, frames=3)
    (tmp_path / "images" / "V000_0001.png").unlink()
    with pytest.raises(DatasetError) as err:
        read_dataset(tmp_path, "aihub")
    assert "1 labelled image(s) not found" in str(err.value) and "V000_0001.png" in str(err.value)
    dataset = read_dataset(tmp_path, "aihub", skip_missing=True)
    assert len(dataset) == 2 and any("missing" in n for n in dataset.notes)


def test_voc(tmp_path):
    write_image(tmp_path / "JPEGImages" / "P1_0001.jpg")
    (tmp_path / "Annotations").mkdir()
    (tmp_path / "Annotations" / "P1_0001.xml").write_text(
        "<annotation><filename>P1_0001.jpg</filename><pipe_id>P1</pipe_id><district>강남구</district>"
        "<size><width>64</width><height>48</height></size>"
        "<object><name>RI</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>11</xmax><ymax>22</ymax></bndbox></object>"
        "<object><name>이음부 단차</name></object></annotation>", encoding="utf-8")
    dataset = read_dataset(tmp_path, "voc")
    sample = dataset.samples[0]
    assert sample.codes == {"RI", "JD"} and sample.boxes[0].bbox == (1, 2, 10, 20)
    assert sample.district == "강남구" and sample.group("district") == "강남구"
    (tmp_path / "Annotations" / "P1_0001.xml").write_text("<annotation><object>", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid XML"):
        read_dataset(tmp_path, "voc")


def test_sewerml_csv(tmp_path):
    for n in (100, 101, 5000):
        write_image(tmp_path / "imgs" / f"{n:08d}.png")
    (tmp_path / "SewerML_Val.csv").write_text(
        "Filename,Defect,RB,OB,PF,DE,FS,IS,RO,IN,AF,BE,FO,GR,PH,PB,OS,OP,OK\n"
        "00000100.png,1,1,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0\n"
        "00000101.png,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        "00005000.png,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\n", encoding="utf-8")
    dataset = read_dataset(tmp_path, "sewerml")
    by = {s.image.stem: s for s in dataset.samples}
    assert by["00000100"].codes == {"CM", "RI"} and by["00000101"].codes == frozenset()
    assert by["00005000"].codes == {"JD"} and all(s.split == "val" for s in dataset.samples)
    assert by["00000100"].video_id == by["00000101"].video_id != by["00005000"].video_id
    (tmp_path / "SewerML_Val.csv").write_text("Filename,RB,XX\n00000100.png,2,0\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="XX are not Sewer-ML classes"):
        read_dataset(tmp_path, "sewerml")


def test_yolo_with_crlf_names_and_bad_class_id(tmp_path):
    write_image(tmp_path / "images" / "training" / "00000010.png")
    write_image(tmp_path / "images" / "test" / "00090000.png")
    (tmp_path / "labels" / "training").mkdir(parents=True)
    (tmp_path / "labels" / "test").mkdir(parents=True)
    (tmp_path / "labels" / "training" / "labels.txt").write_bytes(b"joint\r\nobstacle")
    (tmp_path / "labels" / "training" / "00000010.txt").write_text("1 0.5 0.5 0.2 0.2\n0 0.5 0.5 1 0.5\n")
    (tmp_path / "labels" / "test" / "00090000.txt").write_text("")
    dataset = read_dataset(tmp_path, "yolo")
    by = {s.image.stem: s for s in dataset.samples}
    assert by["00000010"].codes == {"PO", "PJ"} and by["00000010"].split == "train"
    assert by["00090000"].codes == frozenset() and by["00090000"].split == "test"
    (tmp_path / "labels" / "test" / "00090000.txt").write_text("7 0.5 0.5 0.1 0.1\n")
    with pytest.raises(DatasetError, match="class id 7 is not in the 2 class names"):
        read_dataset(tmp_path, "yolo")


def test_group_split_never_splits_a_video(tmp_path):
    dataset = read_dataset(_aihub_set(tmp_path, n_videos=10, frames=3), "aihub")
    splits = group_split(dataset.samples, (0.6, 0.2, 0.2), key="video", seed=1)
    assert sum(len(v) for v in splits.values()) == 30
    assert all(splits[s] for s in ("train", "val", "test"))
    assert not shared_groups(splits["train"], splits["val"] + splits["test"])
    again = group_split(dataset.samples, (0.6, 0.2, 0.2), key="video", seed=1)
    assert [s.image for s in again["test"]] == [s.image for s in splits["test"]]
    by_pipe = group_split(dataset.samples, (0.6, 0.2, 0.2), key="pipe", seed=1)
    assert not shared_groups(by_pipe["train"], by_pipe["test"], key="pipe")


def test_real_frames_source_split_leaks_and_group_split_does_not():
    from tests.shared_data import require

    root = require("data", "sewer", "sewer_defects")
    dataset = read_dataset(root, "yolo")
    assert len(dataset) == 92 and dataset.class_counts()["PO"] > 0
    train = dataset.by_split("train").samples
    held = dataset.by_split("val").samples + dataset.by_split("test").samples
    assert near_duplicate_pairs(train, held) > 0  # the source split is by frame
    splits = group_split(dataset.samples, key="video", seed=0)
    assert near_duplicate_pairs(splits["train"], splits["val"] + splits["test"]) == 0
