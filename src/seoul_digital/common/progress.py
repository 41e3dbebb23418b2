"""The one progress-callback type that long-running engine functions accept.

An engine reports ``progress(done, total, message)``; a background task maps it to the
job's percentage, the CLI to a terminal bar, tests to a list. ``total`` may be 0 when
unknown.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["ProgressCallback", "null_progress", "scaled"]


class ProgressCallback(Protocol):
    def __call__(self, done: float, total: float, message: str = "") -> None: ...


def null_progress(done: float, total: float, message: str = "") -> None:
    """The default: report nowhere."""


def scaled(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    """Map a sub-step's own 0..total onto [start, end] of a 0..1 parent scale.

    Lets one engine call another and keep a single bar moving forward.
    """

    def report(done: float, total: float, message: str = "") -> None:
        fraction = (done / total) if total else 0.0
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), 1.0, message)

    return report
