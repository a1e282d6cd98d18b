"""Meetings (DLB-7): creating, signing in, minutes, missed cadences."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text, notify
from courtyard.org.models import Person

from .. import choices as c
from .. import permissions as p
from ..models import Attendance, Meeting, Resolution
from ._common import _require
from .notices import publish_notice


# ================================================================ meetings (DLB-7)
@transaction.atomic
def create_meeting(*, by: Actor, unit, kind: str, title: str, starts_at, location: str = "", agenda=(),
                   invite=()) -> Meeting:
    _require(by, p.MANAGE_MEETING, unit)
    title, location = title.strip(), location.strip()
    if not title:
        raise ValidationError(_("A meeting needs a title."))
    if kind not in c.MeetingKind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    agenda = list(agenda)
    if any(x.unit_id != unit.pk for x in agenda):
        raise ValidationError(_("Agenda topics must belong to the meeting's unit."))
    if any(x.step == c.Step.CLOSED or x.hidden for x in agenda):
        raise ValidationError(_("Only open topics can be put on the agenda."))
    meeting = Meeting.objects.create(unit=unit, kind=kind, title=title[:150], starts_at=starts_at,
                                     location=location[:150], signin_token=secrets.token_urlsafe(16)[:22],
                                     created_by=by.user)
    meeting.agenda.set(agenda)
    record(by, "deliberation.meeting.create", meeting, changes={**diff(None, snapshot(meeting, fields=[
        "kind", "title", "starts_at", "location"])), "agenda": [None, [x.pk for x in agenda]]})
    notify(recipients=list(invite), kind="deliberation.meeting", title=Text(N_("Invitation: %(t)s"), t=title),
           body=Text(N_("%(when)s at %(where)s"), when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
                     where=location), url="")
    return meeting


@transaction.atomic
def sign_in(*, by: Actor, meeting: Meeting, person: Person, method: str = "desk") -> Attendance:
    if person.unit_id != meeting.unit_id:
        raise ValidationError(_("%(name)s does not live in this unit.") % {"name": person.name})
    if method == "desk":
        _require(by, p.MANAGE_MEETING, meeting)
    elif by.user is None or by.user.person_id != person.pk:
        raise PermissionDenied
    att, created = Attendance.objects.get_or_create(meeting=meeting, person=person,
                                                    defaults={"method": method, "recorded_by": by.user})
    if created:
        record(by, "deliberation.meeting.sign_in", meeting, changes={"person": [None, person.pk],
                                                                     "method": [None, method]})
    return att


@transaction.atomic
def sign_in_desk(*, by: Actor, meeting: Meeting, people) -> int:
    """The desk list: signs several people in at once (all or none); returns how many were new."""
    _require(by, p.MANAGE_MEETING, meeting)
    people = list(people)
    if not people:
        raise ValidationError(_("Tick at least one person."))
    before = set(meeting.attendance.values_list("person_id", flat=True))
    for person in people:
        sign_in(by=by, meeting=meeting, person=person, method="desk")
    return len({x.pk for x in people} - before)


@transaction.atomic
def record_minutes(*, by: Actor, meeting: Meeting, minutes: str, resolutions=(), publish: bool = True) -> Meeting:
    """Minutes and resolutions (each optionally linked to a topic); published as a notice."""
    _require(by, p.MANAGE_MEETING, meeting)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if not minutes.strip():
        raise ValidationError(_("Write the minutes first."))
    if meeting.minutes_at is not None:
        raise ValidationError(_("The minutes of this meeting were already recorded."))
    resolutions = [(topic, text) for topic, text in resolutions if text.strip()]
    if any(topic is not None and topic.unit_id != meeting.unit_id for topic, _text in resolutions):
        raise ValidationError(_("A resolution can only be linked to a topic of the meeting's unit."))
    meeting.minutes, meeting.minutes_at = minutes.strip(), timezone.now()
    meeting.save(update_fields=["minutes", "minutes_at"])
    for topic, text in resolutions:
        Resolution.objects.create(meeting=meeting, topic=topic, text=text.strip())
    record(by, "deliberation.meeting.minutes", meeting, changes={"resolutions": [None, len(resolutions)]})
    if publish:
        publish_notice(by=by, unit=meeting.unit, kind=c.NoticeKind.MINUTES, meeting=meeting,
                       title=_("Minutes: %(t)s") % {"t": meeting.title}, body=meeting.minutes,
                       decided_at=meeting.starts_at)
    return meeting


def missed_cadences(unit, today=None) -> list[dict]:
    """Meeting kinds with a cadence whose last meeting is older than the cadence allows (DLB-7)."""
    today = today or timezone.localdate()
    out = []
    lasts = dict(Meeting.objects.filter(unit=unit, starts_at__date__lte=today).order_by().values("kind")
                 .annotate(last=Max("starts_at")).values_list("kind", "last"))
    for kind, days in c.MEETING_CADENCE_DAYS.items():
        if days is None:
            continue
        last = lasts.get(kind)
        overdue = last is None or (today - timezone.localtime(last).date()).days > days
        if overdue:
            out.append({"kind": c.MeetingKind(kind).label, "days": days,
                        "last": timezone.localtime(last).date() if last else None})
    return out
