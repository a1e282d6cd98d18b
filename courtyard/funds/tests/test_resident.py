"""Resident pages: my levy shows only the resident's own household; the ledger tile finds their unit;
the resident tiles are registered."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.funds import services
from courtyard.funds.models import LevyCharge
from courtyard.org.tests import factories as org
from courtyard.web.registry import resident_tiles

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db


@pytest.fixture
def levy_world(tree):
    people = signers(tree)
    acc = account(tree, people, funded=0)
    levy = services.create_levy(by=actor(people["finance"]), account=acc, name="加装电梯归集", rate_fen_per_m2=500)
    mine = org.make_user(person=org.person(tree.community_a, "李桂兰", home=tree.dwelling1))
    theirs = org.make_user(person=org.person(tree.community_a, "王建国", home=tree.dwelling2))
    for d, receipt in ((tree.dwelling1, "SJ-MINE-1"), (tree.dwelling2, "SJ-THEIRS-1")):
        services.record_levy_payment(by=actor(people["finance"]), charge=LevyCharge.objects.get(levy=levy, dwelling=d),
                                     amount_fen=100_00, receipt_no=receipt)
    return tree, levy, mine, theirs


def test_my_levy_is_scoped_to_my_household(levy_world):
    tree, levy, mine, _theirs = levy_world
    c = Client()
    c.force_login(mine)
    html = c.get(reverse("funds:my_levy")).content.decode()
    charge = LevyCharge.objects.get(levy=levy, dwelling=tree.dwelling1)
    assert "SJ-MINE-1" in html and "SJ-THEIRS-1" not in html
    assert "加装电梯归集" in html
    from courtyard.funds.money import yuan

    assert yuan(charge.amount_fen - 100_00) in html  # still to pay


def test_without_a_home_nothing_shows(levy_world):
    _tree, _levy, _mine, _theirs = levy_world
    nobody = org.make_user()
    c = Client()
    c.force_login(nobody)
    html = c.get(reverse("funds:my_levy")).content.decode()
    assert "SJ-" not in html and "not linked to a home" in html
    assert c.get(reverse("funds:my_ledger")).status_code == 302  # back home with a message


def test_ledger_tile_goes_to_my_unit(levy_world):
    tree, _levy, mine, _theirs = levy_world
    c = Client()
    c.force_login(mine)
    r = c.get(reverse("funds:my_ledger"))
    assert r.status_code == 302 and r["Location"] == reverse("funds:public_ledger", args=[tree.unit.slug])


def test_resident_tiles_registered():
    names = [t[0] for t in resident_tiles()]
    assert {"funds:my_ledger", "funds:my_levy", "funds:resident_grants"} <= set(names)
    for name in ("funds:my_ledger", "funds:my_levy", "funds:resident_grants"):
        reverse(name)


def test_pages_need_login():
    for name in ("funds:my_levy", "funds:my_ledger", "funds:resident_grants"):
        r = Client().get(reverse(name))
        assert r.status_code == 302 and "/login" in r["Location"]
