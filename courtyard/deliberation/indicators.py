"""Deliberation's indicators (INS-1): meeting cadence (meetings held ÷ meetings due by type), and
the acts that count a household as taking part — a ballot cast, a topic raised, a comment made, a
meeting attended. See courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction as F

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import Act, Indicator, Period, Scope, Targets, Thresholds
from courtyard.org.models import SelfGovernanceUnit

from . import choices as c
from .models import Attendance, Ballot, Meeting, Topic, TopicComment


def meetings_due(period_days: int, cadence_days: int) -> int:
    """How many meetings of a kind held every `cadence_days` fall due in a period: the nearest whole
    number (half up) of period ÷ cadence — a month owes one monthly meeting, a year twelve."""
    return int(F(period_days, cadence_days) + F(1, 2))


def _units(scope: Scope, period: Period):
    qs = SelfGovernanceUnit.objects.filter(Q(established__isnull=True) | Q(established__lt=period.end))
    if scope.unit_id is not None:
        return qs.filter(pk=scope.unit_id)
    return qs.filter(community__path__startswith=scope.path)


def meeting_cadence(scope: Scope, period: Period) -> tuple[int, int]:
    """Σ over units and meeting kinds of min(held, due) ÷ Σ due. A meeting counts as held once its
    start time has passed; extra meetings of one kind do not make up for a missing one of another.
    In the running period only the days elapsed count (a month one day old owes nothing yet)."""
    start, end = period.bounds()
    now = timezone.now()
    end = min(end, now)
    # A running period owes only what has fallen due so far (whole days elapsed).
    days = period.days if now >= period.bounds()[1] else max(0, (timezone.localdate(now) - period.start).days)
    due = {kind: meetings_due(days, cadence) for kind, cadence in c.MEETING_CADENCE_DAYS.items() if cadence}
    due = {k: v for k, v in due.items() if v}
    units = list(_units(scope, period).values_list("pk", flat=True))
    if not units or not due:
        return 0, 0
    held = Counter()
    for row in Meeting.objects.filter(unit_id__in=units, kind__in=list(due), starts_at__gte=start,
                                      starts_at__lt=end).values("unit_id", "kind").annotate(n=Count("pk")):
        held[(row["unit_id"], row["kind"])] = row["n"]
    num = sum(min(held[(u, k)], n) for u in units for k, n in due.items())
    return num, len(units) * sum(due.values())


def _between(period: Period, field: str) -> dict:
    start, end = period.bounds()
    return {f"{field}__gte": start, f"{field}__lt": end}


def voters(scope: Scope, period: Period):
    return Ballot.objects.filter(voter__isnull=False, **_between(period, "created_at"),
                                 **scope.lookup("vote__community__path", "vote__unit_id")).values("voter_id")


def topic_raisers(scope: Scope, period: Period):
    return Topic.objects.filter(raised_by__isnull=False, **_between(period, "proposed_at"),
                                **scope.lookup("community__path")).values("raised_by_id")


def commenters(scope: Scope, period: Period):
    return TopicComment.objects.filter(person__isnull=False, **_between(period, "created_at"),
                                       **scope.lookup("topic__community__path", "topic__unit_id")).values("person_id")


def attendees(scope: Scope, period: Period):
    return Attendance.objects.filter(**_between(period, "signed_at"),
                                     **scope.lookup("meeting__community__path", "meeting__unit_id")).values("person_id")


INDICATORS = [
    Indicator(
        code="meeting_cadence", app="deliberation", label=_("Meeting cadence"),
        formula=_("meetings held ÷ meetings due, by type"),
        numerator=_("meetings held in the period, per unit and type, counted up to the number due"),
        denominator=_("meetings due in the period: party joint meetings monthly, leading-group meetings every two "
                      "weeks, residents' councils quarterly, per unit"),
        source=_("Deliberation: meetings"), compute=meeting_cadence,
        targets=Targets(F(1), F(1), F(1)), thresholds=Thresholds(F(1), F(1, 2)),
        references="003 §5.2, §8.3",
    ),
]

ACTS = [
    Act("ballot", _("voted"), voters),
    Act("topic", _("raised a topic"), topic_raisers),
    Act("comment", _("commented on a topic"), commenters),
    Act("attendance", _("attended a meeting"), attendees),
]
