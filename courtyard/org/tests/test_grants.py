"""Granting roles through org's service and console (issue 8 item 2): the kernel's grant rule holds
where the write happens, the console offers only what may be granted, refusals say why, and IT
bootstraps the first platform administrator with a command audited as the system actor."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from courtyard.core.access import ROLES, UNIT, current_grants, perms_over
from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent, User
from courtyard.org import services
from courtyard.org.forms import GrantForm
from courtyard.org.models import RoleGrant

from . import factories

pytestmark = pytest.mark.django_db

SEEDS = [(code, kind) for code, role in sorted(ROLES.items()) for kind in role.scopes]


def _kw(scope):
    return {"unit": scope} if scope.__class__.__name__ == "SelfGovernanceUnit" else {"place": scope}


def _target_path(scope):
    return (scope.community.path, scope.pk) if scope.__class__.__name__ == "SelfGovernanceUnit" else (scope.path, None)


@pytest.mark.parametrize(("role", "kind"), SEEDS, ids=[f"{r}@{k}" for r, k in SEEDS])
def test_every_grant_through_the_service_stays_within_the_granter(module_tree, db, role, kind):
    """Generated: a holder of `role` on a `kind` node grants every role on that node, to themselves
    (always refused, nothing written) and to someone else (allowed only when it adds no permission)."""
    t = module_tree
    scope = factories.scope_node(t, kind)
    granter = factories.make_user(role, scope)
    other = factories.make_user()
    path, unit_id = _target_path(scope)
    mine = perms_over(current_grants(granter), path, unit_id)
    for code, definition in ROLES.items():
        if (UNIT if unit_id else scope.kind) not in definition.scopes:
            continue
        with pytest.raises((PermissionDenied, ValidationError)):
            services.grant_role(by=Actor(user=granter), user=granter, role=code, **_kw(scope))
        try:
            services.grant_role(by=Actor(user=granter), user=other, role=code, **_kw(scope))
        except (PermissionDenied, ValidationError):
            continue
        assert definition.perms <= mine, (role, kind, code)
        if definition.top_level or kind == "district":
            assert ROLES[role].administers and kind == "district", (role, kind, code)
    assert not RoleGrant.objects.filter(user=granter).exclude(granted_by__isnull=True).exists()
    assert set(RoleGrant.objects.filter(user=granter).values_list("role", flat=True)) == {role}


def test_secretary_cannot_grant_themselves_finance_on_the_console(tree, login):
    secretary = factories.make_user("party_secretary", tree.community_a)
    c = login(secretary)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = c.get("/console/roles/new/").content.decode()
    assert 'value="finance_officer"' not in form and 'value="committee_member"' not in form
    assert 'value="grid_worker"' in form
    r = c.post("/console/roles/new/", {"phone": secretary.phone, "role": "grid_worker", "place": tree.grid1.pk})
    assert r.status_code == 403 and "Nobody can grant a role to themselves" in r.content.decode()
    r = c.post("/console/roles/new/", {"phone": secretary.phone, "role": "finance_officer",
                                       "place": tree.community_a.pk})
    assert r.status_code in (400, 403)
    assert set(RoleGrant.objects.filter(user=secretary).values_list("role", flat=True)) == {"party_secretary"}


def test_refusal_is_in_chinese_for_a_chinese_user(tree, login):
    secretary = factories.make_user("party_secretary", tree.community_a)
    c = login(secretary)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    r = c.post("/console/roles/new/", {"phone": secretary.phone, "role": "grid_worker", "place": tree.grid1.pk})
    assert r.status_code == 403 and "不能给自己授予角色" in r.content.decode()


def test_console_offers_what_the_rule_allows(tree):
    staff = factories.make_user("community_staff", tree.community_a)
    form = GrantForm(user=staff)
    offered = {c for c, _label in form.fields["role"].choices}
    assert {"grid_worker", "building_head", "digital_helper"} <= offered
    assert not offered & {"platform_admin", "finance_officer", "committee_member", "works_supervisor"}
    assert not form.fields["place"].queryset.filter(kind="district").exists()
    admin = factories.make_user("platform_admin", tree.district)
    assert {c for c, _label in GrantForm(user=admin).fields["role"].choices} == set(ROLES)
    assert not {c for c, _l in GrantForm(user=factories.make_superuser()).fields["role"].choices}


def test_platform_admin_grants_the_offices_but_holds_none(tree):
    admin = factories.make_user("platform_admin", tree.district)
    finance = factories.make_user()
    services.grant_role(by=Actor(user=admin), user=finance, role="finance_officer", place=tree.community_a)
    with pytest.raises(PermissionDenied):
        services.grant_role(by=Actor(user=admin), user=admin, role="finance_officer", place=tree.community_a)
    other_admin = factories.make_user("platform_admin", tree.other_district)
    with pytest.raises(PermissionDenied):  # outside their district
        services.grant_role(by=Actor(user=other_admin), user=finance, role="platform_admin", place=tree.district)


def test_ending_a_grant_needs_the_same_authority(tree):
    staff = factories.make_user("community_staff", tree.community_a)
    member = factories.make_user("committee_member", tree.unit)
    grant = RoleGrant.objects.get(user=member)
    with pytest.raises(PermissionDenied):
        services.revoke_role(by=Actor(user=staff), grant=grant)
    worker = factories.make_user("grid_worker", tree.grid1)
    services.revoke_role(by=Actor(user=staff), grant=RoleGrant.objects.get(user=worker))


def test_bootstrap_command_creates_the_first_platform_admin(tree, monkeypatch):
    monkeypatch.setenv("CY_ADMIN_PW", "a-long-passphrase-1")
    call_command("create_platform_admin", "13911112222", "--name", "王工", "--district", str(tree.district.pk),
                 "--password-env", "CY_ADMIN_PW")
    user = User.objects.get_by_phone("13911112222")
    assert user.check_password("a-long-passphrase-1")
    grant = RoleGrant.objects.get(user=user)
    assert grant.role == "platform_admin" and grant.place == tree.district and grant.granted_by is None
    events = AuditEvent.objects.filter(action__in=["org.role.grant", "org.platform_admin.bootstrap"],
                                       object_id=str(grant.pk))
    assert events.count() == 2 and all(e.actor_id is None and e.actor_label == "system" for e in events)
    assert all(e.community_id == tree.district.pk for e in events)
    with pytest.raises(CommandError, match="already has a platform administrator"):
        call_command("create_platform_admin", "13911113333", "--district", str(tree.district.pk),
                     "--password-env", "CY_ADMIN_PW")
