"""The access matrix: for every route, what each kind of user gets.

Each app contributes ``tests/<app>/access_cases.py`` with ``CASES`` (a list of :class:`Case`)
and optionally ``build(world)`` that creates the records the cases point at (records in
강남구, so the 강남구 officer is the owner and the 서초구 officer the outsider).
``tests/access/test_matrix.py`` fails when a route has no case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

PAGE_DENIED_ANON = 302  # pages send anonymous users to the login page
API_DENIED_ANON = 401


@dataclass(frozen=True)
class Case:
    route: str  # URL name, e.g. "sewer:inspection_detail" or "api:sewer_inspection"
    expect: dict[str, int]  # username or "anon" → status code
    kwargs: Callable[[Any], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[Any], dict] | dict | None = None
    query: str = ""
    content_type: str | None = None
    label: str = ""

    def resolve_kwargs(self, world) -> dict:
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)

    def resolve_data(self, world):
        return self.data(world) if callable(self.data) else self.data

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}{(' ' + self.label) if self.label else ''}"


def page(route: str, *, admin=200, staff=None, gangnam=200, seocho=200, anon=PAGE_DENIED_ANON,
         **extra) -> Case:
    """A GET page case; ``staff`` defaults to admin's result. Extra users via keyword."""
    kwargs = extra.pop("kwargs", {})
    expect = {"anon": anon, "admin": admin, "staff": admin if staff is None else staff,
              "gangnam": gangnam, "seocho": seocho}
    expect.update({k: v for k, v in extra.items() if k not in Case.__dataclass_fields__})
    rest = {k: v for k, v in extra.items() if k in Case.__dataclass_fields__}
    return Case(route=route, expect=expect, kwargs=kwargs, **rest)


def api(route: str, *, admin=200, staff=None, gangnam=200, seocho=200, anon=API_DENIED_ANON,
        **extra) -> Case:
    return page(route, admin=admin, staff=staff, gangnam=gangnam, seocho=seocho, anon=anon, **extra)
