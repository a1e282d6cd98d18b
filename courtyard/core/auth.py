"""Login by mobile number and password, with a limit on failed attempts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from . import pii
from .models import User


class PhoneBackend(ModelBackend):
    """Authenticates `phone` + `password`; the phone is found through its keyed hash."""

    def authenticate(self, request, phone=None, password=None, username=None, **kwargs):
        phone = phone or username
        if not phone or not password:
            return None
        try:
            user = User.objects.get_by_phone(phone)
        except (User.DoesNotExist, ValueError):
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    # Permissions come from roles in code (org/roles.py, django-rules; ADR 0002), never from Django's
    # per-user or per-group permission tables; asking those cost two queries on every page that
    # checks a permission. Superusers still pass every check (PermissionsMixin.has_perm).
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def _keys(phone_key: str, ip: str | None) -> list[str]:
    keys = [f"login-fail:phone:{phone_key}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(phone_key: str, ip: str | None) -> bool:
    # The per-address limit is wider: a family or an office shares one address.
    limits = [settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_LIMIT * 4]
    return any((cache.get(k) or 0) >= limit for k, limit in zip(_keys(phone_key, ip), limits, strict=False))


def note_failure(phone_key: str, ip: str | None) -> None:
    for key in _keys(phone_key, ip):
        cache.add(key, 0, settings.LOGIN_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_RATE_WINDOW)


def clear_failures(phone_key: str) -> None:
    cache.delete(f"login-fail:phone:{phone_key}")


def phone_key(raw: str) -> str:
    try:
        return pii.phone_index(raw)
    except ValueError:
        return "invalid"
