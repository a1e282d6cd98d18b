"""The console home: a work list for the logged-in person, counts linked to the filtered lists,
a bounded number of queries whatever the data size."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.worklist import collect
from courtyard.deliberation import services as dlb
from courtyard.funds import services as funds
from courtyard.funds.tests import factories as ff
from courtyard.servicedesk.models import Request

# session, user, grants, nav permissions, roles, place stats (≤ 6 roots) and the work list itself.
HOME_QUERY_BUDGET = 40


def _counts(user) -> dict[str, int]:
    return {i.key: i.count for i in collect(user)}


@pytest.fixture
def busy(sd, file_one):
    """Three new requests (one overdue), a vote closing in two days, one past its closing time,
    a payment request waiting for the finance officer."""
    reqs = [file_one(title=f"漏水 {n}") for n in range(3)]
    Request.objects.filter(pk=reqs[0].pk).update(overdue=True)
    now = timezone.now()
    staff = Actor(user=sd.staff)
    soon = dlb.create_vote(by=staff, unit=sd.t.unit, title="加装电梯", rule="art278_major",
                           opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=2))
    dlb.open_vote(by=staff, vote=soon)
    people = ff.signers(sd.t)
    acc = ff.account(sd.t, people)
    funds.create_request(by=ff.actor(people["staff"]), account=acc, title="雨污分流", amount_fen=5_000_00,
                         category="works", payee_name="某公司", payee_kind="organisation")
    return people


@pytest.mark.django_db
def test_work_list_counts_what_waits_for_this_person(sd, busy):
    counts = _counts(sd.staff)
    assert counts["servicedesk.to_accept"] == 3
    assert counts["servicedesk.overdue"] == 1
    assert counts["servicedesk.mine"] == 0
    assert counts["deliberation.closing"] == 1
    assert counts["deliberation.to_count"] == 0
    assert counts["deliberation.meetings_due"] >= 1  # no meeting held yet: every cadence has lapsed
    assert counts["org.imports"] == 0
    # The staff member cannot sign the three-party steps; the supervisor can (first step), finance not yet.
    assert "funds.sign" not in counts or counts["funds.sign"] == 0
    assert _counts(busy["supervisor"])["funds.sign"] == 1
    # Another community's staff sees none of it.
    other = _counts(sd.staff_b)
    assert other["servicedesk.to_accept"] == 0 and other["deliberation.closing"] == 0
    # A vendor has no queue on the home at all.
    assert "servicedesk.to_accept" not in _counts(sd.vendor_user)


@pytest.mark.django_db
def test_votes_past_closing_are_listed_to_count(sd):
    now = timezone.now()
    staff = Actor(user=sd.staff)
    vote = dlb.create_vote(by=staff, unit=sd.t.unit, title="停车", rule="art278_major",
                           opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=1))
    dlb.open_vote(by=staff, vote=vote)
    type(vote).objects.filter(pk=vote.pk).update(closes_at=now - timedelta(minutes=5))
    counts = _counts(sd.staff)
    assert counts["deliberation.to_count"] == 1 and counts["deliberation.closing"] == 0


@pytest.mark.django_db
def test_console_home_shows_formatted_counts_linked_to_filtered_lists(sd, busy, login, file_one):
    c = login(sd.staff)
    html = c.get("/console/").content.decode()
    assert 'href="/console/requests/?q=all&amp;state=submitted"' in html
    assert 'href="/console/requests/?q=overdue"' in html
    assert "Requests to accept" in html and "Overdue requests" in html and "Votes closing within 3 days" in html
    card = re.search(r'id="work-servicedeskto_accept".*?work-card__count"[^>]*>([^<]+)<', html, re.S)
    assert card and card.group(1).strip() == "3"
    # Thousands are grouped.
    first = Request.objects.first()
    fields = [f.attname for f in Request._meta.concrete_fields if not f.unique and f.name != "id"]
    Request.objects.bulk_create([Request(**{f: getattr(first, f) for f in fields}) for _ in range(1200)])
    html = c.get("/console/").content.decode()
    card = re.search(r'id="work-servicedeskto_accept".*?work-card__count"[^>]*>([^<]+)<', html, re.S)
    assert card.group(1).strip() == "1,203"


@pytest.mark.django_db
def test_console_home_query_count_is_bounded(sd, busy, login, file_one):
    c = login(sd.staff)
    c.get("/console/")
    with CaptureQueriesContext(connection) as small:
        assert c.get("/console/").status_code == 200
    for n in range(5):
        file_one(title=f"更多 {n}")
    with CaptureQueriesContext(connection) as more:
        c.get("/console/")
    assert len(small) <= HOME_QUERY_BUDGET, [q["sql"][:120] for q in small.captured_queries]
    assert len(more) == len(small)


@pytest.mark.django_db
def test_console_home_in_chinese(sd, busy, login):
    from django.conf import settings

    c = login(sd.staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = c.get("/console/").content.decode()
    assert "待受理的诉求" in html and "等待您处理" in html


@pytest.mark.django_db
def test_decided_votes_wait_for_publication_then_turn_late(sd):
    now = timezone.now()
    staff = Actor(user=sd.staff)
    votes = []
    for title in ("路灯", "绿化"):
        v = dlb.create_vote(by=staff, unit=sd.t.unit, title=title, rule="art278_major",
                            opens_at=now - timedelta(days=9), closes_at=now + timedelta(days=1))
        votes.append(dlb.open_vote(by=staff, vote=v))
    Vote = type(votes[0])
    Vote.objects.filter(pk=votes[0].pk).update(status="closed", closed_at=now - timedelta(hours=2))
    Vote.objects.filter(pk=votes[1].pk).update(status="closed", closed_at=now - timedelta(hours=30))
    counts = _counts(sd.staff)
    assert (counts["deliberation.notices_due"], counts["deliberation.notices_late"]) == (1, 1)
    late = next(i for i in collect(sd.staff) if i.key == "deliberation.notices_late")
    assert late.urgent and collect(sd.staff)[0].count  # urgent items with a count come first
