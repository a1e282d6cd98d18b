"""Request throttling: the client's real address behind proxies, fixed-window rate limits and
progressive delays. State lives in the default cache (Redis in production, so every app
process shares it); the clock is `time.time()`, which tests move with time_machine.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


# ---------------------------------------------------------------- the client's address
def client_ip(request) -> str | None:
    """The address of the client that sent `request`.

    With `COURTYARD_TRUSTED_PROXIES = 0` the app is reached directly and REMOTE_ADDR is the
    client. With N > 0 trusted reverse proxies in front (nginx, a load balancer), each proxy
    appends the address it received the request from to X-Forwarded-For, so the client is the
    N-th entry from the right; anything further left was written by the client and is ignored.
    A header shorter than N (a proxy not configured as documented) falls back to its leftmost
    entry; an entry that is not an address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "COURTYARD_TRUSTED_PROXIES", 0) or 0)
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not chain:
        return remote
    candidate = chain[-hops] if len(chain) >= hops else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_bucket(ip: str | None) -> str | None:
    """The key an address is counted under: IPv4 as is, IPv6 by its /64 (one subscriber's network)."""
    if not ip:
        return None
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


# ---------------------------------------------------------------- fixed-window rate limits
def hit(key: str, *, limit: int, period: int) -> bool:
    """Count one event under `key`; False when it is beyond `limit` in the current `period` seconds.

    Windows are aligned to the clock (period-long buckets), so the worst case is 2×limit across
    a boundary; that is enough for "about 10 a minute" and costs one cache round trip.
    """
    window = int(time.time()) // period
    bucket = f"rate:{key}:{window}"
    cache.add(bucket, 0, period + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, period + 1)
        count = 1
    return count <= limit


# ---------------------------------------------------------------- progressive delays
@dataclass(frozen=True)
class Backoff:
    """After `free` failures each further one doubles the wait, from `base` seconds up to `cap`."""

    name: str
    free: int
    base: int
    cap: int

    def delay(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.cap, self.base * 2 ** min(failures - self.free, 30))

    def _key(self, ident: str) -> str:
        return f"backoff:{self.name}:{ident}"

    def wait(self, ident: str) -> int:
        """Seconds before the next attempt under `ident` is allowed (0: go ahead)."""
        state = cache.get(self._key(ident))
        if not state:
            return 0
        remaining = state["at"] + self.delay(state["n"]) - time.time()
        return max(0, math.ceil(remaining))

    def fail(self, ident: str, *, forget_after: int) -> None:
        state = cache.get(self._key(ident)) or {"n": 0}
        cache.set(self._key(ident), {"n": state["n"] + 1, "at": time.time()}, max(forget_after, self.cap) + 1)

    def failures(self, ident: str) -> int:
        state = cache.get(self._key(ident))
        return state["n"] if state else 0

    def clear(self, ident: str) -> None:
        cache.delete(self._key(ident))
