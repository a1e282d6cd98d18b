"""A community worker builds a piece of the place tree in the console: a building, an entrance
and a dwelling, links a resident to it, creates a self-governance body and gives it a member.
axe runs on every page of the editor."""

from __future__ import annotations

import pytest
from django.db.models import Count

from courtyard.core.models import AuditEvent
from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import (
    BodyMembership,
    Courtyard,
    Dwelling,
    DwellingLink,
    GovernanceBody,
    PartyMember,
    PartyOrg,
    Person,
    Place,
    RoleGrant,
)
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

SUBMIT = "form.console-form button[type=submit]"  # the shared console form (core/templates/console/form.html)


def _submit(page):
    with page.expect_navigation():
        page.locator(SUBMIT).click()


def test_place_tree_and_organisations_in_the_browser(live_server, desktop_page):
    load_demo(seed=1)
    grant = RoleGrant.objects.select_related("user", "place").filter(role="community_staff").first()
    staff, community = grant.user, grant.place
    microgrid = Place.objects.filter(kind="microgrid", community=community).order_by("path").first()
    courtyard = Courtyard.objects.filter(community=community).order_by("name").first()
    base = live_server.url
    page = desktop_page
    login(page, base, staff.phone, DEMO_PASSWORD)

    # Micro-grid → add a building (a bad submission first: the form says why, nothing is written).
    page.goto(f"{base}/console/places/{microgrid.pk}/")
    check_axe(page, "orgedit-microgrid")
    page.locator(f"a[href='/console/places/{microgrid.pk}/add/']").click()
    page.wait_for_load_state()
    check_axe(page, "orgedit-add-building")
    places = Place.objects.count()
    page.fill("input[name=name]", "测试99栋")
    page.fill("input[name=map_x]", "10")
    _submit(page)
    assert page.locator(".errorlist").count() >= 1
    check_axe(page, "orgedit-add-building-errors")
    assert Place.objects.count() == places
    page.select_option("select[name=courtyard]", str(courtyard.pk))
    page.fill("input[name=floors]", "6")
    page.fill("input[name=map_y]", "20")
    _submit(page)
    building = Place.objects.get(name="测试99栋", parent=microgrid)
    assert building.courtyard == courtyard and building.floors == 6

    # Building → add an entrance; rename page.
    page.goto(f"{base}/console/places/{building.pk}/")
    check_axe(page, "orgedit-building")
    page.goto(f"{base}/console/places/{building.pk}/edit/")
    check_axe(page, "orgedit-rename")
    page.goto(f"{base}/console/places/{building.pk}/add/")
    page.fill("input[name=name]", "1单元")
    _submit(page)
    entrance = Place.objects.get(parent=building)

    # Entrance → add a dwelling.
    page.goto(f"{base}/console/places/{entrance.pk}/")
    page.locator(f"a[href='/console/places/{entrance.pk}/dwellings/new/']").click()
    page.wait_for_load_state()
    check_axe(page, "orgedit-add-dwelling")
    page.fill("input[name=number]", "101")
    page.fill("input[name=floor]", "1")
    page.fill("input[name=area_m2]", "68.50")
    page.select_option("select[name=area_source]", "register")
    page.select_option("select[name=occupancy]", "rented")
    _submit(page)
    dwelling = Dwelling.objects.get(entrance=entrance, number="101")
    assert page.url.endswith(f"/console/dwellings/{dwelling.pk}/")
    check_axe(page, "orgedit-dwelling")

    # Link a resident of the community (found by a name no one else shares).
    unique = (Person.objects.filter(community=community).values("name").annotate(n=Count("id")).filter(n=1)
              .order_by("name").values_list("name", flat=True).first())
    person = Person.objects.get(community=community, name=unique)
    page.locator(f"a[href='/console/dwellings/{dwelling.pk}/link/']").click()
    page.wait_for_load_state()
    check_axe(page, "orgedit-link-person")
    page.fill("input[name=person]", person.name)
    page.select_option("select[name=relation]", "tenant")
    page.fill("input[name=start_date]", "2026-11-01")
    _submit(page)
    link = DwellingLink.objects.get(dwelling=dwelling, person=person)
    page.goto(f"{base}/console/links/{link.pk}/end/")
    check_axe(page, "orgedit-end-link")
    shot(page, "orgedit-end-link")

    # Courtyards and units of the community.
    page.goto(f"{base}/console/places/{community.pk}/")
    check_axe(page, "orgedit-community")
    for name, url in [("courtyard-new", f"/console/places/{community.pk}/courtyards/new/"),
                      ("unit-new", f"/console/places/{community.pk}/units/new/"),
                      ("courtyard-unit", f"/console/courtyards/{courtyard.pk}/unit/")]:
        page.goto(base + url)
        check_axe(page, f"orgedit-{name}")

    # Organisations: a new body, then a member.
    page.goto(f"{base}/console/organisations/")
    check_axe(page, "orgedit-organisations")
    page.locator("a[href='/console/organisations/bodies/new/']").click()
    page.wait_for_load_state()
    check_axe(page, "orgedit-body-new")
    unit_value = page.locator("select[name=unit] option").nth(1).get_attribute("value")
    page.select_option("select[name=unit]", unit_value)
    page.select_option("select[name=kind]", "functional_group")
    page.fill("input[name=name]", "测试环境监督小组")
    page.fill("input[name=term_start]", "2026-12-01")
    page.fill("input[name=term_end]", "2026-01-01")
    _submit(page)
    assert not GovernanceBody.objects.filter(name="测试环境监督小组").exists()  # term ends before it starts
    page.fill("input[name=term_end]", "2029-11-30")
    _submit(page)
    body = GovernanceBody.objects.get(name="测试环境监督小组")
    page.goto(f"{base}/console/organisations/bodies/{body.pk}/members/new/")
    check_axe(page, "orgedit-member-add")
    page.fill("input[name=person]", person.name)
    page.select_option("select[name=position]", "chair")
    _submit(page)
    membership = BodyMembership.objects.get(body=body, person=person)
    assert membership.position == "chair"
    shot(page, "orgedit-organisations-after")
    page.goto(f"{base}/console/organisations/memberships/{membership.pk}/end/")
    check_axe(page, "orgedit-member-end")

    # The other organisation pages.
    partner = community.partners.first()
    for name, url in [("partner-new", "/console/organisations/partners/new/"),
                      ("party-new", "/console/organisations/party/new/")]:
        page.goto(base + url)
        check_axe(page, f"orgedit-{name}")
    page.goto(f"{base}/console/organisations/partners/{partner.pk}/items/new/")
    check_axe(page, "orgedit-cobuilding-item")
    org = PartyOrg.objects.filter(community=community).order_by("level").first()
    page.goto(f"{base}/console/organisations/party/{org.pk}/")
    check_axe(page, "orgedit-party-org")
    page.goto(f"{base}/console/organisations/party/{org.pk}/members/new/")
    check_axe(page, "orgedit-party-member-add")
    member = PartyMember.objects.filter(org__community=community).first()
    page.goto(f"{base}/console/organisations/party-members/{member.pk}/zones/new/")
    check_axe(page, "orgedit-zone-add")

    actions = set(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"org.place.create", "org.dwelling.create", "org.link.create", "org.body.create",
            "org.body.add_member"} <= actions
