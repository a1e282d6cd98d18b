"""Cache for the shared, slowly changing parts of the resident home (ADR 0013).

Thousands of residents of one unit see the same household and resident counts, courtyards and
committee, and everyone in an entrance the same grid workers. Those blocks are cached per unit /
per entrance for `TTL` seconds under a version number that every save or delete of the models
they are built from bumps (signals), so an edit made through the ORM shows on the next page view
of every process sharing the cache (Redis); with the default per-process memory cache, other
processes catch up within `TTL`. Bulk writes (`update()`, `bulk_create`) send no signals: they
are seen within `TTL` as well.

The versions live in `core.versions` (ADR 0035): the shared one as `org:home`, and one per person and
per login for what only they see; the resident home's whole body is kept per login under all three
(`web.views.home`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from courtyard.core import versions

T = TypeVar("T")
TTL = 300
VERSION_NAME = "org:home"  # a name in core.versions
WATCHED = ("BodyMembership", "GovernanceBody", "Dwelling", "DwellingLink", "Person", "Place", "Courtyard",
           "SelfGovernanceUnit", "RoleGrant")


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


def _version() -> str:
    version, read_at = _local_version
    now = time.monotonic()
    if version is not None and now - read_at < VERSION_MEMO and _local_on():
        return version
    version = versions.read([VERSION_NAME])
    _local_version[:] = [version, now]
    return version


def bump(**_kwargs) -> None:
    versions.bump(VERSION_NAME)
    clear_local()
    versions.after_commit(clear_local)  # the version this process memoised in between is out of date too


# ---------------------------------------------------------------- one person's or one login's blocks
# What only one resident sees (their points, the visits to them, their greeting) changes with writes
# that concern them alone: those bump a version of their own ("person" or "user" and the id), so
# the rest of the community keeps its cached pages. Read from the shared cache on every page (no
# local memo): a resident who has just earned points sees them on the next page, whichever process
# serves it.
def subject_versions(**subjects) -> str:
    """One string naming the current versions of the given subjects (person=…, user=…; None skipped)."""
    return versions.read(f"{kind}:{pk}" for kind, pk in subjects.items() if pk is not None)


def bump_subject(kind: str, *pks) -> None:
    """The blocks of these people ("person") or logins ("user") are out of date; now and on commit."""
    versions.bump(*(f"{kind}:{pk}" for pk in pks if pk is not None))


def watch_subject(model, kind: str, ids: Callable[[object], list]) -> None:
    """Bump the subjects `ids(row)` (people or logins) whenever a row of `model` is saved or deleted."""
    versions.on_change(model, lambda row: bump_subject(kind, *ids(row)), f"home-subject-{model._meta.label}-{kind}")


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
        versions.on_change(model, lambda _row: bump(), f"home-cache-{model._meta.label}")


def connect() -> None:
    from django.apps import apps
    from django.contrib.auth import get_user_model

    watch(*(apps.get_model("org", name) for name in WATCHED))
    # The greeting and the elderly-mode preference on a login's own home.
    watch_subject(get_user_model(), "user", lambda user: [user.pk])
