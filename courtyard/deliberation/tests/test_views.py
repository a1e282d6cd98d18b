from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation.models import Ballot, Notice, Topic


def test_resident_raises_topic_comments_and_votes(world, login, open_vote):
    client = login(world.owner_user)
    assert client.get("/topics/").status_code == 200
    r = client.post("/topics/new/", {"title": "加装电梯", "body": "老人上楼难"})
    topic = Topic.objects.get(title="加装电梯")
    assert r.status_code == 302 and topic.raised_by == world.t.person1
    assert client.get(f"/topics/{topic.pk}/").status_code == 200
    assert client.get("/votes/").status_code == 200
    page = client.get(f"/votes/{open_vote.pk}/")
    assert page.status_code == 200 and b"Cast my ballot" in page.content
    client.post(f"/votes/{open_vote.pk}/", {"choice": "yes"})
    assert Ballot.objects.get(vote=open_vote).choice == "yes"
    again = client.post(f"/votes/{open_vote.pk}/", {"choice": "no"}, follow=True)
    assert b"already been cast" in again.content
    assert Ballot.objects.filter(vote=open_vote).count() == 1
    result = client.get(f"/votes/{open_vote.pk}/result/")
    # Mid-vote the result is hidden (the unit's rules do not allow interim results): turnout only.
    assert result.status_code == 200 and b"nobody sees a result before then" in result.content
    assert b"Passed" not in result.content and b"Took part, by floor area" not in result.content
    parts = client.get(f"/votes/{open_vote.pk}/participants/")
    assert parts.status_code == 200 and b"took part" in parts.content and b"yes" not in parts.content


def test_tenant_cannot_see_who_took_part(world, login, open_vote, make_user):
    tenant = make_user(person=world.t.person2)
    assert login(tenant).get(f"/votes/{open_vote.pk}/participants/").status_code == 404


def test_console_paper_ballot_needs_a_second_person(world, login, open_vote):
    staff, staff2 = login(world.staff), login(world.staff2)
    assert staff.get("/console/deliberation/votes/").status_code == 200
    assert staff.get(f"/console/deliberation/votes/{open_vote.pk}/").status_code == 200
    staff.post(f"/console/deliberation/votes/{open_vote.pk}/",
               {"action": "paper", "voter": world.buyer.pk, "choice": "no", "serial": "001"})
    ballot = Ballot.objects.get(vote=open_vote)
    staff.post(f"/console/deliberation/votes/{open_vote.pk}/", {"action": "confirm", "ballot": ballot.pk})
    ballot.refresh_from_db()
    assert ballot.confirmed_at is None
    staff2.post(f"/console/deliberation/votes/{open_vote.pk}/", {"action": "confirm", "ballot": ballot.pk})
    ballot.refresh_from_db()
    assert ballot.confirmed_by == world.staff2
    helper = login(world.helper)
    assert helper.get(f"/console/deliberation/votes/{open_vote.pk}/").status_code == 200
    helper.post(f"/console/deliberation/votes/{open_vote.pk}/",
                {"action": "assisted", "voter": world.t.person1.pk, "choice": "yes", "confirmation": "signed"})
    assert Ballot.objects.get(vote=open_vote, voter=world.t.person1).channel == "assisted"
    export = staff.get(f"/console/deliberation/votes/{open_vote.pk}/tally.json").json()
    assert {b["choice"] for b in export["ballots"]} == {"yes", "no"}
    assert staff.get("/console/deliberation/votes/export.json").status_code == 200


def test_outsiders_do_not_see_the_vote(world, login, open_vote, make_user):
    other = make_user("community_staff", world.t.community_b)
    assert login(other).get(f"/console/deliberation/votes/{open_vote.pk}/").status_code == 404
    assert login(other).get(f"/votes/{open_vote.pk}/").status_code == 404


def test_result_notice_public_page_and_pdf(world, login, open_vote, client):
    services.cast(by=Actor(user=world.owner_user), vote=open_vote, voter=world.t.person1, choice="yes")
    with time_machine.travel(open_vote.closes_at + timedelta(minutes=5)):
        login(world.staff).post(f"/console/deliberation/votes/{open_vote.pk}/", {"action": "close"})
        notice = Notice.objects.get(vote=open_vote)
        slug = world.t.unit.slug
        unit_page = client.get(f"/u/{slug}/")
        assert notice.title.encode() in unit_page.content
        page = client.get(f"/u/{slug}/notices/{notice.pk}/")
        assert page.status_code == 200 and b"Agreed, by number of owners" in page.content
        assert "王秀英".encode() not in page.content  # totals only, no names
        pdf = client.get(f"/u/{slug}/notices/{notice.pk}/pdf/")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        r = login(world.co_user).post(f"/notices/{notice.pk}/object/", {"body": "计票有误"})
        assert r.status_code == 302 and Topic.objects.filter(objection__notice=notice).exists()


@pytest.mark.parametrize("url", [
    "/console/deliberation/", "/console/deliberation/topics/new/", "/console/deliberation/votes/new/",
    "/console/deliberation/notices/", "/console/deliberation/meetings/", "/console/deliberation/documents/",
    "/console/deliberation/representatives/",
])
def test_console_pages_render(world, login, url):
    assert login(world.staff).get(url).status_code == 200


def test_console_topic_flow_and_meeting_and_documents(world, login):
    staff = login(world.staff)
    r = staff.post("/console/deliberation/topics/new/", {"unit": world.t.unit.pk, "channel": "baba",
                                                        "raised_by": world.t.person1.pk, "title": "停车",
                                                        "body": "坝坝会上提出"})
    topic = Topic.objects.get(title="停车")
    assert r.status_code == 302 and topic.offline_entry and topic.channel == "baba"
    staff.post(f"/console/deliberation/topics/{topic.pk}/", {"action": "advance", "to": "discussion"})
    assert staff.get(f"/console/deliberation/topics/{topic.pk}/").status_code == 200
    topic.refresh_from_db()
    assert topic.step == "discussion"
    r = staff.post("/console/deliberation/votes/new/", {
        "unit": world.t.unit.pk, "topic": topic.pk, "title": "停车方案", "electorate": "owners",
        "choice_kind": "yes_no", "max_choices": 1, "rule": "art278_ordinary", "notice_days": 7, "start": "draft",
        "opens_at": (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 302, r.content[:2000]
    m = services.create_meeting(by=Actor(user=world.staff), unit=world.t.unit, kind="council", title="居民议事会",
                                starts_at=timezone.now(), agenda=[topic])
    assert staff.get(f"/console/deliberation/meetings/{m.pk}/").status_code == 200
    staff.post(f"/console/deliberation/meetings/{m.pk}/", {"action": "sign_in", "person": world.t.person1.pk})
    assert m.attendance.count() == 1
    co = login(world.co_user)
    assert co.get(f"/m/{m.signin_token}/").status_code == 200
    co.post(f"/m/{m.signin_token}/")
    assert m.attendance.count() == 2
    v1 = services.new_version(by=Actor(user=world.staff), unit=world.t.unit, kind="rules", title="议事规则",
                              text="## 一\n甲")
    services.new_version(by=Actor(user=world.staff), document=v1.document, text="## 一\n乙")
    diff = staff.get(f"/console/deliberation/documents/{v1.document.pk}/diff/")
    assert diff.status_code == 200 and b"<del>" in diff.content and b"<ins>" in diff.content
