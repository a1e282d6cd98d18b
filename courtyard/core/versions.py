"""Data versions: one token per model in the shared cache, replaced whenever a row of it is saved
or deleted, so a value computed from those models can be kept under the versions it was built from
and is never served after a change (ADR 0035).

An app declares which of its models are watched (`watch(Model, …)` from its `AppConfig.ready`, so
every process — web or task worker — bumps them); code that writes in bulk (`update()`,
`bulk_create`, which send no signals) calls `bump(Model, …)`. `cached(name, key, models, build)`
keeps `build()` under the current versions of `models` for at most `TTL` seconds.

The version is replaced at the write and again when its transaction commits: a value another
process builds in between, from the rows as they were, would otherwise be kept under the new
version."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
TTL = 300
_WATCHED: set[str] = set()


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def _key(name: str) -> str:
    return f"core:v:{name.lower()}"


def _new() -> str:
    """A version nobody has used: the time (for people reading the cache) and random bits, so that
    two bumps in one clock tick — or under a test's frozen clock — still differ."""
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def read(names: Iterable[str]) -> str:
    """The versions of `names` (model labels or other names, e.g. "person:17") as one string, in one
    round trip to the cache."""
    keys = [_key(name) for name in sorted(set(names))]
    found = cache.get_many(keys) if keys else {}
    for key in keys:
        if key not in found:  # never bumped (or evicted): start from now, never from an older number
            cache.add(key, _new(), None)
            found[key] = cache.get(key)
    return "-".join(str(found[key]) for key in keys)


def current(models: Iterable) -> str:
    """The versions of watched `models`; a model nobody watches is refused (its values would go stale)."""
    labels = {_label(m) for m in models}
    unwatched = sorted(labels - _WATCHED)
    if unwatched:
        raise ValueError(f"not watched, a cached value would go stale: {', '.join(unwatched)}")
    return read(labels)


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` when the current transaction commits (outside one, the write has committed already)."""
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(fn)


def bump(*names) -> None:
    """New versions for `names` (models or names), now and again when the transaction commits."""
    keys = [_key(_label(name)) for name in names]
    if not keys:
        return

    def set_now() -> None:
        cache.set_many(dict.fromkeys(keys, _new()), None)

    set_now()
    after_commit(set_now)


def on_change(model, handler: Callable[[object], None], uid: str) -> None:
    """Call `handler(row)` whenever a row of `model` is saved or deleted (connected once per `uid`)."""
    def receiver(instance, **_kwargs) -> None:
        handler(instance)

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def watch(*models) -> None:
    """Bump a model's version whenever a row of it (or of one of its many-to-many tables) changes."""
    for model in models:
        label = _label(model)
        _WATCHED.add(label)

        def changed(*_args, label=label, **_kwargs) -> None:
            bump(label)

        on_change(model, changed, f"versions-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(changed, sender=field.remote_field.through, weak=False,
                                dispatch_uid=f"versions-m2m-{label}-{field.name}")


def cached(name: str, key: str, models: Iterable, build: Callable[[], T], ttl: int = TTL) -> T:
    """`build()`, kept under `name`, `key` and the current versions of `models`."""
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    full = f"core:c:{name}:{current(models)}:{digest}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, ttl)
    return value
