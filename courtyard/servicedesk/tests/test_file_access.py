"""Request photos are served to the reporter (public steps), workers and staff in scope; nobody else."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from courtyard.core.models import Attachment
from courtyard.servicedesk.models import RequestEvent

from .conftest import photo

pytestmark = pytest.mark.django_db


def _photos(req):
    ct = ContentType.objects.get_for_model(RequestEvent)
    return list(Attachment.objects.filter(owner_type=ct, owner_id__in=[str(e.pk) for e in req.events.all()]))


def test_resident_sees_own_photo_on_the_page_and_through_the_view(sd, file_one, login):
    req = file_one(photos=[photo()])
    (att,) = _photos(req)
    resident = login(sd.resident)
    page = resident.get(f"/requests/{req.pk}/")
    assert page.status_code == 200
    assert f'src="/files/{att.pk}/"'.encode() in page.content
    response = resident.get(att.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("who, status", [
    ("staff", 200), ("mg_worker", 200), ("staff_b", 404), ("grid2_worker", 404), ("other_vendor_user", 404),
])
def test_staff_in_scope_only(sd, file_one, login, who, status):
    req = file_one(photos=[photo()])
    (att,) = _photos(req)
    assert login(getattr(sd, who)).get(att.url).status_code == status


def test_another_resident_and_anonymous_cannot_fetch(sd, file_one, login, make_user):
    req = file_one(photos=[photo()])
    (att,) = _photos(req)
    assert login(make_user(person=sd.t.person3)).get(att.url).status_code == 404
    assert Client().get(att.url).status_code == 302
