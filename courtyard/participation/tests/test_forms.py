"""Every console form opens for the people who may use it and saves through its service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtyard.participation.models import Event, PointsRule, Rota, ShopItem, Talent, TrainingRecord, VolunteerHours

from .factories import world

pytestmark = pytest.mark.django_db

FORMS = ["/console/participation/rules/new/", "/console/participation/shop/new/", "/console/participation/hours/new/",
         "/console/participation/rotas/new/", "/console/participation/events/new/",
         "/console/participation/resources/new/", "/console/participation/talent/new/",
         "/console/participation/training/new/"]


@pytest.mark.parametrize("url", FORMS)
def test_forms_open(tree, login, url):
    w = world(tree)
    assert login(w.staff).get(url).status_code == 200


def test_forms_open_for_a_social_worker_and_a_committee_member(tree, login, make_user):
    social = login(make_user("social_worker", tree.community_a))
    assert social.get("/console/participation/events/new/").status_code == 200
    committee = login(make_user("committee_member", tree.unit))
    assert committee.get("/console/participation/rules/new/").status_code == 200
    assert committee.get("/console/participation/resources/new/").status_code == 403  # community-level


def test_forms_save(tree, login):
    w = world(tree)
    c = login(w.staff)
    today = timezone.localdate()
    u = tree.unit.pk
    assert c.post(FORMS[0], {"unit": u, "act": "claim_done", "points": 20, "daily_cap": 0, "monthly_cap": 0,
                             "active": "on"}).status_code == 302
    assert c.post(FORMS[1], {"unit": u, "name": "雨伞", "kind": "goods", "cost": 15, "stock": 3,
                             "active": "on"}).status_code == 302
    assert c.post(FORMS[2], {"unit": u, "person": tree.person1.pk, "activity": "清扫", "day": today.isoformat(),
                             "hours": 2}).status_code == 302
    assert c.post(FORMS[3], {"unit": u, "name": "夜巡", "kind": "patrol", "post": "北门", "daily": "on"}).status_code == 302
    start = timezone.localtime() + dt.timedelta(days=2)
    assert c.post(FORMS[4], {"unit": u, "title": "亲子读书会", "target_group": "children",
                             "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                             "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                             "venue": "合议轩", "capacity": 10}).status_code == 302
    assert c.post(FORMS[6], {"unit": u, "person": tree.person1.pk, "kind": "local_talent", "skills": "书法",
                             "consent": "on"}).status_code == 302
    assert c.post(FORMS[7], {"unit": u, "person": tree.person1.pk, "course": "议事规则", "level": "community",
                             "hours": 4, "day": today.isoformat()}).status_code == 302
    assert PointsRule.objects.filter(act="claim_done").exists() and ShopItem.objects.filter(name="雨伞").exists()
    assert VolunteerHours.objects.exists() and Rota.objects.filter(name="夜巡").exists()
    assert Event.objects.filter(title="亲子读书会").exists() and Talent.objects.exists()
    assert TrainingRecord.objects.exists()
    bad = c.post(FORMS[4], {"unit": u, "title": "x", "target_group": "children",
                            "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
                            "venue": "v", "capacity": 10})
    assert bad.status_code == 400 and "ends after it starts" in bad.content.decode()


def test_item_names_link_to_the_edit_form_only_for_those_who_stock_the_shop(tree, login, make_user):
    w = world(tree)
    assert f"/console/participation/shop/{w.item.pk}/" in login(w.staff).get("/console/participation/shop/").content.decode()
    evaluator = login(make_user("evaluator", tree.subdistrict))
    page = evaluator.get("/console/participation/shop/").content.decode()
    assert "环保袋" in page and f"/console/participation/shop/{w.item.pk}/" not in page
