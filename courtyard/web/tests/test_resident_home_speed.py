"""The resident home is cheap: shared blocks come from a cache that edits invalidate at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtyard.org.tests.factories import make_user

# Session (with Redis in production: none, cached_db), user, person with home (one join), my points
# (participation's home section), whether I have care visits to see (safety's section). The unit's
# current notices, the votes open for you and the unread count come from the cache.
WARM_QUERIES = 5


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
