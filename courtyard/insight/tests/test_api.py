"""The REST API: snapshots and cases scoped like the console; in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courtyard.core.indicators import Period
from courtyard.insight.services import take_snapshots

pytestmark = pytest.mark.django_db


def test_snapshots_are_scoped(tree, make_user, login):
    month = Period.containing(timezone.localdate()).previous()
    take_snapshots(period=month)
    staff_b = login(make_user("community_staff", tree.community_b))
    rows = staff_b.get("/api/v1/insight/snapshots/", {"code": "participation_rate", "period_key": month.key}).json()
    keys = {r["scope_key"] for r in rows["results"]}
    assert keys == {f"community:{tree.community_b.pk}"}
    row = rows["results"][0]
    assert set(row) >= {"numerator", "denominator", "value", "colour"}
    officer = login(make_user("subdistrict_officer", tree.subdistrict))
    rows = officer.get("/api/v1/insight/snapshots/", {"code": "participation_rate", "period_key": month.key}).json()
    keys = {r["scope_key"] for r in rows["results"]}
    assert f"community:{tree.community_a.pk}" in keys and f"unit:{tree.unit.pk}" in keys
    assert f"community:{tree.community_c.pk}" not in keys
    assert login(make_user(person=tree.person3)).get("/api/v1/insight/snapshots/").status_code == 403
    assert staff_b.get("/api/v1/insight/warning-cases/").status_code == 200


def test_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/insight/snapshots/" in schema and "/api/v1/insight/warning-cases/" in schema
