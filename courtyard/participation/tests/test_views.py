"""Pages: console lists with bounded queries, the resident's points, shop, shifts and check-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtyard.participation.models import PointsAccount, Redemption, Shift

from .factories import earn, world

pytestmark = pytest.mark.django_db

CONSOLE = ["/console/participation/points/", "/console/participation/rules/", "/console/participation/shop/",
           "/console/participation/redemptions/", "/console/participation/hours/", "/console/participation/rotas/"]


@pytest.mark.parametrize("url", CONSOLE)
def test_console_lists_render_with_bounded_queries(tree, login, url, django_assert_max_num_queries):
    w = world(tree)
    for day in range(1, 4):
        Shift.objects.create(rota=w.rota, day=timezone.localdate() + dt.timedelta(days=day), person=tree.person2)
    earn(w, tree.person1, 3)
    earn(w, tree.person2, 3)
    client = login(w.staff)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200


def test_console_lists_do_not_grow_with_rows(tree, login, django_assert_max_num_queries):
    w = world(tree, stock=50, cost=1)
    earn(w, tree.person1, 20)
    from courtyard.participation import services
    from courtyard.participation.tests.factories import actor

    for _ in range(15):
        services.redeem(by=actor(w.resident), item=w.item)
    client = login(w.staff)
    with django_assert_max_num_queries(25):
        assert client.get("/console/participation/redemptions/").status_code == 200
    account = PointsAccount.objects.get(person=tree.person1)
    with django_assert_max_num_queries(20):
        assert client.get(f"/console/participation/points/{account.pk}/").status_code == 200


def test_other_community_staff_see_nothing(tree, login, make_user):
    w = world(tree)
    earn(w, tree.person1)
    other = login(make_user("community_staff", tree.community_b))
    body = other.get("/console/participation/points/").content.decode()
    assert tree.person1.name not in body
    account = PointsAccount.objects.get(person=tree.person1)
    assert other.get(f"/console/participation/points/{account.pk}/").status_code == 404
    assert other.get(f"/console/participation/rotas/{w.rota.pk}/").status_code == 404


def test_resident_checks_in_by_the_qr_link_and_redeems(tree, login):
    w = world(tree, checkin_points=30, cost=20)
    Shift.objects.create(rota=w.rota, day=timezone.localdate(), person=tree.person1)
    client = login(w.resident)
    url = f"/participation/check-in/{w.rota.token}/"
    assert client.get(url).status_code == 200
    assert not PointsAccount.objects.exists()  # a GET never writes
    response = client.post(url)
    assert response.status_code == 302
    assert PointsAccount.objects.get(person=tree.person1).balance == 30
    page = client.get("/participation/points/").content.decode()
    assert "+30" in page
    client.post(f"/participation/shop/{w.item.pk}/redeem/")
    assert Redemption.objects.filter(account__person=tree.person1).count() == 1
    assert PointsAccount.objects.get(person=tree.person1).balance == 10
    assert "环保袋" in client.get("/participation/shop/").content.decode()


@pytest.mark.parametrize("url", ["/participation/points/", "/participation/shop/", "/participation/shifts/", "/"])
def test_resident_pages_render(tree, login, url, django_assert_max_num_queries):
    w = world(tree)
    earn(w, tree.person1, 3)
    Shift.objects.create(rota=w.rota, day=timezone.localdate() + dt.timedelta(days=5), person=tree.person1)
    client = login(w.resident)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200


def test_swap_by_consent(tree, login):
    w = world(tree)
    day = timezone.localdate() + dt.timedelta(days=2)
    shift = Shift.objects.create(rota=w.rota, day=day, person=tree.person1)
    mine = login(w.resident)
    assert mine.get(f"/participation/shifts/{shift.pk}/swap/").status_code == 200
    mine.post(f"/participation/shifts/{shift.pk}/swap/", {"to_person": tree.person2.pk})
    shift.refresh_from_db()
    assert shift.person_id == tree.person1.pk  # nothing changes before consent
    swap = shift.swaps.get()
    theirs = login(w.neighbour)
    assert "门岗值班" in theirs.get("/participation/shifts/").content.decode()
    theirs.post(f"/participation/swaps/{swap.pk}/answer/", {"accept": "1"})
    shift.refresh_from_db()
    assert shift.person_id == tree.person2.pk


def test_rota_page_assigns_fills_and_prints_the_qr(tree, login):
    w = world(tree)
    client = login(w.staff)
    today = timezone.localdate()
    r = client.post(f"/console/participation/rotas/{w.rota.pk}/",
                    {"form": "fill", "f-start": today.isoformat(), "f-days": "14",
                     "f-people": [tree.person1.pk, tree.person2.pk]})
    assert r.status_code == 302
    assert Shift.objects.filter(rota=w.rota).count() == 14
    bad = client.post(f"/console/participation/rotas/{w.rota.pk}/",
                      {"form": "assign", "a-day": today.isoformat(),
                       "a-person": Shift.objects.get(rota=w.rota, day=today).person_id})
    assert bad.status_code == 400  # already on duty that day
    qr = client.get(f"/console/participation/rotas/{w.rota.pk}/qr/").content.decode()
    assert "<svg" in qr and w.rota.token in qr
