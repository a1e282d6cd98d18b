"""Idle-space use (INS-1, seed 003 §3.4) as the insight engine reads it: idle spaces put to use ÷
idle spaces identified, from participation's idle-space claims — hand-computed cases and a property
test against the definition."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.core.indicators import GREEN, RED, YEAR1, YEAR5, YEARS2_3, YELLOW, Period, Scope, catalogue
from courtyard.participation import services
from courtyard.participation.choices import WishKind, WishState
from courtyard.participation.indicators import idle_space_use
from courtyard.participation.models import Wish

from .factories import actor, world


def _unit(tree) -> Scope:
    return Scope("unit", tree.unit.pk, tree.unit.name, tree.community_a.path, unit_id=tree.unit.pk)


def _space(tree, state: str, *, posted: dt.datetime, done: dt.datetime | None = None, kind=WishKind.IDLE_SPACE):
    return Wish.objects.create(unit=tree.unit, kind=kind, title="闲置车棚", posted_by=tree.person1, state=state,
                               created_at=posted, done_at=done)


def test_spaces_put_to_use_over_spaces_identified(tree):
    month = Period.containing(timezone.localdate()).previous()
    start, end = month.bounds()
    before, inside = start - dt.timedelta(days=40), start + dt.timedelta(days=3)
    _space(tree, WishState.THANKED, posted=before, done=inside)  # in use, thanked
    _space(tree, WishState.DONE, posted=before, done=before + dt.timedelta(days=5))  # in use, no thanks yet
    _space(tree, WishState.CLAIMED, posted=inside)  # claimed, not yet in use
    _space(tree, WishState.POSTED, posted=before)  # nobody has claimed it
    _space(tree, WishState.WITHDRAWN, posted=before)  # withdrawn: no longer an idle space to count
    _space(tree, WishState.DONE, posted=inside, done=end + dt.timedelta(hours=1))  # put to use after the month
    _space(tree, WishState.POSTED, posted=end + dt.timedelta(days=1))  # identified after the month
    _space(tree, WishState.THANKED, posted=before, done=inside, kind=WishKind.SMALL_WISH)  # not a space
    # Identified by the end of the month and not withdrawn: 5; of those in use by then: 2.
    assert idle_space_use(_unit(tree), month) == (2, 5)
    # The previous month: the spaces posted 40 days before the month began (4, one withdrawn → 3),
    # one of them put to use five days after posting.
    assert idle_space_use(_unit(tree), month.previous()) == (1, 3)
    community = Scope("community", tree.community_a.pk, "", tree.community_a.path)
    assert idle_space_use(community, month) == (2, 5)
    assert idle_space_use(Scope("community", tree.community_b.pk, "", tree.community_b.path), month) == (0, 0)
    reading = catalogue()["idle_space_use"].reading(_unit(tree), month)
    assert reading.value == Fraction(2, 5) and reading.as_dict()["value"] == "0.4000"


def test_two_queries_whatever_the_number_of_spaces(tree, django_assert_num_queries):
    month = Period.containing(timezone.localdate()).previous()
    start, _end = month.bounds()
    for n in (1, 12):
        for _ in range(n):
            _space(tree, WishState.THANKED, posted=start, done=start + dt.timedelta(days=1))
        with django_assert_num_queries(2):
            idle_space_use(_unit(tree), month)


def test_the_claim_services_move_the_indicator(tree):
    w = world(tree)
    today = Period.containing(timezone.localdate())
    wish = services.post_wish(by=actor(w.resident), title="3号楼屋顶平台", kind=WishKind.IDLE_SPACE)
    assert idle_space_use(_unit(tree), today) == (0, 1)
    services.claim_wish(by=actor(w.neighbour), wish=wish)
    assert idle_space_use(_unit(tree), today) == (0, 1)
    services.report_done(by=actor(w.neighbour), wish=Wish.objects.get(pk=wish.pk), note="改成了共享菜园")
    assert idle_space_use(_unit(tree), today) == (1, 1)


def test_staged_targets_colour_the_reading(tree):
    """Seed 003 §3.2/§3.4: 70 % from the second year on; the first year has no target of its own, so
    the fixed thresholds (yellow below 70 %, red below 50 %) colour it."""
    ind = catalogue()["idle_space_use"]
    assert (ind.targets.year1, ind.targets.years2_3, ind.targets.year5) == (None, Fraction(7, 10), Fraction(7, 10))
    from courtyard.core.indicators import Reading

    assert Reading(ind, 7, 10, YEARS2_3).colour == GREEN
    assert Reading(ind, 69, 100, YEAR5).colour == YELLOW
    assert Reading(ind, 1, 2, YEAR5).colour == YELLOW  # 50 %: the band is 20 points below the target
    assert Reading(ind, 49, 100, YEAR5).colour == RED
    assert Reading(ind, 49, 100, YEAR1).colour == RED


_STATES = st.sampled_from([WishState.POSTED, WishState.CLAIMED, WishState.DONE, WishState.THANKED,
                           WishState.WITHDRAWN])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_STATES, st.integers(min_value=-60, max_value=60), st.integers(min_value=0, max_value=60),
                          st.booleans()), max_size=8))
def test_property_matches_the_definition(tree, rows):
    """For any set of claims: the numerator counts exactly the idle spaces posted before the end of the
    month, not withdrawn, done before its end; the denominator those posted before its end, not
    withdrawn; and numerator ≤ denominator."""
    month = Period.containing(timezone.localdate()).previous()
    start, end = month.bounds()
    with transaction.atomic():
        expected_num = expected_den = 0
        for state, posted_day, done_after, idle in rows:
            posted = start + dt.timedelta(days=posted_day)
            done = posted + dt.timedelta(days=done_after) if state in (WishState.DONE, WishState.THANKED) else None
            _space(tree, state, posted=posted, done=done, kind=WishKind.IDLE_SPACE if idle else WishKind.GREEN_PLANT)
            if idle and posted < end and state != WishState.WITHDRAWN:
                expected_den += 1
                expected_num += done is not None and done < end
        num, den = idle_space_use(_unit(tree), month)
        transaction.set_rollback(True)
    assert (num, den) == (expected_num, expected_den)
    assert 0 <= num <= den
