"""The request map: an uploaded site plan per courtyard, buildings placed by staff through an
audited service, open requests by building with filters, a clear message when no plan exists."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.org import siteplans
from courtyard.org.models import Place, SitePlan
from courtyard.servicedesk.models import Request


def plan_image(w=800, h=600, fmt="PNG", name="plan.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (240, 236, 224)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def _map_data(html: str) -> dict:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no map data on the page"
    return json.loads(match.group(1))


@pytest.fixture
def planned(sd):
    plan = siteplans.upload_site_plan(by=Actor(user=sd.staff), courtyard=sd.t.courtyard1, upload=plan_image())
    siteplans.place_building(by=Actor(user=sd.staff), building=sd.t.building1, x=120, y=80)
    return plan


def test_without_a_plan_the_map_says_so_and_links_to_the_upload(sd, login):
    html = login(sd.staff).get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk}).content.decode()
    assert "has no site plan yet" in html
    assert reverse("org:site_plan_upload", args=[sd.t.courtyard1.pk]) in html
    assert 'id="req-map"' not in html and "leaflet.js" not in html  # no blank rectangle
    # Someone who may not upload gets the explanation without the link.
    html = login(sd.mg_worker).get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk}).content.decode()
    assert "has no site plan yet" in html and "Community staff can upload one" in html
    assert reverse("org:site_plan_upload", args=[sd.t.courtyard1.pk]) not in html


def test_upload_a_plan_through_the_console(sd, login):
    c = login(sd.staff)
    url = reverse("org:site_plan_upload", args=[sd.t.courtyard1.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"image": plan_image(1000, 700)})
    assert r.status_code == 302 and r.url.endswith(f"?courtyard={sd.t.courtyard1.pk}")
    plan = SitePlan.objects.get(courtyard=sd.t.courtyard1)
    assert (plan.width, plan.height) == (1000, 700) and plan.image.kind == "image"
    assert AuditEvent.objects.filter(action="org.site_plan.upload", object_id=str(sd.t.courtyard1.pk)).exists()
    # The image is served to people who may see the courtyard, and to nobody else.
    img = c.get(reverse("org:site_plan_image", args=[sd.t.courtyard1.pk]))
    assert img.status_code == 200 and img["Content-Type"] == "image/png"
    assert login(sd.staff_b).get(reverse("org:site_plan_image", args=[sd.t.courtyard1.pk])).status_code in (403, 404)


def test_bad_plan_uploads_change_nothing_and_say_why_in_chinese(sd, login):
    from django.conf import settings

    c = login(sd.staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("org:site_plan_upload", args=[sd.t.courtyard1.pk])
    r = c.post(url, {"image": SimpleUploadedFile("plan.png", b"not an image at all", content_type="image/png")})
    assert r.status_code == 400 and "照片" in r.content.decode()
    r = c.post(url, {"image": plan_image(120, 90)})
    assert r.status_code == 400 and "太小" in r.content.decode()
    assert not SitePlan.objects.exists()
    # Another community's staff cannot upload here at all.
    assert login(sd.staff_b).post(url, {"image": plan_image()}).status_code in (403, 404)


def test_place_building_service_checks_and_audits(sd, planned):
    by = Actor(user=sd.staff)
    b = Place.objects.get(pk=sd.t.building1.pk)
    assert (b.map_x, b.map_y) == (120, 80)
    event = AuditEvent.objects.filter(action="org.building.place", object_id=str(b.pk)).latest("pk")
    assert event.changes["map_x"] == [None, 120.0]
    with pytest.raises(ValidationError):
        siteplans.place_building(by=by, building=b, x=801, y=10)  # outside the 800 × 600 plan
    with pytest.raises(ValidationError):
        siteplans.place_building(by=by, building=sd.t.building2, x=10, y=10)  # courtyard2 has no plan
    with pytest.raises(ValidationError):
        siteplans.place_building(by=by, building=sd.t.entrance1, x=10, y=10)  # not a building
    with pytest.raises(PermissionDenied):
        siteplans.place_building(by=Actor(user=sd.staff_b), building=b, x=10, y=10)
    b.refresh_from_db()
    assert (b.map_x, b.map_y) == (120, 80)
    siteplans.place_building(by=by, building=b, x=None, y=None)
    b.refresh_from_db()
    assert b.map_x is None


def test_place_building_over_http(sd, planned, login):
    c = login(sd.staff)
    url = reverse("org:building_place", args=[sd.t.building1.pk])
    r = c.post(url, {"x": "300.26", "y": "200"})
    assert r.status_code == 200 and r.json() == {"ok": True, "id": sd.t.building1.pk, "name": "1栋",
                                                 "x": 300.3, "y": 200.0}
    r = c.post(url, {"x": "abc", "y": "1"})
    assert r.status_code == 400 and r.json()["error"]
    r = c.post(url, {"x": "5000", "y": "1"})
    assert r.status_code == 400 and "outside" in r.json()["error"]
    assert login(sd.subdistrict).post(url, {"x": "1", "y": "1"}).status_code == 403  # may view, not edit
    # The micro-grid worker looks after the building's registry entry, so may place it.
    assert login(sd.mg_worker).post(url, {"x": "2", "y": "3"}).status_code == 200
    assert login(sd.staff_b).post(url, {"x": "1", "y": "1"}).status_code in (403, 404)
    assert Place.objects.get(pk=sd.t.building1.pk).map_x == 2


def test_map_shows_plan_buildings_requests_legend_and_filters(sd, planned, file_one, login):
    leak = file_one(title="厨房漏水")
    noisy = file_one(title="楼上噪音", category=sd.noise, place=sd.t.entrance2)
    Request.objects.filter(pk=leak.pk).update(overdue=True)
    other = file_one(title="别的院", place=sd.t.entrance3)  # courtyard2: not on this map
    c = login(sd.staff)
    html = c.get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk}).content.decode()
    data = _map_data(html)
    assert data["plan"] == {"url": data["plan"]["url"], "width": 800, "height": 600}
    assert data["plan"]["url"].startswith(reverse("org:site_plan_image", args=[sd.t.courtyard1.pk]))
    [b1] = [b for b in data["buildings"] if b["id"] == sd.t.building1.pk]
    assert (b1["x"], b1["y"], b1["count"], b1["overdue"]) == (120, 80, 2, 1)
    assert {r["id"] for r in b1["requests"]} == {leak.pk, noisy.pk} and f"#{other.pk} " not in html
    assert "Map legend" in html and "Overdue requests" in html and "leaflet.js" in html
    assert data["placeUrl"]  # staff may place buildings
    # Filters: overdue only, a category (its sub-categories included), a state.
    data = _map_data(c.get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk,
                                                        "state": "overdue"}).content.decode())
    assert [r["id"] for b in data["buildings"] for r in b["requests"]] == [leak.pk]
    data = _map_data(c.get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk,
                                                        "category": sd.noise.parent_id}).content.decode())
    assert [r["id"] for b in data["buildings"] for r in b["requests"]] == [noisy.pk]
    data = _map_data(c.get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard1.pk,
                                                        "state": "in_progress"}).content.decode())
    assert [r for b in data["buildings"] for r in b["requests"]] == []
    # Nonsense filters are ignored, not a 500.
    assert c.get(reverse("servicedesk:map"), {"courtyard": "x", "state": "<b>", "category": "9999"}).status_code == 200
    # A worker without edit rights sees the map but no placing.
    data = _map_data(login(sd.mg_worker).get(reverse("servicedesk:map"),
                                             {"courtyard": sd.t.courtyard1.pk}).content.decode())
    assert data["placeUrl"] == ""


def test_map_query_count_does_not_grow_with_requests(sd, planned, file_one, login):
    c = login(sd.staff)
    file_one()
    url = reverse("servicedesk:map")
    c.get(url, {"courtyard": sd.t.courtyard1.pk})
    with CaptureQueriesContext(connection) as few:
        c.get(url, {"courtyard": sd.t.courtyard1.pk})
    for n in range(6):
        file_one(title=f"更多 {n}", place=sd.t.entrance2)
    with CaptureQueriesContext(connection) as many:
        c.get(url, {"courtyard": sd.t.courtyard1.pk})
    assert len(many) == len(few) <= 20


def test_demo_site_plans_draws_uploads_and_places(sd, login):
    from django.core.management import call_command

    call_command("demo_site_plans", stdout=io.StringIO())
    plans = SitePlan.objects.select_related("courtyard")
    assert {p.courtyard for p in plans} >= {sd.t.courtyard1, sd.t.courtyard2, sd.t.courtyard3}
    placed = Place.objects.filter(courtyard=sd.t.courtyard3, kind="building")
    assert placed.count() == 2 and all(0 < b.map_x < 1000 and 0 < b.map_y < 700 for b in placed)
    assert AuditEvent.objects.filter(action="org.building.place").count() >= 4
    html = login(sd.staff).get(reverse("servicedesk:map"), {"courtyard": sd.t.courtyard3.pk}).content.decode()
    assert len(_map_data(html)["buildings"]) == 2
    call_command("demo_site_plans", stdout=io.StringIO())  # idempotent: courtyards with a plan are skipped
    assert SitePlan.objects.count() == plans.count()
