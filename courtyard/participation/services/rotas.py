"""Rotas (PTC-2): shifts, swaps by consent, QR check-in (which earns points), the uncovered-day warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courtyard.core import audit
from courtyard.core.access import holders, roles_with
from courtyard.core.audit import Actor
from courtyard.core.notify import Text, notify
from courtyard.org import home_cache

from .. import rules
from ..choices import Act, SwapState
from ..models import Rota, Shift, SwapRequest
from ..permissions import MANAGE_ROTAS
from .points import credit


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, code=field) if field else ValidationError(message)


@transaction.atomic
def create_rota(*, by: Actor, unit, name: str, kind: str, post: str, daily: bool = True) -> Rota:
    if not rules.may_manage_rotas(by.user, unit):
        raise PermissionDenied(_("You may not keep rotas in this unit."))
    rota = Rota.objects.create(unit=unit, community_id=unit.community_id, name=name, kind=kind, post=post, daily=daily)
    audit.record(by, "participation.rota_created", rota, changes=audit.diff(None, audit.snapshot(rota, [
        "name", "kind", "post", "daily"])))
    return rota


def _check_person(rota: Rota, person) -> None:
    if person.unit_id != rota.unit_id or not person.active:
        raise _refuse(_("Only active residents of the unit can be put on its rota."), "person")


@transaction.atomic
def assign_shift(*, by: Actor, rota: Rota, day: dt.date, person) -> Shift:
    if not rules.may_manage_rotas(by.user, rota):
        raise PermissionDenied(_("You may not keep rotas in this unit."))
    _check_person(rota, person)
    if day < timezone.localdate():
        raise _refuse(_("Shifts are planned for today or later."), "day")
    try:
        with transaction.atomic():
            shift = Shift.objects.create(rota=rota, day=day, person=person)
    except IntegrityError:
        raise _refuse(_("%(name)s is already on this rota that day.") % {"name": person.name}, "person") from None
    audit.record(by, "participation.shift_assigned", shift, community_id=rota.community_id, unit_id=rota.unit_id,
                 changes={"day": [None, str(day)], "person": [None, person.pk]})
    return shift


@transaction.atomic
def remove_shift(*, by: Actor, shift: Shift) -> None:
    if not rules.may_manage_rotas(by.user, shift.rota):
        raise PermissionDenied(_("You may not keep rotas in this unit."))
    if shift.checked_in_at:
        raise _refuse(_("A shift that was checked in stays on the record."))
    audit.record(by, "participation.shift_removed", shift, community_id=shift.rota.community_id,
                 unit_id=shift.rota.unit_id, changes={"day": [str(shift.day), None], "person": [shift.person_id, None]})
    shift.delete()


@transaction.atomic
def fill_rota(*, by: Actor, rota: Rota, start: dt.date, days: int, people: Sequence) -> list[Shift]:
    """Plan `days` days from `start`, one person a day, taking `people` in turn (days already covered are kept)."""
    if not rules.may_manage_rotas(by.user, rota):
        raise PermissionDenied(_("You may not keep rotas in this unit."))
    if not people:
        raise _refuse(_("Choose at least one person."), "people")
    if not 1 <= days <= 366:
        raise _refuse(_("Plan between 1 and 366 days at a time."), "days")
    if start < timezone.localdate():
        raise _refuse(_("Shifts are planned for today or later."), "start")
    for p in people:
        _check_person(rota, p)
    covered = set(Shift.objects.filter(rota=rota, day__gte=start, day__lt=start + dt.timedelta(days=days))
                  .values_list("day", flat=True))
    shifts = [Shift(rota=rota, day=start + dt.timedelta(days=i), person=people[i % len(people)])
              for i in range(days) if start + dt.timedelta(days=i) not in covered]
    Shift.objects.bulk_create(shifts)
    home_cache.bump_subject("person", *{p.pk for p in people})  # bulk_create sends no signal
    audit.record(by, "participation.rota_filled", rota, changes={"shifts": [None, len(shifts)]},
                 note=f"{start:%Y-%m-%d} +{days}")
    return shifts


@transaction.atomic
def propose_swap(*, by: Actor, shift: Shift, to_person, their_shift: Shift | None = None) -> SwapRequest:
    me = rules.person_of(by.user)
    if me is None or shift.person_id != me.pk:
        raise PermissionDenied(_("Only the person on the shift can offer to swap it."))
    if shift.checked_in_at or shift.day < timezone.localdate():
        raise _refuse(_("This shift is past; it cannot be swapped."))
    if to_person.pk == me.pk:
        raise _refuse(_("Choose someone else."), "to_person")
    _check_person(shift.rota, to_person)
    if their_shift is not None and (their_shift.person_id != to_person.pk or their_shift.rota.unit_id != shift.rota.unit_id
                                    or their_shift.checked_in_at or their_shift.day < timezone.localdate()):
        raise _refuse(_("The shift in exchange must be one of theirs, still to come."), "their_shift")
    if SwapRequest.objects.filter(shift=shift, state=SwapState.PROPOSED).exists():
        raise _refuse(_("A swap of this shift is already waiting for an answer."))
    swap = SwapRequest.objects.create(shift=shift, their_shift=their_shift, from_person=me, to_person=to_person)
    audit.record(by, "participation.swap_proposed", swap, community_id=shift.rota.community_id,
                 unit_id=shift.rota.unit_id, changes={"to_person": [None, to_person.pk]})
    user = getattr(to_person, "user", None)
    if user is not None:
        notify(recipients=[user], kind="participation.swap",
               title=Text(gettext_noop("%(name)s asks you to take over a duty shift"), name=me.name),
               body=Text(gettext_noop("%(rota)s on %(day)s. Open My shifts to agree or decline."), rota=shift.rota.name,
                         day=shift.day.isoformat()),
               url=reverse("participation:my_shifts"))
    return swap


@transaction.atomic
def answer_swap(*, by: Actor, swap: SwapRequest, accept: bool) -> SwapRequest:
    """The other person consents (the shifts change hands) or declines; the offerer may withdraw."""
    s = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    me = rules.person_of(by.user)
    if me is None or me.pk not in (s.to_person_id, s.from_person_id):
        raise PermissionDenied(_("Only the two people concerned can answer this swap."))
    if s.state != SwapState.PROPOSED:
        raise _refuse(_("This swap was already answered."))
    if me.pk == s.from_person_id:
        if accept:
            raise PermissionDenied(_("Only the person asked can agree to the swap."))
        s.state = SwapState.WITHDRAWN
    elif not accept:
        s.state = SwapState.DECLINED
    else:
        ids = [s.shift_id] + ([s.their_shift_id] if s.their_shift_id else [])
        shifts = {x.pk: x for x in Shift.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        mine = shifts[s.shift_id]
        theirs = shifts.get(s.their_shift_id) if s.their_shift_id else None
        if mine.person_id != s.from_person_id or mine.checked_in_at or (
                theirs is not None and (theirs.person_id != s.to_person_id or theirs.checked_in_at)):
            raise _refuse(_("The shifts changed since the swap was offered."))
        try:
            with transaction.atomic():
                mine.person_id = s.to_person_id
                mine.save(update_fields=["person"])
                if theirs is not None:
                    theirs.person_id = s.from_person_id
                    theirs.save(update_fields=["person"])
        except IntegrityError:
            raise _refuse(_("One of you is already on that rota that day.")) from None
        s.state = SwapState.ACCEPTED
    s.decided_at = timezone.now()
    s.save(update_fields=["state", "decided_at"])
    audit.record(by, "participation.swap_answered", s, community_id=s.shift.rota.community_id,
                 unit_id=s.shift.rota.unit_id, changes={"state": [SwapState.PROPOSED, s.state]})
    return s


@transaction.atomic
def check_in(*, by: Actor, token: str):
    """Scanning the post's QR code on the day of one's shift: the shift is checked in and the rule's
    points are credited (the check-in is the verified act). Returns (shift, points entry or None)."""
    me = rules.person_of(by.user)
    rota = Rota.objects.filter(token=token, active=True).select_related("unit").first()
    if rota is None:
        raise _refuse(_("This QR code does not belong to any duty post."))
    if me is None:
        raise PermissionDenied(_("Your account is not linked to a resident; ask your community office."))
    today = timezone.localdate()
    shift = Shift.objects.select_for_update().filter(rota=rota, day=today, person=me).first()
    if shift is None:
        raise _refuse(_("You are not on duty at %(post)s today.") % {"post": rota.post})
    if shift.checked_in_at:
        raise _refuse(_("You already checked in for today's shift."))
    shift.checked_in_at = timezone.now()
    shift.save(update_fields=["checked_in_at"])
    audit.record(by, "participation.checked_in", shift, community_id=rota.community_id, unit_id=rota.unit_id,
                 changes={"checked_in_at": [None, str(shift.checked_in_at)]})
    entry = credit(by=by, unit=rota.unit, person=me, act=Act.ROTA_CHECKIN, source_id=shift.pk, day=today,
                   memo=rota.name)
    return shift, entry


def uncovered(rotas, day: dt.date) -> list[Rota]:
    """The daily rotas among `rotas` with nobody on `day`."""
    covered = set(Shift.objects.filter(rota__in=rotas, day=day).values_list("rota_id", flat=True))
    return [r for r in rotas if r.daily and r.active and r.pk not in covered]


def warn_uncovered(*, on: dt.date | None = None) -> int:
    """The day before: tell the rota keepers of every daily rota with nobody on duty tomorrow."""
    tomorrow = (on or timezone.localdate()) + dt.timedelta(days=1)
    rotas = list(Rota.objects.filter(active=True, daily=True).select_related("community", "unit"))
    gaps = uncovered(rotas, tomorrow)
    keepers = roles_with(MANAGE_ROTAS)
    for rota in gaps:
        notify(recipients=holders(keepers, rota), kind="participation.uncovered",
               title=Text(gettext_noop("Nobody is on duty tomorrow: %(rota)s"), rota=rota.name),
               body=Text(gettext_noop("%(day)s has no one on %(rota)s. Put someone on the rota."), day=tomorrow.isoformat(),
                         rota=rota.name),
               url=reverse("participation:rota", args=[rota.pk]))
    return len(gaps)


@transaction.atomic
def rotate_token(*, by: Actor, rota: Rota) -> Rota:
    """A new QR code for the post (a poster was copied or lost): the old poster stops working at once; print
    the new one. Audited without the codes themselves."""
    from ..models.rotas import new_token

    locked = Rota.objects.select_for_update().get(pk=rota.pk)
    if not rules.may_manage_rotas(by.user, locked):
        raise PermissionDenied(_("You may not change this rota."))
    locked.token = new_token()
    Rota.objects.filter(pk=locked.pk).update(token=locked.token)
    audit.record(by, "participation.rota_token_rotated", locked, changes={"token": [audit.SECRET, audit.SECRET]})
    rota.token = locked.token
    return locked
