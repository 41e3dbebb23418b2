"""Audit trail: record writes (before/after as JSON) and views of personal data (PIPA)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.db import models

__all__ = ["snapshot", "record", "record_personal_view", "client_ip"]


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if hasattr(value, "name"):  # FieldFile
        return value.name or None
    return str(value)


def snapshot(obj: models.Model) -> dict:
    """Concrete field values of ``obj`` as JSON-safe data (FKs as ids, files as names)."""
    excluded = set(getattr(obj, "audit_exclude", ()))
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in excluded:
            continue
        data[f.attname] = _json_value(getattr(obj, f.attname))
    return data


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _district_id(obj) -> int | None:
    scope = getattr(type(obj), "scope", None)
    path = getattr(scope, "district", None)
    if not path or obj is None:
        return None
    if path == "pk":
        return obj.pk
    value = obj
    try:
        for part in path.split("__"):
            value = getattr(value, part)
            if value is None:
                return None
    except Exception:
        return None
    return getattr(value, "pk", None)


def record(user, action: str, obj: models.Model | None = None, *, before: dict | None = None,
           after: dict | None = None, request=None, note: str = "", object_repr: str = ""):
    from seoul_digital.core.models import AuditLog

    actor = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    return AuditLog.objects.create(
        user=actor,
        username=(actor.get_username() if actor else (getattr(user, "username", "") or "")),
        action=action,
        app_label=obj._meta.app_label if obj is not None else "",
        model=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        district_id=_district_id(obj) if obj is not None else None,
        before=before,
        after=after,
        ip_address=client_ip(request),
        path=(request.get_full_path()[:300] if request is not None else ""),
        note=note[:300],
    )


def record_personal_view(request, obj: models.Model, fields: list[str] | tuple[str, ...] = ()):
    """PIPA access record: ``request.user`` displayed the personal data of ``obj``."""
    note = ("fields: " + ", ".join(fields)) if fields else ""
    return record(request.user, "view_personal", obj, request=request, note=note)
