"""demo_data: counts, determinism, the 学道苑 figures, place-tree consistency and one working login per role."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count

from courtyard.core import pii
from courtyard.core.access import ROLES
from courtyard.core.models import AuditEvent, User
from courtyard.org import models as m
from courtyard.org.demo import names
from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.demo.plan import plan


def fingerprint(batches) -> str:
    h = hashlib.sha256()
    for batch in batches:
        for p in batch.rows[m.Person]:
            h.update(f"{p.name}|{p.gender}|{p.birth_year}|{p.residence_status};".encode())
        for d in batch.rows[m.Dwelling]:
            h.update(f"{d.number}|{d.area_m2}|{d.area_source}|{d.occupancy};".encode())
    return h.hexdigest()


def test_plan_is_deterministic_without_a_database():
    assert fingerprint(plan("small", 3)) == fingerprint(plan("small", 3))
    assert fingerprint(plan("small", 3)) != fingerprint(plan("small", 4))
    phones = [p.phone for b in plan("small", 3) for p in b.rows[m.Person]]
    assert phones == [p.phone for b in plan("small", 3) for p in b.rows[m.Person]]


def test_generated_identity_numbers_are_valid():
    import random

    rng = random.Random(1)
    used: set[str] = set()
    for _ in range(200):
        assert pii.normalize_phone(names.phone_number(rng, used))
        assert pii.normalize_id_number(names.id_number(rng, 1950, "F", local=True))


SEED = 1


@pytest.mark.django_db
def test_demo_data_small():
    """One load checked from every side, by org and by the apps whose seeds it reproduces; loading
    is the slow part (about a minute on a loaded CI machine), so it happens once."""
    from courtyard.projects.tests.test_demo import check_demo_reproduces_the_seed_figures
    from courtyard.servicedesk.tests.test_demo_budget import check_demo_prints_the_open311_key_and_fills_every_state

    out = StringIO()
    call_command("demo_data", "--scale", "small", "--seed", str(SEED), stdout=out)
    demo = out.getvalue()
    check_counts_and_output(demo)
    check_xuedaoyuan_figures()
    check_place_tree_and_denormalised_fields()
    check_every_role_has_a_working_demo_login()
    check_demo_reproduces_the_seed_figures()
    check_demo_prints_the_open311_key_and_fills_every_state(demo)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("demo_data", "--scale", "small", "--seed", str(SEED), stdout=StringIO())


def check_counts_and_output(demo):
    assert "Demo community ready:" in demo
    assert DEMO_PASSWORD in demo
    expected = fingerprint(plan("small", SEED))
    # Same generation order → same rows in primary-key order.
    h = hashlib.sha256()
    for p in m.Person.objects.order_by("pk"):
        h.update(f"{p.name}|{p.gender}|{p.birth_year}|{p.residence_status};".encode())
    for d in m.Dwelling.objects.order_by("pk"):
        h.update(f"{d.number}|{d.area_m2}|{d.area_source}|{d.occupancy};".encode())
    assert h.hexdigest() == expected
    assert m.Courtyard.objects.count() == 5
    assert AuditEvent.objects.filter(action="org.demo_data.load", channel="system").count() == 1
    assert m.Person.objects.exclude(phone_hash="").count() > 500
    person = m.Person.objects.exclude(phone_hash="").exclude(user__isnull=False).first()
    assert pii.blind_index("phone", person.phone) == person.phone_hash  # plain phone encrypted, index matches
    assert m.SensitiveRecord.objects.filter(basis_note="").count() == 0


def check_xuedaoyuan_figures():
    unit = m.SelfGovernanceUnit.objects.get(slug="xuedaoyuan")
    assert sorted(unit.courtyards.values_list("name", flat=True)) == ["东南里7号", "拱背桥25号1栋", "拱背桥25号2栋"]
    assert m.Dwelling.objects.filter(unit=unit).count() == 139
    assert m.Place.objects.filter(kind="building", courtyard__unit=unit).count() == 10
    assert m.Person.objects.filter(unit=unit).count() == 403
    sizes = dict(m.BodyMembership.objects.filter(body__unit=unit).values_list("body__kind").annotate(n=Count("id")))
    assert sizes["committee"] == 7 and sizes["supervisory_board"] == 3
    assert unit.bodies.filter(kind="functional_group").count() == 3
    committee = set(unit.bodies.get(kind="committee").memberships.values_list("person", flat=True))
    group_members = set(m.PartyMember.objects.filter(org__unit=unit).values_list("person", flat=True))
    assert len(committee & group_members) >= 2  # cross-appointment
    grid8 = m.Place.objects.get(kind="grid", name="第8网格")
    assert m.Dwelling.objects.filter(unit=unit, path__startswith=grid8.path).count() == 139


def check_place_tree_and_denormalised_fields():
    places = {p.pk: p for p in m.Place.objects.all()}
    for p in places.values():
        expected = (places[p.parent_id].path if p.parent_id else "") + f"{p.pk}."
        assert p.path == expected
        assert p.depth == (places[p.parent_id].depth + 1 if p.parent_id else 0)
        if p.kind == "community":
            assert p.community_id == p.pk
        elif p.depth > 2:
            assert p.community_id == places[p.parent_id].community_id or places[p.parent_id].pk == p.community_id
    for d in m.Dwelling.objects.select_related("entrance", "courtyard"):
        assert d.path == d.entrance.path
        assert d.building_id == d.entrance.parent_id
        assert d.courtyard_id == places[d.building_id].courtyard_id
        assert d.unit_id == d.courtyard.unit_id
    for p in m.Person.objects.select_related("home", "community"):
        assert p.path == (p.home.path if p.home_id else p.community.path)
        assert p.unit_id == (p.home.unit_id if p.home_id else None)
    for mg in m.Place.objects.filter(kind="microgrid"):
        n = m.Dwelling.objects.filter(path__startswith=mg.path).count()
        assert 30 <= n <= 100 or n == m.Dwelling.objects.count(), (mg.name, n)


def check_every_role_has_a_working_demo_login():
    granted = set(m.RoleGrant.objects.values_list("role", flat=True))
    assert granted == set(ROLES)
    for grant in m.RoleGrant.objects.select_related("user"):
        user = authenticate(phone=grant.user.phone, password=DEMO_PASSWORD)
        assert user == grant.user
    resident = User.objects.get_by_phone("13800000001")
    assert resident.elderly_mode and resident.person.unit.slug == "xuedaoyuan"
    assert resident.person.links.filter(relation="owner").exists()
    tenant = User.objects.get_by_phone("13800000002")
    assert tenant.person.links.filter(relation="tenant").exists()
    assert authenticate(phone="13800000001", password=DEMO_PASSWORD) == resident

