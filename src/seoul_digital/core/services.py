"""Generic audited writes. App services (``do_*``) call these so every write is logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from seoul_digital.core import audit
from seoul_digital.core.scoping import can

__all__ = ["AccessDenied", "ensure_can", "do_create", "do_update", "do_delete"]


class AccessDenied(PermissionDenied):
    """The user may not do this. Views turn it into 404 for records of other districts."""


def ensure_can(user, action: str, obj: models.Model) -> None:
    if not can(user, action, obj):
        raise AccessDenied(f"{getattr(user, 'username', user)} may not {action} {obj._meta.label} {obj.pk}")


@transaction.atomic
def do_create(user, model: type[models.Model], /, *, request=None, check: bool = True,
              **fields) -> models.Model:
    """Validate, save and log a new record. With ``check`` the user must be allowed to change
    it afterwards (so an officer cannot create a record in another district)."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    if check:
        ensure_can(user, "change", obj)  # rolls back the insert when it fails
    audit.record(user, "create", obj, after=audit.snapshot(obj), request=request)
    return obj


@transaction.atomic
def do_update(user, obj: models.Model, /, *, request=None, check: bool = True, **changes):
    if check:
        ensure_can(user, "change", obj)
    before = audit.snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    if check:
        ensure_can(user, "change", obj)  # moving a record out of one's own district is refused
    after = audit.snapshot(obj)
    diff_before = {k: v for k, v in before.items() if after.get(k) != v}
    diff_after = {k: after[k] for k in diff_before}
    if diff_after:
        audit.record(user, "update", obj, before=diff_before, after=diff_after, request=request)
    return obj


@transaction.atomic
def do_delete(user, obj: models.Model, /, *, request=None, check: bool = True) -> None:
    if check:
        ensure_can(user, "change", obj)
    before = audit.snapshot(obj)
    audit.record(user, "delete", obj, before=before, request=request)
    obj.delete()


def do_set_large_text(user, enabled: bool, *, request=None):
    return do_update(user, user, request=request, check=False, large_text=enabled)


def do_create_token(user, name: str, *, request=None):
    """Create a personal API token; returns (token, key). The key is shown once, never stored."""
    import secrets

    from django.conf import settings

    from seoul_digital.core.models import ApiToken

    key = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = do_create(user, ApiToken, request=request, user=user, name=name,
                      key_hash=ApiToken.hash_key(key), prefix=key[:10])
    return token, key


def do_revoke_token(user, token, *, request=None):
    from django.utils import timezone

    return do_update(user, token, request=request, revoked_at=timezone.now())


@transaction.atomic
def do_create_user(actor, *, username: str, password: str, role: str, district=None,
                   programme=None, request=None, **extra):
    """Create an account (admins only, or the system when ``actor`` is None)."""
    from django.contrib.auth import get_user_model

    from seoul_digital.core.roles import Role

    if actor is not None and getattr(actor, "role", None) != Role.ADMIN:
        raise AccessDenied("only foundation admins create accounts")
    User = get_user_model()
    user = User(username=username, role=role, district=district, programme=programme, **extra)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor, "create", user, after=audit.snapshot(user), request=request)
    return user


@transaction.atomic
def do_update_user(actor, user, *, request=None, **changes):
    from seoul_digital.core.roles import Role

    if getattr(actor, "role", None) != Role.ADMIN:
        raise AccessDenied("only foundation admins change accounts")
    if user.pk == actor.pk and (changes.get("role", Role.ADMIN) != Role.ADMIN
                                or changes.get("is_active") is False):
        from django.core.exceptions import ValidationError

        raise ValidationError("관리자는 자기 자신의 관리자 권한을 없애거나 계정을 막을 수 없습니다.")
    return do_update(actor, user, request=request, **changes)
