"""The service desk's indicators (INS-1): the hotline 三率 — response, resolution and satisfaction
rates — the SLA on-time rate and the dispute resolution rate, plus the act "filed a request" that
counts a household as taking part. Each compute returns (numerator, denominator) for a scope and
a period; see courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

from fractions import Fraction as F

from django.db.models import Count, Q
from django.db.models import F as Col
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import Act, Indicator, Period, Scope, Targets, Thresholds

from .choices import Kind, Level, State
from .models import Rating, Request

SOURCE = _("Service desk: requests, their clocks and the residents' ratings")


def _filed(scope: Scope, period: Period):
    start, end = period.bounds()
    return Request.objects.filter(created_at__gte=start, created_at__lt=end, **scope.lookup()).exclude(
        state=State.MERGED)


def response_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Accepted by the promised time ÷ requests whose acceptance is due or done. A request still
    inside its acceptance window counts for neither side yet; one accepted late counts below only."""
    now = timezone.now()
    agg = _filed(scope, period).filter(accept_due__isnull=False).aggregate(
        den=Count("pk", filter=Q(accepted_at__isnull=False) | Q(accept_due__lt=now)),
        num=Count("pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=Col("accept_due"))),
    )
    return agg["num"], agg["den"]


def _ratings(scope: Scope, period: Period):
    start, end = period.bounds()
    return Rating.objects.filter(at__gte=start, at__lt=end, **scope.lookup("request__path", "request__unit_id"))


def resolution_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Residents who said the problem was fixed ÷ residents who rated, ratings given in the period."""
    agg = _ratings(scope, period).aggregate(den=Count("pk"), num=Count("pk", filter=Q(fixed=True)))
    return agg["num"], agg["den"]


def satisfaction_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Ratings of 4 or 5 stars ÷ all ratings given in the period."""
    agg = _ratings(scope, period).aggregate(den=Count("pk"), num=Count("pk", filter=Q(stars__gte=4)))
    return agg["num"], agg["den"]


def on_time_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Requests resolved in the period by their deadline ÷ requests resolved in the period."""
    start, end = period.bounds()
    agg = Request.objects.filter(resolved_at__gte=start, resolved_at__lt=end, resolve_due__isnull=False,
                                 **scope.lookup()).aggregate(
        den=Count("pk"), num=Count("pk", filter=Q(resolved_at__lte=Col("resolve_due"))))
    return agg["num"], agg["den"]


def dispute_resolution_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Disputes filed in the period and resolved within self-governance (not referred elsewhere, not
    escalated to the subdistrict) ÷ all disputes filed in the period."""
    agg = _filed(scope, period).filter(kind=Kind.DISPUTE).aggregate(
        den=Count("pk"),
        num=Count("pk", filter=Q(resolved_at__isnull=False, escalation__lt=Level.SUBDISTRICT)
                  & ~Q(state=State.REFERRED)),
    )
    return agg["num"], agg["den"]


def filed_requests(scope: Scope, period: Period):
    return _filed(scope, period).filter(reporter__isnull=False).values("reporter_id")


INDICATORS = [
    Indicator(
        code="response_rate", app="servicedesk", label=_("Response rate"),
        formula=_("accepted by the promised time ÷ requests due for acceptance"),
        numerator=_("requests filed in the period and accepted no later than their acceptance deadline"),
        denominator=_("requests filed in the period that were accepted or whose acceptance deadline has passed"),
        source=SOURCE, compute=response_rate,
        targets=Targets(F(90, 100), F(95, 100), F(95, 100)), thresholds=Thresholds(F(90, 100), F(80, 100)),
        references="000 §3.3; 003 §9.1",
    ),
    Indicator(
        code="resolution_rate", app="servicedesk", label=_("Resolution rate"),
        formula=_("rated as fixed ÷ rated"),
        numerator=_("ratings given in the period in which the resident said the problem was fixed"),
        denominator=_("ratings and follow-up answers given in the period"),
        source=SOURCE, compute=resolution_rate,
        targets=Targets(F(80, 100), F(90, 100), F(90, 100)), thresholds=Thresholds(F(80, 100), F(60, 100)),
        references="003 §9.1",
    ),
    Indicator(
        code="satisfaction_rate", app="servicedesk", label=_("Satisfaction rate"),
        formula=_("rated 4 or 5 stars ÷ rated"),
        numerator=_("ratings given in the period with 4 or 5 stars"),
        denominator=_("ratings given in the period"),
        source=SOURCE, compute=satisfaction_rate,
        targets=Targets(F(75, 100), F(90, 100), F(90, 100)), thresholds=Thresholds(F(75, 100), F(60, 100)),
        references="003 §3.3, §3.4",
    ),
    Indicator(
        code="on_time_rate", app="servicedesk", label=_("On-time rate"),
        formula=_("resolved by the deadline ÷ resolved"),
        numerator=_("requests resolved in the period no later than their resolution deadline"),
        denominator=_("requests resolved in the period"),
        source=SOURCE, compute=on_time_rate,
        targets=Targets(F(90, 100), F(95, 100), F(95, 100)), thresholds=Thresholds(F(90, 100), F(75, 100)),
        references="003 §9.1",
    ),
    Indicator(
        code="dispute_resolution_rate", app="servicedesk", label=_("Dispute resolution rate"),
        formula=_("disputes resolved through self-governance ÷ all disputes"),
        numerator=_("disputes filed in the period and resolved without referral or escalation to the subdistrict"),
        denominator=_("disputes filed in the period"),
        source=SOURCE, compute=dispute_resolution_rate,
        targets=Targets(F(80, 100), F(90, 100), F(90, 100)), thresholds=Thresholds(F(80, 100), F(65, 100)),
        references="003 §3.3, §3.4, §8.2",
    ),
]

ACTS = [Act("request", _("filed a request"), filed_requests)]
