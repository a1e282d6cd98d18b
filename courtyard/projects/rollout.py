"""Reads of the rollout board (挂图作战, PRJ-8): each courtyard's position on each milestone of its phase,
in a fixed number of queries whatever the programme's size."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ExtensionState
from .models import ExtensionRequest, Milestone, MilestoneProgress, ProgrammeUnit

DONE, LATE_DONE, EXTENDED, OVERDUE, OPEN = "done", "late_done", "extended", "overdue", "open"


def cell(milestone: Milestone, progress: MilestoneProgress | None, pending: bool, today) -> dict:
    due = (progress.extended_to if progress and progress.extended_to else None) or milestone.due_on
    if progress and progress.done_on:
        late = progress.done_on > due
        return {"state": LATE_DONE if late else DONE, "date": progress.done_on, "due": due,
                "label": _("late, done %(d)s") % {"d": progress.done_on} if late else _("done %(d)s") % {
                    "d": progress.done_on}, "evidence": progress.evidence}
    if due < today:
        return {"state": OVERDUE, "due": due, "label": _("overdue since %(d)s") % {"d": due}, "pending": pending}
    if progress and progress.extended_to:
        return {"state": EXTENDED, "due": due, "label": _("extended to %(d)s") % {"d": due}, "pending": pending}
    return {"state": OPEN, "due": due, "label": _("due %(d)s") % {"d": due}, "pending": pending}


def board(programme) -> list[dict]:
    """Per phase: its milestones and one row per courtyard with a cell per milestone."""
    today = timezone.localdate()
    units = list(ProgrammeUnit.objects.filter(programme=programme).select_related("unit").order_by("phase",
                                                                                                  "unit__name"))
    milestones = list(Milestone.objects.filter(programme=programme))
    progress = {(x.milestone_id, x.unit_id): x for x in MilestoneProgress.objects.filter(
        milestone__programme=programme)}
    pending = set(ExtensionRequest.objects.filter(milestone__programme=programme, state=ExtensionState.PENDING)
                  .values_list("milestone_id", "unit_id"))
    phases: dict[int, dict] = {}
    for m in milestones:
        phases.setdefault(m.phase, {"phase": m.phase, "milestones": [], "rows": []})["milestones"].append(m)
    for pu in units:
        ph = phases.setdefault(pu.phase, {"phase": pu.phase, "milestones": [], "rows": []})
        cells = [cell(m, progress.get((m.pk, pu.unit_id)), (m.pk, pu.unit_id) in pending, today)
                 for m in ph["milestones"]]
        done = sum(1 for c in cells if c["state"] in (DONE, LATE_DONE))
        ph["rows"].append({"unit": pu.unit, "cells": cells, "done": done, "total": len(cells)})
    return [phases[k] for k in sorted(phases)]
