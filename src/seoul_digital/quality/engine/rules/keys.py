"""Uniqueness in bounded memory: 64-bit hashes of keys and rows kept in sorted runs.

Memory is 8 bytes per distinct key (plus a merge buffer), never the rows themselves: a
1 GB file of 2 million rows needs ~16 MB per key checked.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SeenHashes"]


class SeenHashes:
    """Answers "seen before?" for batches of hashes, in arrival order, and remembers how often
    each repeated hash came back (bounded: ``max_tracked`` distinct repeated keys)."""

    def __init__(self, max_tracked: int = 200_000):
        self.runs: list[np.ndarray] = []
        self.repeats: dict[int, int] = {}
        self.max_tracked = max_tracked
        self.tracking_capped = False
        self.total = 0
        self.duplicates = 0

    def add(self, hashes: np.ndarray) -> np.ndarray:
        """Boolean mask: True where the hash appeared earlier (in this batch or before)."""
        h = np.asarray(hashes, dtype=np.int64)
        n = len(h)
        self.total += n
        if not n:
            return np.zeros(0, dtype=bool)
        uniq, first = np.unique(h, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        seen_before = np.zeros(len(uniq), dtype=bool)
        for run in self.runs:
            pos = np.searchsorted(run, uniq)
            pos[pos == len(run)] = len(run) - 1
            seen_before |= run[pos] == uniq
        if seen_before.any():
            dup[first[seen_before]] = True
        new = uniq[~seen_before]
        if len(new):
            self.runs.append(new)
            self._compact()
        count = int(dup.sum())
        self.duplicates += count
        if count and not self.tracking_capped:
            for value in h[dup].tolist():
                if value in self.repeats:
                    self.repeats[value] += 1
                elif len(self.repeats) < self.max_tracked:
                    self.repeats[value] = 1
                else:
                    self.tracking_capped = True
                    break
        return dup

    def _compact(self) -> None:
        while len(self.runs) > 1 and len(self.runs[-2]) <= 2 * len(self.runs[-1]):
            b = self.runs.pop()
            a = self.runs.pop()
            merged = np.concatenate([a, b])
            merged.sort(kind="stable")
            self.runs.append(merged)

    @property
    def distinct_repeated(self) -> int:
        return len(self.repeats)

    @property
    def rows_involved(self) -> int:
        """Rows sharing their hash with another row (first occurrences included). Past
        ``max_tracked`` distinct repeated keys this is a lower bound (``tracking_capped``)."""
        return sum(self.repeats.values()) + len(self.repeats)

    @property
    def nbytes(self) -> int:
        return sum(r.nbytes for r in self.runs)
