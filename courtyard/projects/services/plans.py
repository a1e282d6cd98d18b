"""Plan versions with drawings, residents' opinions, the expert panel's dispositions and the leading
group's approval of the final version (PRJ-3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.files import store_upload

from .. import permissions as p
from .. import rules
from ..choices import Disposition, PlanState
from ..models import Opinion, PlanVersion
from ._common import record, require, require_staff

DRAWING_KINDS = frozenset({"image", "pdf"})


def _record(by, action, obj, project, changes):
    record(by, action, obj, unit_id=project.unit_id, community_id=project.community_id, changes=changes)


@transaction.atomic
def add_plan(*, by: Actor, project, title: str, summary: str, drawings=()) -> PlanVersion:
    require_staff(by, p.MANAGE, project)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the plan a title.")
    if not (summary or "").strip():
        errors["summary"] = _("Summarise the plan.")
    if errors:
        raise ValidationError(errors)
    number = (project.plans.aggregate(n=Max("number"))["n"] or 0) + 1
    plan = PlanVersion.objects.create(project=project, number=number, title=title.strip(), summary=summary.strip())
    names = [store_upload(by=by, upload=f, allowed=DRAWING_KINDS, owner=plan).original_name for f in drawings]
    _record(by, "projects.plan.add", plan, project,
            {"number": [None, number], "title": [None, plan.title], "drawings": [None, names]})
    return plan


@transaction.atomic
def publish_plan(*, by: Actor, plan: PlanVersion) -> PlanVersion:
    project = plan.project
    require_staff(by, p.MANAGE, project)
    locked = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    if locked.state != PlanState.DRAFT:
        raise ValidationError(_("Only a draft plan can be published."))
    for old in project.plans.select_for_update().filter(state=PlanState.PUBLISHED).exclude(pk=plan.pk):
        old.state = PlanState.SUPERSEDED
        old.save(update_fields=["state"])
        _record(by, "projects.plan.supersede", old, project, {"state": [PlanState.PUBLISHED, PlanState.SUPERSEDED]})
    locked.state, locked.published_at = PlanState.PUBLISHED, timezone.now()
    locked.save(update_fields=["state", "published_at"])
    _record(by, "projects.plan.publish", locked, project, {"state": [PlanState.DRAFT, PlanState.PUBLISHED]})
    return locked


@transaction.atomic
def give_opinion(*, by: Actor, plan: PlanVersion, text: str) -> Opinion:
    plan = PlanVersion.objects.select_related("project").get(pk=plan.pk)
    require(rules.comment_refusal(by.user, plan))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your opinion."), code="text")
    if len(text) > 2000:
        raise ValidationError(_("Keep your opinion under 2,000 characters."), code="text")
    person = by.user.person
    op = Opinion.objects.create(plan=plan, author=by.user, author_label=(person.name if person else str(by.user))[:60],
                                text=text)
    _record(by, "projects.opinion.give", op, plan.project, {"text": [None, text]})
    return op


@transaction.atomic
def dispose_opinion(*, by: Actor, opinion: Opinion, disposition: str, reason: str = "") -> Opinion:
    opinion = Opinion.objects.select_related("plan__project").get(pk=opinion.pk)
    require(rules.dispose_refusal(by.user, opinion))
    reason = (reason or "").strip()
    if disposition not in Disposition.values:
        raise ValidationError(_("Choose adopted, partly adopted or not adopted."), code="disposition")
    if disposition != Disposition.ADOPTED and not reason:
        raise ValidationError(_("Give the reason when an opinion is not (fully) adopted."), code="reason")
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    before = [locked.disposition, locked.reason]
    locked.disposition, locked.reason = disposition, reason
    locked.disposed_by, locked.disposed_at = by.user, timezone.now()
    locked.save(update_fields=["disposition", "reason", "disposed_by", "disposed_at"])
    _record(by, "projects.opinion.dispose", locked, opinion.plan.project,
            {"disposition": [before[0] or None, disposition], "reason": [before[1] or None, reason]})
    return locked


@transaction.atomic
def approve_plan(*, by: Actor, plan: PlanVersion) -> PlanVersion:
    locked = PlanVersion.objects.select_for_update().select_related("project").get(pk=plan.pk)
    require(rules.approve_refusal(by.user, locked))
    locked.state, locked.approved_at, locked.approved_by = PlanState.APPROVED, timezone.now(), by.user
    locked.save(update_fields=["state", "approved_at", "approved_by"])
    _record(by, "projects.plan.approve", locked, locked.project, {"state": [PlanState.PUBLISHED, PlanState.APPROVED]})
    return locked
