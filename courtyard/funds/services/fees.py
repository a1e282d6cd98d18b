"""Household fees (SVC-13): plans, bills, payments with receipts, arrears and reminders, offsets.

Every payment is income on the plan's ledger account, booked through `append_entry` (basis "fee"), so
it is on the hash chain, in the public ledger and in the self-funding ratio. Bills are fixed when issued;
paying more than what is owed is refused (and the database refuses an overpaid bill)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.notify import Text, notify
from courtyard.org.models import Dwelling

from ..choices import Basis, CounterpartyKind, FeeBasis, FeeKind, FeePeriod, Kind, PaymentMethod
from ..fee_models import FeeBill, FeePayment, HouseholdFeePlan
from ..models import Account
from ..money import MAX_FEN, round_half_up
from ..payments import get_backend
from ._ledger import _check, append_entry
from .grants import resident_dwellings

REMIND_AGAIN_AFTER = dt.timedelta(days=7)


def _field(name: str, message: str) -> ValidationError:
    return ValidationError({name: message})


@transaction.atomic
def create_household_fee(*, by: Actor, account: Account, kind: str, name: str, basis: str, rate_fen,
                         period: str, uses: str, starts_on: dt.date, resolution_ref: str = "",
                         points_per_yuan: int = 0, offset_share: int = 0) -> HouseholdFeePlan:
    """A published fee: per household (whole fen per period) or per m² (fen per m² per period)."""
    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    if kind not in FeeKind.values:
        raise _field("kind", _("Choose the kind of fee."))
    if basis not in FeeBasis.values:
        raise _field("basis", _("Choose per household or per m²."))
    if period not in FeePeriod.values:
        raise _field("period", _("Choose monthly or yearly."))
    try:
        rate = Decimal(str(rate_fen))
    except (InvalidOperation, ValueError):
        raise _field("rate_fen", _("Give the rate as an amount.")) from None
    if rate <= 0 or rate > MAX_FEN:
        raise _field("rate_fen", _("The rate must be more than zero."))
    if basis == FeeBasis.HOUSEHOLD and rate != rate.to_integral_value():
        raise _field("rate_fen", _("A fee per household is a whole number of fen."))
    if rate.as_tuple().exponent < -2:
        raise _field("rate_fen", _("A rate has at most two decimals of a fen."))
    if not name.strip():
        raise _field("name", _("Give the fee a name."))
    if not uses.strip():
        raise _field("uses", _("Say what the money is used for; it is published with the rate."))
    if not 0 <= (points_per_yuan or 0) <= 10_000:
        raise _field("points_per_yuan", _("Between 0 and 10,000 points per yuan."))
    if not 0 <= (offset_share or 0) <= 100:
        raise _field("offset_share", _("A share between 0 and 100 %."))
    if bool(points_per_yuan) != bool(offset_share):
        raise _field("offset_share", _("Give both the points per yuan and the share, or neither."))
    plan = HouseholdFeePlan.objects.create(account=account, kind=kind, name=name.strip()[:120], basis=basis,
                                           rate_fen=rate, period=period, uses=uses.strip(), starts_on=starts_on,
                                           resolution_ref=resolution_ref.strip()[:200], created_by=by.user,
                                           points_per_yuan=points_per_yuan or 0, offset_share=offset_share or 0)
    audit.record(by, "funds.household_fee_created", plan, community_id=account.community_id,
                 changes=audit.diff(None, audit.snapshot(plan, fields=["kind", "name", "basis", "rate_fen", "period",
                                                                        "uses", "starts_on"])))
    return plan


def period_of(plan: HouseholdFeePlan, day: dt.date) -> tuple[dt.date, dt.date]:
    """The billing period containing `day`: its calendar month, or its calendar year."""
    if plan.period == FeePeriod.YEARLY:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return start, nxt - dt.timedelta(days=1)


def bill_amount(plan: HouseholdFeePlan, area_m2: Decimal | None) -> int | None:
    """Whole fen: the household rate, or area × rate per m² rounded half up (None: no recorded area)."""
    if plan.basis == FeeBasis.HOUSEHOLD:
        return int(plan.rate_fen)
    if area_m2 is None:
        return None
    return round_half_up(Fraction(Decimal(area_m2)) * Fraction(Decimal(plan.rate_fen)))


@transaction.atomic
def issue_bills(*, by: Actor, plan: HouseholdFeePlan, day: dt.date, due_days: int = 30,
                dwellings=None) -> dict:
    """Bills for the period containing `day`, for every dwelling of the unit (or the given ones, e.g. the
    holders of parking spaces). A dwelling already billed for the period is left alone; per m² plans skip
    dwellings without a recorded area. Returns counts."""
    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, plan.account)
    if not plan.active:
        raise ValidationError(_("This fee is no longer in force."))
    start, end = period_of(plan, day)
    if end < plan.starts_on:
        raise _field("day", _("The fee starts on %(d)s.") % {"d": plan.starts_on})
    if not 0 <= due_days <= 366:
        raise _field("due_days", _("Payment is due within 0 to 366 days."))
    qs = Dwelling.objects.filter(unit=plan.account.unit_id)
    if dwellings is not None:
        ids = [d.pk for d in dwellings]
        if qs.filter(pk__in=ids).count() != len(set(ids)):
            raise _field("dwellings", _("Every dwelling must belong to this unit."))
        qs = qs.filter(pk__in=ids)
    done = set(FeeBill.objects.filter(plan=plan, period_start=start).values_list("dwelling_id", flat=True))
    due = start + dt.timedelta(days=due_days)
    new, skipped = [], 0
    for pk, building_id, area in qs.order_by("pk").values_list("pk", "building_id", "area_m2"):
        if pk in done:
            continue
        amount = bill_amount(plan, area)
        if amount is None or amount <= 0:
            skipped += 1
            continue
        new.append(FeeBill(plan=plan, dwelling_id=pk, building_id=building_id, period_start=start, period_end=end,
                           due_on=due, area_m2=area if plan.basis == FeeBasis.AREA else None, amount_fen=amount))
    FeeBill.objects.bulk_create(new, batch_size=1000)
    total = sum(b.amount_fen for b in new)
    audit.record(by, "funds.fee_bills_issued", plan, community_id=plan.account.community_id,
                 changes={"period": [None, str(start)], "bills": [None, len(new)], "total_fen": [None, total]})
    return {"issued": len(new), "skipped": skipped, "already": len(done), "total_fen": total}


def _receipt_no(bill: FeeBill) -> str:
    return f"FEE{bill.period_start:%Y%m}-{bill.pk}-{FeePayment.objects.filter(bill=bill).count() + 1}"


def record_payment(*, by: Actor, bill: FeeBill, amount_fen: int, method: str, receipt_no: str = "",
                   adapter_ref: str = "", payer_name: str = "", now=None) -> FeePayment:
    """Books a payment: income on the plan's account (basis fee) and a receipt. Runs inside the caller's
    transaction; the bill row is locked so two payments cannot overpay it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_payment must run inside transaction.atomic")
    if method not in PaymentMethod.values:
        raise ValidationError(_("Unknown payment method."))
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        raise TypeError("amount_fen must be an int (fen)")
    locked = FeeBill.objects.select_for_update().select_related("plan__account", "dwelling").get(pk=bill.pk)
    if amount_fen <= 0 or amount_fen > locked.owed_fen:
        raise _field("amount_fen", _("The payment must be more than zero and at most what is owed (%(owed)s fen).")
                     % {"owed": locked.owed_fen})
    receipt_no = receipt_no.strip()[:40] or _receipt_no(locked)
    if FeePayment.objects.filter(receipt_no=receipt_no).exists():
        raise _field("receipt_no", _("Receipt number %(n)s is already used.") % {"n": receipt_no})
    plan = locked.plan
    entry = append_entry(by=by, account=plan.account, kind=Kind.INCOME, amount_fen=amount_fen, basis=Basis.FEE,
                         category="property", counterparty_kind=CounterpartyKind.RESIDENTS,
                         counterparty_name=_("Households of %(unit)s") % {"unit": plan.account.unit.name},
                         receipt_no=receipt_no, memo=f"{plan.name} {locked.period_start:%Y-%m}"[:300],
                         resolution_ref=plan.resolution_ref)
    payment = FeePayment.objects.create(bill=locked, amount_fen=amount_fen, method=method, adapter_ref=adapter_ref,
                                        receipt_no=receipt_no, payer_name=payer_name.strip()[:50], entry=entry,
                                        paid_at=now or timezone.now(), recorded_by=by.user)
    FeeBill.objects.filter(pk=locked.pk).update(paid_fen=locked.paid_fen + amount_fen)
    bill.paid_fen = locked.paid_fen + amount_fen
    audit.record(by, "funds.fee_paid", payment, community_id=plan.account.community_id,
                 changes={"bill": [None, locked.pk], "amount_fen": [None, amount_fen], "method": [None, method],
                          "receipt_no": [None, receipt_no]})
    return payment


@transaction.atomic
def record_office_payment(*, by: Actor, bill: FeeBill, amount_fen: int, receipt_no: str,
                          payer_name: str = "") -> FeePayment:
    """Cash or a transfer received at the office: staff holding the income permission, with the paper
    receipt's number."""
    from ..permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, bill.plan.account)
    if not receipt_no.strip():
        raise _field("receipt_no", _("Give the number of the paper receipt."))
    return record_payment(by=by, bill=bill, amount_fen=amount_fen, method=PaymentMethod.CONSOLE,
                          receipt_no=receipt_no, payer_name=payer_name)


def may_pay(user, bill: FeeBill) -> bool:
    return user is not None and resident_dwellings(user).filter(pk=bill.dwelling_id).exists()


@transaction.atomic
def pay_online(*, by: Actor, bill: FeeBill) -> FeePayment | None:
    """A resident pays their own household's bill in full through the payment adapter. With the console
    backend the payment is confirmed at once; a real provider confirms later (its notification view
    calls `record_payment`), and this returns None."""
    if by.user is None or by.on_behalf_of is not None or not may_pay(by.user, bill):
        raise PermissionDenied
    owed = FeeBill.objects.get(pk=bill.pk).owed_fen
    if owed <= 0:
        raise ValidationError(_("This bill is paid."))
    backend = get_backend()
    result = backend.start(bill=bill, amount_fen=owed, payer=by.user)
    if not result.confirmed:
        return None
    return record_payment(by=by, bill=bill, amount_fen=owed, method=backend.method, adapter_ref=result.reference,
                          payer_name=getattr(by.user.person, "name", ""))


def offset_room_fen(bill: FeeBill) -> int:
    """How much more of this bill points may still pay: the plan's share of the amount (rounded down to the
    fen) less what points already paid, and never more than what is owed. 0 when the plan allows none."""
    plan = bill.plan
    if not plan.allows_offset:
        return 0
    cap = bill.amount_fen * plan.offset_share // 100
    return max(0, min(cap - bill.offset_fen, bill.owed_fen))


def lock_bill(bill_id: int) -> FeeBill:
    """The bill row, locked for the caller's transaction (the points side locks the bill before the points
    account, always in that order)."""
    return FeeBill.objects.select_for_update(of=("self",)).select_related("plan__account__unit").get(pk=bill_id)


@transaction.atomic
def offset_bill(*, by: Actor, bill: FeeBill, amount_fen: int, reference: str) -> FeeBill:
    """Points offsetting part of a bill (PTC-3, 积分抵扣, ADR 0028): the points side (participation's
    `use_points_on_bill`) has debited the resident's points in the same transaction and calls this with its
    entry's reference. No money moves, so no cash entry is booked: the plan's account bears the value as
    income forgone (the published plan says how much), and the bill owes less. Allowed for the system, staff
    holding the income permission, or a resident of the billed household; never beyond the plan's share."""
    from ..permissions import RECORD_INCOME

    if by.user is not None and not (by.user.has_perm(RECORD_INCOME, bill.plan.account) or may_pay(by.user, bill)):
        raise PermissionDenied
    locked = lock_bill(bill.pk)
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        raise TypeError("amount_fen must be an int (fen)")
    if amount_fen <= 0 or amount_fen > locked.owed_fen:
        raise ValidationError(_("An offset must be more than zero and at most what is owed."))
    if amount_fen > offset_room_fen(locked):
        raise ValidationError(_("Points may pay at most %(share)s %% of this bill.") % {
            "share": locked.plan.offset_share})
    if not reference.strip():
        raise ValidationError(_("An offset needs the reference of the points entry."))
    FeeBill.objects.filter(pk=locked.pk).update(offset_fen=locked.offset_fen + amount_fen)
    audit.record(by, "funds.fee_offset", locked.plan, community_id=locked.plan.account.community_id,
                 changes={"bill": [None, locked.pk], "offset_fen": [locked.offset_fen, locked.offset_fen + amount_fen]},
                 note=reference.strip()[:200])
    locked.offset_fen += amount_fen
    bill.offset_fen = locked.offset_fen
    return locked


@transaction.atomic
def unoffset_bill(*, by: Actor, bill: FeeBill, amount_fen: int, reference: str) -> FeeBill:
    """An offset corrected on the points side (the points came back): the bill owes that amount again."""
    from ..permissions import RECORD_INCOME

    if by.user is not None:
        _check(by.user, RECORD_INCOME, bill.plan.account)
    locked = lock_bill(bill.pk)
    if amount_fen <= 0 or amount_fen > locked.offset_fen:
        raise ValidationError(_("Only an amount that points paid can be put back on the bill."))
    FeeBill.objects.filter(pk=locked.pk).update(offset_fen=locked.offset_fen - amount_fen)
    audit.record(by, "funds.fee_offset_reversed", locked.plan, community_id=locked.plan.account.community_id,
                 changes={"bill": [None, locked.pk], "offset_fen": [locked.offset_fen, locked.offset_fen - amount_fen]},
                 note=reference.strip()[:200])
    locked.offset_fen -= amount_fen
    return locked


@transaction.atomic
def send_reminders(*, by: Actor, plan: HouseholdFeePlan, now=None) -> int:
    """Reminds the households whose bills of this plan are past due and unpaid (not again within 7 days).
    Returns the number of bills reminded."""
    from courtyard.core.models import User

    from ..permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, plan.account)
    now = now or timezone.now()
    today = timezone.localdate(now)
    bills = [b for b in FeeBill.objects.select_for_update().filter(plan=plan, due_on__lt=today)
             .exclude(reminded_at__gt=now - REMIND_AGAIN_AFTER) if b.owed_fen > 0]
    if not bills:
        return 0
    ids = [b.pk for b in bills]
    dwelling_ids = {b.dwelling_id for b in bills}
    users = User.objects.filter(is_active=True, person__links__dwelling__in=dwelling_ids,
                                person__links__end_date__isnull=True).distinct()
    notify(recipients=users, kind="funds.fee_reminder",
           title=Text(N_("A bill is overdue: %(fee)s"), fee=plan.name),
           body=Text(N_("Please pay it on the phone (My bills) or at the community office.")), url="/funds/bills/")
    FeeBill.objects.filter(pk__in=ids).update(reminded_at=now)
    audit.record(by, "funds.fee_reminders", plan, community_id=plan.account.community_id,
                 changes={"bills": [None, len(ids)]})
    return len(ids)
