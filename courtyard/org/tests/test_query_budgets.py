"""Pages render with a bounded number of queries regardless of list length (ARCHITECTURE).

Each page is rendered once to warm caches, measured with the tree's N rows, then measured
again after about 4N more rows were added: the second render may not need more queries
than the first (`django_assert_max_num_queries`), and neither may exceed a fixed budget.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtyard.core.audit import Actor, record
from courtyard.org import services
from courtyard.org.choices import PartyOrgLevel
from courtyard.org.models import PartyMember, PartyOrg

from . import factories

pytestmark = pytest.mark.django_db

BUDGET = 30  # no page here needs more, however long its lists are
SYSTEM = Actor.system()


def measure(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, translations, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_bounded(client, url: str, grow, django_assert_max_num_queries):
    before = measure(client, url)
    assert before <= BUDGET, f"{url} needs {before} queries"
    grow()
    client.get(url)  # the growth invalidated the resident home's shared blocks (org.home_cache): warm again
    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200
    # A cold render (nothing cached) is bounded too, whatever the data size.
    cache.clear()
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- growing the data
def more_dwellings(t, n: int = 16):
    """n more dwellings in G1/the unit, each with an owner and a tenant (tags, phones, ID numbers)."""
    for i in range(n):
        d = services.create_dwelling(by=SYSTEM, entrance=t.entrance2, number=f"X{i:02d}", area_m2="55.5")
        services.record_area(by=SYSTEM, dwelling=d, source="survey", area_m2="56.1")
        factories.person(t.community_a, f"业主{i}", home=d, relation="owner", id_no=True, tags=["volunteer"])
        factories.person(t.community_a, f"租户{i}", home=d, relation="tenant", residence_status="floating",
                         tags=["merchant", "veteran"])


def more_grants(t, n: int = 16):
    for i in range(n):
        u = factories.make_user("building_head" if i % 2 else "committee_member",
                                t.building1 if i % 2 else t.unit, display_name=f"楼栋长{i}")
        if i % 3 == 0:
            services.revoke_role(by=SYSTEM, grant=u.grants.get(), end_date=dt.date(2027, 1, 1))


def more_orgs(t, n: int = 16):
    committee = PartyOrg.objects.create(community=t.community_a, level=PartyOrgLevel.COMMITTEE, name="社区党委")
    for i in range(n):
        branch = PartyOrg.objects.create(community=t.community_a, level=PartyOrgLevel.BRANCH, name=f"支部{i}",
                                         parent=committee, place=t.grid1, unit=t.unit)
        p = factories.person(t.community_a, f"党员{i}", home=t.dwelling2, relation="family")
        PartyMember.objects.create(person=p, org=branch)
        body = services.create_body(by=SYSTEM, unit=t.unit, kind="functional_group", name=f"小组{i}")
        services.add_body_member(by=SYSTEM, body=body, person=p)
        services.add_body_member(by=SYSTEM, body=t.committee, person=factories.person(t.community_a, f"委员{i}"))
        services.create_partner(by=SYSTEM, community=t.community_a, kind="merchant", name=f"商户{i}",
                                contact_phone=factories.next_person_phone())


def more_audit(t, n: int = 60):
    for i in range(n):
        record(Actor(user=None, on_behalf_of=t.person1, channel="assisted"), "test.event", t.dwelling1,
               changes={"n": [i, i + 1]})


# ---------------------------------------------------------------- console
@pytest.mark.parametrize(("url", "grow"), [
    ("/console/dwellings/", more_dwellings),
    ("/console/dwellings/?unit={unit}", more_dwellings),
    ("/console/people/", more_dwellings),
    ("/console/people/?tag=volunteer", more_dwellings),
    ("/console/roles/", more_grants),
    ("/console/roles/?current=", more_grants),
    ("/console/audit/", more_audit),
    ("/console/organisations/", more_orgs),
    ("/console/", more_dwellings),
    ("/console/places/{entrance2}/", more_dwellings),
], ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_console_pages(tree, make_user, login, django_assert_max_num_queries, url, grow):
    c = login(make_user("community_staff", tree.community_a))
    url = url.format(unit=tree.unit.pk, entrance2=tree.entrance2.pk)
    assert_bounded(c, url, lambda: grow(tree), django_assert_max_num_queries)


def test_console_dwellings_for_a_unit_scoped_user(tree, make_user, login, django_assert_max_num_queries):
    c = login(make_user("committee_member", tree.unit))
    assert_bounded(c, "/console/dwellings/", lambda: more_dwellings(tree), django_assert_max_num_queries)


# ---------------------------------------------------------------- API
@pytest.mark.parametrize(("url", "grow"), [
    ("/api/v1/dwellings/", more_dwellings),
    ("/api/v1/people/", more_dwellings),
    ("/api/v1/places/", more_dwellings),
    ("/api/v1/role-grants/", more_grants),
], ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_api_lists(tree, make_user, login, django_assert_max_num_queries, url, grow):
    c = login(make_user("community_staff", tree.community_a))
    assert_bounded(c, url, lambda: grow(tree), django_assert_max_num_queries)


def test_api_places_grow_with_buildings(tree, make_user, login, django_assert_max_num_queries):
    c = login(make_user("community_staff", tree.community_a))

    def grow():
        for i in range(8):
            factories.building_with_entrances(tree.microgrid2, tree.courtyard3, f"新{i}栋")

    assert_bounded(c, "/api/v1/places/", grow, django_assert_max_num_queries)


# ---------------------------------------------------------------- resident pages
@pytest.fixture
def resident(tree, login):
    """person1's login: owner of dwelling1 in the unit, chair of its committee."""
    user = factories.make_user(person=tree.person1, display_name=tree.person1.name)
    return user, login(user)


def grow_home(t, user):
    for i in range(12):
        d = services.create_dwelling(by=SYSTEM, entrance=t.entrance1, number=f"H{i:02d}")
        services.link_person(by=SYSTEM, person=t.person1, dwelling=d, relation="owner")
        factories.person(t.community_a, f"家人{i}", home=d, relation="family")
        services.link_person(by=SYSTEM, person=factories.person(t.community_a, f"同住{i}"), dwelling=t.dwelling1,
                             relation="family")
        services.add_body_member(by=SYSTEM, body=t.committee, person=factories.person(t.community_a, f"委员{i}"))
        body = services.create_body(by=SYSTEM, unit=t.unit, kind="functional_group", name=f"小组{i}")
        services.add_body_member(by=SYSTEM, body=body, person=t.person1)
        factories.make_user("microgrid_worker" if i % 2 else "building_head",
                            t.microgrid1 if i % 2 else t.building1, display_name=f"网格员{i}")
        role, scope = [
            ("volunteer", t.unit), ("volunteer", t.community_a), ("volunteer", t.community_b),
            ("volunteer", t.community_c), ("party_member", t.unit), ("party_member", t.community_a),
            ("party_member", t.grid1), ("party_member", t.grid2), ("planner", t.unit), ("lawyer", t.unit),
            ("engineer", t.community_a), ("contractor", t.unit),
        ][i]
        factories.grant_role(user, role, scope, title=f"{i}")
        services.create_courtyard(by=SYSTEM, community=t.community_a, name=f"并入{i}号院", unit=t.unit)


@pytest.mark.parametrize("url", ["/", "/household/", "/me/"])
def test_resident_pages(tree, resident, django_assert_max_num_queries, url):
    user, c = resident
    assert_bounded(c, url, lambda: grow_home(tree, user), django_assert_max_num_queries)


def test_public_unit_page(tree, client, django_assert_max_num_queries):
    url = f"/u/{tree.unit.slug}/"

    def grow():
        for i in range(12):
            cy = services.create_courtyard(by=SYSTEM, community=tree.community_a, name=f"并入{i}号院", unit=tree.unit)
            b = factories.place("building", f"公{i}栋", tree.microgrid1, courtyard=cy)
            e = factories.place("entrance", "1单元", b)
            services.create_dwelling(by=SYSTEM, entrance=e, number="101")
            body = services.create_body(by=SYSTEM, unit=tree.unit, kind="functional_group", name=f"小组{i}")
            for j in range(3):
                services.add_body_member(by=SYSTEM, body=body, person=factories.person(tree.community_a, f"组员{i}{j}"))

    assert_bounded(client, url, grow, django_assert_max_num_queries)
