"""The project library: suggestions, their merging into consensus items, key projects and their
rectification lists (PRJ-2, DLB-10)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor

from .. import permissions as p
from ..choices import Category, ProjectStatus, Source
from ..models import ConsensusItem, Project, RectificationItem, Suggestion
from ._common import record, require_staff


@transaction.atomic
def add_suggestion(*, by: Actor, unit, source: str, text: str, reference: str = "",
                   received_on: dt.date | None = None) -> Suggestion:
    require_staff(by, p.MANAGE, unit)
    if source not in Source.values:
        raise ValidationError(_("Choose where the suggestion came from."), code="source")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the suggestion."), code="text")
    s = Suggestion.objects.create(unit=unit, community_id=unit.community_id, source=source, text=text,
                                  reference=(reference or "").strip(), recorded_by=by.user,
                                  received_on=received_on or timezone.localdate())
    record(by, "projects.suggestion.add", s, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, audit.snapshot(s, ["source", "reference", "text"])))
    return s


@transaction.atomic
def merge_suggestions(*, by: Actor, unit, title: str, suggestions) -> ConsensusItem:
    """Several suggestions become one consensus item (each suggestion joins at most one)."""
    require_staff(by, p.MANAGE, unit)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the consensus item a title."), code="title")
    ids = sorted({s.pk for s in suggestions})
    if not ids:
        raise ValidationError(_("Choose at least one suggestion."), code="suggestions")
    locked = list(Suggestion.objects.select_for_update().filter(pk__in=ids, unit=unit))
    if len(locked) != len(ids):
        raise ValidationError(_("Choose suggestions of this unit."), code="suggestions")
    if any(s.consensus_id for s in locked):
        raise ValidationError(_("A suggestion was already merged into a consensus item."), code="suggestions")
    item = ConsensusItem.objects.create(unit=unit, community_id=unit.community_id, title=title)
    Suggestion.objects.filter(pk__in=ids).update(consensus=item)
    record(by, "projects.consensus.merge", item, unit_id=unit.pk, community_id=unit.community_id,
           changes={"title": [None, title], "suggestions": [None, ids]})
    return item


@transaction.atomic
def create_project(*, by: Actor, unit, title: str, category: str, owner: str, budget_fen: int = 0, place=None,
                   description: str = "", consensus_items=()) -> Project:
    require_staff(by, p.MANAGE, unit)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the project a title.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if not (owner or "").strip():
        errors["owner"] = _("Say who is responsible for the project.")
    if budget_fen is None or budget_fen < 0:
        errors["budget_fen"] = _("The budget cannot be negative.")
    if place is not None and not place.path.startswith(unit.community.path):
        errors["place"] = _("Choose a place in this unit's community.")
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(unit=unit, community_id=unit.community_id, title=title.strip(),
                                     category=category, owner=owner.strip(), budget_fen=budget_fen, place=place,
                                     description=description or "")
    ids = [c.pk for c in consensus_items]
    if ids:
        n = ConsensusItem.objects.filter(pk__in=ids, unit=unit, project__isnull=True).update(project=project)
        if n != len(ids):
            raise ValidationError(_("Choose consensus items of this unit that no project holds yet."),
                                  code="consensus_items")
    record(by, "projects.project.create", project, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, {**audit.snapshot(project, ["title", "category", "owner", "budget_fen",
                                                                "place"]), "consensus_items": ids}))
    return project


@transaction.atomic
def set_status(*, by: Actor, project: Project, status: str) -> Project:
    require_staff(by, p.MANAGE, project)
    if status not in ProjectStatus.values:
        raise ValidationError(_("Choose a status."), code="status")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    before = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    record(by, "projects.project.status", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes={"status": [before, status]})
    return locked


@transaction.atomic
def add_rectification(*, by: Actor, project: Project, text: str, due_on: dt.date | None = None) -> RectificationItem:
    require_staff(by, p.MANAGE, project)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Describe what is to be fixed."), code="text")
    item = RectificationItem.objects.create(project=project, text=text, due_on=due_on)
    record(by, "projects.rectification.add", item, unit_id=project.unit_id, community_id=project.community_id,
           changes={"text": [None, text], "due_on": [None, str(due_on) if due_on else None]})
    return item


@transaction.atomic
def complete_rectification(*, by: Actor, item: RectificationItem, done_on: dt.date | None = None
                           ) -> RectificationItem:
    project = item.project
    require_staff(by, p.MANAGE, project)
    locked = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if locked.done_on:
        raise ValidationError(_("This item is already done."))
    locked.done_on = done_on or timezone.localdate()
    locked.save(update_fields=["done_on"])
    record(by, "projects.rectification.done", locked, unit_id=project.unit_id, community_id=project.community_id,
           changes={"done_on": [None, str(locked.done_on)]})
    return locked
