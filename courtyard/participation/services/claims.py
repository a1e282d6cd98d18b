"""Claims (PTC-7): post → claim → done (with photos) → thanked; the thanks credits the claimer's points."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.core.models import Channel
from courtyard.core.notify import Text, notify

from .. import rules
from ..choices import Act, WishState
from ..models import Wish
from .points import credit


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, code=field) if field else ValidationError(message)


def _photos(by: Actor, wish: Wish, uploads) -> None:
    for upload in uploads or ():
        store_upload(by=by, upload=upload, allowed={"image"}, owner=wish)


def _tell(person, title, url) -> None:
    user = getattr(person, "user", None) if person is not None else None
    if user is not None:
        notify(recipients=[user], kind="participation.wish", title=title, url=url)


@transaction.atomic
def post_wish(*, by: Actor, title: str, kind: str, description: str = "", person=None, photos=()) -> Wish:
    """A resident posts for themselves; staff (manage_events) post for an elder who told them (offline)."""
    me = rules.person_of(by.user)
    if person is None or (me is not None and person.pk == me.pk):
        if me is None or me.unit_id is None or not me.active:
            raise PermissionDenied(_("Your account is not linked to a resident; ask your community office."))
        person = me
    else:
        if person.unit_id is None:
            raise _refuse(_("This person does not belong to a unit."), "person")
        from courtyard.org.models import SelfGovernanceUnit

        if not rules.may_manage_events(by.user, SelfGovernanceUnit.objects.get(pk=person.unit_id)):
            raise PermissionDenied(_("You may not post wishes for others here."))
        by = Actor(user=by.user, on_behalf_of=person, channel=Channel.OFFLINE, ip=by.ip)
    if not title.strip():
        raise _refuse(_("Say what the wish is."), "title")
    wish = Wish.objects.create(unit_id=person.unit_id, community_id=person.community_id, kind=kind, title=title.strip(),
                               description=description, posted_by=person, created_by=by.user)
    _photos(by, wish, photos)
    audit.record(by, "participation.wish_posted", wish, changes={"state": [None, wish.state]})
    return wish


@transaction.atomic
def claim_wish(*, by: Actor, wish: Wish, partner=None, team: str = "") -> Wish:
    w = Wish.objects.select_for_update().get(pk=wish.pk)
    if partner is not None:
        if not rules.may_manage_events(by.user, w) or partner.community_id != w.community_id:
            raise PermissionDenied(_("You may not record a partner unit's claim here."))
    elif not rules.may_claim(by.user, w):
        raise PermissionDenied(_("Residents of the community claim wishes, never their own."))
    if w.state != WishState.POSTED:
        raise _refuse(_("Someone has already claimed this wish."))
    w.state, w.claimed_at, w.team = WishState.CLAIMED, timezone.now(), team.strip()
    w.claimed_by = None if partner is not None else rules.person_of(by.user)
    w.claimed_partner = partner
    w.save(update_fields=["state", "claimed_at", "team", "claimed_by", "claimed_partner"])
    audit.record(by, "participation.wish_claimed", w, changes={"state": [WishState.POSTED, w.state]})
    _tell(w.posted_by, Text(gettext_noop("Your wish was claimed: %(title)s"), title=w.title),
          reverse("participation:wish", args=[w.pk]))
    return w


def _is_claimer(by: Actor, w: Wish) -> bool:
    me = rules.person_of(by.user)
    if w.claimed_partner_id:
        return rules.may_manage_events(by.user, w)
    return me is not None and me.pk == w.claimed_by_id


@transaction.atomic
def report_done(*, by: Actor, wish: Wish, note: str, photos=()) -> Wish:
    w = Wish.objects.select_for_update().get(pk=wish.pk)
    if not _is_claimer(by, w):
        raise PermissionDenied(_("Only whoever claimed the wish reports it done."))
    if w.state != WishState.CLAIMED:
        raise _refuse(_("This wish is not waiting to be done."))
    if not note.strip():
        raise _refuse(_("Say briefly what was done."), "note")
    w.state, w.done_at, w.done_note = WishState.DONE, timezone.now(), note.strip()
    w.save(update_fields=["state", "done_at", "done_note"])
    _photos(by, w, photos)
    audit.record(by, "participation.wish_done", w, changes={"state": [WishState.CLAIMED, w.state]})
    _tell(w.posted_by, Text(gettext_noop("Your wish is done: %(title)s. Please confirm and say thanks."),
                            title=w.title), reverse("participation:wish", args=[w.pk]))
    return w


@transaction.atomic
def thank(*, by: Actor, wish: Wish, thanks: str, photos=()):
    """The person who posted confirms it was done (staff may record it for them): the claimer earns the
    points of the published rule. Returns (wish, points entry or None)."""
    w = Wish.objects.select_for_update().select_related("posted_by").get(pk=wish.pk)
    me = rules.person_of(by.user)
    if not (me is not None and me.pk == w.posted_by_id):
        if not rules.may_manage_events(by.user, w):
            raise PermissionDenied(_("Only the person who posted the wish confirms it."))
        by = Actor(user=by.user, on_behalf_of=w.posted_by, channel=Channel.OFFLINE, ip=by.ip)
    if w.state != WishState.DONE:
        raise _refuse(_("This wish is not reported done yet."))
    w.state, w.thanked_at, w.thanks = WishState.THANKED, timezone.now(), thanks.strip()
    w.save(update_fields=["state", "thanked_at", "thanks"])
    _photos(by, w, photos)
    audit.record(by, "participation.wish_thanked", w, changes={"state": [WishState.DONE, w.state]})
    entry = None
    if w.claimed_by_id:
        entry = credit(by=by, unit=w.unit, person=w.claimed_by, act=Act.CLAIM_DONE, source_id=w.pk, memo=w.title)
        _tell(w.claimed_by, Text(gettext_noop("Thank you for %(title)s: %(thanks)s"), title=w.title,
                                 thanks=w.thanks or "♥"), reverse("participation:wish", args=[w.pk]))
    return w, entry


@transaction.atomic
def withdraw_wish(*, by: Actor, wish: Wish) -> Wish:
    w = Wish.objects.select_for_update().get(pk=wish.pk)
    me = rules.person_of(by.user)
    if not (me is not None and me.pk == w.posted_by_id) and not rules.may_manage_events(by.user, w):
        raise PermissionDenied(_("Only the person who posted the wish withdraws it."))
    if w.state != WishState.POSTED:
        raise _refuse(_("A claimed wish can no longer be withdrawn."))
    w.state = WishState.WITHDRAWN
    w.save(update_fields=["state"])
    audit.record(by, "participation.wish_withdrawn", w, changes={"state": [WishState.POSTED, w.state]})
    return w
