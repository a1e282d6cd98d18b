"""The organisation the seeds describe (ORG-8): courtyard management mode, type and owning unit; building
danger grade and flood-risk points; grid chief and deputy roles; committee members' liaison grids; the
demo's 14 professionally managed and 24 unit- or self-managed courtyards (seed 000 §1.2)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from courtyard.core.access import ROLES
from courtyard.core.audit import Actor
from courtyard.org import liaison, services
from courtyard.org.demo import spec
from courtyard.org.demo.plan import CommunityBuilder
from courtyard.org.models import BodyMembership

pytestmark = pytest.mark.django_db


def test_courtyard_and_building_fields(tree, make_user):
    sys = Actor.system()
    cy = services.create_courtyard(by=sys, community=tree.community_a, name="新院", management_mode="unit",
                                   housing_type="dormitory", property_owner="成都某国营机械厂")
    assert (cy.management_mode, cy.housing_type, cy.property_owner) == ("unit", "dormitory", "成都某国营机械厂")
    building = tree.dwelling1.building
    services.update_place(by=sys, place=building, danger_grade="C", flood_risk="单元门口低洼")
    building.refresh_from_db()
    assert building.danger_grade == "C" and building.get_danger_grade_display().startswith("Grade C")
    with pytest.raises(ValidationError):
        services.update_place(by=sys, place=tree.grid1, danger_grade="D")
    staff = make_user("community_staff", tree.community_a)
    c = Client()
    c.force_login(staff)
    page = c.get(f"/console/places/{building.pk}/").content.decode()
    assert "Grade C" in page and "单元门口低洼" in page
    r = c.post(f"/console/places/{building.pk}/edit/", {"name": building.name, "danger_grade": "D",
                                                       "flood_risk": ""})
    building.refresh_from_db()
    assert r.status_code == 302 and building.danger_grade == "D"
    community = c.get(f"/console/places/{tree.community_a.pk}/").content.decode()
    assert "Managed by the owning work unit" in community and "成都某国营机械厂" in community


def test_grid_chief_roles_and_liaison_grids(tree):
    assert ROLES["grid_chief"].scopes == ROLES["grid_worker"].scopes
    assert ROLES["grid_deputy"].perms == ROLES["grid_worker"].perms
    m = BodyMembership.objects.get(body=tree.committee, person=tree.person1)
    liaison.set_liaison_grids(by=Actor.system(), membership=m, grids=[tree.grid1])
    assert list(BodyMembership.objects.get(pk=m.pk).liaison_grids.all()) == [tree.grid1]
    with pytest.raises(ValidationError):
        liaison.set_liaison_grids(by=Actor.system(), membership=m, grids=[tree.microgrid1])


def test_demo_management_modes_are_14_and_24():
    courtyards = [SimpleNamespace(name=n, built_year=y, unit_id=None, unit=None, management_mode="",
                                  housing_type="", property_owner="") for n, y in spec.HEJIANGTING_COURTYARDS]
    xdy = SimpleNamespace(slug="xuedaoyuan")
    courtyards += [SimpleNamespace(name=n, built_year=1985, unit_id=1, unit=xdy, management_mode="",
                                   housing_type="", property_owner="") for n, _b, _h in spec.XUEDAOYUAN["courtyards"]]
    assert len(courtyards) == 38
    plans = [(cy, 0, [], (cy.built_year or 0) >= 2000) for cy in courtyards]
    CommunityBuilder._management(SimpleNamespace(OWNING_UNITS=CommunityBuilder.OWNING_UNITS), plans)
    modes = [cy.management_mode for cy in courtyards]
    assert modes.count("professional") == 14 and modes.count("unit") + modes.count("self") == 24
    assert all(cy.management_mode == "self" for cy in courtyards if cy.unit is xdy)
    assert all(cy.property_owner for cy in courtyards if cy.management_mode == "unit")
    assert all(cy.housing_type == "commodity" for cy in courtyards if cy.built_year >= 2000)
