"""Open311 GeoReport v2: our own checks of every endpoint in XML and JSON, then the `georeport`
client from PyPI against a live server (it only reads: it has no POST)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from courtyard.core.audit import Actor
from courtyard.servicedesk import services
from courtyard.servicedesk.models import Request

BASE = "/open311/v2"


@pytest.fixture
def key(sd):
    k, _obj = services.create_api_key(by=Actor.system(), community=sd.t.community_a, name="test")
    return k


def test_discovery_services_definition(sd):
    c = Client()
    j = c.get(f"{BASE}/discovery.json").json()
    assert j["endpoints"][0]["url"].endswith("/open311/v2/")
    x = ET.fromstring(c.get(f"{BASE}/discovery.xml").content)
    assert x.tag == "discovery" and x.find("endpoints/endpoint/formats/format").text == "text/xml"
    services_json = c.get(f"{BASE}/services.json").json()
    assert {"service_code": "water-leak"}.items() <= next(s for s in services_json if s["service_code"] == "water-leak").items()
    x = ET.fromstring(c.get(f"{BASE}/services.xml").content)
    assert x.tag == "services" and x.find("service/service_code") is not None
    d = c.get(f"{BASE}/services/water-leak.json").json()
    assert d["attributes"][0]["code"] == "kind" and d["attributes"][0]["values"][0]["key"] == "repair"
    x = ET.fromstring(c.get(f"{BASE}/services/water-leak.xml").content)
    assert x.tag == "service_definition" and x.find("attributes/attribute/values/value/key").text == "repair"
    r = c.get(f"{BASE}/services/nope.json")
    assert r.status_code == 404 and r.json() == [{"code": 404, "description": "service_code nope not found"}]


def test_post_needs_a_valid_key_and_a_known_service(sd, key):
    c = Client()
    r = c.post(f"{BASE}/requests.xml", {"service_code": "water-leak", "address_id": sd.t.building1.pk})
    assert r.status_code == 403
    err = ET.fromstring(r.content)
    assert err.tag == "errors" and err.find("error/code").text == "403"
    r = c.post(f"{BASE}/requests.json", {"api_key": "wrong", "service_code": "water-leak"})
    assert r.status_code == 403
    r = c.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "nope", "lat": "30.6", "long": "104.1"})
    assert r.status_code == 404
    r = c.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "water-leak"})
    assert r.status_code == 400 and "location" in r.json()[0]["description"]
    r = c.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "water-leak", "address_id": sd.t.building_b.pk})
    assert r.status_code == 400  # another community's building


def test_post_then_read_back_by_token_id_and_filters(sd, key):
    c = Client()
    r = c.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "water-leak", "address_id": sd.t.entrance1.pk,
                                          "description": "Water everywhere\nsecond line", "first_name": "Lin",
                                          "attribute[urgent]": "yes"})
    assert r.status_code == 200, r.content
    row = r.json()[0]
    req = Request.objects.get(pk=row["service_request_id"])
    assert req.source == "open311" and req.channel == "api" and req.urgency == "urgent" and req.title == "Water everywhere"
    t = c.get(f"{BASE}/tokens/{row['token']}.json").json()
    assert t == [{"service_request_id": str(req.pk), "token": req.token}]
    one = c.get(f"{BASE}/requests/{req.pk}.json").json()[0]
    assert one["status"] == "open" and one["expected_datetime"].endswith("+08:00")
    assert one["requested_datetime"].endswith("+08:00") and "Lin" not in str(one)
    x = ET.fromstring(c.get(f"{BASE}/requests/{req.pk}.xml").content)
    assert x.tag == "service_requests" and x.find("request/status").text == "open"
    assert c.get(f"{BASE}/requests/999999.json").status_code == 404
    assert [r["service_request_id"] for r in c.get(f"{BASE}/requests.json?status=open").json()] == [str(req.pk)]
    assert c.get(f"{BASE}/requests.json?status=closed").json() == []
    assert c.get(f"{BASE}/requests.json?service_code=noise-neighbour").json() == []
    assert len(c.get(f"{BASE}/requests.json?service_request_id={req.pk},0").json()) == 1
    assert c.get(f"{BASE}/requests.json?start_date=2099-01-01T00:00:00Z").json() == []
    assert c.get(f"{BASE}/requests.json?start_date=garbage").status_code == 400
    assert c.get(f"{BASE}/requests.json?status=maybe").status_code == 400
    services.transition(by=Actor(user=None), request=req, action="refer", referred_to="Water company", check=False)
    one = c.get(f"{BASE}/requests/{req.pk}.json").json()[0]
    assert one["status"] == "closed" and one["status_notes"] == "Referred to Water company"
    assert c.get(f"{BASE}/requests.yaml").status_code == 404


def test_anonymous_reporter_never_leaks(sd, file_one):
    req = file_one(public_anonymous=True)
    body = Client().get(f"{BASE}/requests/{req.pk}.xml").content.decode()
    assert sd.t.person1.name not in body


@pytest.mark.django_db(transaction=True)
def test_georeport_client_from_pypi(live_server, tree, make_user):
    georeport = pytest.importorskip("georeport")
    from courtyard.servicedesk.models import Category
    from courtyard.servicedesk.seed import seed

    seed()
    cat = Category.objects.get(code="water-leak")
    services.file_request(by=Actor.system(), place=tree.entrance1, category=cat, title="Leak")
    for fmt in ("json", "xml"):
        client = georeport.GeoReport(live_server.url + "/open311/v2", output_format=fmt)
        listed = client.get_service_list()
        assert any(s["service_code"] == "water-leak" for s in listed)
        definition = client.get_service_definition("water-leak")
        assert definition["service_code"] == "water-leak"
        rows = client.get_service_requests(status="open")
        rows = rows if isinstance(rows, list) else [rows]
        assert rows[0]["service_code"] == "water-leak"
        one = client.get_service_request(rows[0]["service_request_id"])
        assert one["status"] == "open"
