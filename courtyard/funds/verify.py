"""Recompute hash chains (FND-4). Used by `manage.py ledger_verify`, the console and the bench."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, Sum

from . import chain
from .choices import GOVERNMENT_BASES, Kind
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
_COLUMNS = ("id", "prev_hash", "hash", "chain_version", *chain.FIELDS)
_ID, _PREV, _HASH, _VER, _FIELDS = 0, 1, 2, 3, 4
_SEQ = _FIELDS + chain.FIELDS.index("seq")


def _select_list() -> str:
    """The columns of _COLUMNS; on PostgreSQL the dates come back as the canonical text already
    (formatted by the server, no datetime objects built per row)."""
    q = connection.ops.quote_name
    cols = []
    for c in _COLUMNS:
        if connection.vendor == "postgresql" and c == "created_at":
            cols.append("""to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""")
        elif connection.vendor == "postgresql" and c == "booked_on":
            cols.append("to_char(booked_on, 'YYYY-MM-DD')")
        else:
            cols.append(q(c))
    return ", ".join(cols)


def _rows(account_id: int, chunk: int = 20000) -> Iterable[tuple]:
    """Entries of one account in seq order, as raw tuples (no model instances: this runs over millions).
    Keyset chunks on UNIQUE(account, seq), so memory stays bounded."""
    table = LedgerEntry._meta.db_table
    cols = _select_list()
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM {table} WHERE account_id = %s AND seq > %s "  # noqa: S608
                           f"ORDER BY seq LIMIT %s", [account_id, last, chunk])
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][_SEQ]


def _typed(row: tuple) -> dict:
    """One raw row as a dict of typed values (the bench and tests use it; verification does not)."""
    values = dict(zip(_COLUMNS, row, strict=True))
    # Both databases hand back text here (see _select_list); core/chain.py (plain) treats naive datetimes as UTC.
    if isinstance(values["booked_on"], str):
        values["booked_on"] = _DATE.to_python(values["booked_on"])
    if isinstance(values["created_at"], str):
        value = values["created_at"].removesuffix("Z").replace("T", " ")
        values["created_at"] = _DATETIME.to_python(value)
    return values


def verify_account(account: Account) -> tuple[int, Break | None]:
    """Walk one chain from genesis, in one consistent snapshot of the account row and its entries
    (see _snapshot), so appends committed meanwhile are neither half-seen nor reported as breaks."""
    with _snapshot():
        account = Account.objects.get(pk=account.pk)
        return _walk(account)


@contextmanager
def _snapshot():
    """One transaction for the whole walk. PostgreSQL: REPEATABLE READ, READ ONLY when we open the
    transaction ourselves (READ COMMITTED would let an append that commits between reading the account
    row and reading its last entries look like a broken head). SQLite: one read transaction is one
    snapshot already. Inside a caller's transaction (tests) we use theirs."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _walk(account: Account) -> tuple[int, Break | None]:
    """Hot loop over raw tuples: the canonical bytes come from `chain.canonical_row` (byte-identical to
    `chain.canonical`), the hash from `chain.link` (pinned by known-answer vectors); no dict or model
    per row. Each row is encoded with the version it records; versions never go back along a chain."""
    prev = chain.GENESIS
    expected_seq = 1
    count = 0
    version = 1
    link = chain.link
    encode = chain.canonical_row
    known = chain.FIELDS_BY_VERSION
    for row in _rows(account.pk):
        count += 1
        if row[_SEQ] != expected_seq:
            return count, Break(account.pk, account.name, row[_ID], expected_seq,
                                f"entry #{expected_seq} is missing (next stored entry is #{row[_SEQ]})")
        if row[_PREV] != prev:
            return count, Break(account.pk, account.name, row[_ID], row[_SEQ],
                                "its previous-hash does not match the entry before it")
        if row[_VER] not in known or row[_VER] < version:
            return count, Break(account.pk, account.name, row[_ID], row[_SEQ],
                                f"encoding version {row[_VER]} after version {version} (versions never go back)")
        version = row[_VER]
        recomputed = link(prev, encode(row[_FIELDS:], version))
        if recomputed != row[_HASH]:
            return count, Break(account.pk, account.name, row[_ID], row[_SEQ],
                                f"content changed: stored hash {row[_HASH][:16]}…, recomputed {recomputed[:16]}…")
        prev = row[_HASH]
        expected_seq += 1
    if account.head_seq != expected_seq - 1 or account.head_hash != prev:
        return count, Break(account.pk, account.name, None, account.head_seq,
                            f"the account's head (#{account.head_seq} {account.head_hash[:16]}…) does not match "
                            f"the last entry (#{expected_seq - 1} {prev[:16]}…)")
    totals = entry_totals(account.pk)
    for field, label in (("balance_fen", "balance"), ("income_fen", "income total"),
                         ("gov_income_fen", "government income total")):
        if getattr(account, field) != totals[field]:
            return count, Break(account.pk, account.name, None, account.head_seq,
                                f"the account's running {label} ({getattr(account, field)} fen) does not match "
                                f"the entries ({totals[field]} fen)")
    return count, None


def entry_totals(account_id: int) -> dict[str, int]:
    """The running totals kept on the account row, recomputed from its entries in one query:
    balance; income net of its corrections; the government-paid part of that (self-funding ratio)."""
    gov = tuple(str(b) for b in GOVERNMENT_BASES)
    is_income = Q(kind=Kind.INCOME) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.INCOME)
    is_gov = (Q(kind=Kind.INCOME, basis__in=gov) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.INCOME,
                                                       reverses__basis__in=gov))
    agg = LedgerEntry.objects.filter(account_id=account_id).aggregate(
        balance_fen=Sum("amount_fen"), income_fen=Sum("amount_fen", filter=is_income),
        gov_income_fen=Sum("amount_fen", filter=is_gov))
    return {k: v or 0 for k, v in agg.items()}


def verify_all(accounts=None, *, files: bool = False) -> Result:
    """Every chain; then each entry's attached files (their rows always, their contents with `files`)."""
    result = Result()
    for account in accounts if accounts is not None else Account.objects.order_by("pk"):
        n, broken = verify_account(account)
        result.accounts += 1
        result.entries += n
        if broken is None:
            broken = verify_attachments(account, contents=files)
        if broken is not None:
            result.first_break = broken
            return result
    return result


def verify_attachments(account: Account, *, contents: bool = False, chunk: int = 1000) -> Break | None:
    """Each file an entry hashed (its `attachment_digests`) is still attached to it with that SHA-256;
    with `contents`, the stored file itself still hashes to it (reads every file: slow, opt-in).
    Files attached to an entry beyond those it hashed are not an error (e.g. redacted public copies)."""
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    ct = ContentType.objects.get_for_model(LedgerEntry)
    rows = (LedgerEntry.objects.filter(account_id=account.pk).exclude(attachment_digests="")
            .order_by("seq").values_list("id", "seq", "attachment_digests"))
    batch: list[tuple] = []

    def check(batch) -> Break | None:
        stored: dict[str, list] = {}
        for att in Attachment.objects.filter(owner_type=ct, owner_id__in=[str(i) for i, _s, _d in batch]):
            stored.setdefault(att.owner_id, []).append(att)
        for entry_id, seq, digests in batch:
            have = {a.sha256: a for a in stored.get(str(entry_id), [])}
            for digest in digests.split(","):
                att = have.get(digest)
                if att is None:
                    return Break(account.pk, account.name, entry_id, seq,
                                 f"the attached file with SHA-256 {digest[:16]}… is no longer attached")
                if contents and _file_digest(att) != digest:
                    return Break(account.pk, account.name, entry_id, seq,
                                 f"the stored file {att.file.name} no longer has SHA-256 {digest[:16]}…")
        return None

    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            if (broken := check(batch)) is not None:
                return broken
            batch = []
    return check(batch) if batch else None


def _file_digest(att) -> str | None:
    digest = hashlib.sha256()
    try:
        with att.file.storage.open(att.file.name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()
