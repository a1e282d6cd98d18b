"""The resident home is cheap: shared blocks come from a cache that edits invalidate at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtyard.org.tests.factories import make_user

# Session (with Redis in production: none, cached_db) and user. The page's heading and body are kept
# per login under the versions of what they show (ADR 0035), the unread count per login.
WARM_QUERIES = 2


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_resident_home_runs_a_fixed_handful_of_queries_when_warm(tree, login):
    resident = make_user(person=tree.person1)
    c = login(resident)
    with CaptureQueriesContext(connection) as cold:
        assert c.get("/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        html = c.get("/").content.decode()
    assert tree.unit.name in html
    assert len(warm) == WARM_QUERIES, [q["sql"][:100] for q in warm.captured_queries]
    assert len(cold) > len(warm)


@pytest.mark.django_db
def test_edits_show_on_the_next_view(tree, login):
    resident = make_user(person=tree.person1)
    c = login(resident)
    before = c.get("/").content.decode()
    assert "新来的网格员" not in before
    make_user("grid_worker", tree.grid1, display_name="新来的网格员")  # a grant saved through the service
    assert "新来的网格员" in c.get("/").content.decode()
    # A resident who is given a role sees the console button at once.
    assert 'href="/console/"' not in before
    from courtyard.org.tests.factories import grant_role

    grant_role(resident, "building_head", tree.building1)
    assert 'href="/console/"' in c.get("/").content.decode()


@pytest.mark.django_db
def test_a_new_notification_and_a_published_vote_show_on_the_next_view(tree, login):
    """The cached unread count and the cached votes are dropped when they change."""
    import datetime as dt

    from django.utils import timezone

    from courtyard.core.audit import Actor
    from courtyard.core.notify import notify
    from courtyard.deliberation import services as dl

    resident = make_user(person=tree.person1)
    staff = make_user("community_staff", tree.community_a)
    c = login(resident)
    c.get("/")
    notify(recipients=[resident], kind="k", title="新的通知")
    assert c.get("/").context["unread_count"] == 1
    now = timezone.now()
    vote = dl.create_vote(by=Actor(user=staff), unit=tree.unit, title="是否更换路灯",
                          opens_at=now - dt.timedelta(minutes=1), closes_at=now + dt.timedelta(days=3))
    dl.open_vote(by=Actor(user=staff), vote=vote)
    assert "是否更换路灯" in c.get("/").content.decode()


@pytest.mark.django_db
def test_points_a_duty_shift_and_a_new_name_show_on_the_next_view(tree, login):
    """What only this resident sees is kept per person and per login: their own writes bump it."""
    import datetime as dt

    from django.utils import timezone

    from courtyard.participation import services as points
    from courtyard.participation.choices import Act
    from courtyard.participation.models import Shift
    from courtyard.participation.tests.factories import actor, world

    w = world(tree)
    shift = Shift.objects.create(rota=w.rota, day=timezone.localdate() - dt.timedelta(days=1), person=tree.person1)
    c = login(w.resident)
    assert '<strong class="r-stat">0</strong>' in c.get("/").content.decode()
    points.credit(by=actor(w.staff), unit=w.unit, person=tree.person1, act=Act.ROTA_CHECKIN, source_id=shift.pk)
    assert '<strong class="r-stat">10</strong>' in c.get("/").content.decode()
    # Another resident's points leave this page's cache alone (and do not show on it).
    other = Shift.objects.create(rota=w.rota, day=timezone.localdate() - dt.timedelta(days=1), person=tree.person2)
    points.credit(by=actor(w.staff), unit=w.unit, person=tree.person2, act=Act.ROTA_CHECKIN, source_id=other.pk)
    with CaptureQueriesContext(connection) as warm:
        assert '<strong class="r-stat">10</strong>' in c.get("/").content.decode()
    assert len(warm) == WARM_QUERIES
    # A duty shift planned for tomorrow (bulk-created by the rota service, which sends no signal).
    points.fill_rota(by=actor(w.staff), rota=w.rota, people=[tree.person1],
                     start=timezone.localdate() + dt.timedelta(days=1), days=1)
    assert w.rota.name in c.get("/").content.decode()
    w.resident.display_name = "改过名的居民"
    w.resident.save(update_fields=["display_name"])
    assert "改过名的居民" in c.get("/").content.decode()
