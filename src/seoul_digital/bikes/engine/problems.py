"""Counted bad input: every reader returns what it kept plus a :class:`Problems` tally.

Nothing is dropped silently: each skipped or repaired row is counted under a stable kind
("unknown_station", "return_before_rent", …) with a few examples a person can check.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Problems"]

MAX_EXAMPLES = 5


@dataclass
class Problems:
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, example: str = "", n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[kind] += n
        if example:
            bucket = self.examples.setdefault(kind, [])
            if len(bucket) < MAX_EXAMPLES:
                bucket.append(str(example)[:200])

    def merge(self, other: "Problems", prefix: str = "") -> None:
        for kind, n in other.counts.items():
            self.counts[prefix + kind] += n
            bucket = self.examples.setdefault(prefix + kind, [])
            for ex in other.examples.get(kind, []):
                if len(bucket) < MAX_EXAMPLES:
                    bucket.append(ex)

    def __getitem__(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def __bool__(self) -> bool:
        return any(self.counts.values())

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        return {kind: {"count": n, "examples": self.examples.get(kind, [])}
                for kind, n in sorted(self.counts.items())}

    def lines(self) -> list[str]:
        out = []
        for kind, n in sorted(self.counts.items()):
            ex = self.examples.get(kind, [])
            out.append(f"{kind}: {n}" + (f" (e.g. {ex[0]})" if ex else ""))
        return out
