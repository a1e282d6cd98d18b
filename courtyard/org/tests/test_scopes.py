"""scope_q / in_scope / visible_to: which rows a grant reaches (ORG-6)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db.models import Q
from django.utils import timezone

from courtyard.core.access.scopes import NOTHING, GrantScope, _minimal_paths, current_grants, in_scope, scope_q
from courtyard.core.models import AuditEvent
from courtyard.org import access
from courtyard.org.models import Dwelling, PartnerUnit, Person, Place, RoleGrant

from . import factories

pytestmark = pytest.mark.django_db


def fake_user(*grants: GrantScope, superuser: bool = False):
    """A user whose current grants are given directly (scopes.current_grants reads this cache first)."""
    return SimpleNamespace(is_authenticated=True, is_superuser=superuser, _courtyard_grants=list(grants))


def obj(path: str, unit_id: int | None = None, unitless: bool = False):
    cls = type("Unitless" if unitless else "Scoped", (), {"scope_lookups": {"path": "path", "unit": None if unitless else "unit"}})
    o = cls()
    o.scope_path, o.scope_unit_id = path, unit_id
    return o


# ---------------------------------------------------------------- prefix safety
def test_minimal_paths_keeps_siblings_that_share_a_digit_prefix():
    assert _minimal_paths({"1.12.", "1.123."}) == ["1.12.", "1.123."]
    assert _minimal_paths({"1.12.", "1.12.5.", "1."}) == ["1."]


def test_in_scope_is_prefix_safe():
    user = fake_user(GrantScope("grid_worker", "1.12.", None))
    assert in_scope(user, access.VIEW_DWELLING, obj("1.12."))
    assert in_scope(user, access.VIEW_DWELLING, obj("1.12.7.40."))
    assert not in_scope(user, access.VIEW_DWELLING, obj("1.123."))
    assert not in_scope(user, access.VIEW_DWELLING, obj("1.123.7."))
    assert not in_scope(user, access.VIEW_DWELLING, obj("1."))  # an ancestor is not inside


def test_scope_q_is_prefix_safe(tree):
    """Rows whose paths are "…12." and "…123.": a grant on the first must not reach the second."""
    a, b, c = tree.dwelling1, tree.dwelling_g1, tree.dwelling_g2
    Dwelling.objects.filter(pk=a.pk).update(path="9.12.")
    Dwelling.objects.filter(pk=b.pk).update(path="9.12.5.")
    Dwelling.objects.filter(pk=c.pk).update(path="9.123.")
    user = fake_user(GrantScope("grid_worker", "9.12.", None))
    q = scope_q(user, access.VIEW_DWELLING, path="path", unit="unit")
    assert set(Dwelling.objects.filter(q).values_list("pk", flat=True)) == {a.pk, b.pk}


def test_real_paths_do_not_leak_between_siblings(tree):
    """In the built tree, every grid's visible dwellings are exactly those under it."""
    for grid, expected in ((tree.grid1, tree.dwellings_g1), (tree.grid2, tree.dwellings_g2)):
        user = factories.make_user("grid_worker", grid)
        assert set(Dwelling.objects.visible_to(user)) == set(expected)


# ---------------------------------------------------------------- perms and grants in force
def test_no_grant_or_no_perm_sees_nothing(tree):
    assert scope_q(fake_user(), access.VIEW_DWELLING, path="path", unit="unit") == NOTHING
    head = fake_user(GrantScope("building_head", tree.building1.path, None))
    assert scope_q(head, access.REVEAL_PII, path="path", unit="unit") == NOTHING
    assert not in_scope(head, access.REVEAL_PII, tree.person1)
    assert in_scope(head, access.VIEW_PERSON, tree.person1)


def test_unknown_role_codes_are_ignored(tree):
    user = fake_user(GrantScope("retired_role", tree.district.path, None))
    assert not Dwelling.objects.visible_to(user).exists()
    assert not in_scope(user, access.VIEW_DWELLING, tree.dwelling1)


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert current_grants(AnonymousUser()) == []
    assert not Dwelling.objects.visible_to(AnonymousUser()).exists()
    assert not in_scope(AnonymousUser(), access.VIEW_DWELLING, tree.dwelling1)


def test_expired_grants_are_ignored(tree):
    user = factories.make_user()
    today = timezone.localdate()
    factories.grant_role(user, "community_staff", tree.community_a, start_date=today - dt.timedelta(days=400),
                         end_date=today - dt.timedelta(days=1))
    assert current_grants(user) == []
    assert not Dwelling.objects.visible_to(user).exists()
    assert not user.has_perm(access.VIEW_DWELLING)


def test_future_grants_are_ignored(tree):
    user = factories.make_user()
    factories.grant_role(user, "community_staff", tree.community_a, start_date=timezone.localdate() + dt.timedelta(days=1))
    assert current_grants(user) == []
    assert not Dwelling.objects.visible_to(user).exists()


def test_grants_ending_or_starting_today_are_in_force(tree):
    import django.utils.timezone as tz

    today = tz.localdate()
    user = factories.make_user()
    factories.grant_role(user, "grid_worker", tree.grid1, start_date=today, end_date=today)
    assert set(Dwelling.objects.visible_to(user)) == set(tree.dwellings_g1)


def test_revoked_grant_stops_at_the_end_date(tree):
    from courtyard.core.audit import Actor
    from courtyard.org import services

    user = factories.make_user()
    today = timezone.localdate()
    grant = factories.grant_role(user, "grid_worker", tree.grid1, start_date=today - dt.timedelta(days=300))
    services.revoke_role(by=Actor.system(), grant=grant, end_date=today - dt.timedelta(days=100))
    user.__dict__.pop("_courtyard_grants", None)
    assert not Dwelling.objects.visible_to(user).exists()


def test_several_grants_add_up(tree):
    user = factories.make_user("grid_worker", tree.grid2)
    factories.grant_role(user, "building_head", tree.building1)
    assert set(Dwelling.objects.visible_to(user)) == set(tree.dwellings_g2) | set(tree.dwellings_unit)
    # …but a permission only the grid role carries reaches only the grid.
    assert set(Person.objects.visible_to(user, access.REVEAL_PII)) == {tree.person4}


# ---------------------------------------------------------------- superuser
def test_superuser_sees_all(tree):
    su = factories.make_superuser()
    assert scope_q(su, access.VIEW_DWELLING, path="path", unit="unit") == Q()
    assert Dwelling.objects.visible_to(su).count() == Dwelling.objects.count()
    assert in_scope(su, access.REVEAL_PII, tree.person_c)
    assert su.has_perm(access.MANAGE_ROLES, tree.community_c)


# ---------------------------------------------------------------- self-governance units
def test_unit_grant_reaches_the_units_rows(tree):
    member = factories.make_user("committee_member", tree.unit)
    assert set(Dwelling.objects.visible_to(member)) == set(tree.dwellings_unit)
    assert set(Person.objects.visible_to(member)) == {tree.person1, tree.person2}
    assert set(Place.objects.visible_to(member)) == {tree.building1}
    assert in_scope(member, access.VIEW_DWELLING, tree.dwelling1)
    assert not in_scope(member, access.VIEW_DWELLING, tree.dwelling_g1)  # same community, not the unit
    assert not in_scope(member, access.VIEW_PERSON, tree.person_nohome)  # unit-less person of the community


def test_unit_grant_reaches_community_rows_of_unitless_models(tree):
    other_partner = PartnerUnit.objects.create(community=tree.community_b, kind="merchant", name="东风商户")
    member = factories.make_user("committee_member", tree.unit)  # carries VIEW_ORGS
    assert set(PartnerUnit.objects.visible_to(member)) == {tree.partner}
    assert in_scope(member, access.VIEW_ORGS, tree.partner)
    assert not in_scope(member, access.VIEW_ORGS, other_partner)

    board = factories.make_user("supervisory_member", tree.unit)  # carries VIEW_AUDIT; audit rows have no unit
    events = AuditEvent.objects.visible_to(board)
    assert events.filter(community=tree.community_a).exists()
    assert not events.exclude(community=tree.community_a).exists()


def test_unit_grant_with_fake_objects():
    user = fake_user(GrantScope("committee_member", "1.2.3.", 7))
    assert in_scope(user, access.VIEW_DWELLING, obj("1.2.3.9.", unit_id=7))
    assert not in_scope(user, access.VIEW_DWELLING, obj("1.2.3.9.", unit_id=8))
    assert not in_scope(user, access.VIEW_DWELLING, obj("1.2.3.9.", unit_id=None))
    assert in_scope(user, access.VIEW_ORGS, obj("1.2.3.", unitless=True))
    assert not in_scope(user, access.VIEW_ORGS, obj("1.2.30.", unitless=True))


def test_role_grants_are_scoped_objects(tree):
    staff = factories.make_user("community_staff", tree.community_a)
    member = factories.make_user("committee_member", tree.unit)
    mine = member.grants.get()
    assert in_scope(staff, access.VIEW_GRANTS, mine)
    assert not in_scope(staff, access.VIEW_GRANTS, tree.grant_c)
    assert set(RoleGrant.objects.visible_to(member)) == {mine}
    assert staff.has_perm(access.VIEW_GRANTS, mine) and not staff.has_perm(access.VIEW_GRANTS, tree.grant_c)


def test_grants_are_loaded_once_per_user_object(tree, django_assert_num_queries):
    user = factories.make_user("grid_worker", tree.grid1)
    current_grants(user)
    with django_assert_num_queries(0):
        for _ in range(5):
            current_grants(user)
            in_scope(user, access.VIEW_DWELLING, tree.dwelling1)
