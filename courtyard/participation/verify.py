"""Recompute a points account's chain (as `manage.py points_verify` does for every account)."""

from __future__ import annotations

from dataclasses import dataclass

from . import chain
from .models import PointsAccount, PointsEntry


@dataclass(frozen=True)
class Break:
    account_id: int
    seq: int
    reason: str


def verify_account(account: PointsAccount) -> Break | None:
    """The first broken entry of the account's chain, or None when the chain, the head and the
    balance all agree with the entries."""
    account = PointsAccount.objects.get(pk=account.pk)
    prev, seq, balance = chain.GENESIS, 0, 0
    for e in PointsEntry.objects.filter(account=account).order_by("seq").iterator():
        seq += 1
        if e.seq != seq:
            return Break(account.pk, e.seq, "missing sequence number")
        if e.prev_hash != prev:
            return Break(account.pk, e.seq, "broken link")
        if chain.entry_hash(prev, e.chain_values()) != e.hash:
            return Break(account.pk, e.seq, "changed content")
        prev, balance = e.hash, balance + e.points
    if (account.head_seq, account.head_hash) != (seq, prev):
        return Break(account.pk, seq, "head does not match the last entry")
    if account.balance != balance:
        return Break(account.pk, seq, "balance does not match the entries")
    return None


def verify_all() -> list[Break]:
    return [b for a in PointsAccount.objects.order_by("pk").iterator() if (b := verify_account(a)) is not None]
