"""Claims: posted → claimed → done → thanked; only the poster's thanks earns the claimer points."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtyard.org.tests.factories import make_user
from courtyard.participation import services
from courtyard.participation.choices import Act, WishState
from courtyard.participation.models import PointsAccount, Wish

from .factories import actor, world

pytestmark = pytest.mark.django_db


def test_the_whole_cycle_and_points_only_on_thanks(tree):
    w = world(tree)
    services.save_rule(by=actor(w.staff), unit=w.unit, act=Act.CLAIM_DONE, points=20)
    wish = services.post_wish(by=actor(w.resident), title="帮忙换灯泡", kind="small_wish")
    with pytest.raises(PermissionDenied):
        services.claim_wish(by=actor(w.resident), wish=wish)  # not one's own
    services.claim_wish(by=actor(w.neighbour), wish=wish)
    with pytest.raises(ValidationError):
        services.claim_wish(by=actor(make_user(person=tree.person3)), wish=wish)  # already claimed
    with pytest.raises(PermissionDenied):
        services.report_done(by=actor(w.resident), wish=wish, note="done")
    services.report_done(by=actor(w.neighbour), wish=wish, note="换好了")
    assert not PointsAccount.objects.filter(person=tree.person2).exists()  # no points before the thanks
    with pytest.raises(PermissionDenied):
        services.thank(by=actor(w.neighbour), wish=wish, thanks="自己谢自己")
    _w, entry = services.thank(by=actor(w.resident), wish=wish, thanks="谢谢小李")
    assert entry.points == 20 and Wish.objects.get(pk=wish.pk).state == WishState.THANKED
    assert PointsAccount.objects.get(person=tree.person2).balance == 20


def test_wish_pages(tree, login):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    w = world(tree)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "JPEG")
    poster = login(w.resident)
    r = poster.post("/participation/wishes/", {"kind": "small_wish", "title": "想学用智能手机",
                                               "photo": SimpleUploadedFile("a.jpg", buf.getvalue(), "image/jpeg")})
    wish = Wish.objects.get()
    assert r.status_code == 302
    claimer = login(w.neighbour)
    assert "想学用智能手机" in claimer.get("/participation/wishes/").content.decode()
    claimer.post(f"/participation/wishes/{wish.pk}/", {"step": "claim", "team": "青年志愿队"})
    page = poster.get(f"/participation/wishes/{wish.pk}/").content.decode()
    assert "青年志愿队" in page and "/files/" in page
    outsider = login(make_user(person=tree.person_c))
    assert outsider.get(f"/participation/wishes/{wish.pk}/").status_code == 404
    staff = login(w.staff)
    assert "想学用智能手机" in staff.get("/console/participation/wishes/").content.decode()
