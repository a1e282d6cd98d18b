"""Safety entries of the console home's work list (courtyard.core.worklist)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import permissions as P
from .choices import HazardState, TaskState
from .models import CareWarning, Hazard, PatrolTask


def items(user) -> list[WorkItem]:
    out: list[WorkItem] = []
    now = timezone.now()
    if user.has_perm(P.VIEW):
        counts = Hazard.objects.visible_to(user, P.VIEW).exclude(state=HazardState.CLOSED).aggregate(
            overdue=Count("pk", filter=Q(state=HazardState.OPEN, deadline__lt=now)),
            recheck=Count("pk", filter=Q(state=HazardState.FIXED) & ~Q(fixed_by=user)),
            mine=Count("pk", filter=Q(state=HazardState.OPEN, owner=user)),
        )
        hazards = reverse("safety:hazards")
        out.append(WorkItem("safety.hazards_overdue", _("Overdue hazards"), counts["overdue"],
                            f"{hazards}?overdue=true", _("Past their rectification deadline: act or escalate"),
                            urgent=True))
        if user.has_perm(P.HANDLE):
            out.append(WorkItem("safety.hazards_recheck", _("Hazards to re-inspect"), counts["recheck"],
                                f"{hazards}?state={HazardState.FIXED}", _("Rectified by someone else: check and close")))
        out.append(WorkItem("safety.hazards_mine", _("Hazards I own"), counts["mine"], f"{hazards}?state=open",
                            _("Rectify them before the deadline")))
    if user.has_perm(P.PATROL):
        n = PatrolTask.objects.filter(assignee=user, day=timezone.localdate(), state=TaskState.OPEN).count()
        out.append(WorkItem("safety.rounds", _("Patrol rounds today"), n, reverse("safety:patrol"),
                            _("Scan each point's code on your phone")))
    if user.has_perm(P.CARE):
        from .selectors import care_records_for

        n = CareWarning.objects.filter(record__in=care_records_for(user).values("pk"), resolved_at__isnull=True).count()
        out.append(WorkItem("safety.care_warnings", _("Care warnings"), n, reverse("safety:care_warnings"),
                            _("Lapsed visits and visits that reported trouble"), urgent=True))
    return out
