"""Uniqueness in bounded memory: 64-bit hashes of keys and rows.

The first ``SMALL_LIMIT`` distinct hashes live in a plain Python set (no numpy import: a
small file is checked without it); past that they move to sorted numpy runs, 8 bytes per
distinct key (plus a merge buffer), never the rows themselves: a 1 GB file of 2 million rows
needs ~16 MB per key checked. Both stores answer the same questions the same way.
"""

from __future__ import annotations

__all__ = ["SeenHashes", "SMALL_LIMIT"]

SMALL_LIMIT = 50_000  # distinct hashes kept in a Python set (~60 bytes each) before numpy runs


class SeenHashes:
    """Answers "seen before?" for batches of hashes, in arrival order, and remembers how often
    each repeated hash came back (bounded: ``max_tracked`` distinct repeated keys)."""

    def __init__(self, max_tracked: int = 200_000, small_limit: int = SMALL_LIMIT):
        self.small: set[int] | None = set()
        self.small_limit = small_limit
        self.runs: list = []  # sorted numpy int64 arrays once ``small`` is given up
        self.repeats: dict[int, int] = {}
        self.max_tracked = max_tracked
        self.tracking_capped = False
        self.total = 0
        self.duplicates = 0

    def add(self, hashes):
        """Boolean numpy mask: True where the hash appeared earlier (in this batch or before)."""
        import numpy as np

        h = np.asarray(hashes, dtype=np.int64)
        return np.asarray(self.add_list(h.tolist()), dtype=bool)

    def add_list(self, hashes: list[int]) -> list[bool]:
        """:meth:`add` for a list of ints, answered as a list of bools."""
        n = len(hashes)
        self.total += n
        if not n:
            return []
        small = self.small
        if small is not None and len(small) + n <= self.small_limit:
            dup = []
            append = dup.append
            for value in hashes:
                if value in small:
                    append(True)
                else:
                    small.add(value)
                    append(False)
        else:
            dup = self._add_runs(hashes)
        self._count(hashes, dup)
        return dup

    def _count(self, hashes: list[int], dup: list[bool]) -> None:
        count = dup.count(True)
        self.duplicates += count
        if count and not self.tracking_capped:
            repeats = self.repeats
            for value, d in zip(hashes, dup):
                if not d:
                    continue
                if value in repeats:
                    repeats[value] += 1
                elif len(repeats) < self.max_tracked:
                    repeats[value] = 1
                else:
                    self.tracking_capped = True
                    break

    def _add_runs(self, hashes: list[int]) -> list[bool]:
        import numpy as np

        if self.small is not None:
            if self.small:
                self.runs.append(np.array(sorted(self.small), dtype=np.int64))
            self.small = None
        h = np.array(hashes, dtype=np.int64)
        n = len(h)
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
        return dup.tolist()

    def _compact(self) -> None:
        import numpy as np

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
        """Memory held for the hashes (the set's estimate while small)."""
        if self.small is not None:
            return len(self.small) * 60
        return sum(r.nbytes for r in self.runs)
