"""Construction supervision (PRJ-4), staged acceptance with its snag list and the archive handover
(PRJ-5), and the facility register (PRJ-6)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload

from .. import permissions as p
from .. import rules
from ..choices import (
    MIN_QUOTES,
    STAGE_ORDER,
    AcceptanceStage,
    ArchiveItem,
    AwardMethod,
    ContractRole,
    Criterion,
    FacilityKind,
    InspectionKind,
    Party,
    StructureStatus,
)
from ..models import Acceptance, Contract, Facility, Handover, IllegalStructure, Inspection, Project, Snag
from ._common import record, require, require_staff

PHOTO_KINDS = frozenset({"image"})
RECEIPT_KINDS = frozenset({"image", "pdf"})


def _record(by, action, obj, project, changes):
    record(by, action, obj, unit_id=project.unit_id, community_id=project.community_id, changes=changes)


@transaction.atomic
def record_inspection(*, by: Actor, project: Project, kind: str, findings: str, satisfactory: bool = True,
                      inspected_on: dt.date | None = None, photos=()) -> Inspection:
    require_staff(by, p.INSPECT, project)
    if kind not in InspectionKind.values:
        raise ValidationError(_("Choose the kind of inspection."), code="kind")
    if not (findings or "").strip():
        raise ValidationError(_("Write down what was found."), code="findings")
    inspected_on = inspected_on or timezone.localdate()
    if inspected_on > timezone.localdate():
        raise ValidationError(_("An inspection cannot be dated in the future."), code="inspected_on")
    ins = Inspection.objects.create(project=project, kind=kind, findings=findings.strip(), satisfactory=satisfactory,
                                    inspected_on=inspected_on, recorded_by=by.user)
    names = [store_upload(by=by, upload=f, allowed=PHOTO_KINDS, owner=ins).original_name for f in photos]
    _record(by, "projects.inspection.record", ins, project,
            {"kind": [None, kind], "satisfactory": [None, satisfactory], "photos": [None, names]})
    return ins


@transaction.atomic
def sign_inspection(*, by: Actor, inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().select_related("project").get(pk=inspection.pk)
    require(rules.sign_inspection_refusal(by.user, locked))
    locked.signed_by, locked.signed_at = by.user, timezone.now()
    locked.save(update_fields=["signed_by", "signed_at"])
    _record(by, "projects.inspection.sign", locked, locked.project, {"signed_by": [None, by.user.pk]})
    return locked


def _passed(project, stage) -> bool:
    return project.acceptances.filter(stage=stage, passed=True).exists()


@transaction.atomic
def record_acceptance(*, by: Actor, project: Project, stage: str, passed: bool, note: str = "", parties=(),
                      criteria: dict | None = None, snags=(), held_on: dt.date | None = None) -> Acceptance:
    """One acceptance stage, in order: self-check → supervisor's check → joint final. The joint final
    needs every party present and all four judgements; it passes only if all four are met."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if stage not in AcceptanceStage.values:
        raise ValidationError(_("Choose the acceptance stage."), code="stage")
    require(rules.stage_refusal(by.user, project, stage))
    index = STAGE_ORDER.index(AcceptanceStage(stage))
    if index and not _passed(project, STAGE_ORDER[index - 1]):
        raise ValidationError(_("The previous acceptance stage has not passed yet."), code="stage")
    if _passed(project, stage):
        raise ValidationError(_("This stage has already passed."), code="stage")
    parties, criteria = sorted(set(parties)), dict(criteria or {})
    if stage == AcceptanceStage.JOINT_FINAL:
        missing = [Party(x).label for x in Party.values if x not in parties]
        if missing:
            raise ValidationError(_("The joint final acceptance needs every party: %(m)s missing.")
                                  % {"m": "、".join(str(m) for m in missing)}, code="parties")
        if set(criteria) != set(Criterion.values):
            raise ValidationError(_("Judge all four criteria."), code="criteria")
        if passed and not all(criteria.values()):
            raise ValidationError(_("The project passes only when all four criteria are met."), code="passed")
    else:
        parties, criteria = [], {}
    snag_texts = [t.strip() for t in snags if t and t.strip()]
    acc = Acceptance.objects.create(project=project, stage=stage, passed=passed, note=note or "", parties=parties,
                                    criteria=criteria, held_on=held_on or timezone.localdate(), recorded_by=by.user)
    Snag.objects.bulk_create([Snag(project=project, acceptance=acc, text=t[:300]) for t in snag_texts])
    _record(by, "projects.acceptance.record", acc, project,
            {"stage": [None, stage], "passed": [None, passed], "parties": [None, parties],
             "criteria": [None, criteria], "snags": [None, len(snag_texts)]})
    return acc


@transaction.atomic
def close_snag(*, by: Actor, snag: Snag) -> Snag:
    locked = Snag.objects.select_for_update().select_related("project").get(pk=snag.pk)
    require_staff(by, p.INSPECT, locked.project)
    if locked.closed_on:
        raise ValidationError(_("This snag is already closed."))
    locked.closed_on, locked.closed_by = timezone.localdate(), by.user
    locked.save(update_fields=["closed_on", "closed_by"])
    _record(by, "projects.snag.close", locked, locked.project, {"closed_on": [None, str(locked.closed_on)]})
    return locked


@transaction.atomic
def hand_over(*, by: Actor, project: Project, items, received_by: str, receipt) -> Handover:
    """The archive handed to the committee with the signed receipt, once the joint final acceptance has
    passed and every snag is closed."""
    require_staff(by, p.INSPECT, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not _passed(project, AcceptanceStage.JOINT_FINAL):
        raise ValidationError(_("Hand over after the joint final acceptance has passed."))
    if project.snags.filter(closed_on__isnull=True).exists():
        raise ValidationError(_("Close every snag before the handover."))
    if Handover.objects.filter(project=project).exists():
        raise ValidationError(_("This project's archive is already handed over."))
    missing = [ArchiveItem(x).label for x in ArchiveItem.values if x not in set(items)]
    if missing:
        raise ValidationError(_("The archive is incomplete: %(m)s missing.") % {"m": "、".join(str(m) for m in missing)},
                              code="items")
    if not (received_by or "").strip():
        raise ValidationError(_("Name who received the archive for the committee."), code="received_by")
    if receipt is None:
        raise ValidationError(_("Attach the signed receipt."), code="receipt")
    h = Handover.objects.create(project=project, items=sorted(set(items)), received_by=received_by.strip(),
                                recorded_by=by.user)
    store_upload(by=by, upload=receipt, allowed=RECEIPT_KINDS, owner=h)
    _record(by, "projects.handover", h, project, {"items": [None, h.items], "received_by": [None, h.received_by]})
    return h


@transaction.atomic
def create_facility(*, by: Actor, unit, name: str, kind: str, owner: str, place=None, location: str = "",
                    maintenance_standard: str = "", funding_source: str = "", maintenance_every_days: int = 90,
                    warranty_ends: dt.date | None = None, project=None, owner_partner=None) -> Facility:
    require_staff(by, p.INSPECT, unit)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the facility.")
    if kind not in FacilityKind.values:
        errors["kind"] = _("Choose the kind of facility.")
    if not (owner or "").strip():
        errors["owner"] = _("Say who owns and maintains the facility.")
    if not maintenance_every_days or maintenance_every_days < 1:
        errors["maintenance_every_days"] = _("Maintenance is due every one day or more.")
    if place is not None and not place.path.startswith(unit.community.path):
        errors["place"] = _("Choose a place in this unit's community.")
    if project is not None and project.unit_id != unit.pk:
        errors["project"] = _("Choose a project of this unit.")
    if owner_partner is not None and owner_partner.community_id != unit.community_id:
        errors["owner_partner"] = _("Choose a partner unit of this community.")
    if errors:
        raise ValidationError(errors)
    f = Facility.objects.create(unit=unit, community_id=unit.community_id, name=name.strip(), kind=kind,
                                owner=owner.strip(), place=place, location=location or "",
                                maintenance_standard=maintenance_standard or "", funding_source=funding_source or "",
                                maintenance_every_days=maintenance_every_days, warranty_ends=warranty_ends,
                                project=project, owner_partner=owner_partner)
    record(by, "projects.facility.create", f, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, audit.snapshot(f, ["name", "kind", "owner", "owner_partner", "place",
                                                    "maintenance_every_days"])))
    return f


@transaction.atomic
def record_maintenance(*, by: Actor, facility: Facility, on: dt.date | None = None) -> Facility:
    require_staff(by, p.INSPECT, facility)
    locked = Facility.objects.select_for_update().get(pk=facility.pk)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("Maintenance cannot be dated in the future."))
    before = locked.last_maintained_on
    locked.last_maintained_on = on
    locked.save(update_fields=["last_maintained_on"])
    record(by, "projects.facility.maintained", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes={"last_maintained_on": [str(before) if before else None, str(on)]})
    return locked


@transaction.atomic
def register_structure(*, by: Actor, unit, description: str, place=None, location: str = "", area_m2=None,
                       demolition_plan: str = "") -> IllegalStructure:
    require_staff(by, p.MANAGE, unit)
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Describe the structure.")
    if area_m2 is not None and area_m2 <= 0:
        errors["area_m2"] = _("The area must be more than zero.")
    if place is not None and not place.path.startswith(unit.community.path):
        errors["place"] = _("Choose a place in this unit's community.")
    if errors:
        raise ValidationError(errors)
    st = IllegalStructure.objects.create(unit=unit, community_id=unit.community_id, description=description.strip(),
                                         place=place, location=location or "", area_m2=area_m2,
                                         demolition_plan=demolition_plan or "")
    record(by, "projects.structure.register", st, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, audit.snapshot(st, ["description", "place", "area_m2"])))
    return st


@transaction.atomic
def update_structure(*, by: Actor, structure: IllegalStructure, status: str, self_removed: bool = False,
                     removed_on: dt.date | None = None, demolition_plan: str | None = None) -> IllegalStructure:
    """Agree the demolition plan, or record the removal (by its owner or not), with its date."""
    require_staff(by, p.MANAGE, structure)
    locked = IllegalStructure.objects.select_for_update().get(pk=structure.pk)
    if status not in StructureStatus.values:
        raise ValidationError(_("Choose a status."), code="status")
    if locked.status == StructureStatus.REMOVED:
        raise ValidationError(_("This structure is already removed."))
    before = audit.snapshot(locked, ["status", "self_removed", "removed_on", "demolition_plan"])
    if demolition_plan is not None:
        locked.demolition_plan = demolition_plan
    if status == StructureStatus.PLAN_AGREED and not locked.demolition_plan.strip():
        raise ValidationError(_("Write the demolition plan first."), code="demolition_plan")
    if status == StructureStatus.REMOVED:
        removed_on = removed_on or timezone.localdate()
        if removed_on > timezone.localdate():
            raise ValidationError(_("A removal cannot be dated in the future."), code="removed_on")
        locked.removed_on, locked.self_removed = removed_on, bool(self_removed)
    locked.status = status
    locked.save()
    record(by, "projects.structure.update", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes=audit.diff(before, audit.snapshot(locked, ["status", "self_removed", "removed_on",
                                                              "demolition_plan"])))
    return locked


@transaction.atomic
def record_contract(*, by: Actor, project: Project, role: str, method: str, party: str, number: str,
                    amount_fen: int, starts_on: dt.date, ends_on: dt.date, retention_percent: int = 3,
                    reason: str = "", quotes=(), warranty_months: int = 24, partner=None) -> Contract:
    """The contract with the chosen contractor or supervisor. A competitive quotation needs at least
    three quotations, and choosing other than the lowest needs a reason; a direct award always does."""
    require_staff(by, p.MANAGE, project)
    errors: dict[str, str] = {}
    quotes = [{"party": q["party"].strip(), "amount_fen": int(q["amount_fen"])} for q in quotes]
    reason = (reason or "").strip()
    if role not in ContractRole.values:
        errors["role"] = _("Choose the contractor or the supervisor.")
    if method not in AwardMethod.values:
        errors["method"] = _("Choose how the party was chosen.")
    if not (party or "").strip():
        errors["party"] = _("Name the contracting party.")
    if not (number or "").strip():
        errors["number"] = _("Give the contract number.")
    if not amount_fen or amount_fen <= 0:
        errors["amount_fen"] = _("The amount must be more than zero.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The contract cannot end before it starts.")
    if retention_percent is None or not 0 <= retention_percent <= 10:
        errors["retention_percent"] = _("The retention is between 0 and 10 %.")
    if warranty_months is None or not 0 <= warranty_months <= 120:
        errors["warranty_months"] = _("The warranty is between 0 and 120 months.")
    if partner is not None and partner.community_id != project.community_id:
        errors["partner"] = _("Choose a partner unit of this community.")
    if method == AwardMethod.DIRECT and not reason:
        errors["reason"] = _("A direct award needs its reason.")
    if method == AwardMethod.QUOTATION:
        if len(quotes) < MIN_QUOTES:
            errors["quotes"] = _("A competitive quotation needs at least three quotations.")
        elif party.strip() not in {q["party"] for q in quotes}:
            errors["party"] = _("The contracting party must be one of the quoting parties.")
        elif min(q["amount_fen"] for q in quotes) < next(q["amount_fen"] for q in quotes
                                                         if q["party"] == party.strip()) and not reason:
            errors["reason"] = _("Say why the lowest quotation was not chosen.")
    if errors:
        raise ValidationError(errors)
    c = Contract.objects.create(project=project, role=role, method=method, reason=reason, quotes=quotes,
                                party=party.strip(), number=number.strip(), amount_fen=amount_fen, starts_on=starts_on,
                                ends_on=ends_on, retention_percent=retention_percent, recorded_by=by.user,
                                warranty_months=warranty_months, partner=partner)
    _record(by, "projects.contract.record", c, project,
            audit.diff(None, audit.snapshot(c, ["role", "method", "party", "number", "amount_fen", "starts_on",
                                                "ends_on", "retention_percent", "warranty_months", "partner",
                                                "quotes"])))
    return c
