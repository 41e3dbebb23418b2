"""Where models live on disk: the one shipped with the platform, and registered versions."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["shipped_model_dir", "SHIPPED_MODEL"]

SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models_shipped" / "synthetic-lite0"


def shipped_model_dir() -> Path:
    """The demo model in the repository (``SEWER_MODEL_DIR`` overrides it)."""
    override = os.environ.get("SEWER_MODEL_DIR")
    return Path(override) if override else SHIPPED_MODEL
