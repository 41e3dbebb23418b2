"""Programme apps announce themselves in their AppConfig; the nav bar is built from that.

An app config may set ``nav_url`` (a URL name), ``nav_roles`` (roles that see the entry) and
``nav_order``. Nothing here needs editing when an app is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from seoul_digital.core.roles import has_role

__all__ = ["NavItem", "nav_items"]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    app_label: str


def nav_items(user) -> list[NavItem]:
    items = []
    for config in apps.get_app_configs():
        url_name = getattr(config, "nav_url", None)
        if not url_name or not has_role(user, getattr(config, "nav_roles", ())):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append((getattr(config, "nav_order", 100), NavItem(str(config.verbose_name), url, config.label)))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]
