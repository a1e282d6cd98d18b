"""Election pages (ORG-9): console steps, the resident's phone page, the public result; bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation.models import Election, Nomination
from courtyard.org.models import Person

from .test_elections import _listed, _run, ew  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_console_election_from_creation_to_ballot(ew, login):  # noqa: F811
    staff = login(ew.staff)
    assert staff.get("/console/deliberation/elections/").status_code == 200
    assert staff.get("/console/deliberation/elections/new/").status_code == 200
    bad = staff.post("/console/deliberation/elections/new/", {
        "unit": ew.t.unit.pk, "title": "换届", "body_kind": "committee", "seats": 2, "electorate": "adults",
        "participation": "abc", "term_years": 3, "joint_minimum": 2,
        "nominations_close": _dt(timezone.now() + timedelta(days=3))})
    assert bad.status_code == 400 and not Election.objects.exists()
    r = staff.post("/console/deliberation/elections/new/", {
        "unit": ew.t.unit.pk, "title": "换届", "body_kind": "committee", "seats": 2, "electorate": "adults",
        "participation": "1/2", "term_years": 3, "joint_minimum": 2, "q_women": 1,
        "nominations_close": _dt(timezone.now() + timedelta(days=3))})
    e = Election.objects.get()
    assert r.status_code == 302 and e.quotas == {"women": 1}
    url = f"/console/deliberation/elections/{e.pk}/"
    assert staff.get(url + "nominate/").status_code == 200
    r = staff.post(url + "nominate/", {"kind": "joint", "nominee": ew.people[1].pk, "occupation": "employed",
                                       "nominators": "戊、己"})
    assert r.status_code == 302
    unknown = staff.post(url + "nominate/", {"kind": "joint", "nominee": ew.people[2].pk, "occupation": "employed",
                                             "nominators": "戊，无名氏"})
    assert unknown.status_code == 400 and "无名氏".encode() in unknown.content
    n = Nomination.objects.get()
    assert n.status == "awaiting"
    staff.post(url, {"action": "consent", "nomination": n.pk})
    n.refresh_from_db()
    assert n.status == "consented" and n.consent_channel == "paper"
    page = staff.get(url)
    assert page.status_code == 200 and b"Diversity of the candidate list" in page.content
    # Too early, and not contested: the list form says why, nothing changes.
    r = staff.post(url + "list/", {"reason": ""})
    assert r.status_code == 400
    e.refresh_from_db()
    assert e.status == "nominating"


def test_resident_nominates_consents_and_sees_the_ballot(ew, login):  # noqa: F811
    e = services.create_election(by=Actor(user=ew.staff), unit=ew.t.unit, title="换届", seats=1,
                                 electorate="adults", joint_minimum=2,
                                 nominations_close=timezone.now() + timedelta(days=3))
    me = login(ew.users[0])
    assert me.get("/elections/").status_code == 200
    page = me.get(f"/elections/{e.pk}/")
    assert page.status_code == 200 and b"Nominate myself" in page.content
    me.post(f"/elections/{e.pk}/", {"action": "self", "occupation": "retired", "statement": "愿意服务"})
    assert Nomination.objects.get(nominee=ew.people[0]).status == "consented"
    n = services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[1], kind="joint",
                          occupation="employed", nominators=ew.people[4:6])
    other = login(ew.users[1])
    assert b"I agree to stand" in other.get(f"/elections/{e.pk}/").content
    other.post(f"/elections/{e.pk}/", {"action": "consent"})
    n.refresh_from_db()
    assert n.status == "consented"
    outsider = Person.objects.exclude(unit=ew.t.unit).first()
    if outsider is not None:
        from courtyard.org.tests import factories as f

        assert login(f.make_user(person=outsider)).get(f"/elections/{e.pk}/").status_code == 404


def test_public_page_shows_the_result_without_personal_data(ew, client):  # noqa: F811
    e = _run(ew, _listed(ew, seats=2), [["甲", "乙"]] * 6)
    page = client.get(f"/u/{ew.t.unit.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲" in text and "乙" in text and str(e.term_end.year) in text
    assert ew.people[0].phone_hash not in text


def test_election_pages_have_bounded_queries(ew, login, django_assert_max_num_queries):  # noqa: F811
    e = _listed(ew, seats=2)
    staff, me = login(ew.staff), login(ew.users[0])
    staff.get(f"/console/deliberation/elections/{e.pk}/")
    with django_assert_max_num_queries(30):
        assert staff.get(f"/console/deliberation/elections/{e.pk}/").status_code == 200
    with django_assert_max_num_queries(30):
        assert staff.get("/console/deliberation/elections/").status_code == 200
    with django_assert_max_num_queries(25):
        assert me.get(f"/elections/{e.pk}/").status_code == 200
    # More nominations do not add queries per row.
    for i, person in enumerate(ew.people[3:7]):
        services.nominate(by=Actor(user=ew.staff), election=services.create_election(
            by=Actor(user=ew.staff), unit=ew.t.unit, title=f"x{i}", seats=1, electorate="adults",
            nominations_close=timezone.now() + timedelta(days=3)), nominee=person, kind="party",
            occupation="retired", party_org=ew.party)
    with django_assert_max_num_queries(30):
        assert staff.get("/console/deliberation/elections/").status_code == 200


def test_api_lists_elections_in_scope_and_is_in_the_schema(ew, login, make_user):  # noqa: F811
    e = _listed(ew, seats=2)
    staff = login(ew.staff)
    data = staff.get("/api/v1/elections/").json()
    rows = data.get("results", data)
    assert [r["id"] for r in rows] == [e.pk]
    assert [c["name"] for c in rows[0]["candidates"]] == ["甲", "乙", "丙"]
    outsider = login(make_user("community_staff", ew.t.community_b))
    out = outsider.get("/api/v1/elections/").json()
    assert out.get("results", out) == []
    assert outsider.get(f"/api/v1/elections/{e.pk}/").status_code == 404
    assert login(ew.users[0]).get("/api/v1/elections/").status_code == 403
    schema = staff.get("/api/schema/?format=json").json()
    assert "/api/v1/elections/" in schema["paths"] and "/api/v1/fee-plans/" in schema["paths"]
