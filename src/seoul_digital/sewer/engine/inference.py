"""Frame classification with ONNX Runtime (no torch): preprocessing, the model directory
format, and class-activation maps.

A model directory holds ``model.onnx`` and ``model_card.json``. The ONNX graph takes
``images`` (N × 3 × H × W, float32, normalised) and returns ``probs`` (N × C, sigmoid) and
``cams`` (N × C × h × w): the class-activation maps (the classifier's weights applied to
the last feature map before pooling; averaging a map over space gives that class's logit
minus its bias). The card names the classes, input size, normalisation and per-class
thresholds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

__all__ = ["ModelCard", "Classifier", "ModelError", "preprocess", "IMAGENET_MEAN", "IMAGENET_STD",
           "load_card"]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ModelError(ValueError):
    """A model directory that cannot be used; the message says what is missing."""


@dataclass
class ModelCard:
    codes: list[str]
    thresholds: list[float]
    input_height: int
    input_width: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    raw: dict

    @property
    def version(self) -> str:
        return str(self.raw.get("version", ""))


def load_card(model_dir: str | Path) -> ModelCard:
    model_dir = Path(model_dir)
    card_path = model_dir / "model_card.json"
    if not model_dir.is_dir():
        raise ModelError(f"{model_dir}: no such model folder")
    if not card_path.is_file():
        raise ModelError(f"{model_dir}: no model_card.json (train a model with 'seoul-digital sewer train')")
    try:
        raw = json.loads(card_path.read_text(encoding="utf-8"))
        codes = list(raw["codes"])
        return ModelCard(codes=codes, thresholds=[float(t) for t in raw.get("thresholds", [0.5] * len(codes))],
                         input_height=int(raw["input_size"][0]), input_width=int(raw["input_size"][1]),
                         mean=tuple(raw.get("mean", IMAGENET_MEAN)), std=tuple(raw.get("std", IMAGENET_STD)),
                         raw=raw)
    except (ValueError, KeyError, TypeError, IndexError) as err:
        raise ModelError(f"{card_path}: unreadable model card ({err.__class__.__name__}: {err})") from None


def preprocess(images: Sequence[np.ndarray], height: int, width: int,
               mean=IMAGENET_MEAN, std=IMAGENET_STD) -> np.ndarray:
    """BGR uint8 frames → normalised RGB float32 batch (N × 3 × H × W)."""
    batch = np.empty((len(images), height, width, 3), dtype=np.float32)
    for i, image in enumerate(images):
        if image.shape[0] != height or image.shape[1] != width:
            image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
        batch[i] = image[:, :, ::-1]
    scale = np.array(std, dtype=np.float32) * 255.0
    batch -= np.array(mean, dtype=np.float32) * 255.0
    batch /= scale
    return np.ascontiguousarray(batch.transpose(0, 3, 1, 2))


class Classifier:
    """An ONNX Runtime session over a model directory."""

    def __init__(self, model_dir: str | Path, *, threads: int | None = None):
        import onnxruntime as ort

        self.model_dir = Path(model_dir)
        self.card = load_card(self.model_dir)
        onnx_path = self.model_dir / "model.onnx"
        if not onnx_path.is_file():
            raise ModelError(f"{self.model_dir}: no model.onnx")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads = threads or int(os.environ.get("SEWER_ONNX_THREADS", "0")) or min(os.cpu_count() or 1, 4)
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as err:  # onnxruntime raises its own exception types
            raise ModelError(f"{onnx_path}: ONNX Runtime cannot load it ({err})") from None
        self.input_name = self.session.get_inputs()[0].name
        self.output_names = [o.name for o in self.session.get_outputs()]

    @property
    def codes(self) -> list[str]:
        return self.card.codes

    @property
    def thresholds(self) -> np.ndarray:
        return np.asarray(self.card.thresholds, dtype=np.float32)

    def prepare(self, images: Sequence[np.ndarray]) -> np.ndarray:
        c = self.card
        return preprocess(images, c.input_height, c.input_width, c.mean, c.std)

    def run(self, batch: np.ndarray, *, with_cams: bool = True):
        outputs = self.session.run(self.output_names if with_cams else ["probs"], {self.input_name: batch})
        probs = outputs[0]
        cams = outputs[1] if with_cams and len(outputs) > 1 else None
        return probs, cams

    def predict(self, images: Sequence[np.ndarray], *, batch_size: int = 32, with_cams: bool = False):
        probs, cams = [], []
        for start in range(0, len(images), batch_size):
            p, c = self.run(self.prepare(images[start:start + batch_size]), with_cams=with_cams)
            probs.append(p)
            if c is not None:
                cams.append(c)
        probs_all = np.concatenate(probs) if probs else np.zeros((0, len(self.codes)), np.float32)
        return (probs_all, np.concatenate(cams) if cams else None) if with_cams else probs_all
