"""Care and safety indicators (INS-1): care-visit compliance, hazards closed on time, and the success
rate of the three-tier mediation (SVC-8; servicedesk's `dispute_resolution_rate` counts disputes
filed as requests). See courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

from fractions import Fraction as F

from django.db.models import F as Col
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import STOCK, Indicator, Period, Scope, Targets, Thresholds

from .choices import CaseState, HazardState
from .domain import visit_due
from .models import CareRecord, CareVisit, Hazard, MediationCase


def care_visit_compliance(scope: Scope, period: Period) -> tuple[int, int]:
    """People in care (active, enrolled before the period ends) whose visit was not overdue at the
    end of the period (or now, in the running period) ÷ all of them. The interval follows the care
    colour (red daily … green quarterly, `domain.VISIT_DAYS`)."""
    _start, end = period.bounds()
    at = min(end, timezone.now())
    last = (CareVisit.objects.filter(record=OuterRef("pk"), at__lt=at).order_by().values("record")
            .annotate(m=Max("at")).values("m"))
    rows = (CareRecord.objects.filter(active=True, enrolled_at__lt=at, **scope.lookup())
            .annotate(last=Subquery(last)).values_list("colour", "last", "enrolled_at"))
    total = on_time = 0
    for colour, last_visit, enrolled in rows:
        total += 1
        if at <= visit_due(colour, last_visit, enrolled):
            on_time += 1
    return on_time, total


def hazard_closure_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Hazards whose rectification deadline fell in the period (up to now) and were closed after
    re-inspection by that deadline ÷ all hazards due in the period."""
    start, end = period.bounds()
    due = Hazard.objects.filter(deadline__gte=start, deadline__lt=min(end, timezone.now()), **scope.lookup())
    closed = due.filter(state=HazardState.CLOSED, closed_at__lte=Col("deadline"))
    return closed.count(), due.count()


def mediation_success_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Disputes settled by agreement through the community's mediation (any tier) ÷ disputes whose
    mediation ended in the period (agreed, referred elsewhere or without agreement)."""
    start, end = period.bounds()
    ended = MediationCase.objects.filter(closed_at__gte=start, closed_at__lt=end, **scope.lookup()).filter(
        Q(state=CaseState.AGREED) | Q(state=CaseState.REFERRED) | Q(state=CaseState.FAILED))
    return ended.filter(state=CaseState.AGREED).count(), ended.count()


INDICATORS = [
    Indicator(
        code="care_visit_compliance", app="safety", label=_("Care-visit compliance"),
        formula=_("people in care visited within their interval ÷ people in care"),
        numerator=_("people in care whose last visit was within the interval of their care colour at the end of "
                    "the period"),
        denominator=_("people in care (active records) at the end of the period"),
        source=_("Care and safety: care register and visit logs"), compute=care_visit_compliance, period=STOCK,
        targets=Targets(F(90, 100), F(95, 100), F(1)), thresholds=Thresholds(F(90, 100), F(75, 100)),
        references="001 §3.1; 004",
    ),
    Indicator(
        code="hazard_closure_rate", app="safety", label=_("Hazards closed on time"),
        formula=_("hazards closed by their deadline ÷ hazards due"),
        numerator=_("hazards due in the period that were closed after re-inspection by their deadline"),
        denominator=_("hazards whose rectification deadline fell in the period"),
        source=_("Care and safety: hazard register"), compute=hazard_closure_rate,
        targets=Targets(F(90, 100), F(95, 100), F(1)), thresholds=Thresholds(F(90, 100), F(70, 100)),
        references="000 §4.5.1",
    ),
    Indicator(
        code="mediation_success_rate", app="safety", label=_("Mediation success rate"),
        formula=_("mediations ending in an agreement ÷ mediations ended"),
        numerator=_("mediation cases that ended in an agreement in the period"),
        denominator=_("mediation cases that ended in the period (agreement, referral or no agreement)"),
        source=_("Care and safety: mediation cases"), compute=mediation_success_rate,
        targets=Targets(F(80, 100), F(90, 100), F(90, 100)), thresholds=Thresholds(F(80, 100), F(65, 100)),
        references="003 §3.3, §3.4; 000 §4.5.3",
    ),
]
