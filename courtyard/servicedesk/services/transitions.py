"""Moving a request through its state machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import text as text_limits
from courtyard.core.audit import Actor, record
from courtyard.core.notify import Text

from .. import machine
from ..choices import FINAL_STATES, OPEN_STATES, State
from ..models import Request
from ._common import _event, _photos, _tell_reporter
from .access import may
from .clocks import refresh_clocks, terms_for

# ---------------------------------------------------------------- the closed loop (SVC-2)
STATE_MESSAGES = {
    State.ACCEPTED: N_("Your request #%(n)d has been accepted."),
    State.DISPATCHED: N_("Your request #%(n)d has been passed to someone who will handle it."),
    State.IN_PROGRESS: N_("Work on your request #%(n)d has started."),
    State.WAITING: N_("We need something from you for request #%(n)d."),
    State.RESOLVED: N_("Your request #%(n)d is resolved. Please check and rate it."),
    State.CLOSED: N_("Your request #%(n)d is closed."),
    State.REOPENED: N_("Your request #%(n)d has been reopened."),
    State.MERGED: N_("Your request #%(n)d is handled together with an earlier one."),
    State.REFERRED: N_("Your request #%(n)d has been referred elsewhere."),
}


@transaction.atomic
def transition(*, by: Actor, request: Request, action: str, note: str = "", photos: Sequence = (),
               referred_to: str = "", duplicate_of: Request | None = None, now: dt.datetime | None = None,
               check: bool = True) -> Request:
    text_limits.within(note or "", limit=text_limits.COMMENT_MAX, what=_("The note"))
    request = Request.objects.select_for_update().get(pk=request.pk)
    if check and not may(by.user, request, action):
        raise PermissionDenied
    before = request.state
    if not machine.allowed(action, before):
        raise ValidationError(_("This step is not possible now (the request is “%(s)s”).") % {
            "s": State(before).label})
    now = now or timezone.now()
    before_wait = ""
    if action == "resume":
        last = request.events.filter(action="wait").order_by("-at", "-id").first()
        before_wait = last.from_state if last else ""
    new = machine.target(action, before, before_wait=before_wait or None)
    if action == "refer":
        if not referred_to.strip():
            raise ValidationError(_("Say where the request was referred to."))
        request.referred_to = referred_to.strip()[:200]
    if action == "merge":
        if duplicate_of is None or duplicate_of.pk == request.pk or duplicate_of.community_id != request.community_id:
            raise ValidationError(_("Choose the earlier request this one duplicates."))
        request.duplicate_of = duplicate_of
    if action == "resolve" and not note.strip() and not photos:
        raise ValidationError(_("Describe what was done or add a photo."))
    request.state = new
    if action == "accept" or (request.accepted_at is None and new in (State.DISPATCHED, State.IN_PROGRESS)):
        request.accepted_at = request.accepted_at or now
    if action == "start":
        request.onsite_at = request.onsite_at or now
    if action == "resolve":
        request.resolved_at = now
        request.onsite_at = request.onsite_at or now
    if new in FINAL_STATES:
        request.closed_at = now
    if action == "reopen":
        request.resolved_at = request.closed_at = None
        request.stars = None
    if action == "wait":
        terms, pause = terms_for(request)
        if pause:
            request.paused_since = now
    if action == "resume" and request.paused_since:
        request.paused_seconds += int((now - request.paused_since).total_seconds())
        request.paused_since = None
    refresh_clocks(request, now=now)
    if new not in OPEN_STATES:
        request.overdue = False
    request.save()
    event = _event(request, by, action, from_state=before, note=note)
    _photos(by, event, photos)
    record(by, f"servicedesk.request.{action}", request, changes={"state": [before, new]}, note=note[:500],
           community_id=request.community_id)
    if new != before and new in STATE_MESSAGES:
        _tell_reporter(request, Text(STATE_MESSAGES[new], n=request.pk))
    return request
