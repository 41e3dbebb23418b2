"""Typed settings from the environment. A bad value stops start-up with one line naming it."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

__all__ = ["env_str", "env_bool", "env_int", "env_list", "env_path", "env_database"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(f"{name} is not set; it is required here")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path | None, *, must_exist: bool = False) -> Path | None:
    value = _raw(name)
    if value in (None, ""):
        return default
    path = Path(value).expanduser()
    if must_exist and not path.is_dir():
        raise ImproperlyConfigured(f"{name}={value!r} is not an existing folder")
    return path


def env_database(name: str, default_sqlite: Path) -> dict:
    import dj_database_url

    value = _raw(name)
    if value in (None, ""):
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            # WAL lets the web server read while the worker writes job progress.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    try:
        config = dj_database_url.parse(value, conn_max_age=60)
    except Exception as err:  # dj_database_url raises ValueError or KeyError on bad schemes
        raise ImproperlyConfigured(f"{name} is malformed ({err.__class__.__name__}: {err})") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} is malformed: no database engine or name in {value!r}")
    return config
