"""The ledger's one writer (`append_entry`: the account row lock, the hash chain, the running totals),
income, corrections and accounts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, file_access
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload

from .. import chain
from ..choices import (
    GOVERNMENT_BASES,
    Basis,
    Kind,
)
from ..models import (
    Account,
    ExpenditureRequest,
    LedgerEntry,
    LevyCharge,
)
from ..money import MAX_FEN


def _resolution_fields(resolution) -> dict:
    if resolution is None:
        return {}
    from django.contrib.contenttypes.models import ContentType

    return {"resolution_type": ContentType.objects.get_for_model(resolution), "resolution_id": str(resolution.pk)}


@transaction.atomic
def create_account(*, by: Actor, unit, purpose: str, name: str, custodian: str, policy: str,
                   single_approver_below_fen: int = 0, bank_account: str = "", opened_on=None) -> Account:
    account = Account.objects.create(
        community=unit.community, unit=unit, purpose=purpose, name=name, custodian=custodian, policy=policy,
        single_approver_below_fen=single_approver_below_fen, bank_account=bank_account,
        opened_on=opened_on or timezone.localdate())
    audit.record(by, "funds.account_created", account, community_id=unit.community_id,
                 changes=audit.diff(None, audit.snapshot(account)))
    return account


# Dates a ledger entry may be booked on: from 2000 to a year ahead (never a typo like 0202 or 9999).
EARLIEST_BOOKING = dt.date(2000, 1, 1)


def _store_files(by: Actor, uploads) -> list:
    return [store_upload(by=by, upload=u, allowed={"image", "pdf"}) for u in uploads or ()]


def append_entry(*, by: Actor, account: Account, kind: str, amount_fen: int, basis: str, counterparty_name: str,
                 counterparty_kind: str, booked_on: dt.date | None = None, category: str = "", partner=None,
                 request: ExpenditureRequest | None = None, reverses: LedgerEntry | None = None,
                 levy_charge: LevyCharge | None = None, receipt_no: str = "", memo: str = "", resolution=None,
                 resolution_ref: str = "", attachments=()) -> LedgerEntry:
    """Append one entry to `account`'s chain. Must run inside a transaction (the lock lasts until commit)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_entry must run inside transaction.atomic")
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        raise TypeError("amount_fen must be an int (fen)")
    if abs(amount_fen) > MAX_FEN:
        raise ValidationError(_("The amount is larger than any amount this ledger can hold."))
    if booked_on is not None:
        first, last = EARLIEST_BOOKING, timezone.localdate() + dt.timedelta(days=366)
        if not first <= booked_on <= last:
            raise ValidationError(_("A booking date must lie between %(first)s and %(last)s.") % {
                "first": first.isoformat(), "last": last.isoformat()})
    locked = Account.objects.select_for_update().get(pk=account.pk)
    entry = LedgerEntry(
        account=locked, seq=locked.head_seq + 1, booked_on=booked_on or timezone.localdate(), kind=kind,
        amount_fen=amount_fen, basis=basis, category=category, counterparty_kind=counterparty_kind,
        counterparty_name=counterparty_name, partner=partner, request=request, reverses=reverses,
        levy_charge=levy_charge, receipt_no=receipt_no, memo=memo, resolution_ref=resolution_ref,
        attachment_digests=",".join(a.sha256 for a in attachments), created_at=timezone.now(),
        created_by=by.user, prev_hash=locked.head_hash, chain_version=chain.VERSION, **_resolution_fields(resolution))
    entry.hash = chain.entry_hash(entry.prev_hash, entry.chain_values(), chain.VERSION)
    entry.save()
    for a in attachments:
        a.owner = entry
        a.save(update_fields=["owner_type", "owner_id"])
        if a.original_name.startswith("public-"):
            # The documented convention for a redacted copy: published (audited), so the public page lists it.
            file_access.publish(by=by, attachment=a)
    # Running totals move with the head, under the same lock (ledger_verify recomputes them).
    origin = reverses if kind == Kind.REVERSAL else entry
    counts_as_income = origin is not None and origin.kind == Kind.INCOME
    totals = {
        "balance_fen": locked.balance_fen + amount_fen,
        "income_fen": locked.income_fen + (amount_fen if counts_as_income else 0),
        "gov_income_fen": locked.gov_income_fen + (
            amount_fen if counts_as_income and origin.basis in GOVERNMENT_BASES else 0),
    }
    Account.objects.filter(pk=locked.pk).update(
        head_seq=entry.seq, head_hash=entry.hash, head_at=entry.created_at, **totals)
    account.head_seq, account.head_hash, account.head_at = entry.seq, entry.hash, entry.created_at
    for field, value in totals.items():
        setattr(account, field, value)
    audit.record(by, f"funds.entry_{kind}", entry, community_id=locked.community_id,
                 changes={"amount_fen": [None, amount_fen], "hash": [None, entry.hash]})
    return entry


def _check(user, perm: str, obj) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def record_income(*, by: Actor, account: Account, amount_fen: int, basis: str, counterparty_name: str,
                  counterparty_kind: str, booked_on=None, receipt_no: str = "", memo: str = "", partner=None,
                  resolution=None, resolution_ref: str = "", uploads=()) -> LedgerEntry:
    """Subsidy, donation, PPP share, canteen surplus, fee … money in (FND-2)."""
    from ..permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, account)
    if amount_fen <= 0:
        raise ValidationError(_("An income amount must be more than zero."))
    if basis == Basis.EXPENDITURE or basis == Basis.CORRECTION:
        raise ValidationError(_("This basis is not income."))
    return append_entry(by=by, account=account, kind=Kind.INCOME, amount_fen=amount_fen, basis=basis,
                        counterparty_name=counterparty_name, counterparty_kind=counterparty_kind,
                        booked_on=booked_on, receipt_no=receipt_no, memo=memo, partner=partner,
                        resolution=resolution, resolution_ref=resolution_ref, attachments=_store_files(by, uploads))


@transaction.atomic
def reverse_entry(*, by: Actor, entry: LedgerEntry, reason: str, booked_on=None) -> LedgerEntry:
    """A correction: a new entry of the opposite amount, pointing at the one it corrects."""
    from ..permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, entry.account)
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    if entry.kind == Kind.REVERSAL:
        raise ValidationError(_("A correction cannot itself be reversed; record a new entry instead."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been corrected."))
    reversal = append_entry(
        by=by, account=entry.account, kind=Kind.REVERSAL, amount_fen=-entry.amount_fen, basis=Basis.CORRECTION,
        category=entry.category, counterparty_name=entry.counterparty_name,
        counterparty_kind=entry.counterparty_kind, reverses=entry, booked_on=booked_on,
        memo=reason.strip()[:300])
    if entry.levy_charge_id:
        LevyCharge.objects.filter(pk=entry.levy_charge_id).update(
            paid_fen=LevyCharge.objects.get(pk=entry.levy_charge_id).paid_fen - entry.amount_fen)
    from ..fee_models import FeeBill, FeePayment

    paid = FeePayment.objects.filter(entry=entry).values_list("bill_id", flat=True).first()
    if paid is not None:  # a household fee payment corrected: the bill owes it again
        bill = FeeBill.objects.select_for_update().get(pk=paid)
        FeeBill.objects.filter(pk=bill.pk).update(paid_fen=bill.paid_fen - entry.amount_fen)
    return reversal
