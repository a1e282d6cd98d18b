"""The resident home is cheap: shared blocks come from a cache that edits invalidate at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtyard.org.tests.factories import make_user

# session, user, person with home (one join), unread count
WARM_QUERIES = 7  # session, user, person+home; current notices and votes for you, my points (home sections); unread count


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
