"""The courtyard edit page (ORG-8): management mode, type and property-owning unit, audited; bad input on the
field; only staff who may change organisations in the courtyard's community."""

from __future__ import annotations

import pytest
from django.test import Client

from courtyard.core.models import AuditEvent
from courtyard.org.models import Courtyard
from courtyard.org.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    return c


def test_staff_edit_a_courtyards_fields(tree, django_assert_max_num_queries):
    staff = _client(make_user("community_staff", tree.community_a))
    url = f"/console/courtyards/{tree.courtyard1.pk}/edit/"
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200
    bad = staff.post(url, {"name": tree.courtyard2.name, "management_mode": "", "housing_type": ""})
    assert bad.status_code == 400 and "already exists" in bad.content.decode()  # said on the field
    ok = staff.post(url, {"name": tree.courtyard1.name, "address": "学道街1号", "built_year": "1985",
                          "management_mode": "self", "housing_type": "", "property_owner": "锦江区房管局"})
    assert ok.status_code == 302
    c = Courtyard.objects.get(pk=tree.courtyard1.pk)
    assert (c.property_owner, c.built_year, c.management_mode) == ("锦江区房管局", 1985, "self")
    assert AuditEvent.objects.filter(action="org.courtyard.update").count() == 1
    outsider = _client(make_user("community_staff", tree.community_b))
    assert outsider.get(url).status_code in (403, 404)
