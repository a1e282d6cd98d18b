"""The results board (PRJ-9): before/after indicators per project and the post-project evaluation, which
staff publish on the unit's public page. Counts only: no names; phone and ID numbers typed into the free
text are masked before anything is stored."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, pii
from courtyard.core.audit import Actor

from .. import permissions as p
from ..choices import AcceptanceStage, ResultKind
from ..models import Evaluation, Project, ResultIndicator
from ._common import record, require_staff


def _record(by, action, obj, project, changes):
    record(by, action, obj, unit_id=project.unit_id, community_id=project.community_id, changes=changes)


@transaction.atomic
def set_result(*, by: Actor, project: Project, kind: str, before: Decimal, after: Decimal) -> ResultIndicator:
    require_staff(by, p.MANAGE, project)
    errors = {}
    if kind not in ResultKind.values:
        errors["kind"] = _("Choose an indicator.")
    for name, value in (("before", before), ("after", after)):
        if value is None or value < 0:
            errors[name] = _("Give a number of zero or more.")
    if errors:
        raise ValidationError(errors)
    row = ResultIndicator.objects.filter(project=project, kind=kind).first()
    old = audit.snapshot(row, ["before", "after"]) if row else None
    row, _created = ResultIndicator.objects.update_or_create(project=project, kind=kind,
                                                             defaults={"before": before, "after": after})
    _record(by, "projects.result.set", row, project, audit.diff(old, audit.snapshot(row, ["kind", "before", "after"])))
    return row


@transaction.atomic
def record_evaluation(*, by: Actor, project: Project, goals_set: int, goals_met: int, surveyed: int, satisfied: int,
                      spent_fen: int, summary: str, residents_said: str = "") -> Evaluation:
    """The post-project evaluation, once the joint final acceptance has passed; it may be corrected until
    it is published."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_staff(by, p.MANAGE, project)
    if not project.acceptances.filter(stage=AcceptanceStage.JOINT_FINAL, passed=True).exists():
        raise ValidationError(_("Evaluate a project after its joint final acceptance has passed."))
    errors = {}
    if not goals_set or goals_set < 1:
        errors["goals_set"] = _("Set at least one goal.")
    elif goals_met is None or not 0 <= goals_met <= goals_set:
        errors["goals_met"] = _("The goals met lie between 0 and the goals set.")
    if not surveyed or surveyed < 1:
        errors["surveyed"] = _("Ask at least one household.")
    elif satisfied is None or not 0 <= satisfied <= surveyed:
        errors["satisfied"] = _("The satisfied households lie between 0 and those asked.")
    if spent_fen is None or spent_fen < 0:
        errors["spent_fen"] = _("Give what was spent.")
    if not (summary or "").strip():
        errors["summary"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    current = Evaluation.objects.filter(project=project).first()
    if current is not None and current.published_at:
        raise ValidationError(_("The evaluation is published and can no longer be changed."))
    fields = {"goals_set": goals_set, "goals_met": goals_met, "surveyed": surveyed, "satisfied": satisfied,
              "spent_fen": spent_fen, "summary": pii.scrub(summary.strip()),
              "residents_said": pii.scrub((residents_said or "").strip()), "recorded_by": by.user}
    old = audit.snapshot(current, list(fields)[:5]) if current else None
    ev, _created = Evaluation.objects.update_or_create(project=project, defaults=fields)
    _record(by, "projects.evaluation.record", ev, project, audit.diff(old, audit.snapshot(ev, list(fields)[:5])))
    return ev


@transaction.atomic
def publish_evaluation(*, by: Actor, evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)
    require_staff(by, p.MANAGE, locked.project)
    if locked.published_at:
        raise ValidationError(_("The evaluation is already published."))
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    _record(by, "projects.evaluation.publish", locked, locked.project, {"published": [False, True]})
    return locked
