"""The shipped model and sample clip are the files their provenance notes name, licences beside."""

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from footage.detect.yolox import OnnxDetector, letterbox_pad
from footage.errors import ModelError
from footage.events.params import EventParams
from footage.labels import DEFAULT_CLASSES, DRAWN_AS_VEHICLES, VEHICLES, class_group, coco_class_names, same_kind
from footage.types import Frame

SHIPPED = {
    ("footage.detect.models", "yolox_nano_dyn.onnx"): "b9b62e84b2a830c784716aa3e053c757393eb3bbd93acd9d90fcd4baa3ae4b3a",
    ("footage.detect.models", "coco_classes.txt"): "634a1132eb33f8091d60f2c346ababe8b905ae08387037aed883953b7329af84",
    ("footage.pose.models", "movenet_lightning.onnx"): "1112eb74fbf4184147ffdcdc3b74b37d99a93bc7e82dd7f653080f778c7eb2b9",
    ("footage.sample", "one-by-one-person-detection.mp4"): "a5964aa259099a482a8b360ffc2c57b5a30f84d5919236a4dad01f8e929ac07c",
}


@pytest.mark.parametrize(("package", "name"), list(SHIPPED))
def test_shipped_files_match_their_provenance(package: str, name: str) -> None:
    data = resources.files(package).joinpath(name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHIPPED[(package, name)]
    notes = " ".join(p.read_text() for p in Path(str(resources.files(package))).glob("*.md"))
    assert SHIPPED[(package, name)] in notes


def test_licences_ship_beside_the_files() -> None:
    models = resources.files("footage.detect.models")
    assert "Apache License" in models.joinpath("LICENSE-Apache-2.0.txt").read_text()
    pose = resources.files("footage.pose.models")
    assert "Apache License" in pose.joinpath("LICENSE-Apache-2.0.txt").read_text()
    assert "MIT License" in pose.joinpath("LICENSE.human-models-MIT.txt").read_text()
    sample = resources.files("footage.sample")
    assert "Attribution 4.0" in sample.joinpath("LICENSE_CC-BY-4.0.txt").read_text()


def test_class_names() -> None:
    names = coco_class_names()
    assert len(names) == 80 and names[0] == "person" and "sports ball" in names
    assert set(DEFAULT_CLASSES) <= set(names)


def test_letterbox_pads_to_multiples_of_32_with_grey() -> None:
    tensor = letterbox_pad(np.zeros((360, 640, 3), np.uint8))
    assert tensor.shape == (1, 3, 384, 640)
    assert tensor[0, :, 370, 10].tolist() == [114.0, 114.0, 114.0]
    assert tensor[0, :, 10, 10].tolist() == [0.0, 0.0, 0.0]


def test_detector_finds_people_on_a_real_frame(sample_clip: Path) -> None:
    import av

    with av.open(str(sample_clip)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == 300:  # 30 s in: a person stands at the table
                image = frame.to_ndarray(format="bgr24", width=640, height=360)
                break
    detector = OnnxDetector(classes=["person"])
    found = detector.detect(Frame(300, 300, frame.time_base, image, 768 / 640))
    assert len(found) >= 1 and found.confidence.max() > 0.6
    x1, y1, x2, y2 = found.xyxy[found.confidence.argmax()]
    assert 0 <= x1 < x2 <= 768 and 0 <= y1 < y2 <= 432  # original-frame pixels
    assert set(found.class_id.tolist()) == {0}


def test_unknown_classes_and_missing_models_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown class names"):
        OnnxDetector(classes=["person", "unicorn"])
    with pytest.raises(ModelError, match="model file not found"):
        OnnxDetector(tmp_path / "none.onnx")
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load model"):
        OnnxDetector(broken)


def test_labels_are_said_once() -> None:
    names = coco_class_names()
    assert set(VEHICLES) <= set(names) and set(VEHICLES) <= DRAWN_AS_VEHICLES
    assert EventParams().vehicle_labels == VEHICLES
    car, bus, truck, bicycle, motorbike, person = (names.index(n) for n in ("car", "bus", "truck", "bicycle", "motorbike",
                                                                             "person"))
    assert class_group(car) == class_group(bus) == class_group(truck) != class_group(bicycle) == class_group(motorbike)
    assert class_group(person) == person and class_group(car) in (car, bus, truck)
    assert same_kind("car", "truck") and same_kind("motorbike", "motorcycle") and not same_kind("car", "person")
