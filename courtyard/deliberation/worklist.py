"""Deliberation entries of the console home's work list: votes closing or to count, late notices,
meetings due by their cadence (DLB-7, DLB-8)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import choices as c
from . import permissions as p
from .models import Meeting, Notice, Vote
from .selectors import units_for

CLOSING_SOON = timedelta(days=3)
MAX_UNITS = 500


def meetings_due(user, today=None) -> int:
    """Meeting kinds, over the user's units, whose last meeting is older than the cadence allows.
    One query for the units and one for the last meeting per (unit, kind), whatever the number of units."""
    today = today or timezone.localdate()
    unit_ids = list(units_for(user, p.VIEW_MEETING).values_list("pk", flat=True)[:MAX_UNITS])
    if not unit_ids:
        return 0
    lasts = {(u, k): last for u, k, last in Meeting.objects.filter(unit_id__in=unit_ids, starts_at__date__lte=today)
             .order_by().values("unit_id", "kind").annotate(last=Max("starts_at")).values_list("unit_id", "kind", "last")}
    due = 0
    for unit_id in unit_ids:
        for kind, days in c.MEETING_CADENCE_DAYS.items():
            if days is None:
                continue
            last = lasts.get((unit_id, kind))
            if last is None or (today - timezone.localtime(last).date()).days > days:
                due += 1
    return due


def items(user) -> list[WorkItem]:
    out = []
    now = timezone.now()
    day_ago = now - timedelta(hours=24)
    if user.has_perm(p.VIEW_VOTE):
        unpublished = ~Exists(Notice.objects.filter(vote=OuterRef("pk")))
        counts = Vote.objects.visible_to(user, p.VIEW_VOTE).aggregate(  # one query for the four vote entries
            to_count=Count("pk", filter=Q(status=c.VoteStatus.OPEN, closes_at__lte=now)),
            closing=Count("pk", filter=Q(status=c.VoteStatus.OPEN, closes_at__gt=now,
                                         closes_at__lte=now + CLOSING_SOON)),
            due=Count("pk", filter=Q(unpublished, status=c.VoteStatus.CLOSED, closed_at__gt=day_ago)),
            late=Count("pk", filter=Q(unpublished, status=c.VoteStatus.CLOSED, closed_at__lte=day_ago)),
        )
        url = reverse("deliberation:console_votes")
        if user.has_perm(p.MANAGE_VOTE):
            out.append(WorkItem("deliberation.to_count", _("Votes to close and count"), counts["to_count"], url,
                                _("Voting time is over: close the vote and publish the result"), urgent=True))
        out.append(WorkItem("deliberation.closing", _("Votes closing within 3 days"), counts["closing"], url,
                            _("Remind those who have not voted yet")))
        if user.has_perm(p.VIEW_NOTICE):
            url = reverse("deliberation:console_notices")
            out.append(WorkItem("deliberation.notices_due", _("Results to publish"), counts["due"], url,
                                _("Decided in the last 24 hours: publish within a day")))
            out.append(WorkItem("deliberation.notices_late", _("Notices late"), counts["late"], url,
                                _("Decided more than 24 hours ago and still not published"), urgent=True))
    if user.has_perm(p.VIEW_MEETING):
        out.append(WorkItem("deliberation.meetings_due", _("Meetings due"), meetings_due(user),
                            reverse("deliberation:console_meetings"),
                            _("Regular meetings whose cadence has lapsed")))
    return out
