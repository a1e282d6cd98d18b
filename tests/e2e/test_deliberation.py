"""The whole path: topic → discussion → vote with online, paper and assisted ballots → result →
notice PDF; axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.deliberation.models import Ballot, ElectorPerson, Notice, Topic, Vote
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _phone(role):
    return RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user.phone


def test_topic_to_vote_to_notice(live_server, page, browser, desktop_page):
    load_demo(seed=1)
    base = live_server.url
    # A resident raises a topic.
    login(page, base, demo_phone(1), DEMO_PASSWORD)
    page.goto(f"{base}/topics/")
    check_axe(page, "dlb-topics")
    page.goto(f"{base}/topics/new/")
    check_axe(page, "dlb-topic-new")
    page.fill("input[name=title]", "院内加装充电桩")
    page.fill("textarea[name=body]", "电动车飞线充电危险，希望集中加装充电桩。")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    topic = Topic.objects.get(title="院内加装充电桩")
    # Staff open the discussion.
    login(desktop_page, base, _phone("community_staff"), DEMO_PASSWORD)
    desktop_page.goto(f"{base}/console/deliberation/")
    check_axe(desktop_page, "dlb-console-topics")
    desktop_page.goto(f"{base}/console/deliberation/topics/{topic.pk}/")
    check_axe(desktop_page, "dlb-console-topic")
    desktop_page.select_option("select[name=to]", "discussion")
    with desktop_page.expect_navigation():
        desktop_page.locator("form:has(input[value=advance]) button[type=submit]").click()
    # The resident comments.
    page.goto(f"{base}/topics/{topic.pk}/")
    page.fill("textarea[name=body]", "同意，建议装在北侧车棚。")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    check_axe(page, "dlb-topic")
    # Staff prepare and open the vote.
    desktop_page.goto(f"{base}/console/deliberation/votes/new/?topic={topic.pk}")
    check_axe(desktop_page, "dlb-vote-new")
    now = timezone.localtime()
    desktop_page.select_option("select[name=unit]", str(topic.unit_id))
    desktop_page.fill("input[name=title]", "加装充电桩")
    desktop_page.select_option("select[name=rule]", "art278_ordinary")
    desktop_page.fill("input[name=opens_at]", (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    desktop_page.fill("input[name=closes_at]", (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    desktop_page.check("input[name=start][value=draft]")
    with desktop_page.expect_navigation():
        desktop_page.locator("main form[method=post] button[type=submit]").first.click()
    shot(desktop_page, "dlb-vote-created")
    vote = Vote.objects.get(title="加装充电桩")
    with desktop_page.expect_navigation():
        desktop_page.locator("form:has(input[value=open_now]) button").click()
    check_axe(desktop_page, "dlb-console-vote")
    # Online ballot.
    page.goto(f"{base}/votes/{vote.pk}/")
    check_axe(page, "dlb-vote")
    page.locator("label[for=ch-yes]").click()
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    shot(page, "dlb-vote-cast")
    assert Ballot.objects.filter(vote=vote, channel="online").count() == 1
    # Paper ballot keyed by staff, assisted ballot.
    others = list(ElectorPerson.objects.filter(vote=vote).exclude(
        key__in=Ballot.objects.filter(vote=vote).values("voter_key")).order_by("key")
        .values_list("person_id", flat=True)[:40])
    keys_used = set()
    picks = []
    for pid in others:
        key = ElectorPerson.objects.get(vote=vote, person_id=pid).key
        if key not in keys_used:
            keys_used.add(key)
            picks.append(pid)
    for action, pid in (("paper", picks[0]), ("assisted", picks[1])):
        desktop_page.goto(f"{base}/console/deliberation/votes/{vote.pk}/")
        desktop_page.select_option("select[name=action]", action)
        desktop_page.select_option("select[name=voter]", str(pid))
        desktop_page.locator("#kc-yes").check()
        desktop_page.fill("input[name=serial]", "E2E-1")
        desktop_page.fill("input[name=confirmation]", "voter read the ballot and signed")
        with desktop_page.expect_navigation():
            desktop_page.locator("form:has(select[name=voter]) button[type=submit]").click()
    assert Ballot.objects.filter(vote=vote, channel="assisted").count() == 1
    # A second person confirms the paper ballot.
    second = browser.new_page(base_url=base)
    login(second, base, _phone("party_secretary"), DEMO_PASSWORD)
    second.goto(f"{base}/console/deliberation/votes/{vote.pk}/")
    with second.expect_navigation():
        second.locator("form:has(input[value=confirm]) button").first.click()
    assert Ballot.objects.get(vote=vote, channel="paper").confirmed_at is not None
    # Closing time passes; staff close and count.
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    desktop_page.goto(f"{base}/console/deliberation/votes/{vote.pk}/")
    with desktop_page.expect_navigation():
        desktop_page.locator("form:has(input[value=close]) button").click()
    check_axe(desktop_page, "dlb-console-vote-closed")
    page.goto(f"{base}/votes/{vote.pk}/result/")
    check_axe(page, "dlb-result")
    page.goto(f"{base}/votes/{vote.pk}/participants/")
    check_axe(page, "dlb-participants")
    notice = Notice.objects.get(vote=vote)
    page.goto(f"{base}{notice.get_public_url()}")
    check_axe(page, "dlb-public-notice")
    shot(page, "dlb-public-notice")
    pdf = page.request.get(f"{base}{notice.get_public_url()}pdf/", timeout=60_000)  # WeasyPrint on a busy CI box
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    desktop_page.goto(f"{base}/console/deliberation/notices/")
    check_axe(desktop_page, "dlb-console-notices")
    for url in ("/console/deliberation/meetings/", "/console/deliberation/documents/",
                "/console/deliberation/representatives/"):
        desktop_page.goto(f"{base}{url}")
        check_axe(desktop_page, "dlb-" + url.strip("/").replace("/", "-"))
    page.goto(f"{base}/votes/")
    check_axe(page, "dlb-votes")
    second.close()
