"""The public directory of units at /u/ and the resident home's icons and notices (ADR 0012)."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services as dlb


def test_directory_lists_and_searches_units_without_login(tree, django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(4):
        r = client.get("/u/")
    assert r.status_code == 200 and "学道苑" in r.content.decode() and tree.unit.slug in r.content.decode()
    assert "学道苑" in client.get("/u/", {"q": "学道街1号"}).content.decode()  # by courtyard name
    assert "学道苑" in client.get("/u/", {"q": "学道街社区"}).content.decode()  # by community name
    miss = client.get("/u/", {"q": "不存在的小区"}).content.decode()
    assert "学道苑" not in miss and "No courtyard matches" in miss


def test_directory_survives_odd_input(db):
    r = Client().get("/u/", {"q": "%' OR 1=1 --" + "长" * 500})
    assert r.status_code == 200


def test_login_page_links_to_the_directory(db):
    assert b'href="/u/"' in Client().get("/accounts/login/").content


def test_public_pages_carry_the_elderly_switch(tree):
    client = Client()
    for url in ("/u/", f"/u/{tree.unit.slug}/"):
        html = client.get(url).content.decode()
        assert html.count('action="/elderly/"') == 1, url


def test_home_shows_icons_and_current_notices(tree, make_user, login):
    dlb.publish_by_hand(by=Actor.system(), unit=tree.unit, kind="announcement", title="停水通知", body="周三停水",
                        decided_at=timezone.now() - timedelta(hours=1))
    old = dlb.publish_by_hand(by=Actor.system(), unit=tree.unit, kind="announcement", title="去年的通知", body="旧",
                              decided_at=timezone.now() - timedelta(days=100))
    type(old).objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=90))
    html = login(make_user(person=tree.person1)).get("/").content.decode()
    assert "停水通知" in html and "去年的通知" not in html
    assert html.count('<svg class="r-icon"') >= 4 + 3  # tab bar and tiles
    assert "font-awesome" not in html and "iconfont" not in html
