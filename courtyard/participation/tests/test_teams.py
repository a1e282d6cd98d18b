"""Teams start with one resident, grow by neighbours joining, are incubated by staff once two are in;
the talent pool needs consent; committee members' training hours are counted against 40 a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.org import services as org_services
from courtyard.org.tests.factories import make_user, system
from courtyard.participation import selectors, services
from courtyard.participation.choices import TeamState

from .factories import actor, world

pytestmark = pytest.mark.django_db


def test_two_residents_start_a_team_and_staff_incubate_it(tree, login):
    w = world(tree)
    team = services.start_team(by=actor(w.resident), name="院落花友会", kind="interest_group", purpose="养花")
    with pytest.raises(ValidationError):  # one resident is not a team yet
        services.advance_team(by=actor(w.staff), team=team)
    client = login(w.neighbour)
    assert "院落花友会" in client.get("/participation/teams/").content.decode()
    client.post(f"/participation/teams/{team.pk}/join/")
    with pytest.raises(PermissionDenied):
        services.advance_team(by=actor(w.resident), team=team)
    assert services.advance_team(by=actor(w.staff), team=team).state == TeamState.INCUBATING
    assert services.advance_team(by=actor(w.staff), team=team).state == TeamState.ACTIVE
    outsider = make_user(person=tree.person4)
    with pytest.raises(PermissionDenied):
        services.join_team(by=actor(outsider), team=team)
    assert login(w.staff).get("/console/participation/teams/").status_code == 200


def test_talent_needs_consent(tree):
    w = world(tree)
    with pytest.raises(ValidationError):
        services.list_talent(by=actor(w.staff), unit=w.unit, person=tree.person1, kind="local_talent", skills="书法",
                             consent=False)
    services.list_talent(by=actor(w.staff), unit=w.unit, person=tree.person1, kind="local_talent", skills="书法",
                         consent=True)


def test_committee_training_hours_against_forty(tree, login):
    w = world(tree)
    org_services.add_body_member(by=system(), body=tree.committee, person=tree.person2, position="member")
    year = timezone.localdate().year - 1
    for hours in (24, 16):
        services.record_training(by=actor(w.staff), unit=w.unit, person=tree.person1, course="议事规则", level="district",
                                 hours=hours, day=dt.date(year, 5, 1))
    services.record_training(by=actor(w.staff), unit=w.unit, person=tree.person2, course="议事规则", level="community",
                             hours=8, day=dt.date(year, 5, 1))
    report = selectors.committee_training(w.staff, year)
    by_name = {r["name"]: r for r in report["rows"]}
    assert by_name[tree.person1.name]["hours"] == 40 and by_name[tree.person1.name]["reached"]
    assert not by_name[tree.person2.name]["reached"]
    assert report["coverage"] == "50"
    page = login(w.staff).get(f"/console/participation/training/?year={year}").content.decode()
    assert tree.person1.name in page


def test_memory_needs_consent_and_shows_on_the_public_page_once_published(tree, login, client):
    from courtyard.participation.models import MemoryItem

    w = world(tree)
    with pytest.raises(ValidationError):
        services.record_memory(by=actor(w.staff), unit=w.unit, kind="story", title="老井", text="院里有口老井",
                               consent=False)
    item = services.record_memory(by=actor(w.staff), unit=w.unit, kind="essay", title="学道苑赋",
                                  text="三院合一，共建共享。", consent=True, contributor=tree.person1, credit="王秀英")
    assert "学道苑赋" not in client.get(f"/u/{tree.unit.slug}/").content.decode()  # curated first
    login(w.staff).post(f"/console/participation/memory/{item.pk}/publish/", {"publish": "1"})
    page = client.get(f"/u/{tree.unit.slug}/").content.decode()
    assert "学道苑赋" in page and "三院合一" in page
    assert MemoryItem.objects.get(pk=item.pk).published_at is not None
    assert login(w.staff).get("/console/participation/memory/").status_code == 200
    assert login(w.staff).get("/console/participation/memory/new/").status_code == 200
