"""Rota coverage and event participation as the insight engine reads them (hand-computed cases)."""

import datetime as dt

from django.utils import timezone

from courtyard.core.indicators import Period, Scope
from courtyard.participation.choices import SignupState
from courtyard.participation.indicators import event_participation, rota_coverage
from courtyard.participation.models import Event, Rota, Shift, Signup

from .factories import world


def _scope(tree) -> Scope:
    return Scope("unit", tree.unit.pk, tree.unit.name, tree.community_a.path, unit_id=tree.unit.pk)


def test_rota_coverage_counts_days_with_someone_on_duty(tree):
    w = world(tree)
    last_month = Period.containing(timezone.localdate()).previous()
    Rota.objects.filter(pk=w.rota.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    first = last_month.start
    for offset, person in [(0, tree.person1), (0, tree.person2), (3, tree.person1), (9, tree.person2)]:
        Shift.objects.create(rota=w.rota, day=first + dt.timedelta(days=offset), person=person)
    # Three distinct days covered (two people on day one count once) out of every day of the month.
    assert rota_coverage(_scope(tree), last_month) == (3, last_month.days)
    # A rota set up in the middle of the month owes only the days since.
    Rota.objects.filter(pk=w.rota.pk).update(
        created_at=dt.datetime.combine(first + dt.timedelta(days=5), dt.time(12), tzinfo=timezone.get_default_timezone()))
    assert rota_coverage(_scope(tree), last_month) == (1, last_month.days - 5)


def test_event_participation_is_places_attended_over_places_taken(tree):
    now = timezone.now()
    event = Event.objects.create(unit=tree.unit, community=tree.community_a, title="重阳茶话会", venue="院坝",
                                 capacity=10, starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1))
    for person, state in [(tree.person1, SignupState.ATTENDED), (tree.person2, SignupState.ATTENDED),
                          (tree.person3, SignupState.REGISTERED), (tree.person4, SignupState.CANCELLED)]:
        Signup.objects.create(event=event, person=person, state=state)
    period = Period.containing(timezone.localdate(now - dt.timedelta(hours=1)))
    assert event_participation(_scope(tree), period) == (2, 3)  # the cancelled place is not counted
