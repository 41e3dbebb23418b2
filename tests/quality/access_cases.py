"""Access cases for the quality app (see tests/access/registry.py)."""

from tests.access.registry import page

CASES = [
    page("quality:index", gangnam=404, seocho=404),
]
