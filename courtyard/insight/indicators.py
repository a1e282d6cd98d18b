"""Insight's own indicator: the participation rate (INS-6) — households that took part in anything
÷ all households. What counts as taking part is contributed by every app as `ACTS` in its own
`indicators.py` (a ballot, a topic, a request, an event…), so a new app adds its acts without
touching this file. Households, not people: two people of one home who both voted count once."""

from __future__ import annotations

from fractions import Fraction as F
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import Indicator, Period, Scope, Targets, Thresholds, acts
from courtyard.org.choices import Occupancy
from courtyard.org.models import Dwelling, Person


def households(scope: Scope):
    """The households of a scope: dwellings that are lived in (not vacant, not unsold by the developer)."""
    return Dwelling.objects.filter(**scope.lookup()).exclude(occupancy=Occupancy.VACANT).exclude(developer_unsold=True)


def participation_rate(scope: Scope, period: Period) -> tuple[int, int]:
    parts = [Q(pk__in=act.people(scope, period)) for act in acts()]
    homes = households(scope)
    den = homes.count()
    if not parts or not den:
        return 0, den
    took_part = Person.objects.filter(reduce(or_, parts), home__isnull=False).values("home_id")
    return homes.filter(pk__in=took_part).count(), den


INDICATORS = [
    Indicator(
        code="participation_rate", app="insight", label=_("Participation rate"),
        formula=_("households that took part ÷ all households"),
        numerator=_("households at least one of whose residents took part in the period in any of the ways the "
                    "apps record (listed below), each household once"),
        denominator=_("households: dwellings lived in (not vacant, not unsold by the developer)"),
        source=_("The register of dwellings and people; the acts every app records"), compute=participation_rate,
        targets=Targets(None, F(40, 100), F(60, 100)), thresholds=Thresholds(F(40, 100), F(28, 100)),
        references="003 §2.4, §3.3, §3.4, §8.2",
    ),
]
