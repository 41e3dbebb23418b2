"""Weekly availability windows and the grid they are compared on.

A window is a weekday with a start and end time ("화 10:00-12:00"). For matching, each
person's windows become a bit mask over a 30-minute grid from 07:00 to 21:00, Monday to
Sunday (7 × 28 = 196 cells, four 64-bit words). The mask that matters is the *start mask*:
cells where a whole session (90 minutes by default) fits inside one of the person's windows.
Two people can meet for a session exactly when their start masks share a bit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BLOCKS",
    "CELLS_PER_DAY",
    "CELL_MINUTES",
    "DAY_CODES",
    "DAY_NAMES_KO",
    "GRID_END",
    "GRID_START",
    "WORDS",
    "Window",
    "WindowError",
    "block_window",
    "common_windows",
    "format_windows",
    "mask_words",
    "parse_windows",
    "start_mask",
]

DAY_NAMES_KO = ("월", "화", "수", "목", "금", "토", "일")
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GRID_START = 7 * 60   # 07:00
GRID_END = 21 * 60    # 21:00
CELL_MINUTES = 30
CELLS_PER_DAY = (GRID_END - GRID_START) // CELL_MINUTES  # 28
WORDS = (7 * CELLS_PER_DAY + 63) // 64  # 4

# The half-day blocks the helpdesk offers on the phone ("화요일 오전").
BLOCKS = {
    "am": (9 * 60, 12 * 60),
    "pm": (13 * 60, 17 * 60),
    "eve": (18 * 60, 20 * 60),
}


class WindowError(ValueError):
    """A window that cannot be read; the message names the text and what is wrong."""


@dataclass(frozen=True, order=True)
class Window:
    day: int     # 0 = Monday … 6 = Sunday
    start: int   # minutes after midnight
    end: int

    def __post_init__(self):
        if not 0 <= self.day <= 6:
            raise WindowError(f"day {self.day} is not 0 (Mon) … 6 (Sun)")
        if not 0 <= self.start < self.end <= 24 * 60:
            raise WindowError(f"{_hhmm(self.start)}-{_hhmm(self.end)} is not a time range")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        return f"{DAY_NAMES_KO[self.day]} {_hhmm(self.start)}-{_hhmm(self.end)}"

    def as_dict(self) -> dict:
        return {"day": self.day, "start": _hhmm(self.start), "end": _hhmm(self.end)}

    @classmethod
    def from_dict(cls, data: dict) -> Window:
        return cls(int(data["day"]), _minutes(str(data["start"])), _minutes(str(data["end"])))


def block_window(day: int, block: str) -> Window:
    start, end = BLOCKS[block]
    return Window(day, start, end)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(text: str) -> int:
    match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*", text)
    if not match:
        raise WindowError(f"'{text}' is not a time like 10:00")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise WindowError(f"'{text}' is not a time of day")
    return hours * 60 + minutes


_DAY_LOOKUP = {name: i for i, name in enumerate(DAY_NAMES_KO)}
_DAY_LOOKUP.update({name + "요일": i for i, name in enumerate(DAY_NAMES_KO)})
_DAY_LOOKUP.update({code: i for i, code in enumerate(DAY_CODES)})
_DAY_LOOKUP.update({code.capitalize(): i for i, code in enumerate(DAY_CODES)})
_WINDOW = re.compile(r"^\s*(\S+?)\s*(\d{1,2}(?::\d{2})?)\s*[-~–]\s*(\d{1,2}(?::\d{2})?)\s*$")
_BLOCK_WORDS = {"오전": "am", "오후": "pm", "저녁": "eve", "am": "am", "pm": "pm", "eve": "eve"}


def parse_windows(text: str) -> tuple[Window, ...]:
    """'화 10:00-12:00; 목 오후' → windows. Separators ; , or new lines; a block word
    (오전 09–12, 오후 13–17, 저녁 18–20) may stand for a time range."""
    windows = []
    for part in re.split(r"[;,\n|]+", text or ""):
        part = part.strip()
        if not part:
            continue
        words = part.split()
        if len(words) == 2 and words[0] in _DAY_LOOKUP and words[1] in _BLOCK_WORDS:
            windows.append(block_window(_DAY_LOOKUP[words[0]], _BLOCK_WORDS[words[1]]))
            continue
        match = _WINDOW.match(part)
        if not match or match.group(1) not in _DAY_LOOKUP:
            raise WindowError(f"'{part}' is not a window like '화 10:00-12:00' or '목 오후'")
        windows.append(Window(_DAY_LOOKUP[match.group(1)], _minutes(match.group(2)),
                              _minutes(match.group(3))))
    return tuple(sorted(set(windows)))


def format_windows(windows: Iterable[Window]) -> str:
    return "; ".join(w.label() for w in sorted(windows))


def start_mask(windows: Iterable[Window], session_minutes: int = 90) -> int:
    """Bits of grid cells where a session of ``session_minutes`` can start and end inside
    one window (per day, so a session never runs past midnight into the next day)."""
    need = -(-session_minutes // CELL_MINUTES)
    mask = 0
    for w in windows:
        first = -(-(max(w.start, GRID_START) - GRID_START) // CELL_MINUTES)
        last_end = (min(w.end, GRID_END) - GRID_START) // CELL_MINUTES  # exclusive cell index
        for cell in range(first, last_end - need + 1):
            mask |= 1 << (w.day * CELLS_PER_DAY + cell)
    return mask


def mask_words(mask: int) -> np.ndarray:
    """The mask as ``WORDS`` unsigned 64-bit words (for vectorised AND over many pairs)."""
    return np.array([(mask >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(WORDS)],
                    dtype=np.uint64)


def common_windows(a: int, b: int, session_minutes: int = 90) -> tuple[Window, ...]:
    """Windows in which both people are free, from two start masks: each run of common
    start cells becomes the window from its first start to its last start + session."""
    both = a & b
    out = []
    for day in range(7):
        cells = (both >> (day * CELLS_PER_DAY)) & ((1 << CELLS_PER_DAY) - 1)
        cell = 0
        while cells >> cell:
            if (cells >> cell) & 1:
                run_start = cell
                while (cells >> cell) & 1:
                    cell += 1
                start = GRID_START + run_start * CELL_MINUTES
                end = GRID_START + (cell - 1) * CELL_MINUTES + session_minutes
                out.append(Window(day, start, end))
            else:
                cell += 1
    return tuple(out)
