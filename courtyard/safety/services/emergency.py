"""Emergency writes: plans with contacts and reserves, reserve checks, drills; incidents reported up
the whole ladder at once, a response log and an after-action review. Escalations to departments
(吹哨报到) are in escalations.py."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import notify
from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text
from courtyard.core.text import within

from .. import permissions as P
from ..choices import EmergencyKind
from ..models import Drill, EmergencyPlan, Incident, IncidentLog, Reserve
from ._common import ladder, refuse


def _text(value: str, *, limit: int, what: str, code: str, required: bool = True) -> str:
    value = within((value or "").strip(), limit=limit, what=what)
    if required and not value:
        raise ValidationError(_("This field is required."), code=code)
    return value


@transaction.atomic
def save_emergency_plan(*, by: Actor, place, kind: str, title: str, contacts: str, steps: str) -> EmergencyPlan:
    refuse(in_scope(by.user, P.CONFIGURE, place))
    if kind not in EmergencyKind.values:
        raise ValidationError(_("Choose the kind of emergency."), code="kind")
    plan = EmergencyPlan(kind=kind, title=_text(title, limit=120, what=_("Plan"), code="title"),
                         contacts=_text(contacts, limit=2000, what=_("Contacts"), code="contacts"),
                         steps=_text(steps, limit=5000, what=_("What to do"), code="steps"))
    plan.locate(place)
    plan.save()
    record(by, "safety.emergency_plan.create", plan, changes=diff(None, snapshot(plan, ["kind", "title", "place"])))
    return plan


@transaction.atomic
def add_reserve(*, by: Actor, plan: EmergencyPlan, name: str, quantity: int, location: str,
                check_every_days: int = 30) -> Reserve:
    refuse(in_scope(by.user, P.CONFIGURE, plan))
    if check_every_days < 1:
        raise ValidationError(_("Check at least every day."), code="check_every_days")
    reserve = Reserve.objects.create(plan=plan, name=_text(name, limit=80, what=_("Material"), code="name"),
                                     quantity=quantity, check_every_days=check_every_days,
                                     location=_text(location, limit=80, what=_("Kept at"), code="location"))
    record(by, "safety.reserve.create", reserve, community_id=plan.community_id,
           changes={"name": [None, reserve.name], "quantity": [None, quantity]})
    return reserve


def reserve_due(reserve: Reserve, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return reserve.last_checked_at is None or reserve.last_checked_at + dt.timedelta(
        days=reserve.check_every_days) < now


@transaction.atomic
def check_reserve(*, by: Actor, reserve: Reserve, quantity: int, at: dt.datetime | None = None) -> Reserve:
    reserve = Reserve.objects.select_for_update().select_related("plan").get(pk=reserve.pk)
    refuse(in_scope(by.user, P.EMERGENCY, reserve.plan))
    before = {"quantity": reserve.quantity}
    reserve.quantity, reserve.last_checked_at, reserve.last_checked_by = quantity, min(at or timezone.now(),
                                                                                      timezone.now()), by.user
    reserve.save()
    record(by, "safety.reserve.check", reserve, community_id=reserve.plan.community_id,
           changes=diff(before, {"quantity": quantity}))
    return reserve


@transaction.atomic
def record_drill(*, by: Actor, plan: EmergencyPlan, held_on: dt.date, participants: int, findings: str) -> Drill:
    refuse(in_scope(by.user, P.EMERGENCY, plan))
    if held_on > timezone.localdate():
        raise ValidationError(_("A drill is recorded after it is held."), code="held_on")
    drill = Drill.objects.create(plan=plan, held_on=held_on, participants=participants, by=by.user,
                                 findings=_text(findings, limit=3000, what=_("Findings"), code="findings"))
    record(by, "safety.drill.create", drill, community_id=plan.community_id)
    return drill


@transaction.atomic
def report_incident(*, by: Actor, place, kind: str, title: str, description: str = "",
                    at: dt.datetime | None = None) -> Incident:
    """Reported up the whole ladder at once: grid, community and subdistrict hear together."""
    refuse(in_scope(by.user, P.EMERGENCY, place))
    if kind not in EmergencyKind.values:
        raise ValidationError(_("Choose the kind of emergency."), code="kind")
    incident = Incident(kind=kind, title=_text(title, limit=120, what=_("Incident"), code="title"),
                        description=_text(description, limit=3000, what=_("Description"), code="description",
                                          required=False),
                        reported_by=by.user, reported_at=min(at or timezone.now(), timezone.now()))
    incident.locate(place)
    incident.save()
    record(by, "safety.incident.create", incident, changes=diff(None, snapshot(incident, ["kind", "title", "place"])))
    notify.notify(recipients=[u for u in ladder(3, incident) if u != by.user], kind="safety.incident",
                  title=Text(N_("Incident: %(title)s"), title=incident.title),
                  body=Text(N_("%(kind)s at %(place)s. Open the response log."), kind=incident.get_kind_display(),
                            place=incident.place.name),
                  url=reverse("safety:incident", args=[incident.pk]), channels=("inbox", "sms"))
    return incident


@transaction.atomic
def log_response(*, by: Actor, incident: Incident, text: str, at: dt.datetime | None = None) -> IncidentLog:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    refuse(in_scope(by.user, P.EMERGENCY, incident))
    if incident.closed_at:
        raise ValidationError(_("This incident is closed."), code="text")
    entry = IncidentLog.objects.create(incident=incident, by=by.user, at=min(at or timezone.now(), timezone.now()),
                                       text=_text(text, limit=2000, what=_("Response"), code="text"))
    record(by, "safety.incident.log", entry, community_id=incident.community_id)
    return entry


@transaction.atomic
def close_incident(*, by: Actor, incident: Incident, review: str, at: dt.datetime | None = None) -> Incident:
    """Closed with its after-action review (复盘)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    refuse(in_scope(by.user, P.EMERGENCY, incident))
    if incident.closed_at:
        raise ValidationError(_("This incident is closed."), code="review")
    incident.review = _text(review, limit=5000, what=_("After-action review"), code="review")
    incident.closed_at = max(min(at or timezone.now(), timezone.now()), incident.reported_at)
    incident.save()
    record(by, "safety.incident.close", incident, changes={"closed_at": [None, str(incident.closed_at)]})
    return incident
