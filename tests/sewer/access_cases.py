"""Access cases for the sewer app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("sewer:index"),
]
