"""Reads of core data, always for a given user."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification, User


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
