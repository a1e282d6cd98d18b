"""The per-account hash chain (FND-4). Pure functions; `ledger_verify` and the services share them.

    hash_n = SHA-256( hash_{n-1} (64 lowercase hex chars, ASCII) || 0x0A || canonical(entry_n) )
    hash_0's predecessor is GENESIS (64 zeros).

canonical(entry) is UTF-8 JSON with sorted keys, no whitespace, non-ASCII kept as is, of the
fields of the entry's encoding version (integers as JSON numbers, dates ISO 8601, the creation
time in UTC with microseconds, empty strings and nulls kept) plus "v": the version.

Versions (each entry stores the version it was hashed with in `chain_version`; a chain never goes
back to an older version once a newer one appears, which `ledger_verify` checks):

* 1 — FIELDS_V1: account, seq, booking date, kind, amount, basis, category, counterparty kind and
  name, request, reversed entry, levy charge, receipt no., memo, resolution text, attachment digests,
  creation time.
* 2 (current) — FIELDS: version 1 plus who booked it (`created_by_id`), the partner unit
  (`partner_id`) and the linked resolution or vote (`resolution_type_id`, `resolution_id`): every
  column of an entry that carries meaning (docs/adr/0008-ledger-against-paper.md). Ids are the
  database ids, as the auditor export shows them.

Anyone can recompute a chain from the auditor export with a few lines of any language; the
known-answer vectors in courtyard/funds/tests/test_anchors.py pin the bytes and the hash.
"""

from __future__ import annotations

import datetime as dt
from json.encoder import encode_basestring  # the escaper json.dumps uses with ensure_ascii=False

from courtyard.core import chain as _core_chain
from courtyard.core.chain import GENESIS, link

__all__ = ["FIELDS", "FIELDS_BY_VERSION", "FIELDS_V1", "GENESIS", "VERSION", "canonical", "canonical_row",
           "entry_hash", "link"]

VERSION = 2

# Column names of funds_ledgerentry that go into the hash, in the order `values_list` reads them.
FIELDS_V1 = (
    "account_id", "seq", "booked_on", "kind", "amount_fen", "basis", "category", "counterparty_kind",
    "counterparty_name", "request_id", "reverses_id", "levy_charge_id", "receipt_no", "memo",
    "resolution_ref", "attachment_digests", "created_at",
)
FIELDS = (*FIELDS_V1, "created_by_id", "partner_id", "resolution_type_id", "resolution_id")
FIELDS_BY_VERSION = {1: FIELDS_V1, 2: FIELDS}


def canonical(values: dict, version: int = VERSION) -> bytes:
    return _core_chain.canonical(values, FIELDS_BY_VERSION[version], version)


def entry_hash(prev_hash: str, values: dict, version: int = VERSION) -> str:
    return link(prev_hash, canonical(values, version))


# --- the same bytes, fast (ledger_verify over millions of rows) --------------------------------------------
# `canonical_row` encodes a tuple of FIELDS values (in FIELDS order) to exactly the bytes `canonical`
# produces for them: keys written in sorted order once, strings through the very escaper json.dumps
# uses with ensure_ascii=False, ints through int.__repr__ like json. courtyard/funds/tests/test_chain.py
# checks byte equality over random values (quotes, control characters, U+2028, astral planes, nulls).
_UTC = dt.UTC


def _i(value) -> str:
    return "null" if value is None else int.__repr__(value)


def _d(value) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _t(value) -> str:
    """The creation time as canonical() writes it, from a datetime or from the text forms the
    databases hand back: PostgreSQL via verify's to_char (already canonical), SQLite's naive UTC text."""
    if isinstance(value, str):
        n = len(value)
        if n == 27 and value[10] == "T" and value[26] == "Z":
            return value
        if n == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}Z"
        if n == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000Z"
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(_UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_row(r: tuple, version: int = VERSION) -> bytes:
    """canonical() of a tuple of FIELDS values (FIELDS order), byte for byte, without building a dict.
    Keys are written in sorted order (as sort_keys=True does); the text columns are NOT NULL in the
    database, so a None there (or any other surprise) falls back to canonical() itself. Version 1
    reads the first len(FIELDS_V1) values only."""
    (account_id, seq, booked_on, kind, amount_fen, basis, category, counterparty_kind, counterparty_name,
     request_id, reverses_id, levy_charge_id, receipt_no, memo, resolution_ref, attachment_digests,
     created_at) = r[:17]
    e = encode_basestring
    try:
        if version == 1:
            return (
                f'{{"account_id":{int.__repr__(account_id)},"amount_fen":{int.__repr__(amount_fen)},'
                f'"attachment_digests":{e(attachment_digests)},"basis":{e(basis)},"booked_on":"{_d(booked_on)}",'
                f'"category":{e(category)},"counterparty_kind":{e(counterparty_kind)},'
                f'"counterparty_name":{e(counterparty_name)},"created_at":"{_t(created_at)}","kind":{e(kind)},'
                f'"levy_charge_id":{_i(levy_charge_id)},"memo":{e(memo)},"receipt_no":{e(receipt_no)},'
                f'"request_id":{_i(request_id)},"resolution_ref":{e(resolution_ref)},'
                f'"reverses_id":{_i(reverses_id)},"seq":{int.__repr__(seq)},"v":1}}'
            ).encode()
        if version != 2:
            raise ValueError(f"unknown chain encoding version {version!r}")
        created_by_id, partner_id, resolution_type_id, resolution_id = r[17:]
        return (
            f'{{"account_id":{int.__repr__(account_id)},"amount_fen":{int.__repr__(amount_fen)},'
            f'"attachment_digests":{e(attachment_digests)},"basis":{e(basis)},"booked_on":"{_d(booked_on)}",'
            f'"category":{e(category)},"counterparty_kind":{e(counterparty_kind)},'
            f'"counterparty_name":{e(counterparty_name)},"created_at":"{_t(created_at)}",'
            f'"created_by_id":{_i(created_by_id)},"kind":{e(kind)},'
            f'"levy_charge_id":{_i(levy_charge_id)},"memo":{e(memo)},"partner_id":{_i(partner_id)},'
            f'"receipt_no":{e(receipt_no)},"request_id":{_i(request_id)},"resolution_id":{e(resolution_id)},'
            f'"resolution_ref":{e(resolution_ref)},"resolution_type_id":{_i(resolution_type_id)},'
            f'"reverses_id":{_i(reverses_id)},"seq":{int.__repr__(seq)},"v":2}}'
        ).encode()
    except TypeError:
        return canonical(dict(zip(FIELDS_BY_VERSION[version], r[:len(FIELDS_BY_VERSION[version])], strict=True)),
                         version)
