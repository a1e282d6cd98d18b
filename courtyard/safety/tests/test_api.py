"""The safety API: scoped like the console, in the OpenAPI schema, and no care register at all."""

from django.urls import reverse

from courtyard.core.audit import Actor
from courtyard.safety import services


def test_hazards_api_is_scoped_and_in_the_schema(sf, login):
    h = services.report_hazard(by=Actor(user=sf.staff), place=sf.t.building1, title="井盖缺失", grade="red",
                               source="inspection")
    r = login(sf.staff).get("/api/v1/safety/hazards/")
    assert r.status_code == 200 and [x["id"] for x in r.json()["results"]] == [h.pk]
    assert login(sf.staff_b).get("/api/v1/safety/hazards/").json()["results"] == []
    assert login(sf.staff_b).get(f"/api/v1/safety/hazards/{h.pk}/").status_code == 404
    assert login(sf.resident).get("/api/v1/safety/hazards/").status_code == 403
    for path in ("patrol-tasks", "incidents", "escalations"):
        assert login(sf.staff).get(f"/api/v1/safety/{path}/").status_code == 200
    schema = login(sf.staff).get(reverse("api-schema")).content.decode()
    assert "/api/v1/safety/hazards/" in schema and "/api/v1/safety/care" not in schema
