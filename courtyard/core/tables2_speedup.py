"""django-tables2 calls inspect.signature() for every cell it renders (utils.signature,
via call_with_appropriate), which was about a third of a 50-row console page. Signatures
of the same function never change, so we memoise them by the underlying function.
Installed from CoreConfig.ready(); remove when django-tables2 caches this itself."""

from __future__ import annotations

_MAX = 4096


def install() -> None:
    from django_tables2 import utils

    if getattr(utils.signature, "_courtyard_cached", False):
        return
    original = utils.signature
    cache: dict = {}

    def signature(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return cache[key]
        except (KeyError, TypeError):
            pass
        result = original(fn)
        try:
            if len(cache) >= _MAX:
                cache.clear()
            cache[key] = result
        except TypeError:  # unhashable callable: just don't cache
            pass
        return result

    signature._courtyard_cached = True
    utils.signature = signature
