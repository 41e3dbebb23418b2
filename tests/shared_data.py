"""Access to the real Seoul data in ../shared for tests.

Tests that read it call :func:`require`; with REQUIRE_SHARED_DATA=1 (CI) a missing folder
fails the test, otherwise it skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SEOUL_SHARED_DIR", ROOT.parent / "shared"))


def required() -> bool:
    return os.environ.get("REQUIRE_SHARED_DATA", "") not in ("", "0")


def require(*parts: str) -> Path:
    """Path under ../shared (e.g. require("data", "seoul", "bikes")), or skip/fail if absent."""
    if parts and parts[0] == "seoul" and os.environ.get("SEOUL_DATA_DIR"):
        path = Path(os.environ["SEOUL_DATA_DIR"]).joinpath(*parts[1:])
    else:
        path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared data not found: {path}"
        if required():
            pytest.fail(message + " (REQUIRE_SHARED_DATA=1)")
        pytest.skip(message)
    return path


def seoul(*parts: str) -> Path:
    """Path under the Seoul data folder (../shared/data/seoul or SEOUL_DATA_DIR)."""
    if os.environ.get("SEOUL_DATA_DIR"):
        path = Path(os.environ["SEOUL_DATA_DIR"]).joinpath(*parts)
        if not path.exists():
            if required():
                pytest.fail(f"shared data not found: {path} (REQUIRE_SHARED_DATA=1)")
            pytest.skip(f"shared data not found: {path}")
        return path
    return require("data", "seoul", *parts)
