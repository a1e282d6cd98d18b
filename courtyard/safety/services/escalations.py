"""Escalations to departments (吹哨报到, SVC-14): staff escalate a hazard, an incident or a service
request (by number) to a department with a time to respond; the department's officer responds. A red
hazard still open some days after its deadline is escalated automatically, once, to the department
responsible for its kind (ADR 0031). Kinds of hazard and their departments are configured here too."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import notify
from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text
from courtyard.core.text import within
from courtyard.org.choices import PartnerKind
from courtyard.org.models import RoleGrant

from .. import permissions as P
from ..choices import Grade, HazardState
from ..models import Hazard, HazardKind, Whistle
from ._common import refuse

KIND_FIELDS = ["name", "department", "whistle_after_days", "respond_within_hours"]


def is_department_officer(user, department) -> bool:
    return RoleGrant.objects.in_force().filter(user=user, role="department_officer", partner=department).exists()


def service_request(user, number: int | None):
    """The service request with this number as `user` may see it (read through the app registry:
    this app imports no other app, ADR 0021); None when there is none or no service desk."""
    if not number:
        return None
    try:
        model = apps.get_model("servicedesk", "Request")
    except LookupError:
        return None
    return model.objects.visible_to(user).select_related("place").filter(pk=number).first()


def _subject(value: str) -> str:
    value = within((value or "").strip(), limit=160, what=_("Matter"))
    if not value:
        raise ValidationError(_("This field is required."), code="subject")
    return value


def _call(*, by: Actor, place, department, subject: str, hazard, request_id, hours: int, called,
          automatic: bool = False) -> Whistle:
    w = Whistle(department=department, subject=_subject(subject), hazard=hazard, request_id=request_id,
                called_by=by.user, called_at=called,
                due_at=called + dt.timedelta(hours=hours), automatic=automatic)
    w.locate(place)
    w.save()
    record(by, "safety.whistle.auto" if automatic else "safety.whistle.create", w,
           changes=diff(None, snapshot(w, ["department", "subject", "due_at"])))
    officers = RoleGrant.objects.in_force().filter(role="department_officer", partner=department).select_related("user")
    notify.notify(recipients=[g.user for g in officers], kind="safety.whistle",
                  title=Text(N_("Escalated to your department: %(subject)s"), subject=w.subject),
                  body=Text(N_("Respond by %(due)s."), due=timezone.localtime(w.due_at).strftime("%Y-%m-%d %H:%M")),
                  url=reverse("safety:whistles"), channels=("inbox", "sms"))
    return w


@transaction.atomic
def blow_whistle(*, by: Actor, place, department, subject: str, hazard=None, request_id: int | None = None,
                 respond_within_hours: int = 24, at: dt.datetime | None = None) -> Whistle:
    refuse(in_scope(by.user, P.HANDLE, place))
    if department.kind != PartnerKind.DEPARTMENT:
        raise ValidationError(_("Choose a government department."), code="department")
    if not 1 <= respond_within_hours <= 24 * 14:
        raise ValidationError(_("Give the department between 1 hour and 14 days."), code="respond_within_hours")
    if request_id and service_request(by.user, request_id) is None:
        raise ValidationError(_("There is no service request with this number that you can see."),
                              code="request_id")
    return _call(by=by, place=place, department=department, subject=subject, hazard=hazard, request_id=request_id,
                 hours=respond_within_hours, called=min(at or timezone.now(), timezone.now()))


@transaction.atomic
def respond_whistle(*, by: Actor, whistle: Whistle, response: str, at: dt.datetime | None = None) -> Whistle:
    w = Whistle.objects.select_for_update().select_related("department").get(pk=whistle.pk)
    refuse(is_department_officer(by.user, w.department), _("Only an officer of this department can respond."))
    if w.responded_at:
        raise ValidationError(_("Your department has already responded."), code="response")
    w.response = within((response or "").strip(), limit=2000, what=_("Response"))
    if not w.response:
        raise ValidationError(_("This field is required."), code="response")
    w.responded_at, w.responded_by = max(min(at or timezone.now(), timezone.now()), w.called_at), by.user
    w.save()
    record(by, "safety.whistle.respond", w, changes={"responded_at": [None, str(w.responded_at)]})
    return w


def overdue_red(now: dt.datetime):
    """Red hazards still being rectified whose kind names a department, past that kind's days after
    the deadline, not yet escalated automatically."""
    hazards = Hazard.objects.filter(grade=Grade.RED, state=HazardState.OPEN, kind__department__isnull=False,
                                    deadline__lt=now).select_related("kind__department", "place", "reported_by")
    auto = Whistle.objects.filter(automatic=True).values("hazard_id")
    return [h for h in hazards.exclude(pk__in=auto).order_by("deadline", "pk")
            if h.deadline + dt.timedelta(days=h.kind.whistle_after_days) <= now]


def whistle_overdue(now: dt.datetime | None = None) -> int:
    """The background job's part: escalate each overdue red hazard to its kind's department, once
    (a partial unique index makes a second, concurrent run add nothing)."""
    now = now or timezone.now()
    made = 0
    for hazard in overdue_red(now):
        kind = hazard.kind
        try:
            with transaction.atomic():
                h = Hazard.objects.select_for_update().get(pk=hazard.pk)
                if h.state != HazardState.OPEN or h.grade != Grade.RED:
                    continue
                days = (now - h.deadline).days
                subject = _("Red hazard %(days)s days past its deadline: %(title)s") % {"days": days, "title": h.title}
                _call(by=Actor.system(), place=hazard.place, department=kind.department, subject=subject[:160],
                      hazard=h, request_id=h.request_id, hours=kind.respond_within_hours, called=now, automatic=True)
        except IntegrityError:  # a concurrent sweep escalated it first
            continue
        made += 1
    return made


# ---------------------------------------------------------------- kinds of hazard
@transaction.atomic
def save_kind(*, by: Actor, community, name: str, department=None, whistle_after_days: int = 2,
              respond_within_hours: int = 48, kind: HazardKind | None = None) -> HazardKind:
    refuse(in_scope(by.user, P.CONFIGURE, community))
    name = within((name or "").strip(), limit=60, what=_("Name"))
    if not name:
        raise ValidationError(_("Give the kind of hazard a name."), code="name")
    if department is not None and department.kind != PartnerKind.DEPARTMENT:
        raise ValidationError(_("Choose a government department."), code="department")
    if not 0 <= whistle_after_days <= 60:
        raise ValidationError(_("Between 0 and 60 days."), code="whistle_after_days")
    if not 1 <= respond_within_hours <= 24 * 14:
        raise ValidationError(_("Give the department between 1 hour and 14 days."), code="respond_within_hours")
    if kind is not None:
        refuse(in_scope(by.user, P.CONFIGURE, kind))
    if HazardKind.objects.filter(community=community, name=name).exclude(pk=getattr(kind, "pk", None)).exists():
        raise ValidationError(_("This community already has a kind of hazard with this name."), code="name")
    before = snapshot(kind, KIND_FIELDS) if kind else None
    kind = kind or HazardKind()
    kind.name, kind.department = name, department
    kind.whistle_after_days, kind.respond_within_hours = whistle_after_days, respond_within_hours
    kind.locate(community)
    kind.save()
    record(by, "safety.hazard_kind.update" if before else "safety.hazard_kind.create", kind,
           changes=diff(before, snapshot(kind, KIND_FIELDS)))
    return kind
