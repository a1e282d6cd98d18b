"""Special-group care writes and audited reads: enrol a person with the legal basis, assign the
visiting worker and the 包联 claim, log visits, raise graded warnings (lapsed visit, trouble)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import notify
from courtyard.core.access import in_scope, roles_over
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.models import User
from courtyard.core.notify import Text
from courtyard.core.text import within
from courtyard.org.choices import CareLevel, LegalBasis, PlaceKind

from .. import domain, rules
from .. import permissions as P
from ..choices import CareGroup, WarningReason, Wellbeing
from ..models import CareRecord, CareVisit, CareWarning
from ._common import ladder, refuse

FIELDS = ["group", "colour", "legal_basis", "basis_note", "worker", "claimed_by", "active"]
CLAIM_ROLES = {"volunteer", "party_member"}


def _grid_of(person):
    if not person.home_id:
        return None
    from courtyard.org.models import Place

    ids = [int(p) for p in person.path.split(".") if p]
    return Place.objects.filter(pk__in=ids, kind=PlaceKind.GRID).first()


@transaction.atomic
def enrol(*, by: Actor, person, group: str, colour: str, legal_basis: str, basis_note: str, worker=None,
          needs: str = "", consent=None, at=None) -> CareRecord:
    """`at`: when the person entered the register (an existing paper ledger entered later)."""
    refuse(in_scope(by.user, P.CARE_MANAGE, person))
    if group not in CareGroup.values or colour not in CareLevel.values or legal_basis not in LegalBasis.values:
        raise ValidationError(_("Choose the group, the care colour and the legal basis."), code="group")
    basis_note = within((basis_note or "").strip(), limit=200, what=_("Basis details"))
    if not basis_note:
        raise ValidationError(_("Record the legal basis: the consent form, the statute or the decision."),
                              code="basis_note")
    if legal_basis == LegalBasis.CONSENT and consent is None:
        raise ValidationError(_("Attach the signed consent form."), code="consent")
    if CareRecord.objects.filter(person=person, active=True).exists():
        raise ValidationError(_("%(name)s is already in care.") % {"name": person.name}, code="person")
    if worker is not None and not in_scope(worker, P.CARE, person):
        raise ValidationError(_("This worker cannot visit people here."), code="worker")
    rec = CareRecord(person=person, community_id=person.community_id, grid=_grid_of(person), path=person.path,
                     unit_id=person.unit_id, group=group, colour=colour, legal_basis=legal_basis,
                     basis_note=basis_note, worker=worker, needs=needs.strip(),
                     enrolled_at=min(at or timezone.now(), timezone.now()))
    rec.save()
    if consent is not None:
        rec.consent_document = store_upload(by=by, upload=consent, allowed={"image", "pdf"}, owner=rec)
        rec.save(update_fields=["consent_document"])
    record(by, "safety.care.create", rec, changes=diff(None, snapshot(rec, FIELDS)))
    return rec


@transaction.atomic
def update_record(*, by: Actor, rec: CareRecord, colour: str, worker, claimed_by, needs: str,
                  active: bool = True) -> CareRecord:
    rec = CareRecord.objects.select_for_update().get(pk=rec.pk)
    refuse(rules.may_manage_care(by.user, rec))
    if worker is not None and not in_scope(worker, P.CARE, rec):
        raise ValidationError(_("This worker cannot visit people here."), code="worker")
    if claimed_by is not None and claimed_by.pk != rec.claimed_by_id and not (roles_over(claimed_by, rec) & CLAIM_ROLES):
        raise ValidationError(_("Only a volunteer or party member of this place can take up a care assignment."),
                              code="claimed_by")
    before = snapshot(rec, FIELDS)
    rec.colour, rec.worker, rec.claimed_by, rec.needs, rec.active = colour, worker, claimed_by, needs.strip(), active
    rec.save()
    record(by, "safety.care.update", rec, changes=diff(before, snapshot(rec, FIELDS)))
    return rec


@transaction.atomic
def link_family(*, by: Actor, rec: CareRecord, phone: str) -> User:
    """On the person's (or their guardian's) request, a family member's login may see the visits to
    them (only when and by whom, and how they were). Found by mobile number; audited."""
    rec = CareRecord.objects.select_for_update().get(pk=rec.pk)
    refuse(rules.may_manage_care(by.user, rec))
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    try:
        user = User.objects.get_by_phone(digits) if len(digits) == 11 else None
    except User.DoesNotExist:
        user = None
    if user is None or not user.is_active:
        raise ValidationError(_("No account uses this mobile number. The family member signs up first."),
                              code="phone")
    rec.family.add(user)
    record(by, "safety.care.family_add", rec, changes={"family": [None, user.pk]})
    return user


@transaction.atomic
def unlink_family(*, by: Actor, rec: CareRecord, user) -> None:
    rec = CareRecord.objects.select_for_update().get(pk=rec.pk)
    refuse(rules.may_manage_care(by.user, rec))
    rec.family.remove(user)
    record(by, "safety.care.family_remove", rec, changes={"family": [user.pk, None]})


def audit_view(*, by: Actor, rec: CareRecord, what: str = "record") -> None:
    """Every read of a care record leaves an audit event (who, when, which record)."""
    record(by, "safety.care.view", rec, note=what)


def audit_list(*, by: Actor, records) -> None:
    ids = [r.pk for r in records]
    if ids:
        record(by, "safety.care.list", None, community_id=records[0].community_id,
               note=",".join(map(str, ids))[:1000])


@transaction.atomic
def log_visit(*, by: Actor, rec: CareRecord, wellbeing: str, note: str = "", follow_up: str = "", photo=None,
              at: dt.datetime | None = None) -> CareVisit:
    rec = CareRecord.objects.select_for_update().get(pk=rec.pk)
    refuse(rules.may_visit(by.user, rec), _("You do not visit this person."))
    if wellbeing not in Wellbeing.values:
        raise ValidationError(_("Say how the person is."), code="wellbeing")
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("A visit cannot be in the future."), code="at")
    note = within((note or "").strip(), limit=1000, what=_("What was seen"))
    follow_up = within((follow_up or "").strip(), limit=500, what=_("Follow-up"))
    if wellbeing != Wellbeing.WELL and not (note or follow_up):
        raise ValidationError(_("Say what is wrong and what follows."), code="follow_up")
    visit = CareVisit.objects.create(record=rec, by=by.user, at=at, wellbeing=wellbeing, note=note,
                                     follow_up=follow_up)
    if photo is not None:
        store_upload(by=by, upload=photo, owner=visit)
    if wellbeing != Wellbeing.NOT_SEEN and (rec.last_visit_at is None or at > rec.last_visit_at):
        rec.last_visit_at = at
        rec.save(update_fields=["last_visit_at"])
        for w in rec.warnings.filter(reason=WarningReason.LAPSED, resolved_at__isnull=True):
            _resolve(by, w)
    record(by, "safety.visit.create", visit, community_id=rec.community_id,
           changes={"wellbeing": [None, wellbeing]})
    grade = domain.trouble_grade(wellbeing)
    if grade:
        _raise(rec, WarningReason.TROUBLE, grade, visit=visit)
    return visit


def _resolve(by: Actor, warning: CareWarning) -> None:
    warning.resolved_at, warning.resolved_by = timezone.now(), by.user
    warning.save(update_fields=["resolved_at", "resolved_by"])
    record(by, "safety.warning.resolve", warning, community_id=warning.record.community_id)


def _raise(rec: CareRecord, reason: str, grade: int, *, visit=None, now=None) -> CareWarning | None:
    """Opens a warning or raises its grade; notifies the rung the grade reaches (no names of the
    person's condition in the message: only that a person in care needs attention)."""
    now = now or timezone.now()
    warning = rec.warnings.filter(reason=reason, resolved_at__isnull=True).first()
    if warning is not None and warning.grade >= grade:
        return None
    before = snapshot(warning, ["grade"]) if warning else None
    if warning is None:
        warning = CareWarning.objects.create(record=rec, reason=reason, grade=grade, raised_at=now, visit=visit)
    else:
        warning.grade, warning.raised_at = grade, now
        warning.save(update_fields=["grade", "raised_at"])
    record(Actor.system(), "safety.warning.raise", warning, community_id=rec.community_id,
           changes=diff(before, snapshot(warning, ["grade"])))
    recipients = [u for u in (rec.worker, rec.claimed_by) if u is not None]
    if grade >= 2:
        recipients += ladder(grade - 1, rec)
    notify.notify(recipients=recipients, kind="safety.care_warning",
                  title=Text(N_("Care warning (grade %(grade)s): %(reason)s"), grade=grade,
                             reason=warning.get_reason_display()),
                  body=Text(N_("A person in care needs attention. Open the care register to see who.")),
                  url=reverse("safety:care_warnings"))
    return warning


@transaction.atomic
def resolve_warning(*, by: Actor, warning: CareWarning) -> CareWarning:
    warning = CareWarning.objects.select_for_update().select_related("record").get(pk=warning.pk)
    refuse(rules.may_view_care(by.user, warning.record))
    if warning.resolved_at is None:
        _resolve(by, warning)
    return warning


def sweep_lapses(now: dt.datetime | None = None) -> dict:
    """Raises or upgrades lapsed-visit warnings (background job, daily)."""
    now = now or timezone.now()
    raised = 0
    for rec in CareRecord.objects.filter(active=True).select_related("worker", "claimed_by").order_by("pk"):
        grade = domain.lapse_grade(rec.colour, rec.last_visit_at, rec.enrolled_at, now)
        if grade:
            with transaction.atomic():
                if _raise(rec, WarningReason.LAPSED, grade, now=now):
                    raised += 1
    return {"raised": raised}
