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

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
TTL = 300
VERSION_KEY = "org:home:version"
WATCHED = ("BodyMembership", "GovernanceBody", "Dwelling", "Person", "Courtyard", "SelfGovernanceUnit", "RoleGrant")


# A page reads several blocks; each would cost two round trips to a shared cache (version, value).
# The process keeps the version for VERSION_MEMO seconds and the values it has read (a value
# under a versioned key never changes, so only TTL bounds it), so a warm page asks Redis nothing.
# A bump in this process is seen at once; one in another process within VERSION_MEMO seconds.
VERSION_MEMO = 1.0
LOCAL_SIZE = 2048
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_version: list = [None, 0.0]  # [version, read at (monotonic)]
_lock = threading.Lock()


def clear_local() -> None:
    with _lock:
        _local.clear()
        _local_version[:] = [None, 0.0]


def _local_on() -> bool:
    # Off in the test settings: tests clear the shared cache between tests and count queries.
    return getattr(settings, "COURTYARD_LOCAL_HOME_CACHE", True)


def _version() -> int:
    version, read_at = _local_version
    now = time.monotonic()
    if version is not None and now - read_at < VERSION_MEMO and _local_on():
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    _local_version[:] = [version, now]
    return version


def bump(**_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)
    clear_local()


def cached(name: str, key, build: Callable[[], T]) -> T:
    full = f"org:home:{_version()}:{name}:{key}"
    now = time.monotonic()
    local = _local_on()
    hit = _local.get(full) if local else None
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, TTL)
    if not local:
        return value
    with _lock:
        _local[full] = (now + TTL, value)
        _local.move_to_end(full)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)
    return value


def watch(*models) -> None:
    """Bump the version whenever a row of one of `models` is saved or deleted (an app whose rows
    appear on the home, e.g. notices and votes, calls this from its `AppConfig.ready`)."""
    for model in models:
        uid = f"{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=f"home-cache-save-{uid}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"home-cache-delete-{uid}")


def connect() -> None:
    from django.apps import apps

    watch(*(apps.get_model("org", name) for name in WATCHED))
