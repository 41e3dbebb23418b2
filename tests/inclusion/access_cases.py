"""Access cases for the inclusion app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("inclusion:index"),
]
