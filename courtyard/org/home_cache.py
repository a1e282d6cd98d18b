"""Cache for the shared, slowly changing parts of the resident home (ADR 0013).

Thousands of residents of one unit see the same household and resident counts, courtyards and
committee, and everyone in an entrance the same grid workers. Those blocks are cached per unit /
per entrance for `TTL` seconds under a version number that every save or delete of the models
they are built from bumps (signals), so an edit made through the ORM shows on the next page view
of every process sharing the cache (Redis); with the default per-process memory cache, other
processes catch up within `TTL`. Bulk writes (`update()`, `bulk_create`) send no signals: they
are seen within `TTL` as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
TTL = 300
VERSION_KEY = "org:home:version"
WATCHED = ("BodyMembership", "GovernanceBody", "Dwelling", "Person", "Courtyard", "SelfGovernanceUnit", "RoleGrant")


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump(**_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached(name: str, key, build: Callable[[], T]) -> T:
    full = f"org:home:{_version()}:{name}:{key}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, TTL)
    return value


def connect() -> None:
    from django.apps import apps

    for name in WATCHED:
        model = apps.get_model("org", name)
        post_save.connect(bump, sender=model, dispatch_uid=f"org-home-cache-save-{name}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"org-home-cache-delete-{name}")
