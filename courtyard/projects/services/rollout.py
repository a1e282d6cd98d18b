"""The rollout programme (挂图作战, PRJ-8): a subdistrict's courtyards in phases, milestones with owner,
deadline and assessment standard, each courtyard's progress, and extension requests approved by the
subdistrict party working committee (an office: the role held over the programme, never a superuser)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.org.choices import PlaceKind

from .. import permissions as p
from .. import rules
from ..choices import ExtensionState, MilestoneKind
from ..models import ExtensionRequest, Milestone, MilestoneProgress, Programme, ProgrammeUnit
from ._common import require, require_staff


def _record(by, action, obj, programme, changes, unit_id=None):
    audit.record(by, action, obj, unit_id=unit_id, community_id=None, changes=changes)


@transaction.atomic
def create_programme(*, by: Actor, subdistrict, title: str, starts_on: dt.date | None = None) -> Programme:
    require_staff(by, p.ROLLOUT, subdistrict)
    if subdistrict.kind != PlaceKind.SUBDISTRICT:
        raise ValidationError({"subdistrict": _("Choose a subdistrict.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the programme a title.")})
    prog = Programme.objects.create(subdistrict=subdistrict, title=title.strip(),
                                    starts_on=starts_on or timezone.localdate())
    _record(by, "projects.programme.create", prog, prog, {"title": [None, prog.title]})
    return prog


@transaction.atomic
def add_programme_unit(*, by: Actor, programme: Programme, unit, phase: int) -> ProgrammeUnit:
    require_staff(by, p.ROLLOUT, programme)
    if not unit.community.path.startswith(programme.subdistrict.path):
        raise ValidationError({"unit": _("Choose a courtyard of this subdistrict.")})
    if not phase or phase < 1:
        raise ValidationError({"phase": _("Phases are numbered from 1.")})
    row, _created = ProgrammeUnit.objects.update_or_create(programme=programme, unit=unit, defaults={"phase": phase})
    _record(by, "projects.programme.unit", row, programme, {"unit": [None, unit.pk], "phase": [None, phase]},
            unit_id=unit.pk)
    return row


@transaction.atomic
def add_milestone(*, by: Actor, programme: Programme, phase: int, kind: str, title: str, owner: str, due_on: dt.date,
                  standard: str) -> Milestone:
    require_staff(by, p.ROLLOUT, programme)
    errors = {}
    if kind not in MilestoneKind.values:
        errors["kind"] = _("Choose a milestone.")
    if not phase or phase < 1:
        errors["phase"] = _("Phases are numbered from 1.")
    for name, value, msg in (("title", title, _("Name the milestone.")), ("owner", owner, _("Say who is responsible.")),
                             ("standard", standard, _("Give the assessment standard."))):
        if not (value or "").strip():
            errors[name] = msg
    if due_on is None:
        errors["due_on"] = _("Give the deadline.")
    if errors:
        raise ValidationError(errors)
    m = Milestone.objects.create(programme=programme, phase=phase, kind=kind, title=title.strip(), owner=owner.strip(),
                                 due_on=due_on, standard=standard.strip())
    _record(by, "projects.milestone.create", m, programme,
            audit.diff(None, audit.snapshot(m, ["phase", "kind", "title", "owner", "due_on", "standard"])))
    return m


def _in_programme(milestone: Milestone, unit) -> ProgrammeUnit:
    row = ProgrammeUnit.objects.filter(programme_id=milestone.programme_id, unit=unit).first()
    if row is None or row.phase != milestone.phase:
        raise ValidationError(_("This courtyard is not in this milestone's phase."))
    return row


@transaction.atomic
def record_progress(*, by: Actor, milestone: Milestone, unit, done_on: dt.date, evidence: str) -> MilestoneProgress:
    """The courtyard reached the milestone (by the programme's staff, or the community's staff for their unit)."""
    if rules.staff_refusal(by.user, p.ROLLOUT, milestone.programme) is not None:
        require_staff(by, p.MANAGE, unit)
    _in_programme(milestone, unit)
    if done_on is None or done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Give the date it was reached, not in the future.")})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Say what shows it meets the standard.")})
    row, _created = MilestoneProgress.objects.update_or_create(milestone=milestone, unit=unit, defaults={
        "done_on": done_on, "evidence": evidence.strip()})
    _record(by, "projects.milestone.done", row, milestone.programme,
            {"done_on": [None, done_on.isoformat()], "evidence": [None, row.evidence]}, unit_id=unit.pk)
    return row


@transaction.atomic
def request_extension(*, by: Actor, milestone: Milestone, unit, new_due: dt.date, reason: str) -> ExtensionRequest:
    require_staff(by, p.MANAGE, unit)
    _in_programme(milestone, unit)
    current = (MilestoneProgress.objects.filter(milestone=milestone, unit=unit).values_list("extended_to", flat=True)
               .first()) or milestone.due_on
    if new_due is None or new_due <= current:
        raise ValidationError({"new_due": _("The new deadline must be later than the current one.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if ExtensionRequest.objects.filter(milestone=milestone, unit=unit, state=ExtensionState.PENDING).exists():
        raise ValidationError(_("An extension request for this milestone is already waiting."))
    ext = ExtensionRequest.objects.create(milestone=milestone, unit=unit, new_due=new_due, reason=reason.strip(),
                                          requested_by=by.user)
    _record(by, "projects.extension.request", ext, milestone.programme,
            {"new_due": [None, new_due.isoformat()], "reason": [None, ext.reason]}, unit_id=unit.pk)
    return ext


@transaction.atomic
def decide_extension(*, by: Actor, extension: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    locked = ExtensionRequest.objects.select_for_update().select_related("milestone__programme__subdistrict").get(
        pk=extension.pk)
    require(rules.extension_refusal(by.user, locked))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the extension is refused.")})
    locked.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = by.user, timezone.now(), (note or "").strip()[:300]
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        MilestoneProgress.objects.update_or_create(milestone=locked.milestone, unit=locked.unit,
                                                   defaults={"extended_to": locked.new_due})
    _record(by, "projects.extension.decide", locked, locked.milestone.programme,
            {"state": [ExtensionState.PENDING, locked.state]}, unit_id=locked.unit_id)
    return locked

