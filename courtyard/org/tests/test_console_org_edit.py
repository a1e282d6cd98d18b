"""The console editor: place tree, dwellings and links, courtyards and units, organisations.

Happy paths write through the services (audit events), bad input writes nothing (row counts
before and after), a building head gets 403 and staff of another community 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from courtyard.core.models import AuditEvent
from courtyard.org.models import (
    BodyMembership,
    CoBuildingItem,
    Courtyard,
    Dwelling,
    DwellingLink,
    GovernanceBody,
    PartnerUnit,
    PartyMember,
    PartyOrg,
    Place,
    ResponsibilityZone,
    SelfGovernanceUnit,
)

from . import factories

MODELS = (Place, Courtyard, SelfGovernanceUnit, Dwelling, DwellingLink, GovernanceBody, BodyMembership, PartnerUnit,
          CoBuildingItem, PartyOrg, PartyMember, ResponsibilityZone, AuditEvent)


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def staff(tree, make_user):
    return make_user("community_staff", tree.community_a)


@pytest.fixture
def en(login):
    def _en(user):
        c = login(user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    return _en


def refused(response, text: str, before: dict) -> None:
    assert response.status_code == 400, response.status_code
    assert text in response.content.decode()
    assert counts() == before


# ---------------------------------------------------------------- place tree
def test_staff_adds_a_building_entrance_and_dwelling(tree, staff, en):
    c = en(staff)
    page = c.get(f"/console/places/{tree.microgrid1.pk}/").content.decode()
    assert f"/console/places/{tree.microgrid1.pk}/add/" in page and "Add a building" in page
    assert c.get(f"/console/places/{tree.microgrid1.pk}/add/").status_code == 200
    r = c.post(f"/console/places/{tree.microgrid1.pk}/add/",
               {"name": "9栋", "courtyard": tree.courtyard2.pk, "floors": "7", "map_x": "12.5", "map_y": "30"})
    assert r.status_code == 302
    building = Place.objects.get(name="9栋")
    assert (building.kind, building.parent, building.courtyard, building.floors, building.map_x) == (
        "building", tree.microgrid1, tree.courtyard2, 7, 12.5)
    assert building.path == f"{tree.microgrid1.path}{building.pk}." and building.community == tree.community_a
    event = AuditEvent.objects.get(action="org.place.create", object_id=str(building.pk))
    assert event.actor == staff and event.channel == "offline"

    r = c.post(f"/console/places/{building.pk}/add/", {"name": "1单元"})
    assert r.status_code == 302
    entrance = Place.objects.get(parent=building)
    assert entrance.kind == "entrance"
    assert "Add a dwelling" in c.get(f"/console/places/{entrance.pk}/").content.decode()

    r = c.post(f"/console/places/{entrance.pk}/dwellings/new/",
               {"number": "301", "floor": "3", "area_m2": "72.35", "area_source": "survey",
                "property_type": "reform", "occupancy": "rented"})
    assert r.status_code == 302
    d = Dwelling.objects.get(entrance=entrance, number="301")
    assert (d.area_m2, d.area_source, d.property_type, d.occupancy, d.courtyard) == (
        Decimal("72.35"), "survey", "reform", "rented", tree.courtyard2)
    assert r["Location"] == f"/console/dwellings/{d.pk}/"
    assert AuditEvent.objects.filter(action="org.dwelling.create", object_id=str(d.pk)).exists()


def test_rename_a_place(tree, staff, en):
    c = en(staff)
    url = f"/console/places/{tree.building1.pk}/edit/"
    assert "1栋" in c.get(url).content.decode()
    r = c.post(url, {"name": "一栋", "code": "B1", "floors": "8", "map_x": "", "map_y": ""})
    assert r.status_code == 302
    tree.building1.refresh_from_db()
    assert (tree.building1.name, tree.building1.code, tree.building1.floors) == ("一栋", "B1", 8)
    event = AuditEvent.objects.get(action="org.place.update")
    assert event.changes["name"] == ["1栋", "一栋"]


@pytest.mark.parametrize(("url", "data", "text"), [
    ("microgrid1/add/", {"name": "", "courtyard": "courtyard1"}, "This field is required"),
    ("microgrid1/add/", {"name": "9栋"}, "This field is required"),  # a building needs a courtyard
    ("microgrid1/add/", {"name": "9栋", "courtyard": "courtyard_b"}, "Select a valid choice"),  # other community
    ("microgrid1/add/", {"name": "9栋", "courtyard": "courtyard1", "floors": "-2"}, "greater than or equal to 1"),
    ("microgrid1/add/", {"name": "9栋", "courtyard": "courtyard1", "map_x": "3"}, "Give both site-plan coordinates"),
    ("building1/edit/", {"name": "  "}, "This field is required"),
    ("entrance1/dwellings/new/", {"number": "101", "property_type": "commodity", "occupancy": "self"},
     "Room 101 already exists in this entrance"),
    ("entrance1/dwellings/new/", {"number": "909", "area_m2": "-5", "area_source": "survey",
                                  "property_type": "commodity", "occupancy": "self"}, "greater than zero"),
    ("entrance1/dwellings/new/", {"number": "909", "area_m2": "12.345", "area_source": "survey",
                                  "property_type": "commodity", "occupancy": "self"}, "two decimal places"),
    ("entrance1/dwellings/new/", {"number": "909", "area_m2": "70", "property_type": "commodity",
                                  "occupancy": "self"}, "Say where the area comes from"),
    ("entrance1/dwellings/new/", {"number": "909", "property_type": "castle", "occupancy": "self"},
     "Select a valid choice"),
])
def test_bad_place_input_changes_nothing(tree, staff, en, url, data, text):
    c = en(staff)
    place, rest = url.split("/", 1)
    data = {k: (getattr(tree, v).pk if k == "courtyard" else v) for k, v in data.items()}
    before = counts()
    name_before = tree.building1.name
    refused(c.post(f"/console/places/{getattr(tree, place).pk}/{rest}", data), text, before)
    tree.building1.refresh_from_db()
    assert tree.building1.name == name_before


def test_an_entrance_has_no_child_and_a_dwelling_needs_an_entrance(tree, staff, en):
    c = en(staff)
    assert c.get(f"/console/places/{tree.entrance1.pk}/add/").status_code == 403
    assert c.get(f"/console/places/{tree.building1.pk}/dwellings/new/").status_code == 404


def test_link_a_person_and_end_the_link(tree, staff, en):
    c = en(staff)
    d = tree.dwelling2
    assert "Link a person" in c.get(f"/console/dwellings/{d.pk}/").content.decode()
    r = c.post(f"/console/dwellings/{d.pk}/link/",
               {"person": tree.person_nohome.name, "relation": "owner", "start_date": "2026-01-05",
                "make_home": "on"})
    assert r.status_code == 302
    link = DwellingLink.objects.get(dwelling=d, person=tree.person_nohome)
    assert link.start_date == dt.date(2026, 1, 5)
    tree.person_nohome.refresh_from_db()
    assert tree.person_nohome.home == d
    assert AuditEvent.objects.filter(action="org.link.create", object_id=str(link.pk)).exists()
    # by mobile number
    r = c.post(f"/console/dwellings/{d.pk}/link/", {"person": tree.person3.phone, "relation": "co_owner"})
    assert r.status_code == 302 and DwellingLink.objects.filter(dwelling=d, person=tree.person3).exists()

    page = c.get(f"/console/dwellings/{d.pk}/").content.decode()
    assert f"/console/links/{link.pk}/end/" in page
    before = counts()
    refused(c.post(f"/console/links/{link.pk}/end/", {"end_date": "2025-12-31"}),
            "The end date is before the start date", before)
    r = c.post(f"/console/links/{link.pk}/end/", {"end_date": "2026-11-20"})
    assert r.status_code == 302
    link.refresh_from_db()
    assert link.end_date == dt.date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="org.link.end", object_id=str(link.pk)).exists()


@pytest.mark.parametrize(("data", "text"), [
    ({"person": "没有这个人", "relation": "owner"}, "No one in this community is recorded as"),
    ({"person": "赵丽", "relation": "owner"}, "No one in this community is recorded as"),  # community B
    ({"person": "王秀英", "relation": "owner"}, "already has that relation"),
    ({"person": "王秀英", "relation": "landlord"}, "Select a valid choice"),
    ({"person": "王秀英", "relation": "tenant", "start_date": "yesterday"}, "Enter a valid date"),
])
def test_bad_link_changes_nothing(tree, staff, en, data, text):
    c = en(staff)
    before = counts()
    refused(c.post(f"/console/dwellings/{tree.dwelling1.pk}/link/", data), text, before)


def test_ambiguous_name_asks_for_the_mobile_number(tree, staff, en):
    factories.person(tree.community_a, tree.person_nohome.name)
    c = en(staff)
    before = counts()
    refused(c.post(f"/console/dwellings/{tree.dwelling2.pk}/link/", {"person": tree.person_nohome.name,
                                                                     "relation": "owner"}),
            "enter the mobile number instead", before)


# ---------------------------------------------------------------- courtyards and units
def test_courtyard_and_unit_with_merge(tree, staff, en):
    c = en(staff)
    page = c.get(f"/console/places/{tree.community_a.pk}/").content.decode()
    assert "Add a courtyard" in page and f"/console/courtyards/{tree.courtyard2.pk}/unit/" in page
    r = c.post(f"/console/places/{tree.community_a.pk}/courtyards/new/",
               {"name": "学道街7号院", "address": "学道街7号", "built_year": "1990"})
    assert r.status_code == 302
    new = Courtyard.objects.get(name="学道街7号院")
    assert AuditEvent.objects.filter(action="org.courtyard.create", object_id=str(new.pk)).exists()

    r = c.post(f"/console/places/{tree.community_a.pk}/units/new/",
               {"name": "新院落", "slug": "xin-yuanluo", "intro": "两院合一", "established": "2026-03-01",
                "courtyards": [tree.courtyard2.pk, new.pk]})
    assert r.status_code == 302
    unit = SelfGovernanceUnit.objects.get(slug="xin-yuanluo")
    assert set(unit.courtyards.all()) == {tree.courtyard2, new}
    assert set(Dwelling.objects.filter(courtyard=tree.courtyard2).values_list("unit", flat=True)) == {unit.pk}
    assert AuditEvent.objects.filter(action="org.unit.create").count() >= 1
    assert AuditEvent.objects.filter(action="org.courtyard.set_unit").count() == 2

    # take one out, then merge it into the old unit
    r = c.post(f"/console/courtyards/{tree.courtyard2.pk}/unit/", {"unit": ""})
    assert r.status_code == 302
    tree.courtyard2.refresh_from_db()
    assert tree.courtyard2.unit is None
    assert c.post(f"/console/courtyards/{tree.courtyard2.pk}/unit/", {"unit": tree.unit.pk}).status_code == 302
    tree.courtyard2.refresh_from_db()
    assert tree.courtyard2.unit == tree.unit


@pytest.mark.parametrize(("url", "data", "text"), [
    ("courtyards/new/", {"name": "学道街1号院"}, "already exists"),
    ("courtyards/new/", {"name": ""}, "This field is required"),
    ("courtyards/new/", {"name": "X院", "built_year": "1200"}, "greater than or equal to 1800"),
    ("units/new/", {"name": "X", "slug": "has space"}, "Enter a valid"),
    ("units/new/", {"name": "X", "slug": "taken", "courtyards": ["courtyard2"]}, "is already taken"),
    ("units/new/", {"name": "X", "slug": "fine", "courtyards": ["courtyard_b"]}, "Select a valid choice"),
])
def test_bad_courtyard_or_unit_changes_nothing(tree, staff, en, url, data, text):
    tree.unit.slug = "taken"
    tree.unit.save()
    c = en(staff)
    if "courtyards" in data:
        data["courtyards"] = [getattr(tree, n).pk for n in data["courtyards"]]
    before = counts()
    refused(c.post(f"/console/places/{tree.community_a.pk}/{url}", data), text, before)
    tree.courtyard2.refresh_from_db()
    assert tree.courtyard2.unit is None


def test_courtyard_cannot_join_a_unit_of_another_community(tree, staff, make_user, en):
    unit_b = factories.services.create_unit(by=factories.system(), community=tree.community_b, name="东风苑",
                                            slug="dongfeng")
    before = counts()
    refused(en(staff).post(f"/console/courtyards/{tree.courtyard2.pk}/unit/", {"unit": unit_b.pk}),
            "Select a valid choice", before)


# ---------------------------------------------------------------- organisations
def test_body_with_members(tree, staff, en):
    c = en(staff)
    page = c.get("/console/organisations/").content.decode()
    assert "/console/organisations/bodies/new/" in page and "/console/organisations/partners/new/" in page
    r = c.post("/console/organisations/bodies/new/",
               {"unit": tree.unit.pk, "kind": "supervisory_board", "name": "学道苑监事会", "duties": "监督",
                "term_start": "2026-01-01", "term_end": "2028-12-31"})
    assert r.status_code == 302
    body = GovernanceBody.objects.get(name="学道苑监事会")
    assert AuditEvent.objects.filter(action="org.body.create", object_id=str(body.pk)).exists()
    r = c.post(f"/console/organisations/bodies/{body.pk}/members/new/",
               {"person": "李强", "position": "chair", "start_date": "2026-01-01"})
    assert r.status_code == 302
    m = BodyMembership.objects.get(body=body)
    assert (m.person, m.position) == (tree.person2, "chair")
    assert AuditEvent.objects.filter(action="org.body.add_member").exists()
    before = counts()
    refused(c.post(f"/console/organisations/bodies/{body.pk}/members/new/", {"person": "李强", "position": "member"}),
            "already a member", before)
    refused(c.post(f"/console/organisations/memberships/{m.pk}/end/", {"end_date": "2025-06-01"}),
            "The end date is before the start date", before)
    assert f"/console/organisations/memberships/{m.pk}/end/" in c.get("/console/organisations/").content.decode()
    r = c.post(f"/console/organisations/memberships/{m.pk}/end/", {"end_date": "2026-11-21"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.end_date == dt.date(2026, 11, 21)
    assert AuditEvent.objects.filter(action="org.body.end_member").exists()


@pytest.mark.parametrize(("data", "text"), [
    ({"kind": "committee", "name": "X", "term_start": "2026-05-01", "term_end": "2026-04-30"},
     "The term ends before it starts"),
    ({"kind": "committee", "name": ""}, "This field is required"),
    ({"kind": "parliament", "name": "X"}, "Select a valid choice"),
    ({"kind": "committee", "name": "X", "unit": "other"}, "Select a valid choice"),
])
def test_bad_body_changes_nothing(tree, staff, en, data, text):
    other = factories.services.create_unit(by=factories.system(), community=tree.community_b, name="东风苑",
                                           slug="dongfeng")
    data = {"unit": tree.unit.pk, **data}
    if data["unit"] == "other":
        data["unit"] = other.pk
    before = counts()
    refused(en(staff).post("/console/organisations/bodies/new/", data), text, before)


def test_partner_with_commitments(tree, staff, en):
    c = en(staff)
    r = c.post("/console/organisations/partners/new/",
               {"community": tree.community_a.pk, "kind": "social_org", "name": "书院社工中心",
                "contact_name": "周老师", "contact_phone": "139 1234 5678", "alliance_member": "on"})
    assert r.status_code == 302
    partner = PartnerUnit.objects.get(name="书院社工中心")
    assert partner.contact_phone == "13912345678" and partner.alliance_member
    assert AuditEvent.objects.filter(action="org.partner.create", object_id=str(partner.pk)).exists()
    before = counts()
    refused(c.post("/console/organisations/partners/new/",
                   {"community": tree.community_a.pk, "kind": "merchant", "name": "X", "contact_phone": "12345"}),
            "is not a valid mainland mobile number", before)
    refused(c.post("/console/organisations/partners/new/",
                   {"community": tree.community_b.pk, "kind": "merchant", "name": "X"}),
            "Select a valid choice", before)
    url = f"/console/organisations/partners/{partner.pk}/items/new/"
    assert url in c.get("/console/organisations/").content.decode()
    refused(c.post(url, {"title": "", "status": "active"}), "This field is required", before)
    refused(c.post(url, {"title": "X", "status": "maybe"}), "Select a valid choice", before)
    r = c.post(url, {"title": "每月一次义诊", "frequency": "每月", "status": "planned", "due": "2026-12-31"})
    assert r.status_code == 302
    item = CoBuildingItem.objects.get(partner=partner)
    assert (item.title, item.status, item.due) == ("每月一次义诊", "planned", dt.date(2026, 12, 31))
    assert AuditEvent.objects.filter(action="org.partner.add_item", object_id=str(partner.pk)).exists()


def test_party_tree_members_and_zones(tree, staff, en):
    c = en(staff)
    url = "/console/organisations/party/new/"
    r = c.post(url, {"community": tree.community_a.pk, "level": "committee", "name": "学道街社区党委"})
    assert r.status_code == 302
    committee = PartyOrg.objects.get(level="committee")
    assert r["Location"] == f"/console/organisations/party/{committee.pk}/"
    before = counts()
    refused(c.post(url, {"community": tree.community_a.pk, "level": "group", "name": "X", "parent": committee.pk}),
            "sits under a", before)
    refused(c.post(url, {"community": tree.community_a.pk, "level": "branch", "name": "X"}), "sits under a", before)
    r = c.post(url, {"community": tree.community_a.pk, "level": "branch", "name": "第一网格党支部",
                     "parent": committee.pk})
    branch = PartyOrg.objects.get(level="branch")
    r = c.post(url, {"community": tree.community_a.pk, "level": "group", "name": "学道苑党小组",
                     "parent": branch.pk, "unit": tree.unit.pk})
    group = PartyOrg.objects.get(level="group")
    assert (group.parent, group.unit) == (branch, tree.unit)
    assert AuditEvent.objects.filter(action="org.party.create").count() == 3

    page = c.get(f"/console/organisations/party/{group.pk}/").content.decode()
    assert f"/console/organisations/party/{group.pk}/members/new/" in page
    r = c.post(f"/console/organisations/party/{group.pk}/members/new/",
               {"person": "张建国", "position": "secretary", "central_household": "on",
                "reported_from": tree.partner.pk, "since": "2001-07-01"})
    assert r.status_code == 302
    member = PartyMember.objects.get(person=tree.person3)
    assert (member.org, member.central_household, member.reported_from) == (group, True, tree.partner)
    assert tree.person3.tags.filter(code="party_member").exists()
    assert AuditEvent.objects.filter(action="org.party.add_member").exists()
    before = counts()
    refused(c.post(f"/console/organisations/party/{group.pk}/members/new/", {"person": "张建国", "position": "member"}),
            "already recorded as a party member", before)

    zone_url = f"/console/organisations/party-members/{member.pk}/zones/new/"
    assert zone_url in c.get(f"/console/organisations/party/{group.pk}/").content.decode()
    assert c.post(zone_url, {"place": tree.building2.pk}).status_code == 302
    assert c.post(zone_url, {"place": tree.entrance1.pk}).status_code == 302
    assert set(member.zones.values_list("place", flat=True)) == {tree.building2.pk, tree.entrance1.pk}
    assert AuditEvent.objects.filter(action="org.party.add_zone").count() == 2
    before = counts()
    refused(c.post(zone_url, {"place": tree.building2.pk}), "already looks after", before)
    refused(c.post(zone_url, {"place": tree.grid1.pk}), "Select a valid choice", before)
    refused(c.post(zone_url, {"place": tree.building_b.pk}), "Select a valid choice", before)
    page = c.get(f"/console/organisations/party/{group.pk}/").content.decode()
    assert "2栋" in page and "1栋 1单元" in page


# ---------------------------------------------------------------- permissions
def _edit_urls(t, *, member_pk, membership_pk, org_pk, link_pk):
    return [
        f"/console/places/{t.microgrid1.pk}/add/",
        f"/console/places/{t.building1.pk}/edit/",
        f"/console/places/{t.entrance1.pk}/dwellings/new/",
        f"/console/dwellings/{t.dwelling1.pk}/link/",
        f"/console/links/{link_pk}/end/",
        f"/console/places/{t.community_a.pk}/courtyards/new/",
        f"/console/places/{t.community_a.pk}/units/new/",
        f"/console/courtyards/{t.courtyard1.pk}/unit/",
        "/console/organisations/bodies/new/",
        f"/console/organisations/bodies/{t.committee.pk}/members/new/",
        f"/console/organisations/memberships/{membership_pk}/end/",
        "/console/organisations/partners/new/",
        f"/console/organisations/partners/{t.partner.pk}/items/new/",
        "/console/organisations/party/new/",
        f"/console/organisations/party/{org_pk}/members/new/",
        f"/console/organisations/party-members/{member_pk}/zones/new/",
    ]


@pytest.fixture
def party(tree):
    by = factories.system()
    org = factories.services.create_party_org(by=by, community=tree.community_a, level="committee", name="党委")
    member = factories.services.add_party_member(by=by, org=org, person=tree.person1)
    return org, member


def test_building_head_is_refused_everywhere(tree, make_user, en, party):
    org, member = party
    head = make_user("building_head", tree.building1)
    c = en(head)
    link = tree.dwelling1.links.first()
    membership = tree.committee.memberships.first()
    before = counts()
    for url in _edit_urls(tree, member_pk=member.pk, membership_pk=membership.pk, org_pk=org.pk, link_pk=link.pk):
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"name": "X"}).status_code == 403, url
    assert counts() == before
    # and sees no edit buttons
    assert "/add/" not in c.get(f"/console/places/{tree.building1.pk}/").content.decode()
    assert "/link/" not in c.get(f"/console/dwellings/{tree.dwelling1.pk}/").content.decode()


def test_staff_of_another_community_gets_404(tree, make_user, en, party):
    org, member = party
    other = make_user("community_staff", tree.community_b)
    c = en(other)
    link = tree.dwelling1.links.first()
    membership = tree.committee.memberships.first()
    urls = _edit_urls(tree, member_pk=member.pk, membership_pk=membership.pk, org_pk=org.pk, link_pk=link.pk)
    scoped = [u for u in urls if not u.endswith(("/bodies/new/", "/partners/new/", "/party/new/"))]
    before = counts()
    for url in scoped:
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"name": "X"}).status_code == 404, url
    # the create forms open, but only list their own community's units and communities
    r = c.post("/console/organisations/bodies/new/", {"unit": tree.unit.pk, "kind": "committee", "name": "X"})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    r = c.post("/console/organisations/partners/new/",
               {"community": tree.community_a.pk, "kind": "merchant", "name": "X"})
    assert r.status_code == 400
    assert counts() == before


def test_grid_worker_edits_the_tree_but_not_organisations(tree, make_user, en):
    worker = make_user("grid_worker", tree.grid1)
    c = en(worker)
    assert c.get(f"/console/places/{tree.microgrid1.pk}/add/").status_code == 200
    assert c.get(f"/console/places/{tree.microgrid2.pk}/add/").status_code == 404  # grid 2
    assert c.get(f"/console/places/{tree.grid1.pk}/edit/").status_code == 200
    assert c.get(f"/console/places/{tree.community_a.pk}/edit/").status_code == 404  # above the grid
    assert c.get("/console/organisations/bodies/new/").status_code == 403
    assert "/console/organisations/bodies/new/" not in c.get("/console/organisations/").content.decode()
