"""Recompute hash chains (FND-4). Used by `manage.py ledger_verify`, the console and the bench."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from . import chain
from .models import Account, LedgerEntry


@dataclass
class Break:
    account_id: int
    account_name: str
    entry_id: int | None
    seq: int
    reason: str

    def __str__(self) -> str:
        where = f"account {self.account_id} ({self.account_name}), entry #{self.seq}"
        if self.entry_id is not None:
            where += f" (id {self.entry_id})"
        return f"{where}: {self.reason}"


@dataclass
class Result:
    accounts: int = 0
    entries: int = 0
    first_break: Break | None = None


_DATE = LedgerEntry._meta.get_field("booked_on")
_DATETIME = LedgerEntry._meta.get_field("created_at")
_COLUMNS = ("id", "prev_hash", "hash", *chain.FIELDS)


def _rows(account_id: int, chunk: int = 5000) -> Iterable[tuple]:
    """Entries of one account in seq order, as raw tuples (no model instances: this runs over millions)."""
    table = LedgerEntry._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM {table} WHERE account_id = %s AND seq > %s "  # noqa: S608
                           f"ORDER BY seq LIMIT %s", [account_id, last, chunk])
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][_COLUMNS.index("seq")]


def _typed(row: tuple) -> dict:
    values = dict(zip(_COLUMNS, row, strict=True))
    # PostgreSQL returns date/datetime objects, SQLite strings (UTC, naive): chain._plain treats
    # naive datetimes as UTC, so both encode the same.
    if isinstance(values["booked_on"], str):
        values["booked_on"] = _DATE.to_python(values["booked_on"])
    if isinstance(values["created_at"], str):
        values["created_at"] = _DATETIME.to_python(values["created_at"])
    return values


def verify_account(account: Account) -> tuple[int, Break | None]:
    prev = chain.GENESIS
    expected_seq = 1
    count = 0
    for row in _rows(account.pk):
        v = _typed(row)
        count += 1
        if v["seq"] != expected_seq:
            return count, Break(account.pk, account.name, v["id"], expected_seq,
                                f"entry #{expected_seq} is missing (next stored entry is #{v['seq']})")
        if v["prev_hash"] != prev:
            return count, Break(account.pk, account.name, v["id"], v["seq"],
                                "its previous-hash does not match the entry before it")
        recomputed = chain.entry_hash(prev, v)
        if recomputed != v["hash"]:
            return count, Break(account.pk, account.name, v["id"], v["seq"],
                                f"content changed: stored hash {v['hash'][:16]}…, recomputed {recomputed[:16]}…")
        prev = v["hash"]
        expected_seq += 1
    if account.head_seq != expected_seq - 1 or account.head_hash != prev:
        return count, Break(account.pk, account.name, None, account.head_seq,
                            f"the account's head (#{account.head_seq} {account.head_hash[:16]}…) does not match "
                            f"the last entry (#{expected_seq - 1} {prev[:16]}…)")
    return count, None


def verify_all(accounts=None) -> Result:
    result = Result()
    for account in accounts if accounts is not None else Account.objects.order_by("pk"):
        n, broken = verify_account(account)
        result.accounts += 1
        result.entries += n
        if broken is not None:
            result.first_break = broken
            return result
    return result
