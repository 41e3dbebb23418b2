"""Access cases for the siting app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("siting:index"),
]
