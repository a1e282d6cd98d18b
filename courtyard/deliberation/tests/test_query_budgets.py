"""Every deliberation list and detail page (resident, console, public) renders with the same number of
queries whether its lists hold N rows or 5N rows (ARCHITECTURE: bounded queries per page)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation.models import (
    Attendance,
    Ballot,
    Document,
    DocumentComment,
    DocumentVersion,
    Elector,
    ElectorPerson,
    Meeting,
    Notice,
    Resolution,
    Topic,
    TopicComment,
    Vote,
)
from courtyard.org.models import Person

N = 3
_seq = count(1)


@pytest.fixture
def pages(world):
    """The objects the detail pages show; `grow(k)` adds k more rows to every list they render."""
    unit, now, staff = world.t.unit, timezone.now(), world.staff
    sys = Actor.system()
    topic = services.advance_topic(by=sys, topic=services.raise_topic(
        by=sys, unit=unit, title="主议题", body="…", channel="baba", raised_by=world.t.person1), to="discussion")
    vote = services.open_vote(by=Actor(user=staff), vote=services.create_vote(
        by=Actor(user=staff), unit=unit, title="主表决", rule="simple_majority", electorate="adults",
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=3)))
    closed = services.create_vote(by=Actor(user=staff), unit=unit, title="已结束", rule="art278_ordinary",
                                  opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=1))
    closed = services.open_vote(by=Actor(user=staff), vote=closed)
    services.cast(by=Actor(user=world.owner_user), vote=closed, voter=world.t.person1, choice="yes")
    closed = services.close_vote(by=sys, vote=closed, now=now)
    meeting = services.create_meeting(by=Actor(user=staff), unit=unit, kind="council", title="议事会",
                                      starts_at=now - timedelta(hours=1), agenda=[topic])
    v1 = services.new_version(by=Actor(user=staff), unit=unit, kind="convention", title="公约", text="## 一\n甲")
    v2 = services.new_version(by=Actor(user=staff), document=v1.document, text="## 一\n乙\n## 二\n丙",
                              status="comments", comments_until=now + timedelta(days=5))
    services.record_minutes(by=Actor(user=staff), meeting=services.create_meeting(
        by=Actor(user=staff), unit=unit, kind="council", title="已开会", starts_at=now - timedelta(days=1)),
        minutes="纪要")
    minutes_notice = Notice.objects.get(kind="minutes")
    result_notice = Notice.objects.get(vote=closed)
    person1 = world.t.person1

    def grow(k: int) -> None:
        people = Person.objects.bulk_create([
            Person(community=world.t.community_a, name=f"居民{next(_seq)}", unit=unit, home=person1.home,
                   path=person1.path, birth_year=1950 + i % 60, residence_status="floating" if i % 2 else "")
            for i in range(k)])
        topics = Topic.objects.bulk_create([Topic(unit=unit, community_id=unit.community_id, title=f"议题{next(_seq)}",
                                                  body="…", raised_by=person1, step="discussion") for _ in range(k)])
        TopicComment.objects.bulk_create([TopicComment(topic=topic, person=person1, body="意见") for _ in range(k)])
        # votes the resident is in, and electors / pending paper ballots / voters of the main vote
        votes = Vote.objects.bulk_create([Vote(unit=unit, community_id=unit.community_id, title=f"表决{next(_seq)}",
                                               opens_at=now, closes_at=now + timedelta(days=1), status="open",
                                               electorate="adults", rule="simple_majority") for _ in range(k)])
        ElectorPerson.objects.bulk_create([ElectorPerson(vote=v, person=person1, key=f"p{person1.pk}") for v in votes])
        keys = [f"x{next(_seq)}" for _ in range(k)]
        Elector.objects.bulk_create([Elector(vote=vote, key=key, label=key) for key in keys])
        ElectorPerson.objects.bulk_create([ElectorPerson(vote=vote, person=p, key=key)
                                           for p, key in zip(people, keys, strict=True)])
        Ballot.objects.bulk_create([Ballot(vote=vote, voter_key=key, voter=p, choice="yes", channel="paper",
                                           cast_by=staff, paper_serial=key) for p, key in zip(people[::2], keys[::2], strict=True)])
        Elector.objects.bulk_create([Elector(vote=closed, key=key, label=key) for key in keys])
        Notice.objects.bulk_create([Notice(unit=unit, community_id=unit.community_id, kind="announcement",
                                           title=f"公告{next(_seq)}", body="…", decided_at=now - timedelta(days=2),
                                           published_at=now) for _ in range(k)])
        Meeting.objects.bulk_create([Meeting(unit=unit, community_id=unit.community_id, kind="leading_group",
                                             title=f"会议{next(_seq)}", starts_at=now, signin_token=f"t{next(_seq)}")
                                     for _ in range(k)])
        Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p, method="desk") for p in people])
        meeting.agenda.add(*topics)
        Resolution.objects.bulk_create([Resolution(meeting=meeting, topic=t, text="决议") for t in topics])
        docs = Document.objects.bulk_create([Document(unit=unit, community_id=unit.community_id, kind="rules",
                                                      title=f"规则{next(_seq)}") for _ in range(k)])
        DocumentVersion.objects.bulk_create([DocumentVersion(document=d, number=n, text="## 一\n甲",
                                                             status="comments" if n == 2 else "superseded")
                                             for d in docs for n in (1, 2)])
        top = v1.document.versions.order_by("-number").values_list("number", flat=True).first()
        DocumentVersion.objects.bulk_create([DocumentVersion(document=v1.document, number=top + 1 + i, text="## 一\n丁")
                                             for i in range(k)])
        DocumentComment.objects.bulk_create([DocumentComment(version=v2, section="一", author=world.owner_user,
                                                             body="意见") for _ in range(k)])

    return SimpleNamespace(topic=topic, vote=vote, closed=closed, meeting=meeting, v1=v1, v2=v2, doc=v1.document,
                           minutes_notice=minutes_notice, result_notice=result_notice, grow=grow, unit=unit)


RESIDENT = [
    "/topics/", "/topics/{topic}/", "/votes/", "/votes/{vote}/", "/votes/{closed}/result/",
    "/votes/{closed}/participants/", "/documents/", "/documents/{v2}/", "/m/{token}/",
]
CONSOLE = [
    "/console/deliberation/", "/console/deliberation/topics/{topic}/", "/console/deliberation/votes/",
    "/console/deliberation/votes/{vote}/", "/console/deliberation/votes/{closed}/", "/console/deliberation/notices/",
    "/console/deliberation/meetings/", "/console/deliberation/meetings/{meeting}/",
    "/console/deliberation/meetings/{meeting}/desk/", "/console/deliberation/meetings/{meeting}/minutes/",
    "/console/deliberation/documents/", "/console/deliberation/documents/{doc}/",
    "/console/deliberation/documents/{doc}/diff/", "/console/deliberation/versions/{v2}/consolidate/",
    "/console/deliberation/representatives/?unit={unit}", "/console/deliberation/meetings/new/",
]
PUBLIC = ["/u/{slug}/", "/u/{slug}/notices/{minutes_notice}/", "/u/{slug}/notices/{result_notice}/"]


def _url(template: str, pg) -> str:
    return template.format(topic=pg.topic.pk, vote=pg.vote.pk, closed=pg.closed.pk, v2=pg.v2.pk,
                           token=pg.meeting.signin_token, meeting=pg.meeting.pk, doc=pg.doc.pk, unit=pg.unit.pk,
                           slug=pg.unit.slug, minutes_notice=pg.minutes_notice.pk, result_notice=pg.result_notice.pk)


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions…) so both runs start alike
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _check(client, pg, urls) -> None:
    pg.grow(N)
    small = {u: _queries(client, _url(u, pg)) for u in urls}
    pg.grow(4 * N)
    large = {u: _queries(client, _url(u, pg)) for u in urls}
    grew = {u: (small[u], large[u]) for u in urls if large[u] != small[u]}
    assert not grew, f"query count depends on the number of rows (N → 5N): {grew}"


def test_resident_pages_bounded(world, pages, login):
    _check(login(world.owner_user), pages, RESIDENT)


def test_console_pages_bounded(world, pages, login):
    _check(login(world.staff), pages, CONSOLE)


def test_public_pages_bounded(world, pages, client):
    _check(client, pages, PUBLIC)
