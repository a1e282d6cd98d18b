"""Bad input to the service desk: 400 or a clear message, nothing stored, the public JSON stays JSON."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from courtyard.core.audit import Actor
from courtyard.servicedesk import services
from courtyard.servicedesk.models import Request

from .test_open311 import BASE, key  # noqa: F401 - the API key fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lat, long", [
    ("NaN", "104.1"), ("30.6", "nan"), ("Infinity", "104.1"), ("30.6", "-Infinity"), ("1e309", "104.1"),
    ("91", "104.1"), ("-90.5", "104.1"), ("30.6", "180.01"), ("30.6", "-181"), ("abc", "104.1"), ("30.6", ""),
])
def test_open311_refuses_non_finite_or_out_of_range_positions(sd, key, lat, long):  # noqa: F811
    before = Request.objects.count()
    r = Client().post(f"{BASE}/requests.json", {"api_key": key, "service_code": "water-leak", "lat": lat,
                                                "long": long, "description": "pipe"})
    assert r.status_code == 400
    json.loads(r.content)  # valid JSON (no NaN token)
    assert Request.objects.count() == before


def test_open311_accepts_edges_and_the_public_json_stays_valid(sd, key, file_one):  # noqa: F811
    r = Client().post(f"{BASE}/requests.json", {"api_key": key, "service_code": "water-leak", "lat": "-90",
                                                "long": "180", "description": "pipe"})
    assert r.status_code == 200
    # A row stored before this check with a non-finite position still gives valid public JSON.
    bad = file_one()
    Request.objects.filter(pk=bad.pk).update(lat=float("nan"), long=float("inf"))
    listing = Client().get(f"{BASE}/requests.json")
    assert listing.status_code == 200
    rows = json.loads(listing.content, parse_constant=lambda name: pytest.fail(f"{name} in public JSON"))
    assert rows


def test_request_description_over_the_limit_is_refused_and_nothing_stored(sd, file_one):
    before = Request.objects.count()
    with pytest.raises(ValidationError) as info:
        file_one(description="漏" * 5001)
    assert "at most 5000" in info.value.messages[0]
    assert Request.objects.count() == before
    assert file_one(description="漏" * 5000).pk


def test_request_page_shows_the_length_message(sd, login):
    c = login(sd.resident)
    r = c.post("/requests/new/", {"place": sd.t.entrance1.pk, "category": sd.leak.pk, "title": "Leak",
                                  "description": "x" * 6000, "kind": "repair", "urgency": "normal"})
    assert r.status_code in (200, 400)
    assert b"at most 5000" in r.content
    assert not Request.objects.exists()


def test_step_note_over_the_limit_is_refused(sd, file_one):
    req = file_one()
    state, events = req.state, req.events.count()
    with pytest.raises(ValidationError):
        services.transition(by=Actor(user=sd.staff), request=req, action="accept", note="n" * 2001)
    req.refresh_from_db()
    assert (req.state, req.events.count()) == (state, events)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_bulk_action_never_redirects_off_site(sd, login, file_one, target):
    req = file_one()
    r = login(sd.staff).post("/console/requests/bulk/", {"action": "accept", "ids": [str(req.pk), str(2**64)],
                                                         "next": target})
    assert r.status_code == 302
    assert r["Location"] == "/console/requests/"


def test_bulk_action_follows_a_local_next(sd, login):
    r = login(sd.staff).post("/console/requests/bulk/", {"action": "accept", "ids": [], "next": "/console/requests/?tab=mine"})
    assert r["Location"] == "/console/requests/?tab=mine"
