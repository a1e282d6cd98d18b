"""The permission matrix, generated from the ROLES registry (ORG-6).

For every role and every scope kind it may be granted on, the role is granted on a node of
the shared tree and every action is tried: console pages, detail pages for an object inside
and one outside the scope, the API lists and details, and the reveal actions. The expected
status comes from the registry alone:

* the permission the action needs is missing from the role → 403
* the object lies outside the granted scope → 404
* otherwise → 200 (lists then show the inside object and not the outside one)

Which object is inside or outside a scope is decided here from the tree's shape, not by the
code under test. The hand-written cases at the bottom do not use the registry at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from courtyard.core.access import ROLES, UNIT
from courtyard.core.models import AuditEvent
from courtyard.org import access
from courtyard.org.choices import PlaceKind

from . import factories

pytestmark = pytest.mark.django_db

NO_PERM, OUTSIDE, OK = 403, 404, 200


# ---------------------------------------------------------------- objects inside and outside each scope
def inside(t: SimpleNamespace, kind: str, what: str):
    """An object covered by a grant on factories.scope_node(t, kind): everything around dwelling1."""
    return {"dwelling": t.dwelling1, "person": t.person1, "place": t.building1}[what]


def outside(t: SimpleNamespace, kind: str, what: str):
    """An object NOT covered by a grant on factories.scope_node(t, kind)."""
    if what == "grant":
        return t.grant_c  # community C lies in another district
    table = {
        PlaceKind.DISTRICT: (t.dwelling_c, t.person_c, t.building_c),
        PlaceKind.SUBDISTRICT: (t.dwelling_c, t.person_c, t.building_c),
        PlaceKind.COMMUNITY: (t.dwelling_b, t.person_b, t.building_b),
        PlaceKind.GRID: (t.dwelling_g2, t.person4, t.building3),
        PlaceKind.MICROGRID: (t.dwelling_g2, t.person4, t.building3),
        PlaceKind.BUILDING: (t.dwelling_g1, t.person3, t.building2),
        UNIT: (t.dwelling_g1, t.person3, t.building2),  # G1, but another courtyard than the unit's
    }[kind]
    return dict(zip(("dwelling", "person", "place"), table, strict=True))[what]


# ---------------------------------------------------------------- actions
@dataclass(frozen=True)
class Action:
    name: str
    url: str  # may contain {pk}
    perm: str
    obj: str | None = None  # "dwelling", "person", "place", "grant"
    where: str | None = None  # "inside" / "outside" for detail actions
    method: str = "get"
    then_perm: str | None = None  # a second, object-level permission (reveal)
    listing: str | None = None  # a list whose rows are checked: "dwelling", "person", "place", "grant"
    row_url: str | None = None  # how a row shows up in a console list

    def expected(self, perms: frozenset[str]) -> int:
        if self.perm not in perms:
            return NO_PERM
        if self.where == "outside":
            return OUTSIDE
        if self.then_perm and self.then_perm not in perms:
            return NO_PERM
        return OK


PAGES = [
    Action("console_home", "/console/", access.CONSOLE),
    Action("console_places", "/console/places/", access.VIEW_PLACE),
    Action("console_dwellings", "/console/dwellings/", access.VIEW_DWELLING, listing="dwelling",
           row_url="/console/dwellings/{pk}/"),
    Action("console_people", "/console/people/", access.VIEW_PERSON, listing="person", row_url="/console/people/{pk}/"),
    Action("console_organisations", "/console/organisations/", access.VIEW_ORGS),
    Action("console_roles", "/console/roles/", access.VIEW_GRANTS),
    Action("console_role_new", "/console/roles/new/", access.MANAGE_ROLES),
    Action("console_audit", "/console/audit/", access.VIEW_AUDIT),
    Action("console_roster", "/console/roster/", access.IMPORT_ROSTER),
    Action("api_places", "/api/v1/places/?limit=500", access.VIEW_PLACE, listing="place"),
    Action("api_dwellings", "/api/v1/dwellings/?limit=500", access.VIEW_DWELLING, listing="dwelling"),
    Action("api_people", "/api/v1/people/?limit=500", access.VIEW_PERSON, listing="person"),
    Action("api_role_grants", "/api/v1/role-grants/?limit=500", access.VIEW_GRANTS, listing="grant"),
]
DETAILS = []
for where in ("inside", "outside"):
    DETAILS += [
        Action(f"dwelling_detail_{where}", "/console/dwellings/{pk}/", access.VIEW_DWELLING, "dwelling", where),
        Action(f"person_detail_{where}", "/console/people/{pk}/", access.VIEW_PERSON, "person", where),
        Action(f"api_place_{where}", "/api/v1/places/{pk}/", access.VIEW_PLACE, "place", where),
        Action(f"api_dwelling_{where}", "/api/v1/dwellings/{pk}/", access.VIEW_DWELLING, "dwelling", where),
        Action(f"api_person_{where}", "/api/v1/people/{pk}/", access.VIEW_PERSON, "person", where),
        Action(f"api_role_grant_{where}", "/api/v1/role-grants/{pk}/", access.VIEW_GRANTS, "grant", where),
        Action(f"reveal_api_{where}", "/api/v1/people/{pk}/reveal/", access.VIEW_PERSON, "person", where,
               method="post_json", then_perm=access.REVEAL_PII),
        Action(f"reveal_console_{where}", "/console/people/{pk}/reveal/", access.VIEW_PERSON, "person", where,
               method="post_form", then_perm=access.REVEAL_PII),
    ]
ACTIONS = PAGES + DETAILS

COMBOS = [(code, kind) for code, role in ROLES.items() for kind in role.scopes]
CASES = [pytest.param(code, kind, a, id=f"{code}@{kind}-{a.name}") for code, kind in COMBOS for a in ACTIONS]


def test_every_role_and_scope_is_covered():
    assert {code for code, _kind in COMBOS} == set(ROLES)
    assert len(COMBOS) >= len(ROLES)
    assert all(kind in (*PlaceKind.values, UNIT) for _code, kind in COMBOS)


# ---------------------------------------------------------------- running an action
def target(t, user, kind: str, action: Action):
    if action.obj is None:
        return None
    if action.obj == "grant":
        return user.grants.get() if action.where == "inside" else t.grant_c
    return inside(t, kind, action.obj) if action.where == "inside" else outside(t, kind, action.obj)


def perform(client, action: Action, obj):
    url = action.url.format(pk=obj.pk if obj is not None else "")
    if action.method == "post_json":
        return client.post(url, {"field": "phone"}, content_type="application/json")
    if action.method == "post_form":
        return client.post(url, {"field": "phone"})
    return client.get(url)


def listed(action: Action, response, obj) -> bool:
    if action.url.startswith("/api/"):
        return obj.pk in {row["id"] for row in response.json()["results"]}
    return f'href="{action.row_url.format(pk=obj.pk)}"' in response.content.decode()


def check(t, user, kind: str, action: Action):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    obj = target(t, user, kind, action)
    perms = ROLES[user.grants.get().role].perms
    expected = action.expected(perms)
    reveals_before = AuditEvent.objects.filter(action="org.person.reveal_phone").count()

    response = perform(client, action, obj)

    assert response.status_code == expected, (
        f"{action.name}: expected {expected}, got {response.status_code} for perms {sorted(perms)}"
    )
    if action.then_perm:  # the reveal: audited exactly when it succeeds, the number shown only then
        revealed = AuditEvent.objects.filter(action="org.person.reveal_phone").count() - reveals_before
        assert revealed == (1 if expected == OK else 0)
        assert (obj.phone in response.content.decode()) == (expected == OK)
    if action.listing and expected == OK:
        inside_obj = user.grants.get() if action.listing == "grant" else inside(t, kind, action.listing)
        outside_obj = t.grant_c if action.listing == "grant" else outside(t, kind, action.listing)
        assert listed(action, response, inside_obj), f"{action.name} misses an object inside the scope"
        assert not listed(action, response, outside_obj), f"{action.name} shows an object outside the scope"


@pytest.mark.parametrize(("code", "kind", "action"), CASES)
def test_matrix(module_tree, db, code, kind, action):
    user = factories.make_user(code, factories.scope_node(module_tree, kind))
    check(module_tree, user, kind, action)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: f"superuser-{a.name}")
def test_superuser_may_do_everything(module_tree, db, action):
    user = factories.make_superuser()
    from django.test import Client

    client = Client()
    client.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    t = module_tree
    obj = None
    if action.obj == "grant":
        obj = t.grant_c
    elif action.obj:
        obj = outside(t, PlaceKind.COMMUNITY, action.obj)
    assert perform(client, action, obj).status_code == OK


# ---------------------------------------------------------------- hand-written sanity cases (no registry)
def test_grid_worker_sees_own_grid_dwellings_only(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    html = c.get("/console/dwellings/").content.decode()
    for d in tree.dwellings_g1:
        assert f'href="/console/dwellings/{d.pk}/"' in html
    for d in tree.dwellings_g2 + tree.dwellings_b:
        assert f'href="/console/dwellings/{d.pk}/"' not in html
    assert c.get(f"/console/dwellings/{tree.dwelling_g2.pk}/").status_code == 404


def test_committee_member_sees_unit_dwellings_only(tree, make_user, login):
    c = login(make_user("committee_member", tree.unit))
    html = c.get("/console/dwellings/").content.decode()
    for d in tree.dwellings_unit:
        assert f'href="/console/dwellings/{d.pk}/"' in html
    assert f'href="/console/dwellings/{tree.dwelling_g1.pk}/"' not in html  # same grid, other courtyard
    assert f'href="/console/dwellings/{tree.dwelling_g2.pk}/"' not in html
    people = c.get("/console/people/").content.decode()
    assert tree.person1.name in people and tree.person3.name not in people


def test_building_head_cannot_reveal_a_phone(tree, make_user, login):
    c = login(make_user("building_head", tree.building1))
    assert c.get(f"/console/people/{tree.person1.pk}/").status_code == 200
    for response in (
        c.post(f"/console/people/{tree.person1.pk}/reveal/", {"field": "phone"}),
        c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"}, content_type="application/json"),
    ):
        assert response.status_code == 403
        assert tree.person1.phone not in response.content.decode()
    page = c.get(f"/console/people/{tree.person1.pk}/").content.decode()
    assert tree.person1.phone not in page and tree.person1.masked_phone in page
    assert not AuditEvent.objects.filter(action__startswith="org.person.reveal").exists()


@pytest.mark.parametrize("url", [a.url for a in PAGES if a.url.startswith("/console/")])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_api_is_refused(client, tree):
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get(f"/api/v1/people/{tree.person1.pk}/").status_code == 403


def test_expired_and_future_grants_give_nothing(tree, make_user, login):
    import datetime as dt

    expired = make_user()
    from django.utils import timezone

    today = timezone.localdate()
    factories.grant_role(expired, "community_staff", tree.community_a, start_date=today - dt.timedelta(days=700),
                         end_date=today - dt.timedelta(days=1))
    future = make_user()
    factories.grant_role(future, "community_staff", tree.community_a, start_date=today + dt.timedelta(days=1))
    for user in (expired, future):
        c = login(user)
        assert c.get("/console/").status_code == 403
        assert c.get("/console/dwellings/").status_code == 403
        assert c.get("/api/v1/dwellings/").status_code == 403
