"""Access cases for the governance app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("governance:index", gangnam=404, seocho=404),
]
