"""Renovation projects' indicators (INS-1): the consent rate of household consent campaigns (DLB-10),
and the acts that count a household as taking part — answering a needs survey, giving consent,
commenting on a plan. See courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

from fractions import Fraction as F

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import STOCK, Act, Indicator, Period, Scope, Targets, Thresholds
from courtyard.org.models import Dwelling, Person

from .choices import ConsentAnswer
from .models import Consent, ConsentCampaign, Opinion, Response


def consent_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Σ households that agreed ÷ Σ households asked, over the consent campaigns of the scope that
    had started by the end of the period (consents recorded before its end). A campaign asks every
    dwelling of its unit, the same count its own page shows."""
    _start, end = period.bounds()
    campaigns = list(ConsentCampaign.objects.filter(created_at__lt=end, **scope.lookup("community__path"))
                     .values_list("pk", "unit_id"))
    if not campaigns:
        return 0, 0
    sizes = dict(Dwelling.objects.filter(unit_id__in={u for _pk, u in campaigns}).values("unit_id")
                 .annotate(n=Count("pk")).values_list("unit_id", "n"))
    asked = sum(sizes.get(unit_id, 0) for _pk, unit_id in campaigns)
    agreed = Consent.objects.filter(campaign_id__in=[pk for pk, _u in campaigns], answer=ConsentAnswer.YES,
                                    recorded_at__lt=end).count()
    return agreed, asked


def _people_or_homes(rows, person_field: str, dwelling_field: str):
    """Person ids from rows that name a person, or the residents of the dwelling a row names."""
    named = rows.filter(**{f"{person_field}__isnull": False}).values(person_field)
    homes = rows.filter(**{f"{person_field}__isnull": True, f"{dwelling_field}__isnull": False}).values(dwelling_field)
    return Person.objects.filter(Q(pk__in=named) | Q(home_id__in=homes)).values("pk")


def survey_respondents(scope: Scope, period: Period):
    start, end = period.bounds()
    rows = Response.objects.filter(created_at__gte=start, created_at__lt=end,
                                   **scope.lookup("survey__community__path", "survey__unit_id"))
    return _people_or_homes(rows, "person", "dwelling")


def consenters(scope: Scope, period: Period):
    start, end = period.bounds()
    rows = Consent.objects.filter(recorded_at__gte=start, recorded_at__lt=end,
                                  **scope.lookup("campaign__community__path", "campaign__unit_id"))
    return _people_or_homes(rows, "person", "dwelling")


def plan_commenters(scope: Scope, period: Period):
    start, end = period.bounds()
    return Opinion.objects.filter(created_at__gte=start, created_at__lt=end, author__person__isnull=False,
                                  **scope.lookup("plan__project__community__path", "plan__project__unit_id")
                                  ).values("author__person_id")


INDICATORS = [
    Indicator(
        code="consent_rate", app="projects", label=_("Consent rate"),
        formula=_("households that agreed ÷ households asked"),
        numerator=_("households that agreed in a household consent campaign, recorded by the end of the period"),
        denominator=_("households asked: every dwelling of the units with a consent campaign"),
        source=_("Renovation projects: household consent campaigns"), compute=consent_rate, period=STOCK,
        targets=Targets(F(90, 100), F(95, 100), F(98, 100)), thresholds=Thresholds(F(90, 100), F(80, 100)),
        references="000 abstract, §4.2.1",
    ),
]

ACTS = [
    Act("survey", _("answered a needs survey"), survey_respondents),
    Act("consent", _("gave consent in a campaign"), consenters),
    Act("plan_opinion", _("commented on a renovation plan"), plan_commenters),
]
