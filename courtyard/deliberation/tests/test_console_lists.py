"""The console's topic, vote and meeting lists (console toolkit): scoped, filtered, paged with a
bounded number of queries however many rows there are, exported."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services


def _topics(world, n):
    return [services.raise_topic(by=Actor(user=world.owner_user), unit=world.t.unit, title=f"议题 {i}",
                                 body="正文") for i in range(n)]


def _votes(world, n):
    now = timezone.now()
    return [services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title=f"表决 {i}",
                                 opens_at=now + timedelta(days=1 + i), closes_at=now + timedelta(days=9 + i))
            for i in range(n)]


def test_topic_list_queries_do_not_grow_with_rows(world, login, django_assert_num_queries):
    client = login(world.staff)
    url = reverse("deliberation:console_topics")
    _topics(world, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _topics(world, 12)
    with django_assert_num_queries(len(few)):
        page = client.get(url).context["page"]
    assert len(page.rows) == 14 and page.rows[0].title == "议题 11"  # newest first


def test_topic_list_filters_by_title_and_step_and_is_scoped(world, login):
    a, b = _topics(world, 2)
    url = reverse("deliberation:console_topics")
    rows = login(world.staff).get(url + "?text=1").context["page"].rows
    assert [t.pk for t in rows] == [b.pk]
    assert login(world.staff).get(url + "?step=voting").context["page"].rows == []
    assert login(world.owner_user).get(url).status_code in (302, 403)  # residents have no console list


def test_vote_list_counts_electors_and_ballots_per_row(world, login, open_vote):
    _votes(world, 3)
    page = login(world.staff).get(reverse("deliberation:console_votes")).context["page"]
    row = next(v for v in page.rows if v.pk == open_vote.pk)
    assert row.n_electors == open_vote.electors.count() > 0 and row.n_ballots == 0
    assert len(page.rows) == 4


def test_vote_list_exports_to_excel(world, login):
    _votes(world, 2)
    r = login(world.staff).get(reverse("deliberation:console_votes") + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_meeting_list_filters_by_minutes(world, login):
    now = timezone.now()
    m = services.create_meeting(by=Actor(user=world.staff), unit=world.t.unit, kind="council",
                                title="院落议事会", starts_at=now + timedelta(days=2))
    client = login(world.staff)
    url = reverse("deliberation:console_meetings")
    assert [x.pk for x in client.get(url).context["page"].rows] == [m.pk]
    assert client.get(url + "?minutes=true").context["page"].rows == []
    assert [x.pk for x in client.get(url + "?minutes=false").context["page"].rows] == [m.pk]
