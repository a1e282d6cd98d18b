"""Residents' ratings and the follow-up calls they schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core.audit import Actor, record
from courtyard.core.notify import Text, notify

from .. import machine
from ..choices import State
from ..models import FollowUp, Rating, Request
from ._common import _event
from .access import can_handle, is_reporter, users_with_role
from .transitions import transition

LOW_STARS = 2  # a rating at or below this schedules a follow-up call
FOLLOWUP_WITHIN = dt.timedelta(hours=24)


# ---------------------------------------------------------------- rating and follow-up (SVC-6)
@transaction.atomic
def rate(*, by: Actor, request: Request, stars: int, reasons: Sequence[str] = (), fixed: bool = True,
         comment: str = "", now: dt.datetime | None = None) -> Request:
    if not is_reporter(by.user, request):
        raise PermissionDenied
    if not 1 <= int(stars) <= 5:
        raise ValidationError(_("Choose one to five stars."))
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state != State.RESOLVED:
        raise ValidationError(_("You can rate a request once it is resolved."))
    now = now or timezone.now()
    Rating.objects.update_or_create(request=request, defaults={
        "stars": int(stars), "reasons": list(reasons), "fixed": fixed, "comment": comment, "by": by.user, "at": now})
    if not fixed:
        return transition(by=by, request=request, action="reopen", note=_("Not fixed: %(c)s") % {"c": comment}
                          if comment else _("Not fixed."), now=now)
    request = transition(by=by, request=request, action="confirm", note=_("%(n)d stars.") % {"n": int(stars)}
                         + (f" {comment}" if comment else ""), now=now)
    Request.objects.filter(pk=request.pk).update(stars=int(stars))
    request.stars = int(stars)
    if int(stars) <= LOW_STARS:
        schedule_followup(request=request, by=by, reason=_("Low rating (%(n)d stars)") % {"n": int(stars)}, now=now)
    else:
        transition(by=Actor.system(), request=request, action="close", note=_("Closed after a good rating."),
                   now=now, check=False)
        request.refresh_from_db()
    return request


def schedule_followup(*, request: Request, by: Actor, reason: str, now: dt.datetime | None = None) -> FollowUp:
    now = now or timezone.now()
    followup = FollowUp.objects.create(request=request, due=now + FOLLOWUP_WITHIN, reason=reason[:200])
    _event(request, by, "followup_scheduled", note=reason, public=True)
    record(by, "servicedesk.followup.schedule", request, note=reason, community_id=request.community_id)
    people = users_with_role(["community_staff", "grid_worker"], request.place)
    notify(recipients=people, kind="servicedesk.followup",
           title=Text(N_("Follow-up call for request #%(n)d"), n=request.pk),
           url=reverse("servicedesk:console_detail", args=[request.pk]))
    return followup


@transaction.atomic
def log_followup(*, by: Actor, followup: FollowUp, outcome: str, reopen: bool = False) -> FollowUp:
    request = followup.request
    if not can_handle(by.user, request):
        raise PermissionDenied
    if followup.done_at:
        raise ValidationError(_("This call is already logged."))
    if not outcome.strip():
        raise ValidationError(_("Write down what the resident said."))
    followup.done_at, followup.done_by, followup.outcome = timezone.now(), by.user, outcome.strip()
    followup.save()
    _event(request, by, "followup", note=outcome.strip())
    record(by, "servicedesk.followup.log", request, note=outcome[:500], community_id=request.community_id)
    if reopen and machine.allowed("reopen", request.state):
        transition(by=by, request=request, action="reopen", note=outcome, check=False)
    elif machine.allowed("close", request.state):
        transition(by=by, request=request, action="close", note=_("Closed after the follow-up call."), check=False)
    return followup
