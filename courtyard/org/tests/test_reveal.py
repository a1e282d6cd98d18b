"""Personal data that cannot be enumerated (ADR 0010): a search by a full number is a reveal,
reveals are throttled and audited, pages are capped, a unit's board reads its unit's trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from courtyard.core import pii
from courtyard.core.api.pagination import MAX_PAGE_SIZE
from courtyard.core.audit import Actor, record
from courtyard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _start() -> dt.datetime:
    """10:00:05 today, local time: grants made today are in force, windows start fresh."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0, 5)))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


# ---------------------------------------------------------------- search by full number
def test_search_by_full_phone_is_an_audited_reveal(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    c = login(staff)
    response = c.get("/api/v1/people/", {"phone": tree.person3.phone})
    assert _ids(response) == {tree.person3.pk}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="org.person.search_phone")
    assert event.actor == staff and event.object_id == str(tree.person3.pk) and event.channel == "api"
    assert event.changes == {"matches": [tree.person3.pk]}
    # The trail keeps the number masked: the audit trail is no second copy of the registry.
    assert event.note == pii.mask_phone(tree.person3.phone) and tree.person3.phone not in str(event.changes)


def test_search_by_full_id_number(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    assert _ids(c.get("/api/v1/people/", {"id_number": tree.person1.id_number})) == {tree.person1.pk}
    assert AuditEvent.objects.filter(action="org.person.search_id_number").count() == 1


def test_without_the_reveal_permission_a_real_number_looks_like_an_unknown_one(tree, make_user, login):
    head = make_user("building_head", tree.building1)  # sees people, may not reveal
    c = login(head)
    assert tree.person1.pk in _ids(c.get("/api/v1/people/"))
    real = c.get("/api/v1/people/", {"phone": tree.person1.phone})
    unknown = c.get("/api/v1/people/", {"phone": "13900000000"})
    assert real.status_code == unknown.status_code == 200
    assert real.json() == unknown.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert not AuditEvent.objects.filter(action__startswith="org.person.search").exists()
    # The console list answers the same way.
    page_real = login(head).get("/console/people/", {"phone": tree.person1.phone})
    assert page_real.status_code == 200 and tree.person1.name not in page_real.content.decode()
    # The console offers them no search box for full numbers at all.
    assert _hidden_phone_field(login(head).get("/console/people/").content.decode())


def test_a_number_outside_the_revealers_scope_is_no_match(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    assert _ids(c.get("/api/v1/people/", {"phone": tree.person4.phone})) == set()  # person4 lives in grid 2
    assert _ids(c.get("/api/v1/people/", {"phone": tree.person1.phone})) == {tree.person1.pk}


def test_search_and_reveal_share_one_throttled_budget(tree, make_user, login, settings):
    settings.COURTYARD_REVEAL_PER_MINUTE = 3
    c = login(make_user("community_staff", tree.community_a))
    with time_machine.travel(_start(), tick=False) as clock:
        assert _ids(c.get("/api/v1/people/", {"phone": tree.person1.phone})) == {tree.person1.pk}
        assert c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                      content_type="application/json").status_code == 200
        assert c.get("/api/v1/people/", {"phone": tree.person3.phone}).status_code == 200
        throttled = c.get("/api/v1/people/", {"phone": tree.person3.phone})
        assert throttled.status_code == 429 and int(throttled["Retry-After"]) <= 60
        reveal = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "id_number"},
                        content_type="application/json")
        assert reveal.status_code == 429
        # Refused reveals write nothing: three events for three answers.
        assert AuditEvent.objects.filter(action__startswith="org.person.").filter(
            action__regex=r"(search|reveal)_").count() == 3
        clock.shift(60)
        assert c.get("/api/v1/people/", {"phone": tree.person3.phone}).status_code == 200


def test_the_daily_budget_stops_a_slow_bulk_reveal(tree, make_user, login, settings):
    settings.COURTYARD_REVEAL_PER_MINUTE = 100
    settings.COURTYARD_REVEAL_PER_DAY = 5
    c = login(make_user("community_staff", tree.community_a))
    with time_machine.travel(_start(), tick=False) as clock:
        for _ in range(5):
            assert c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                          content_type="application/json").status_code == 200
            clock.shift(61)
        assert c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                      content_type="application/json").status_code == 429


def test_console_reveal_is_no_store_and_throttled(tree, make_user, login, settings):
    settings.COURTYARD_REVEAL_PER_MINUTE = 1
    c = login(make_user("community_staff", tree.community_a))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(_start(), tick=False):
        response = c.post(f"/console/people/{tree.person1.pk}/reveal/", {"field": "phone"})
        assert response.status_code == 200 and tree.person1.phone in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        response = c.post(f"/console/people/{tree.person1.pk}/reveal/", {"field": "phone"})
        assert response.status_code == 429 and tree.person1.phone not in response.content.decode()
        assert "Please wait" in response.content.decode()
        # The console's search by number spends from the same budget.
        assert not _hidden_phone_field(c.get("/console/people/").content.decode())
        page = c.get("/console/people/", {"phone": tree.person1.phone})
        assert page.status_code == 200 and page["Cache-Control"] == "no-store"
        assert tree.person1.name not in page.content.decode().split("<table", 1)[-1]


# ---------------------------------------------------------------- page sizes
def test_api_pages_are_capped(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    body = c.get("/api/v1/places/", {"limit": 10**9}).json()
    assert body["count"] > 5
    nxt = c.get("/api/v1/places/", {"limit": 2}).json()["next"]
    assert "limit=2" in nxt
    # Asking for more than the cap gets the cap (the link to the next page says so).
    huge = c.get("/api/v1/places/", {"limit": 2**63, "offset": 1})
    assert huge.status_code == 200 and len(huge.json()["results"]) <= MAX_PAGE_SIZE
    assert c.get("/api/v1/places/", {"offset": 2**63}).json()["results"] == []


def test_the_cap_is_200(rf):
    from courtyard.core.api.pagination import CappedLimitOffsetPagination

    class _Req:
        query_params = {"limit": str(10**9)}

    assert CappedLimitOffsetPagination().get_limit(_Req()) == MAX_PAGE_SIZE == 200
    assert settings.REST_FRAMEWORK["PAGE_SIZE"] <= MAX_PAGE_SIZE


# ---------------------------------------------------------------- audit trail of a unit
def test_a_supervisory_board_reads_its_units_trail_not_the_communitys(tree, make_user, login):
    board = make_user("supervisory_member", tree.unit)
    staff = make_user("community_staff", tree.community_a)
    system = Actor.system()
    in_unit = record(system, "org.person.update", tree.person1, note="in the unit")
    outside = record(system, "org.person.update", tree.person4, note="elsewhere in the community")
    unit_row = record(system, "org.unit.update", tree.unit, note="the unit itself")
    assert in_unit.unit_id == tree.unit.pk and unit_row.unit_id == tree.unit.pk and outside.unit_id is None

    seen = set(AuditEvent.objects.visible_to(board).values_list("pk", flat=True))
    assert {in_unit.pk, unit_row.pk} <= seen and outside.pk not in seen
    assert not AuditEvent.objects.visible_to(board).filter(unit__isnull=True).exists()
    assert {in_unit.pk, unit_row.pk, outside.pk} <= set(AuditEvent.objects.visible_to(staff).values_list("pk", flat=True))

    page = login(board).get("/console/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "in the unit" in html or tree.person1.name in html
    assert "elsewhere in the community" not in html


def test_fields_named_unit_that_are_no_unit_are_ignored(tree):
    """An SLA policy's `unit` is hours or days, not a self-governance unit."""
    from courtyard.core.audit import unit_of
    from courtyard.servicedesk.models import SlaPolicy

    policy = SlaPolicy()
    assert unit_of(policy) is None


def _hidden_phone_field(html: str) -> bool:
    """The number search is offered only as a hidden field (attribute order is the renderer's)."""
    import re

    return any("name=\"phone\"" in tag and "type=\"hidden\"" in tag for tag in re.findall(r"<input[^>]*>", html))
