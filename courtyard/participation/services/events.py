"""Events (PTC-4): sign-up with capacity and a waiting list (counted under the event's row lock),
promotion when someone cancels, reminders the day before, QR check-in crediting attendance points,
and staff recording paper sign-up lists and attendance on residents' behalf."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.models import Channel
from courtyard.core.notify import Text, notify

from .. import rules
from ..choices import TAKING_PLACE, Act, SignupState
from ..models import Event, Signup
from .points import credit


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, code=field) if field else ValidationError(message)


def _user_of(person):
    return getattr(person, "user", None)


@transaction.atomic
def create_event(*, by: Actor, unit, title: str, target_group: str, starts_at: dt.datetime, ends_at: dt.datetime,
                 venue: str, capacity: int, cross_courtyard: bool = False, description: str = "") -> Event:
    if not rules.may_manage_events(by.user, unit):
        raise PermissionDenied(_("You may not organise events in this unit."))
    if ends_at <= starts_at:
        raise _refuse(_("An event ends after it starts."), "ends_at")
    if capacity < 1:
        raise _refuse(_("An event has at least one place."), "capacity")
    event = Event.objects.create(unit=unit, community_id=unit.community_id, title=title, target_group=target_group,
                                 starts_at=starts_at, ends_at=ends_at, venue=venue, capacity=capacity,
                                 cross_courtyard=cross_courtyard, description=description)
    audit.record(by, "participation.event_created", event, changes=audit.diff(None, audit.snapshot(event, [
        "title", "target_group", "starts_at", "venue", "capacity", "cross_courtyard"])))
    return event


def _on_behalf(by: Actor, event: Event, person) -> tuple[Actor, object]:
    """(actor, person): a resident for themselves, or staff recording for a resident (offline entry)."""
    me = rules.person_of(by.user)
    if person is None or (me is not None and person.pk == me.pk):
        if not rules.may_join(by.user, event):
            raise PermissionDenied(_("This event is for residents of %(unit)s.") % {"unit": event.unit.name})
        if event.starts_at <= timezone.now():
            raise _refuse(_("This event has already started."))
        return by, me
    if not rules.may_manage_events(by.user, event):
        raise PermissionDenied(_("You may not sign others up for this event."))
    if person.community_id != event.community_id or (not event.cross_courtyard and person.unit_id != event.unit_id):
        raise _refuse(_("This person is not among those the event is for."), "person")
    return Actor(user=by.user, on_behalf_of=person, channel=Channel.OFFLINE, ip=by.ip), person


@transaction.atomic
def sign_up(*, by: Actor, event: Event, person=None) -> Signup:
    """A place if one is free, else the waiting list. Places are counted under the event's lock."""
    locked = Event.objects.select_for_update().select_related("unit").get(pk=event.pk)
    by, person = _on_behalf(by, locked, person)
    taken = Signup.objects.filter(event=locked, state__in=TAKING_PLACE).count()
    state = SignupState.REGISTERED if taken < locked.capacity else SignupState.WAITLISTED
    signup = Signup.objects.filter(event=locked, person=person).first()
    if signup is not None and signup.state != SignupState.CANCELLED:
        raise _refuse(_("Already signed up."))
    if signup is None:
        signup = Signup.objects.create(event=locked, person=person, state=state)
    else:
        signup.state, signup.created_at = state, timezone.now()  # back of the queue
        signup.save(update_fields=["state", "created_at"])
    audit.record(by, "participation.signed_up", signup, community_id=locked.community_id, unit_id=locked.unit_id,
                 changes={"state": [None, state]})
    return signup


@transaction.atomic
def cancel_signup(*, by: Actor, signup: Signup) -> Signup | None:
    """Cancel a place (the person themselves, or staff); the first on the waiting list moves up and is
    told. Returns the promoted sign-up, if any."""
    event = Event.objects.select_for_update().get(pk=signup.event_id)
    s = Signup.objects.select_for_update().select_related("person").get(pk=signup.pk)
    me = rules.person_of(by.user)
    if not (me is not None and s.person_id == me.pk) and not rules.may_manage_events(by.user, event):
        raise PermissionDenied(_("You may not cancel this sign-up."))
    if s.state not in (SignupState.REGISTERED, SignupState.WAITLISTED):
        raise _refuse(_("This sign-up cannot be cancelled any more."))
    held_place = s.state == SignupState.REGISTERED
    before = s.state
    s.state = SignupState.CANCELLED
    s.save(update_fields=["state"])
    audit.record(by, "participation.signup_cancelled", s, community_id=event.community_id, unit_id=event.unit_id,
                 changes={"state": [before, s.state]})
    if not held_place or event.starts_at <= timezone.now():
        return None
    nxt = (Signup.objects.select_for_update().select_related("person")
           .filter(event=event, state=SignupState.WAITLISTED).order_by("created_at", "pk").first())
    if nxt is None:
        return None
    nxt.state = SignupState.REGISTERED
    nxt.save(update_fields=["state"])
    audit.record(Actor.system(), "participation.signup_promoted", nxt, community_id=event.community_id,
                 unit_id=event.unit_id, changes={"state": [SignupState.WAITLISTED, nxt.state]})
    user = _user_of(nxt.person)
    if user is not None:
        notify(recipients=[user], kind="participation.promoted",
               title=Text(gettext_noop("A place came free: %(event)s"), event=event.title),
               body=Text(gettext_noop("You moved up from the waiting list. %(when)s, %(venue)s."),
                         when=timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"), venue=event.venue),
               url=reverse("participation:events"))
    return nxt


def _attend(by: Actor, event: Event, s: Signup) -> Signup:
    if s.state == SignupState.ATTENDED:
        raise _refuse(_("Already checked in."))
    if s.state != SignupState.REGISTERED:
        raise _refuse(_("Only people with a place can check in; the waiting list has none yet."))
    s.state, s.attended_at = SignupState.ATTENDED, timezone.now()
    s.save(update_fields=["state", "attended_at"])
    audit.record(by, "participation.attended", s, community_id=event.community_id, unit_id=event.unit_id,
                 changes={"state": [SignupState.REGISTERED, s.state]})
    credit(by=by, unit=event.unit, person=s.person, act=Act.EVENT_ATTENDANCE, source_id=s.pk,
           day=timezone.localdate(event.starts_at), memo=event.title)
    return s


@transaction.atomic
def check_in_event(*, by: Actor, token: str) -> Signup:
    """Scanning the event's QR code at the venue, on the day."""
    me = rules.person_of(by.user)
    event = Event.objects.filter(token=token).select_related("unit").first()
    if event is None:
        raise _refuse(_("This QR code does not belong to any event."))
    if me is None:
        raise PermissionDenied(_("Your account is not linked to a resident; ask your community office."))
    now = timezone.now()
    if not event.starts_at - dt.timedelta(hours=2) <= now <= event.ends_at + dt.timedelta(hours=2):
        raise _refuse(_("Check-in is open only around the time of the event."))
    s = Signup.objects.select_for_update().filter(event=event, person=me).select_related("person").first()
    if s is None:
        raise _refuse(_("You did not sign up for this event."))
    return _attend(by, event, s)


@transaction.atomic
def mark_attended(*, by: Actor, signup: Signup) -> Signup:
    """Staff tick someone off the list at the door (people without a phone)."""
    event = Event.objects.select_related("unit").get(pk=signup.event_id)
    if not rules.may_manage_events(by.user, event):
        raise PermissionDenied(_("You may not record attendance at this event."))
    if event.starts_at - dt.timedelta(hours=2) > timezone.now():
        raise _refuse(_("Attendance is recorded from the day of the event."))
    s = Signup.objects.select_for_update().select_related("person").get(pk=signup.pk)
    return _attend(Actor(user=by.user, on_behalf_of=s.person, channel=Channel.OFFLINE, ip=by.ip), event, s)


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone with a place of the events starting within the next 24 hours (once per event)."""
    now = now or timezone.now()
    sent = 0
    for event in Event.objects.filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=24),
                                      reminded_at__isnull=True):
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.reminded_at is not None:
                continue
            users = [_user_of(s.person) for s in Signup.objects.filter(event=locked, state=SignupState.REGISTERED)
                     .select_related("person__user")]
            notify(recipients=[u for u in users if u is not None], kind="participation.reminder",
                   title=Text(gettext_noop("Reminder: %(event)s"), event=locked.title),
                   body=Text(gettext_noop("%(when)s at %(venue)s. Scan the code at the venue to check in."),
                             when=timezone.localtime(locked.starts_at).strftime("%m-%d %H:%M"), venue=locked.venue),
                   url=reverse("participation:events"))
            Event.objects.filter(pk=locked.pk).update(reminded_at=now)
            sent += 1
    return sent
