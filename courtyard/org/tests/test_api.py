"""REST API /api/v1/: scoped lists, masked personal numbers, the audited reveal, the OpenAPI docs."""

from __future__ import annotations

import json

import pytest

from courtyard.core.models import AuditEvent, Channel

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


# ---------------------------------------------------------------- schema and docs
def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("/api/v1/places/", "/api/v1/dwellings/", "/api/v1/people/", "/api/v1/role-grants/",
                 "/api/v1/people/{id}/reveal/"):
        assert path in body


def test_schema_has_no_plain_personal_number_fields(client):
    schema = client.get("/api/schema/?format=json").json()
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert "phone_masked" in person and "id_number_masked" in person
    assert "phone" not in person and "id_number" not in person


def test_swagger_ui_renders_from_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


# ---------------------------------------------------------------- access
def test_anonymous_gets_403(client, tree):
    for url in ("/api/v1/places/", "/api/v1/dwellings/", "/api/v1/people/", "/api/v1/role-grants/"):
        assert client.get(url).status_code == 403
    response = client.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                           content_type="application/json")
    assert response.status_code == 403


def test_grid_worker_lists_only_their_grid(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    dwellings = ids(c.get("/api/v1/dwellings/"))
    assert dwellings == {d.pk for d in tree.dwellings_g1}
    people = ids(c.get("/api/v1/people/"))
    assert people == {tree.person1.pk, tree.person2.pk, tree.person3.pk}
    places = ids(c.get("/api/v1/places/"))
    assert tree.grid1.pk in places and tree.building1.pk in places
    assert tree.grid2.pk not in places and tree.community_a.pk not in places
    assert c.get(f"/api/v1/dwellings/{tree.dwelling_g2.pk}/").status_code == 404
    assert c.get(f"/api/v1/people/{tree.person4.pk}/").status_code == 404
    assert c.get(f"/api/v1/dwellings/{tree.dwelling1.pk}/").status_code == 200


def test_committee_member_sees_only_the_unit(tree, make_user, login):
    c = login(make_user("committee_member", tree.unit))
    assert ids(c.get("/api/v1/dwellings/")) == {d.pk for d in tree.dwellings_unit}
    assert ids(c.get("/api/v1/people/")) == {tree.person1.pk, tree.person2.pk}
    assert ids(c.get("/api/v1/places/")) == {tree.building1.pk}


def test_building_head_has_no_grant_list(tree, make_user, login):
    c = login(make_user("building_head", tree.building1))
    assert c.get("/api/v1/role-grants/").status_code == 403


def test_role_grants_are_scoped(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    worker = make_user("grid_worker", tree.grid2)
    c = login(staff)
    grants = ids(c.get("/api/v1/role-grants/"))
    assert staff.grants.get().pk in grants and worker.grants.get().pk in grants
    assert tree.grant_c.pk not in grants
    assert c.get(f"/api/v1/role-grants/{tree.grant_c.pk}/").status_code == 404
    row = c.get(f"/api/v1/role-grants/{worker.grants.get().pk}/").json()
    assert row["role"] == "grid_worker" and row["place"] == tree.grid2.pk and row["is_current"] is True


def test_superuser_sees_everything(tree, login):
    from .factories import make_superuser

    c = login(make_superuser())
    assert tree.dwelling_c.pk in ids(c.get("/api/v1/dwellings/?limit=200"))


# ---------------------------------------------------------------- personal numbers
def test_people_show_masked_numbers_only(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    response = c.get("/api/v1/people/")
    body = response.content.decode()
    assert tree.person1.phone not in body
    assert tree.person1.id_number not in body
    row = next(r for r in response.json()["results"] if r["id"] == tree.person1.pk)
    assert row["phone_masked"] == f"{tree.person1.phone[:3]}****{tree.person1.phone[-4:]}"
    assert row["id_number_masked"].startswith(tree.person1.id_number[:3]) and "*" in row["id_number_masked"]
    assert "phone" not in row and "id_number" not in row
    assert row["tags"] == ["party_member"]
    assert row["home_label"] == tree.dwelling1.label
    detail = c.get(f"/api/v1/people/{tree.person1.pk}/")
    assert tree.person1.phone not in detail.content.decode()


@pytest.mark.parametrize("field", ["phone", "id_number"])
def test_reveal_returns_the_value_and_is_audited(tree, make_user, login, field):
    user = make_user("grid_worker", tree.grid1)
    c = login(user)
    before = AuditEvent.objects.filter(action=f"org.person.reveal_{field}").count()
    response = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": field}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"field": field, "value": getattr(tree.person1, field)}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.filter(action=f"org.person.reveal_{field}").latest("id")
    assert AuditEvent.objects.filter(action=f"org.person.reveal_{field}").count() == before + 1
    assert event.actor == user and event.channel == Channel.API and event.object_id == str(tree.person1.pk)


def test_reveal_of_missing_value_is_empty(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    response = c.post(f"/api/v1/people/{tree.person_nohome.pk}/reveal/", {"field": "phone"},
                      content_type="application/json")
    assert response.status_code == 200 and response.json()["value"] == ""


def test_building_head_cannot_reveal(tree, make_user, login):
    c = login(make_user("building_head", tree.building1))
    response = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                      content_type="application/json")
    assert response.status_code == 403
    assert tree.person1.phone not in response.content.decode()
    assert not AuditEvent.objects.filter(action="org.person.reveal_phone").exists()


def test_reveal_outside_scope_is_404(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    response = c.post(f"/api/v1/people/{tree.person4.pk}/reveal/", {"field": "phone"},
                      content_type="application/json")
    assert response.status_code == 404
    assert tree.person4.phone not in response.content.decode()


def test_reveal_rejects_other_fields(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    for body in ({"field": "name"}, {"field": "phone_hash"}, {}):
        response = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", json.dumps(body),
                          content_type="application/json")
        assert response.status_code == 400
    assert c.get(f"/api/v1/people/{tree.person1.pk}/reveal/").status_code == 405


def test_reveal_needs_csrf_token(tree, make_user):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(make_user("grid_worker", tree.grid1), backend="courtyard.core.auth.PhoneBackend")
    response = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"},
                      content_type="application/json")
    assert response.status_code == 403


# ---------------------------------------------------------------- filters and shapes
def test_dwelling_filters_and_areas(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    assert ids(c.get(f"/api/v1/dwellings/?unit={tree.unit.pk}")) == {d.pk for d in tree.dwellings_unit}
    assert ids(c.get(f"/api/v1/dwellings/?courtyard={tree.courtyard3.pk}")) == {d.pk for d in tree.dwellings_g2}
    row = c.get(f"/api/v1/dwellings/{tree.dwelling1.pk}/").json()
    assert row["area_m2"] == "66.50" and row["area_source"] == "register"
    assert {a["source"] for a in row["areas"]} == {"register", "survey"}
    assert row["unit"] == tree.unit.pk and row["unit_name"] == tree.unit.name
    assert row["label"] == tree.dwelling1.label


def test_filter_choices_stay_in_scope(tree, make_user, login):
    """A courtyard outside the user's scope is not a valid filter value (no existence oracle)."""
    c = login(make_user("grid_worker", tree.grid1))
    response = c.get(f"/api/v1/dwellings/?courtyard={tree.courtyard3.pk}")
    assert response.status_code == 400


def test_people_filters(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    assert ids(c.get("/api/v1/people/?residence_status=floating")) == {tree.person2.pk}
    assert ids(c.get("/api/v1/people/?tag=volunteer")) == {tree.person4.pk}
    assert ids(c.get(f"/api/v1/people/?phone={tree.person3.phone}")) == {tree.person3.pk}


def test_place_filters(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    assert ids(c.get("/api/v1/places/?kind=grid")) == {tree.grid1.pk, tree.grid2.pk}
    assert ids(c.get(f"/api/v1/places/?parent={tree.building1.pk}")) == {e.pk for e in (tree.entrance1, tree.entrance2)}
