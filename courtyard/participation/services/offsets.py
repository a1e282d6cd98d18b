"""Points offsetting part of a household fee bill (积分抵扣, PTC-3 / SVC-13; ADR 0028).

The fee plan (funds) publishes whether points may pay a bill, how many points make a yuan and at most what
share of a bill. A resident of the billed household chooses how many yuan of an open bill to pay with
points; in ONE transaction the bill row is locked, then the points account (always in that order, so two
offsets or an offset and a redemption never deadlock), an `offset` entry takes the points (never below zero:
the account lock and the CHECK), and funds' `offset_bill` lowers what the bill owes (never beyond the
plan's share nor what is owed: the bill lock and the CHECK). Either both happen or neither.

A correction (staff, `reverse_entry` on the entry or `cancel_offset`) reverses the entry and puts the amount
back on the bill, in the same order of locks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.funds import services as fees

from .. import rules
from ..choices import EntryKind
from ..models import BillOffset, PointsAccount, PointsEntry
from .points import append, points_account


def _field(name: str, message: str) -> ValidationError:
    return ValidationError({name: message})


def offer(user, bill) -> dict:
    """What the resident may use on this bill now: the plan's rate and share, the yuan still open to points,
    the balance, and the most whole yuan they can pay with points."""
    me = rules.person_of(user)
    plan = bill.plan
    account = PointsAccount.objects.filter(person=me, unit_id=plan.account.unit_id).first() if me else None
    balance = account.balance if account else 0
    room_fen = fees.offset_room_fen(bill)
    most = min(room_fen // 100, balance // plan.points_per_yuan) if plan.points_per_yuan else 0
    return {"rate": plan.points_per_yuan, "share": plan.offset_share, "room_fen": room_fen, "balance": balance,
            "most_yuan": most}


@transaction.atomic
def use_points_on_bill(*, by: Actor, bill, yuan: int) -> BillOffset:
    """A resident pays `yuan` whole yuan of their household's bill with points."""
    me = rules.person_of(by.user)
    if me is None or by.on_behalf_of is not None or not fees.may_pay(by.user, bill):
        raise PermissionDenied(_("Only a member of the billed household uses points on a bill."))
    locked = fees.lock_bill(bill.pk)  # the bill first, then the points account
    plan = locked.plan
    if not plan.allows_offset:
        raise ValidationError(_("Points cannot be used on this fee."))
    if me.unit_id != plan.account.unit_id:
        raise ValidationError(_("Points of another unit cannot pay this unit's fees."))
    if not isinstance(yuan, int) or isinstance(yuan, bool) or yuan < 1:
        raise _field("yuan", _("Use points for at least one yuan."))
    amount_fen = yuan * 100
    room = fees.offset_room_fen(locked)
    if amount_fen > room:
        raise _field("yuan", _("Points may pay at most %(y)s yuan of this bill now.") % {"y": room // 100})
    points = yuan * plan.points_per_yuan
    account = points_account(unit=plan.account.unit, person=me)
    entry = append(by=by, account=account, kind=EntryKind.OFFSET, points=-points,
                   memo=_("%(fee)s %(period)s: %(y)d yuan") % {"fee": plan.name, "period": f"{locked.period_start:%Y-%m}",
                                                              "y": yuan})
    offset = BillOffset.objects.create(account=account, bill=locked, entry=entry, points=points, amount_fen=amount_fen,
                                       points_per_yuan=plan.points_per_yuan, created_at=entry.created_at)
    fees.offset_bill(by=by, bill=locked, amount_fen=amount_fen, reference=f"points_entry:{entry.pk}")
    audit.record(by, "participation.bill_offset", offset, community_id=account.community_id, unit_id=account.unit_id,
                 changes={"points": [None, points], "amount_fen": [None, amount_fen], "bill": [None, locked.pk]})
    return offset


@transaction.atomic
def cancel_offset(*, by: Actor, offset: BillOffset, reason: str) -> PointsEntry:
    """Staff correct an offset: the points come back (a reversal of the entry) and the bill owes the amount
    again. Needs the points permission; the bill side is booked as the system on the points' behalf."""
    o = BillOffset.objects.select_related("account", "entry").get(pk=offset.pk)
    if not rules.may_manage_points(by.user, o.account):
        raise PermissionDenied(_("You may not correct points in this unit."))
    if not reason.strip():
        raise _field("reason", _("Say why the entry is corrected."))
    bill = fees.lock_bill(o.bill_id)  # bill, then account: the same order as using points
    o = BillOffset.objects.select_for_update(of=("self",)).get(pk=o.pk)
    if o.reversed_at is not None or PointsEntry.objects.filter(reverses_id=o.entry_id).exists():
        raise ValidationError(_("This entry was already corrected."))
    fees.unoffset_bill(by=Actor(user=None, channel=by.channel, ip=by.ip), bill=bill, amount_fen=o.amount_fen,
                       reference=f"points_entry:{o.entry_id} {reason.strip()}")
    reversal = append(by=by, account=o.account, kind=EntryKind.REVERSAL, points=o.points, reverses=o.entry,
                      memo=reason.strip())
    BillOffset.objects.filter(pk=o.pk).update(reversed_at=timezone.now())
    audit.record(by, "participation.bill_offset_cancelled", o, community_id=o.account.community_id,
                 unit_id=o.account.unit_id, changes={"amount_fen": [o.amount_fen, 0]}, note=reason.strip())
    return reversal
