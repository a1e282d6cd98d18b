"""The per-account hash chain of the points ledger: the same construction as the funds ledger
(courtyard/core/chain.py, ADR 0004) over these fields, encoding version 1."""

from __future__ import annotations

from courtyard.core.chain import GENESIS, canonical, link

VERSION = 1
FIELDS = ("account_id", "seq", "kind", "act", "points", "earned_on", "source", "reverses_id", "redemption_id",
          "memo", "created_at", "created_by_id")

__all__ = ["FIELDS", "GENESIS", "VERSION", "entry_hash"]


def entry_hash(prev_hash: str, values: dict) -> str:
    return link(prev_hash, canonical(values, FIELDS, VERSION))
