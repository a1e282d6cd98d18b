"""The cast POST stays cheap (bench/deliberation_cast.py: cast throughput vs a bare insert view) without
giving up what makes it trustworthy: one current ballot per key, history, the audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.deliberation import services
from courtyard.deliberation.models import Ballot, Vote
from courtyard.deliberation.services import ballots

# session, user, the voter's seat (+ vote + person), lock the key's elector row and read its current
# ballot, INSERT the ballot, INSERT the audit event. Was 9 (plus a second lock) before.
CAST_QUERIES = 6


def _sql(ctx) -> list[str]:
    """The statements a request sent, without the test transaction's savepoints."""
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


@pytest.fixture
def changeable(world):
    now = timezone.now()
    v = services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="可改票", rule="simple_majority",
                             electorate="adults", allow_change=True,
                             opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7))
    return services.open_vote(by=Actor(user=world.staff), vote=v)


def test_cast_post_query_budget(world, login, open_vote):
    ContentType.objects.get_for_model(Vote)  # the content type cache is warm in a running server
    client = login(world.owner_user)
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(f"/votes/{open_vote.pk}/", {"choice": "yes"})
    assert r.status_code == 302 and r["Location"] == f"/votes/{open_vote.pk}/"
    sql = _sql(ctx)
    assert len(sql) <= CAST_QUERIES, "\n".join(sql)
    if connection.features.has_select_for_update:
        assert sum("FOR UPDATE" in s for s in sql) == 1, "one lock per cast: the key's elector row"
    ballot = Ballot.objects.get(vote=open_vote)
    assert ballot.is_current and ballot.choice == "yes" and ballot.voter == world.t.person1
    event = AuditEvent.objects.get(action="deliberation.ballot.cast")
    assert event.changes["ballot"] == [None, ballot.pk] and "yes" not in str(event.changes)
    # a second cast on a vote without changes is refused and writes nothing
    again = client.post(f"/votes/{open_vote.pk}/", {"choice": "no"}, follow=True)
    assert b"already been cast" in again.content
    assert Ballot.objects.filter(vote=open_vote).count() == 1


def test_change_keeps_history_within_budget(world, login, changeable):
    ContentType.objects.get_for_model(Vote)
    client = login(world.owner_user)
    client.post(f"/votes/{changeable.pk}/", {"choice": "yes"})
    with CaptureQueriesContext(connection) as ctx:
        client.post(f"/votes/{changeable.pk}/", {"choice": "no"})
    assert len(_sql(ctx)) <= CAST_QUERIES + 1, "\n".join(_sql(ctx))  # + the UPDATE marking the old one superseded
    rows = list(Ballot.objects.filter(vote=changeable).order_by("id"))
    assert [(b.choice, b.is_current) for b in rows] == [("yes", False), ("no", True)]
    assert rows[0].superseded_at is not None
    last = AuditEvent.objects.filter(action="deliberation.ballot.cast").order_by("-id").first()
    assert last.changes["ballot"] == [rows[0].pk, rows[1].pk]


def test_stale_read_is_caught_by_the_index_and_retried(world, changeable, monkeypatch):
    """A cast that waited for the lock may read the current ballot with an older snapshot; the partial
    unique index refuses its INSERT and the retry reads again under the lock."""
    by = Actor(user=world.owner_user)
    first = services.cast(by=by, vote=changeable, voter=world.t.person1, choice="yes")
    real = ballots._current_ballot
    calls = []

    def stale_once(vote, key, fresh_read):
        calls.append(fresh_read)
        return None if not fresh_read else real(vote, key, fresh_read)

    monkeypatch.setattr(ballots, "_current_ballot", stale_once)
    second = services.cast(by=by, vote=changeable, voter=world.t.person1, choice="no")
    assert calls == [False, True]
    assert list(Ballot.objects.filter(vote=changeable, is_current=True)) == [second]
    first.refresh_from_db()
    assert not first.is_current and first.superseded_at is not None
