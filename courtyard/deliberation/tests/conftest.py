from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.org import services as org_services
from courtyard.org.tests import factories as f


@pytest.fixture
def world(tree, make_user):
    """The tree's unit (4 dwellings) with: dwelling1 owned by person1 and co-owned by `co`; `buyer` owns
    dwelling2 and the first dwelling of entrance2; the last dwelling is the developer's, unsold."""
    sys = Actor.system()
    d1, d2, d3, d4 = tree.dwellings_unit
    co = f.person(tree.community_a, "陈co", home=d1, relation="co_owner")
    buyer = f.person(tree.community_a, "赵buyer", home=d2, relation="owner")
    org_services.link_person(by=sys, person=buyer, dwelling=d3, relation="owner")
    org_services.update_dwelling(by=sys, dwelling=d4, developer_unsold=True)
    w = SimpleNamespace(t=tree, co=co, buyer=buyer, d=[d1, d2, d3, d4])
    w.staff = make_user("community_staff", tree.community_a)
    w.staff2 = make_user("community_staff", tree.community_a)
    w.helper = make_user("digital_helper", tree.grid1)
    w.owner_user = make_user(person=tree.person1)
    w.co_user = make_user(person=co)
    w.buyer_user = make_user(person=buyer)
    return w


@pytest.fixture
def open_vote(world):
    now = timezone.now()
    v = services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="加装电梯", rule="art278_major",
                             opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7))
    return services.open_vote(by=Actor(user=world.staff), vote=v)
