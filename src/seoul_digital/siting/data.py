"""Where the siting app reads its layers: the real Seoul folder, else a synthetic one.

``settings.SITING_DATA_DIR`` (optional) or ``settings.SEOUL_DATA_DIR`` is used for a district
when it holds that district's boundary. Otherwise the app uses (and, the first time, writes)
a synthetic folder in ``VAR_DIR/siting-synthetic`` — every result made from it is marked as
synthetic on screen, in exports and in the API.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

__all__ = ["real_data_dir", "synthetic_dir", "data_dir_for", "has_real_data"]

_lock = threading.Lock()


def real_data_dir() -> Path | None:
    value = getattr(settings, "SITING_DATA_DIR", None) or getattr(settings, "SEOUL_DATA_DIR", None)
    if not value:
        return None
    path = Path(value)
    return path if (path / "boundaries").is_dir() else None


def has_real_data(district_code: str) -> bool:
    root = real_data_dir()
    if root is None:
        return False
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.layers import _boundary, resolve_district

    try:
        _boundary(root, resolve_district(district_code))
    except SitingInputError:
        return False
    return True


def synthetic_dir() -> Path:
    """The synthetic folder with all 25 districts (written once, ~5 s)."""
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.siting.engine.synth import write_synthetic

    path = Path(getattr(settings, "SITING_SYNTHETIC_DIR", None) or (Path(settings.VAR_DIR) / "siting-synthetic"))
    with _lock:
        if not (path / "SYNTHETIC.md").exists():
            write_synthetic(path, [d.name_ko for d in DISTRICTS], seed=2021)
    return path


def data_dir_for(district_code: str) -> tuple[Path, bool]:
    """(folder, synthetic?) for a district."""
    if has_real_data(district_code):
        return real_data_dir(), False
    return synthetic_dir(), True
