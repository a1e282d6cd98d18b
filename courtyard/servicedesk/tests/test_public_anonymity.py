"""Anonymous stays anonymous on every public surface (ADR 0010): Open311 lists and details,
in JSON and XML, never carry a reporter's name or a full phone / ID number, even when a
resident typed their number into the request's first line."""

from __future__ import annotations

import pytest
from django.test import Client

from courtyard.core import pii

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


def _public_bodies(pk) -> str:
    c = Client()
    return "\n".join(
        c.get(url).content.decode()
        for url in (f"{BASE}/requests.json", f"{BASE}/requests.xml", f"{BASE}/requests/{pk}.json",
                    f"{BASE}/requests/{pk}.xml")
    )


@pytest.mark.parametrize("anonymous", [True, False])
def test_open311_shows_no_reporter_and_no_numbers(sd, file_one, anonymous):
    person = sd.t.person1
    title = f"{person.phone} 家里漏水 身份证{person.id_number}"
    req = file_one(public_anonymous=anonymous, title=title)
    body = _public_bodies(req.pk)
    assert str(req.pk) in body
    for secret in (person.name, sd.resident.display_name, person.phone, person.id_number, sd.resident.phone):
        assert secret not in body
    assert pii.mask_phone(person.phone) in body and "家里漏水" in body


def test_scrub_masks_numbers_written_in_many_ways():
    assert pii.scrub("call 13812345678 now") == "call 138****5678 now"
    assert pii.scrub("+86 138 1234 5678") == "138****5678"
    assert pii.scrub("138-1234-5678!") == "138****5678!"
    assert pii.scrub("ID 11010519491231002X.") == f"ID {pii.mask_id_number('11010519491231002X')}."
    assert pii.scrub("room 1302, 2 units") == "room 1302, 2 units"  # short numbers stay
    assert pii.scrub("") == ""


def test_public_pages_identify_nobody_and_show_no_numbers(sd, file_one):
    """The unit page, its ledger and Open311, read anonymously: no session is started, no
    cookie names the visitor, nothing is logged against them, and no full number appears."""
    from django.contrib.sessions.models import Session

    from courtyard.core.models import AuditEvent

    req = file_one(public_anonymous=True, title="楼道灯坏了")
    slug = sd.t.unit.slug
    sessions, events = Session.objects.count(), AuditEvent.objects.count()
    c = Client()
    bodies = []
    for url in (f"/u/{slug}/", f"/u/{slug}/ledger/", f"{BASE}/services.json", f"{BASE}/requests.json",
                f"{BASE}/requests/{req.pk}.xml", f"{BASE}/discovery.json"):
        response = c.get(url)
        assert response.status_code == 200, url
        assert "sessionid" not in response.cookies, url
        bodies.append(response.content.decode())
    assert Session.objects.count() == sessions and AuditEvent.objects.count() == events
    text = "\n".join(bodies)
    people = [sd.t.person1, sd.t.person2, sd.t.person3, sd.t.person4]
    for person in people:
        for number in (person.phone, person.id_number):
            if number:
                assert number not in text
    open311 = "\n".join(bodies[2:])
    assert sd.resident.display_name not in open311 and sd.t.person1.name not in open311  # no reporter
