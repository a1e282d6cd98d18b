"""Hazard register writes: report (patrol, resident, inspection), grade and assign, rectify,
re-inspect (someone other than the fixer closes it), escalate when overdue, risk notices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import notify
from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.models import User
from courtyard.core.notify import Text
from courtyard.core.text import within

from .. import domain, rules
from .. import permissions as P
from ..choices import Grade, HazardSource, HazardState
from ..models import Hazard
from ._common import ladder, refuse
from .escalations import whistle_overdue

FIELDS = ["title", "grade", "kind", "source", "state", "owner", "measures", "deadline", "escalation", "place"]


def _clean_title(title: str) -> str:
    title = within((title or "").strip(), limit=120, what=_("Title"))
    if not title:
        raise ValidationError(_("Say in a few words what the hazard is."), code="title")
    return title


def _check_kind(kind, place) -> None:
    if kind is not None and kind.community_id != (place.community_id or place.pk):
        raise ValidationError(_("Choose a kind of hazard of this community."), code="kind")


@transaction.atomic
def report_hazard(*, by: Actor, place, title: str, source: str, grade: str = Grade.BLUE, description: str = "",
                  measures: str = "", owner: User | None = None, photos=(), found_at=None, check_in=None,
                  request_id: int | None = None, kind=None) -> Hazard:
    """A resident reports at a place of their own community; staff and patrol workers in scope
    record patrol anomalies, inspection findings and hazard requests."""
    user = by.user
    if source == HazardSource.RESIDENT:
        person = getattr(user, "person", None) if user else None
        refuse(person is not None and place.path.startswith(person.community.path),
               _("You can report hazards only in your own community."))
    elif source == HazardSource.PATROL:
        refuse(user is None or in_scope(user, P.PATROL, place) or in_scope(user, P.HANDLE, place))
    else:
        refuse(user is None or in_scope(user, P.HANDLE, place))
    if grade not in Grade.values:
        raise ValidationError(_("Choose a grade."), code="grade")
    found_at = found_at or timezone.now()
    _check_kind(kind, place)
    hazard = Hazard(title=_clean_title(title), description=description.strip(), grade=grade, source=source, kind=kind,
                    measures=measures.strip(), owner=owner, found_at=found_at,
                    deadline=domain.rectification_deadline(grade, found_at), reported_by=user,
                    resident_report=source == HazardSource.RESIDENT, check_in=check_in, request_id=request_id)
    hazard.locate(place)
    hazard.save()
    for upload in photos or ():
        store_upload(by=by, upload=upload, owner=hazard)
    record(by, "safety.hazard.create", hazard, changes=diff(None, snapshot(hazard, FIELDS)))
    recipients = [owner] if owner else ladder(1, hazard)
    notify.notify(recipients=[u for u in recipients if u != user], kind="safety.hazard",
                  title=Text(N_("New hazard: %(title)s"), title=hazard.title),
                  body=Text(N_("Grade: %(grade)s. Rectify by %(deadline)s."), grade=hazard.get_grade_display(),
                            deadline=timezone.localtime(hazard.deadline).strftime("%Y-%m-%d %H:%M")),
                  url=reverse("safety:hazard", args=[hazard.pk]))
    return hazard


@transaction.atomic
def update_hazard(*, by: Actor, hazard: Hazard, grade: str, owner: User | None, measures: str,
                  title: str | None = None, kind=...) -> Hazard:
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    refuse(rules.may_handle_hazard(by.user, hazard))
    if hazard.state == HazardState.CLOSED:
        raise ValidationError(_("A closed hazard cannot be changed."), code="grade")
    before = snapshot(hazard, FIELDS)
    if grade != hazard.grade:
        hazard.grade = grade
        hazard.deadline = domain.rectification_deadline(grade, hazard.found_at)
    if title is not None:
        hazard.title = _clean_title(title)
    if kind is not ...:
        _check_kind(kind, hazard.place)
        hazard.kind = kind
    hazard.owner, hazard.measures = owner, measures.strip()
    hazard.save()
    record(by, "safety.hazard.update", hazard, changes=diff(before, snapshot(hazard, FIELDS)))
    if owner is not None and owner.pk != before.get("owner") and owner != by.user:
        notify.notify(recipients=[owner], kind="safety.hazard",
                      title=Text(N_("You own a hazard: %(title)s"), title=hazard.title),
                      url=reverse("safety:hazard_phone", args=[hazard.pk]))
    return hazard


@transaction.atomic
def rectify(*, by: Actor, hazard: Hazard, note: str, photos=()) -> Hazard:
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    refuse(rules.may_rectify(by.user, hazard), _("Only the owner or a handler can report this hazard rectified."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what was done."), code="note")
    before = snapshot(hazard, FIELDS)
    hazard.state, hazard.fixed_by, hazard.fixed_at, hazard.fix_note = HazardState.FIXED, by.user, timezone.now(), note
    hazard.save()
    for upload in photos or ():
        store_upload(by=by, upload=upload, owner=hazard)
    record(by, "safety.hazard.rectify", hazard, changes=diff(before, snapshot(hazard, FIELDS)), note=note[:200])
    others = [u for u in ladder(1, hazard) if u != by.user]
    notify.notify(recipients=others, kind="safety.hazard",
                  title=Text(N_("Hazard rectified, re-inspection needed: %(title)s"), title=hazard.title),
                  url=reverse("safety:hazard_phone", args=[hazard.pk]))
    return hazard


@transaction.atomic
def reinspect(*, by: Actor, hazard: Hazard, passed: bool, note: str = "") -> Hazard:
    """复查: someone other than the fixer confirms (closes) or sends the hazard back."""
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.state == HazardState.FIXED and hazard.fixed_by_id == getattr(by.user, "pk", None):
        raise ValidationError(_("Someone other than the person who rectified it must re-inspect."), code="passed")
    refuse(rules.may_reinspect(by.user, hazard))
    before = snapshot(hazard, FIELDS)
    note = (note or "").strip()
    if passed:
        hazard.state, hazard.closed_by, hazard.closed_at = HazardState.CLOSED, by.user, timezone.now()
        hazard.reinspection_note = note
    else:
        if not note:
            raise ValidationError(_("Say what is still wrong."), code="note")
        hazard.state, hazard.fixed_by, hazard.fixed_at = HazardState.OPEN, None, None
        hazard.reinspection_note = note
    hazard.save()
    record(by, "safety.hazard.close" if passed else "safety.hazard.reopen", hazard,
           changes=diff(before, snapshot(hazard, FIELDS)), note=note[:200])
    if passed and hazard.reported_by_id and hazard.resident_report:
        notify.notify(recipients=[hazard.reported_by], kind="safety.hazard",
                      title=Text(N_("The hazard you reported is closed: %(title)s"), title=hazard.title),
                      url=reverse("safety:my_hazards"))
    return hazard


def sweep_overdue(now=None) -> dict:
    """Escalates open hazards past their deadline one rung at a time, and red ones long overdue to the
    department responsible for their kind (escalations.whistle_overdue) — the background job."""
    now = now or timezone.now()
    raised = 0
    for hazard in Hazard.objects.filter(state=HazardState.OPEN, deadline__lt=now).order_by("pk"):
        level = domain.escalation_level(hazard.grade, hazard.deadline, now)
        if level <= hazard.escalation:
            continue
        with transaction.atomic():
            h = Hazard.objects.select_for_update().get(pk=hazard.pk)
            if level <= h.escalation or h.state != HazardState.OPEN:
                continue
            before = snapshot(h, FIELDS)
            h.escalation = level
            h.save(update_fields=["escalation"])
            record(Actor.system(), "safety.hazard.escalate", h, changes=diff(before, snapshot(h, FIELDS)))
            notify.notify(recipients=ladder(level, h), kind="safety.hazard_overdue",
                          title=Text(N_("Overdue hazard (level %(level)s): %(title)s"), level=level, title=h.title),
                          body=Text(N_("It should have been rectified by %(deadline)s."),
                                    deadline=timezone.localtime(h.deadline).strftime("%Y-%m-%d %H:%M")),
                          url=reverse("safety:hazard", args=[h.pk]))
            raised += 1
    return {"escalated": raised, "whistled": whistle_overdue(now)}


def residents_concerned(hazard: Hazard):
    """Logins of the people living at or under the hazard's place."""
    return User.objects.filter(is_active=True, person__active=True, person__path__startswith=hazard.path)


@transaction.atomic
def send_risk_notice(*, by: Actor, hazard: Hazard) -> int:
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    refuse(rules.may_handle_hazard(by.user, hazard))
    recipients = list(residents_concerned(hazard))
    notify.notify(recipients=recipients, kind="safety.risk_notice",
                  title=Text(N_("Risk notice: %(title)s"), title=hazard.title),
                  body=Text(N_("Where: %(place)s. Please take care: %(measures)s"), place=hazard.place.name,
                            measures=hazard.measures or "—"),
                  url=reverse("safety:notices"))
    hazard.notice_sent_at = timezone.now()
    hazard.save(update_fields=["notice_sent_at"])
    record(by, "safety.hazard.notice", hazard, note=str(len(recipients)))
    return len(recipients)
