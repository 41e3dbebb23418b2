"""Access cases for the bikes app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("bikes:index"),
]
