"""deliberation's composed rules (issue 8 item 2): `deliberation.cast_for` decides who may cast whose
ballot through which channel, for the view and the service alike; a place grant reaches a unit's
rows through the kernel (no second scoping)."""

from __future__ import annotations

import pytest
import rules as django_rules
from django.core.exceptions import PermissionDenied

from courtyard.core.audit import Actor
from courtyard.deliberation import rules, services
from courtyard.deliberation.models import Ballot, Vote

pytestmark = pytest.mark.django_db


def test_cast_for_matches_the_service(world, open_vote, make_user):
    t = world.t
    outsider_worker = make_user("grid_worker", t.grid2)  # G2 holds no dwelling of the unit
    cases = [
        (world.owner_user, t.person1, "online", True),
        (world.owner_user, world.buyer, "online", False),  # online only for oneself
        (world.staff, t.person1, "paper", True),
        (world.helper, t.person1, "assisted", True),
        (world.helper, t.person1, "paper", False),  # a helper assists, does not key paper ballots
        (outsider_worker, t.person1, "paper", False),
    ]
    for user, voter, channel, ok in cases:
        target = rules.CastFor(open_vote, voter, channel)
        assert django_rules.has_perm("deliberation.cast_for", user, target) is ok, (user, channel)
        before = Ballot.objects.count()
        if ok:
            continue
        with pytest.raises(PermissionDenied):
            services.cast(by=Actor(user=user), vote=open_vote, voter=voter, choice="yes", channel=channel,
                          confirmation="按手印", paper_serial="P-9")
        assert Ballot.objects.count() == before


def test_a_grid_grant_reaches_the_units_in_the_grid(world, open_vote, make_user):
    t = world.t
    inside = make_user("grid_worker", t.grid1)
    outside = make_user("grid_worker", t.grid2)
    assert Vote.objects.visible_to(inside).filter(pk=open_vote.pk).exists()
    assert not Vote.objects.visible_to(outside).filter(pk=open_vote.pk).exists()
    assert rules.allowed(inside, "deliberation.key_ballots", t.unit)
    assert not rules.allowed(outside, "deliberation.key_ballots", t.unit)
    assert Ballot.objects.visible_to(inside).model is Ballot
