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
