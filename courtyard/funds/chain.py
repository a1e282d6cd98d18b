"""The per-account hash chain (FND-4). Pure functions; `ledger_verify` and the services share them.

    hash_n = SHA-256( hash_{n-1} (64 lowercase hex chars, ASCII) || 0x0A || canonical(entry_n) )
    hash_0's predecessor is GENESIS (64 zeros).

canonical(entry) is UTF-8 JSON with sorted keys, no whitespace, non-ASCII kept as is, of the
fields listed in FIELDS (integers as JSON numbers, dates ISO 8601, the creation time in UTC with
microseconds, empty strings and nulls kept). Version 1 of the encoding is field "v": 1.
Anyone can recompute a chain from the auditor export with a few lines of any language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

GENESIS = "0" * 64
VERSION = 1

# Column names of funds_ledgerentry that go into the hash, in the order `values_list` reads them.
FIELDS = (
    "account_id", "seq", "booked_on", "kind", "amount_fen", "basis", "category", "counterparty_kind",
    "counterparty_name", "request_id", "reverses_id", "levy_charge_id", "receipt_no", "memo",
    "resolution_ref", "attachment_digests", "created_at",
)


def _plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(values: dict) -> bytes:
    doc = {name: _plain(values[name]) for name in FIELDS}
    doc["v"] = VERSION
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + payload).hexdigest()


def entry_hash(prev_hash: str, values: dict) -> str:
    return link(prev_hash, canonical(values))
