"""Reads of core data, always for a given user."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from .models import Notification, User


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


UNREAD_TTL = 60


def unread_key(user_id: int) -> str:
    return f"core:unread:{user_id}"


def unread_count(user: User) -> int:
    """The badge on every page: cached per user; `notify` and `mark_read` drop the entry when they
    commit, so the owner sees a change at once (other processes without a shared cache within
    UNREAD_TTL seconds)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return count
