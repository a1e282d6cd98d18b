"""Service desk entries of the console home's work list (courtyard.core.worklist)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import permissions as P
from .choices import OPEN_STATES, State
from .models import Request


def items(user) -> list[WorkItem]:
    if not user.has_perm(P.VIEW):
        return []
    counts = Request.objects.visible_to(user, P.VIEW).filter(state__in=OPEN_STATES).aggregate(
        to_accept=Count("pk", filter=Q(state__in=(State.SUBMITTED, State.REOPENED))),
        overdue=Count("pk", filter=Q(overdue=True)),
        mine=Count("pk", filter=Q(assignee=user)),
    )
    queue = reverse("servicedesk:queue")
    out = []
    if user.has_perm(P.HANDLE):
        out.append(WorkItem("servicedesk.to_accept", _("Requests to accept"), counts["to_accept"],
                            f"{queue}?q=all&state={State.SUBMITTED}", _("New reports waiting for someone to take them")))
    out.append(WorkItem("servicedesk.overdue", _("Overdue requests"), counts["overdue"], f"{queue}?q=overdue",
                        _("Past their deadline: act or escalate"), urgent=True))
    out.append(WorkItem("servicedesk.mine", _("Requests assigned to me"), counts["mine"], f"{queue}?q=mine",
                        _("Open requests you are handling")))
    return out
