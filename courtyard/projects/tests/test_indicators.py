"""The consent rate and the projects' acts as the insight engine reads them (hand-computed cases)."""

from fractions import Fraction

import pytest
from django.utils import timezone

from courtyard.core.indicators import Period, Scope, catalogue
from courtyard.org.models import Dwelling
from courtyard.projects import services
from courtyard.projects.indicators import consent_rate, consenters

from .factories import actor, people


@pytest.fixture
def who(tree):
    return people(tree)


def _scope(tree) -> Scope:
    return Scope("unit", tree.unit.pk, tree.unit.name, tree.community_a.path, unit_id=tree.unit.pk)


def test_consent_rate_is_households_that_agreed_over_every_household_asked(tree, who):
    period = Period.containing(timezone.localdate())
    assert consent_rate(_scope(tree), period) == (0, 0)  # no campaign: nothing to measure
    c = services.create_campaign(by=actor(who.staff), unit=tree.unit, title="意愿征询", target_percent=90)
    homes = list(Dwelling.objects.filter(unit=tree.unit).order_by("pk"))
    services.record_consent(by=actor(who.grid), campaign=c, dwelling=homes[0], answer="yes", channel="door")
    services.record_consent(by=actor(who.grid), campaign=c, dwelling=homes[1], answer="no", channel="door")
    services.record_consent(by=actor(who.grid), campaign=c, dwelling=homes[2], answer="undecided", channel="door")
    assert consent_rate(_scope(tree), period) == (1, len(homes))
    community = Scope("community", tree.community_a.pk, "", tree.community_a.path)
    assert consent_rate(community, period) == (1, len(homes))
    other = Scope("community", tree.community_b.pk, "", tree.community_b.path)
    assert consent_rate(other, period) == (0, 0)
    # Before the campaign started there was nothing to agree to.
    assert consent_rate(_scope(tree), period.previous()) == (0, 0)
    ind = catalogue()["consent_rate"]
    reading = ind.reading(_scope(tree), period)
    assert reading.value == Fraction(1, len(homes))


def test_a_household_that_gave_consent_took_part(tree, who):
    c = services.create_campaign(by=actor(who.staff), unit=tree.unit, title="意愿征询", target_percent=90)
    services.record_consent(by=actor(who.resident), campaign=c, dwelling=tree.dwelling1, answer="yes",
                            channel="online")
    ids = set(consenters(_scope(tree), Period.containing(timezone.localdate())).values_list("pk", flat=True))
    assert tree.person1.pk in ids
