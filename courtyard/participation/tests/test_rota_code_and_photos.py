"""A duty post's QR code replaced (the old poster stops working, audited) and memory photos (GPS stripped by
core, public exactly while their item is published)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from courtyard.core.models import AuditEvent
from courtyard.participation import services
from courtyard.participation.models import Shift

from .factories import actor, world

pytestmark = pytest.mark.django_db


def _client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    return c


def test_a_new_qr_code_retires_the_old_poster(tree):
    w = world(tree)
    Shift.objects.create(rota=w.rota, day=timezone.localdate(), person=tree.person1)
    old = w.rota.token
    with pytest.raises(PermissionDenied):
        services.rotate_token(by=actor(w.resident), rota=w.rota)
    staff = _client(w.staff)
    r = staff.post(f"/console/participation/rotas/{w.rota.pk}/new-code/")
    assert r.status_code == 302 and r["Location"].endswith("/qr/")
    w.rota.refresh_from_db()
    assert w.rota.token != old
    resident = _client(w.resident)
    assert resident.get(f"/participation/check-in/{old}/").status_code == 404
    assert resident.get(f"/participation/check-in/{w.rota.token}/").status_code == 200
    event = AuditEvent.objects.get(action="participation.rota_token_rotated")
    assert old not in str(event.changes) and w.rota.token not in str(event.changes)


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (200, 170, 120))
    exif = Image.Exif()
    exif[0x8825] = {2: (30.0, 39.0, 0.0), 4: (104.0, 4.0, 0.0)}  # GPSInfo: latitude, longitude
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    assert b"Exif" in buf.getvalue()
    return SimpleUploadedFile("old.jpg", buf.getvalue(), content_type="image/jpeg")


def test_memory_photos_lose_their_gps_and_are_public_only_while_published(tree):
    w = world(tree)
    item = services.record_memory(by=actor(w.staff), unit=tree.unit, kind="old_photo", title="1988年合影",
                                  text="建院合影", consent=True, photo=_jpeg_with_gps())
    photo = services.memory.photos_of(item).get()
    with photo.file.open("rb") as fh:
        data = fh.read()
    assert b"Exif" not in data and b"GPS" not in data
    public = _client()
    assert public.get(f"/files/{photo.pk}/").status_code in (302, 403, 404)
    services.publish_memory(by=actor(w.staff), item=item)
    assert public.get(f"/files/{photo.pk}/").status_code == 200
    page = public.get(f"/u/{tree.unit.slug}/").content.decode()
    assert f"/files/{photo.pk}/" in page
    services.publish_memory(by=actor(w.staff), item=item, publish=False)
    assert public.get(f"/files/{photo.pk}/").status_code in (302, 403, 404)
