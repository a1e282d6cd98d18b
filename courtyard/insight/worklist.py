"""Insight's entries of the console home's work list: open warning cases the user leads."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import permissions as P
from .models import CaseStatus, Level, WarningCase


def items(user) -> list[WorkItem]:
    handle, supervise = user.has_perm(P.HANDLE), user.has_perm(P.SUPERVISE)
    if not (handle or supervise):
        return []
    counts = WarningCase.objects.visible_to(user).filter(status=CaseStatus.OPEN).aggregate(
        yellow=Count("pk", filter=Q(level=Level.YELLOW)), red=Count("pk", filter=Q(level=Level.RED)),
        overdue=Count("pk", filter=Q(deadline__lt=timezone.localdate())))
    url = reverse("insight:cases")
    out = []
    if supervise:
        out.append(WorkItem("insight.red", _("Listed cases to supervise"), counts["red"],
                            f"{url}?status=open&level=red", _("Red warnings the subdistrict supervises"), urgent=True))
    if handle:
        out.append(WorkItem("insight.yellow", _("Warning cases to rectify"), counts["yellow"],
                            f"{url}?status=open&level=yellow", _("Yellow warnings the community leads")))
    out.append(WorkItem("insight.overdue", _("Overdue warning cases"), counts["overdue"], f"{url}?status=open",
                        _("Past their deadline: act or report"), urgent=True))
    return out
