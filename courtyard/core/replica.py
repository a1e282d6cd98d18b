"""Reads from a PostgreSQL streaming replica, where it is safe (issue 13 point 7, ADR 0024).

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias. Code that only reads —
dashboards, reports, exports — runs inside `reading_replica()` (or a view decorated with
`@replica_reads`), and the router sends that code's reads to the replica. Writes, and every read
outside such a block (sessions, the request's own user, anything read after a write), go to the
primary. Without a replica configured the router answers None everywhere: nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("courtyard_reading_replica", default=False)


def replica_configured() -> bool:
    from django.db import connections

    return REPLICA in connections.databases


@contextmanager
def reading_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(view):
    """A GET view whose reads may come from the replica (a POST stays on the primary)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None  # always the primary

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
