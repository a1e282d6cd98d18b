"""The points ledger and the shop (PTC-3). docs/adr/0017-points-ledger-and-shop.md.

Points are written only by `credit`, which the services that verify an act call (a rota check-in,
event attendance, hours confirmed by an organiser, a completed claim), naming the act in `source`:
the database accepts one `earn` entry per source. Every entry goes through `append`, which locks
the account row, chains the entry to the account's head and moves the balance under the same lock;
CHECK constraints keep balances and stock from going below zero. Redemptions lock the item, then
the account (always in that order, so two redemptions never deadlock)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.models import Channel

from .. import chain, rules
from ..choices import Act, EntryKind, ItemKind, RedemptionState
from ..domain import capped
from ..models import PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours

# The verified acts and the source prefix each writes ("rota_shift:17").
SOURCES = {
    Act.ROTA_CHECKIN: "rota_shift",
    Act.EVENT_ATTENDANCE: "event_signup",
    Act.VOLUNTEER_HOURS: "volunteer_hours",
    Act.CLAIM_DONE: "claim",
}


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, code=field) if field else ValidationError(message)


def points_account(*, unit, person) -> PointsAccount:
    """The person's account in the unit, opened on first use (two first uses at once: one row)."""
    account = PointsAccount.objects.filter(unit=unit, person=person).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return PointsAccount.objects.create(unit=unit, community_id=unit.community_id, person=person)
    except IntegrityError:
        return PointsAccount.objects.get(unit=unit, person=person)


def append(*, by: Actor, account: PointsAccount, kind: str, points: int, act: str = "", source: str = "",
           reverses: PointsEntry | None = None, redemption: Redemption | None = None, memo: str = "",
           earned_on: dt.date | None = None) -> PointsEntry:
    """Append one entry to the account's chain. Runs inside the caller's transaction (the lock lasts
    until commit). Refuses an entry that would take the balance below zero."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append must run inside transaction.atomic")
    if not isinstance(points, int) or isinstance(points, bool) or points == 0:
        raise TypeError("points must be a non-zero int")
    locked = PointsAccount.objects.select_for_update().get(pk=account.pk)
    if locked.balance + points < 0:
        raise _refuse(_("Not enough points: the balance is %(balance)d.") % {"balance": locked.balance})
    entry = PointsEntry(
        account=locked, seq=locked.head_seq + 1, kind=kind, act=act, points=points,
        earned_on=earned_on or timezone.localdate(), source=source, reverses=reverses, redemption=redemption,
        memo=memo[:200], created_at=timezone.now(), created_by=by.user, prev_hash=locked.head_hash)
    entry.hash = chain.entry_hash(entry.prev_hash, entry.chain_values())
    entry.save()
    origin = reverses if kind == EntryKind.REVERSAL else entry
    earned = points if origin is not None and origin.kind == EntryKind.EARN else 0
    PointsAccount.objects.filter(pk=locked.pk).update(
        balance=F("balance") + points, earned=F("earned") + earned, head_seq=entry.seq, head_hash=entry.hash,
        head_at=entry.created_at)
    account.balance, account.earned = locked.balance + points, locked.earned + earned
    account.head_seq, account.head_hash, account.head_at = entry.seq, entry.hash, entry.created_at
    audit.record(by, f"participation.points_{kind}", entry, community_id=locked.community_id, unit_id=locked.unit_id,
                 changes={"points": [None, points], "balance": [locked.balance, locked.balance + points]},
                 note=source or memo)
    return entry


@transaction.atomic
def credit(*, by: Actor, unit, person, act: str, source_id: int, quantity: int = 1, day: dt.date | None = None,
           memo: str = "") -> PointsEntry | None:
    """Credit the points the unit's published rule gives for one verified act. Called only by the
    services that verify the act (never from a form). Returns None when no rule is in force or the
    day's or month's cap is reached; an act already credited is refused by the database."""
    if act not in SOURCES:
        raise ValueError(f"not a verified act: {act!r}")
    rule = PointsRule.objects.filter(unit=unit, act=act, active=True).first()
    if rule is None:
        return None
    day = day or timezone.localdate()
    account = points_account(unit=unit, person=person)
    locked = PointsAccount.objects.select_for_update().get(pk=account.pk)  # caps are read under the lock
    earned = PointsEntry.objects.filter(account=locked, act=act).exclude(kind=EntryKind.REDEEM)
    today = earned.filter(earned_on=day).aggregate(s=Sum("points"))["s"] or 0
    month = earned.filter(earned_on__year=day.year, earned_on__month=day.month).aggregate(s=Sum("points"))["s"] or 0
    points = capped(rule.points * quantity, earned_today=today, earned_month=month, daily_cap=rule.daily_cap,
                    monthly_cap=rule.monthly_cap)
    if points <= 0:
        return None
    source = f"{SOURCES[act]}:{source_id}"
    if PointsEntry.objects.filter(source=source, kind=EntryKind.EARN).exists():
        raise _refuse(_("These points were already credited."))
    return append(by=by, account=locked, kind=EntryKind.EARN, points=points, act=act, source=source, memo=memo,
                  earned_on=day)


@transaction.atomic
def reverse_entry(*, by: Actor, entry: PointsEntry, reason: str) -> PointsEntry:
    """A correction: a new entry of the opposite sign pointing at the corrected one (once)."""
    if not rules.may_manage_points(by.user, entry.account):
        raise PermissionDenied(_("You may not correct points in this unit."))
    if not reason.strip():
        raise _refuse(_("Say why the entry is corrected."), "reason")
    if entry.kind == EntryKind.REVERSAL:
        raise _refuse(_("A correction cannot itself be corrected; record a new act instead."))
    if entry.kind == EntryKind.REDEEM:
        raise _refuse(_("Cancel the redemption instead: that also returns the item to stock."))
    if entry.kind == EntryKind.OFFSET:  # the bill owes the amount again, in the same transaction
        from .offsets import cancel_offset

        return cancel_offset(by=by, offset=entry.bill_offset, reason=reason)
    if PointsEntry.objects.filter(reverses=entry).exists():
        raise _refuse(_("This entry was already corrected."))
    return append(by=by, account=entry.account, kind=EntryKind.REVERSAL, points=-entry.points, act=entry.act,
                  reverses=entry, memo=reason.strip())


@transaction.atomic
def confirm_hours(*, by: Actor, unit, person, activity: str, day: dt.date, hours: int) -> VolunteerHours:
    """An organiser confirms someone's volunteer hours; the confirmation earns the volunteer points."""
    if not rules.may_confirm_hours(by.user, (unit, person)):
        raise PermissionDenied(_("You may not confirm these hours (nobody confirms their own)."))
    if person.unit_id != unit.pk:
        raise _refuse(_("This person does not belong to the unit."), "person")
    if not 1 <= hours <= 24:
        raise _refuse(_("Hours must be between 1 and 24."), "hours")
    if day > timezone.localdate():
        raise _refuse(_("Hours cannot be confirmed for a day still to come."), "day")
    record = VolunteerHours.objects.create(unit=unit, community_id=unit.community_id, person=person,
                                           activity=activity, day=day, hours=hours, confirmed_by=by.user)
    audit.record(by, "participation.hours_confirmed", record, changes=audit.diff(None, audit.snapshot(record)))
    credit(by=by, unit=unit, person=person, act=Act.VOLUNTEER_HOURS, source_id=record.pk, quantity=hours, day=day,
           memo=activity)
    return record


@transaction.atomic
def save_rule(*, by: Actor, unit, act: str, points: int, daily_cap: int = 0, monthly_cap: int = 0, note: str = "",
              active: bool = True) -> PointsRule:
    if not rules.may_manage_points(by.user, unit):
        raise PermissionDenied(_("You may not publish points rules in this unit."))
    if points < 1:
        raise _refuse(_("An act earns at least one point."), "points")
    if daily_cap and daily_cap < points:
        raise _refuse(_("The daily cap is smaller than one act's points."), "daily_cap")
    if monthly_cap and daily_cap and monthly_cap < daily_cap:
        raise _refuse(_("The monthly cap is smaller than the daily cap."), "monthly_cap")
    rule = PointsRule.objects.select_for_update().filter(unit=unit, act=act).first()
    before = audit.snapshot(rule) if rule else None
    if rule is None:
        rule = PointsRule(unit=unit, community_id=unit.community_id, act=act)
    rule.points, rule.daily_cap, rule.monthly_cap, rule.note, rule.active = points, daily_cap, monthly_cap, note, active
    rule.save()
    audit.record(by, "participation.rule_saved", rule, changes=audit.diff(before, audit.snapshot(rule)))
    return rule


@transaction.atomic
def save_item(*, by: Actor, unit, name: str, kind: str, cost: int, stock: int, description: str = "",
              active: bool = True, item: ShopItem | None = None, grant_call=None) -> ShopItem:
    if not rules.may_manage_points(by.user, unit if item is None else item):
        raise PermissionDenied(_("You may not stock the points shop of this unit."))
    if grant_call is not None:
        if kind != ItemKind.MICRO_PROJECT:
            raise _refuse(_("Only the right to run a micro-project names a micro-grant call."), "grant_call")
        if grant_call.account.unit_id != (item.unit_id if item is not None else unit.pk):
            raise _refuse(_("The micro-grant call must belong to the same unit."), "grant_call")
    if cost < 1:
        raise _refuse(_("An item costs at least one point."), "cost")
    if stock < 0:
        raise _refuse(_("Stock cannot be negative."), "stock")
    if item is None:
        item = ShopItem(unit=unit, community_id=unit.community_id)
        before = None
    else:
        item = ShopItem.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item)
    item.name, item.kind, item.cost, item.stock = name, kind, cost, stock
    item.description, item.active, item.grant_call = description, active, grant_call
    item.save()
    audit.record(by, "participation.item_saved", item, changes=audit.diff(before, audit.snapshot(item)))
    return item


@transaction.atomic
def restock(*, by: Actor, item: ShopItem, add: int) -> ShopItem:
    if not rules.may_manage_points(by.user, item):
        raise PermissionDenied(_("You may not stock the points shop of this unit."))
    if add < 1:
        raise _refuse(_("Add at least one."), "add")
    locked = ShopItem.objects.select_for_update().get(pk=item.pk)
    ShopItem.objects.filter(pk=locked.pk).update(stock=F("stock") + add)
    audit.record(by, "participation.item_restocked", locked, changes={"stock": [locked.stock, locked.stock + add]})
    locked.stock += add
    return locked


@transaction.atomic
def redeem(*, by: Actor, item: ShopItem, person=None) -> Redemption:
    """A resident redeems one item for themselves, or staff at the counter for a resident of the unit
    (recorded as on that resident's behalf). Stock and points are taken at once, or nothing is."""
    me = rules.person_of(by.user)
    if person is None or (me is not None and person.pk == me.pk):
        if not rules.may_redeem(by.user, item):
            raise PermissionDenied(_("Only residents of this unit can redeem its items, for themselves."))
        person = me
    else:
        if not rules.may_manage_points(by.user, item):
            raise PermissionDenied(_("You may not redeem for others in this unit."))
        if person.unit_id != item.unit_id or not person.active:
            raise _refuse(_("This person does not belong to the unit."), "person")
        by = Actor(user=by.user, on_behalf_of=person, channel=Channel.OFFLINE, ip=by.ip)
    locked = ShopItem.objects.select_for_update().get(pk=item.pk)
    if not locked.active:
        raise _refuse(_("This item is no longer on sale."))
    if locked.stock < 1:
        raise _refuse(_("Sorry, this item is sold out."))
    account = points_account(unit=locked.unit, person=person)
    account = PointsAccount.objects.select_for_update().get(pk=account.pk)
    if account.balance < locked.cost:
        raise _refuse(_("Not enough points: this item needs %(cost)d, you have %(balance)d.") % {
            "cost": locked.cost, "balance": account.balance})
    redemption = Redemption.objects.create(item=locked, account=account, cost=locked.cost)
    ShopItem.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)
    append(by=by, account=account, kind=EntryKind.REDEEM, points=-locked.cost, redemption=redemption,
           memo=locked.name)
    audit.record(by, "participation.redeemed", redemption, community_id=locked.community_id, unit_id=locked.unit_id,
                 changes={"stock": [locked.stock, locked.stock - 1]})
    return redemption


@transaction.atomic
def hand_over(*, by: Actor, redemption: Redemption) -> Redemption:
    r = Redemption.objects.select_for_update(of=("self",)).select_related("item").get(pk=redemption.pk)
    if not rules.may_manage_points(by.user, r.item):
        raise PermissionDenied(_("You may not hand over items of this unit."))
    if r.state != RedemptionState.PLACED:
        raise _refuse(_("This redemption was already handled."))
    r.state, r.decided_at, r.decided_by = RedemptionState.HANDED_OVER, timezone.now(), by.user
    r.save(update_fields=["state", "decided_at", "decided_by"])
    audit.record(by, "participation.handed_over", r, community_id=r.item.community_id, unit_id=r.item.unit_id,
                 changes={"state": [RedemptionState.PLACED, r.state]})
    return r


@transaction.atomic
def cancel_redemption(*, by: Actor, redemption: Redemption, reason: str = "") -> Redemption:
    """Before hand-over: the resident who redeemed, or staff. The points come back as a reversal of the
    redeem entry; the item goes back into stock."""
    item = ShopItem.objects.select_for_update().get(pk=redemption.item_id)  # item, then account: one lock order
    r = Redemption.objects.select_for_update(of=("self",)).select_related("account").get(pk=redemption.pk)
    me = rules.person_of(by.user)
    own = me is not None and r.account.person_id == me.pk
    if not own and not rules.may_manage_points(by.user, item):
        raise PermissionDenied(_("You may not cancel this redemption."))
    if r.state != RedemptionState.PLACED:
        raise _refuse(_("This redemption was already handled."))
    entry = PointsEntry.objects.get(redemption=r, kind=EntryKind.REDEEM)
    append(by=by, account=r.account, kind=EntryKind.REVERSAL, points=-entry.points, reverses=entry,
           redemption=r, memo=reason or _("Redemption cancelled"))
    ShopItem.objects.filter(pk=item.pk).update(stock=F("stock") + 1)
    r.state, r.decided_at, r.decided_by = RedemptionState.CANCELLED, timezone.now(), by.user
    r.save(update_fields=["state", "decided_at", "decided_by"])
    audit.record(by, "participation.redemption_cancelled", r, community_id=item.community_id, unit_id=item.unit_id,
                 changes={"state": [RedemptionState.PLACED, r.state], "stock": [item.stock, item.stock + 1]},
                 note=reason)
    return r
