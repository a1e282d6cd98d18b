"""The ledger checked against paper (issue 8 item 6, docs/adr/0008-ledger-against-paper.md).

A chain head (account, seq, sha256) that was printed — on a published monthly statement, on the
statement PDF of the public ledger, or in a file kept outside the system (`manage.py ledger_heads`
run by IT or the supervisory board) — is an *anchor*. The hash chain alone proves only that the
ledger is consistent with itself: someone who can write the database can delete the last entries
and rewind the account's head and totals, or rewrite an amount and re-hash everything after it, and
the chain still verifies. Against an anchor neither passes: the printed entry is gone, or it has
another hash.

`record_printed_heads` remembers what a document printed; `parse_anchor_lines` reads an anchor file
(one `<account-id> <seq> <sha256-hex>` per line); `check_anchors` finds the first anchor that is no
longer in its chain. `manage.py ledger_verify` runs them after the chain walk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from courtyard.core import audit
from courtyard.core.audit import Actor

from .chain import GENESIS
from .choices import StatementState
from .models import Account, LedgerAnchor, LedgerEntry, MonthlyStatement

_LINE = re.compile(r"^\s*(\d{1,12})\s+(\d{1,12})\s+([0-9a-fA-F]{64})\s*$")


class AnchorFileError(ValueError):
    pass


@dataclass(frozen=True)
class Anchor:
    account_id: int
    seq: int
    hash: str
    origin: str  # where it was printed: "heads.txt line 3", "statement 2026-11 (id 4)", …

    def __str__(self) -> str:
        return f"{self.account_id} {self.seq} {self.hash}"


@dataclass(frozen=True)
class Miss:
    anchor: Anchor
    reason: str

    def __str__(self) -> str:
        return f"{self.anchor.origin}: {self.anchor.account_id} {self.anchor.seq} {self.anchor.hash}: {self.reason}"


# --- writing ------------------------------------------------------------------------------------------

def record_printed_heads(*, by: Actor, heads: Iterable[tuple[Account, int, str]], source: str,
                         reference: str = "") -> list[LedgerAnchor]:
    """Remember the chain heads a document printed, [(account, seq, hash)]. One row per head and source:
    a second print of the same head adds nothing, so anonymous downloads cannot grow the table beyond
    one row per entry. Each new row is audited (who printed it, or the anonymous request)."""
    out = []
    for account, seq, hash_ in heads:
        if not seq:
            continue  # an account without entries printed "—": nothing to anchor
        with transaction.atomic():
            anchor, created = LedgerAnchor.objects.get_or_create(
                account=account, seq=seq, hash=hash_, source=source, defaults={"reference": reference[:120]})
            if created:
                audit.record(by, "funds.head_printed", anchor, community_id=account.community_id,
                             changes={"seq": [None, seq], "hash": [None, hash_], "source": [None, source],
                                      "reference": [None, reference[:120]]})
        out.append(anchor)
    return out


# --- reading --------------------------------------------------------------------------------------------

def parse_anchor_lines(lines: Iterable[str], name: str) -> list[Anchor]:
    """`<account-id> <seq> <sha256-hex>` per line (the output of `ledger_heads`); blank lines and lines
    starting with # are skipped. Raises AnchorFileError naming the first bad line."""
    out = []
    for n, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        m = _LINE.match(text)
        if m is None:
            shown = text if len(text) <= 80 else text[:77] + "..."
            raise AnchorFileError(f"{name} line {n}: expected '<account-id> <seq> <sha256-hex>', got {shown!r}")
        out.append(Anchor(int(m[1]), int(m[2]), m[3].lower(), f"{name} line {n}"))
    return out


def recorded_anchors(account_ids: Iterable[int] | None = None) -> list[Anchor]:
    """Every head the system itself recorded as printed: published statements and LedgerAnchor rows."""
    statements = MonthlyStatement.objects.filter(state=StatementState.PUBLISHED, head_seq__gt=0).order_by("pk")
    printed = LedgerAnchor.objects.order_by("pk")
    if account_ids is not None:
        ids = list(account_ids)
        statements, printed = statements.filter(account_id__in=ids), printed.filter(account_id__in=ids)
    out = [Anchor(a, s, h, f"published statement {m:%Y-%m} (id {pk})")
           for pk, a, s, h, m in statements.values_list("pk", "account_id", "head_seq", "head_hash", "month")]
    out += [Anchor(a, s, h, f"{src} {ref} (printed head id {pk})" if ref else f"{src} (printed head id {pk})")
            for pk, a, s, h, src, ref in printed.values_list("pk", "account_id", "seq", "hash", "source",
                                                              "reference")]
    return out


def check_anchors(anchors: Iterable[Anchor], chunk: int = 500) -> tuple[int, Miss | None]:
    """Is each anchor still in its chain (an entry with that seq and that hash)? Returns how many were
    checked and the first (in the given order) that is not. One query per account and `chunk` anchors."""
    anchors = list(anchors)
    by_account: dict[int, set[int]] = {}
    for a in anchors:
        by_account.setdefault(a.account_id, set()).add(a.seq)
    accounts = {pk: (name, head) for pk, name, head in
                Account.objects.filter(pk__in=list(by_account)).values_list("pk", "name", "head_seq")}
    stored: dict[tuple[int, int], str] = {}
    for account_id, seqs in by_account.items():
        ordered = sorted(seqs)
        for i in range(0, len(ordered), chunk):
            rows = LedgerEntry.objects.filter(account_id=account_id, seq__in=ordered[i:i + chunk])
            stored.update({(account_id, s): h for s, h in rows.values_list("seq", "hash")})
    for a in anchors:
        if a.account_id not in accounts:
            return len(anchors), Miss(a, f"there is no account {a.account_id}")
        name, head = accounts[a.account_id]
        if a.seq == 0:  # an account printed before its first entry: the empty chain, in every chain
            if a.hash != GENESIS:
                return len(anchors), Miss(a, f"entry #0 is the empty chain of account {a.account_id} ({name}); "
                                             f"its hash is {GENESIS}")
            continue
        found = stored.get((a.account_id, a.seq))
        if found is None:
            return len(anchors), Miss(a, f"account {a.account_id} ({name}) has no entry #{a.seq} "
                                         f"(its chain ends at #{head})")
        if found != a.hash:
            return len(anchors), Miss(a, f"entry #{a.seq} of account {a.account_id} ({name}) now has hash "
                                         f"{found}, not the printed one")
    return len(anchors), None
