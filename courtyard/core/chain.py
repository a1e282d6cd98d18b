"""Hash chains for append-only tables (the funds ledger, the points ledger). Pure functions.

    hash_n = SHA-256( hash_{n-1} (64 lowercase hex chars, ASCII) || 0x0A || canonical(entry_n) )
    hash_0's predecessor is GENESIS (64 zeros).

canonical(values, fields, version) is UTF-8 JSON with sorted keys, no whitespace, non-ASCII kept as
is, of the named fields (integers as JSON numbers, dates ISO 8601, datetimes in UTC with microseconds
and a trailing "Z", empty strings and nulls kept) plus "v": the encoding version. Each app names its
own fields and versions (courtyard/funds/chain.py, courtyard/participation/chain.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

GENESIS = "0" * 64


def plain(value):
    """A value as the canonical JSON holds it."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(values: dict, fields: Iterable[str], version: int) -> bytes:
    doc = {name: plain(values[name]) for name in fields}
    doc["v"] = version
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + payload).hexdigest()
