"""A committee election end to end in the browser (ORG-9), in Chinese, on a phone in both display modes:
staff create it, a resident nominates themselves, another consents on the phone, a paper consent is
recorded, the list is confirmed, the ballot opens, the resident votes on the phone, staff count it,
and the result (winners, term) is on the unit's public page. The journey runs once in standard mode; each
resident page is also loaded in elderly mode for axe only (CI time, see the brief)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import User
from courtyard.deliberation import services as dlb
from courtyard.deliberation.models import Election, Nomination
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import BodyMembership, Person, RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _check(page, name):
    check_axe(page, name)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{name}: wider than the screen {width}"
    shot(page, name)


def _staff(role="community_staff"):
    return RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user


def _mode(page, base, resident, mode):
    User.objects.filter(pk=resident.pk).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])


def _also_elderly(page, base, resident, name):
    """The page just checked, reloaded in elderly mode for axe and width, then back to standard."""
    _mode(page, base, resident, "elderly")
    page.reload()
    _check(page, f"el-elderly-{name}")
    _mode(page, base, resident, "standard")


def test_election_end_to_end(live_server, page, desktop_page):
    mode = "standard"
    load_demo(seed=1)
    base = live_server.url
    resident = User.objects.get_by_phone(demo_phone(1))
    unit = resident.person.unit
    _mode(page, base, resident, mode)
    staff = _staff()

    # Staff create the election on the console.
    login(desktop_page, base, staff.phone, DEMO_PASSWORD)
    desktop_page.goto(f"{base}/console/deliberation/elections/new/")
    desktop_page.select_option("select[name=unit]", str(unit.pk))
    desktop_page.fill("input[name=title]", "院委会补选")
    desktop_page.fill("input[name=seats]", "1")
    desktop_page.check("input[name=by_election]")
    desktop_page.select_option("select[name=electorate]", "adults")
    desktop_page.fill("input[name=joint_minimum]", "2")
    desktop_page.fill("input[name=participation]", "0")  # one ballot in this test: no participation floor
    with desktop_page.expect_navigation():
        desktop_page.locator("main form[method=post] button[type=submit]").first.click()
    election = Election.objects.get(title="院委会补选")
    assert election.status == "nominating"
    check_axe(desktop_page, "el-console-election")

    # The resident nominates themselves on the phone.
    login(page, base, resident.phone, DEMO_PASSWORD)
    page.goto(f"{base}/elections/")
    _check(page, f"el-{mode}-resident-elections")
    _also_elderly(page, base, resident, "resident-elections")
    page.goto(f"{base}/elections/{election.pk}/")
    page.select_option("select[name=occupation]", "retired")
    page.fill("textarea[name=statement]", "愿为院落服务")
    with page.expect_navigation():
        page.get_by_role("button", name="自荐参选").click()
    assert "您已自荐" in page.locator("body").inner_text()
    _check(page, f"el-{mode}-resident-nominated")
    _also_elderly(page, base, resident, "resident-nominated")
    assert Nomination.objects.get(election=election, nominee=resident.person).status == "consented"

    # Two more nominees: one answers on paper (staff record the signed consent), one declines.
    others = list(Person.objects.filter(unit=unit, active=True, birth_year__lte=timezone.now().year - 30)
                  .exclude(pk=resident.person_id).order_by("id")[:6])
    paper = dlb.nominate(by=Actor(user=staff), election=election, nominee=others[0], kind="joint",
                         occupation="employed", nominators=others[3:5])
    dlb.nominate(by=Actor(user=staff), election=election, nominee=others[1], kind="joint",
                 occupation="professional", nominators=others[4:6])
    desktop_page.goto(f"{base}{election.get_console_url()}")
    with desktop_page.expect_navigation():
        desktop_page.locator(f"form:has(input[name=nomination][value='{paper.pk}']) button[value=consent]").click()
    paper.refresh_from_db()
    assert paper.status == "consented" and paper.consent_channel == "paper"
    _check(desktop_page, "el-console-nominations")

    # Nominations close; the list of two for one seat is confirmed; the ballot opens.
    Election.objects.filter(pk=election.pk).update(nominations_close=timezone.now() - timedelta(minutes=1))
    desktop_page.goto(f"{base}{election.get_console_url()}list/")
    check_axe(desktop_page, "el-console-list")
    with desktop_page.expect_navigation():
        desktop_page.locator("main form[method=post] button[type=submit]").first.click()
    election.refresh_from_db()
    assert election.status == "listed"
    desktop_page.goto(f"{base}{election.get_console_url()}ballot/")
    with desktop_page.expect_navigation():
        desktop_page.locator("main form[method=post] button[type=submit]").first.click()
    election.refresh_from_db()
    assert election.status == "voting" and election.vote.status == "open"

    # The resident votes on the phone.
    page.goto(f"{base}/elections/{election.pk}/")
    _check(page, f"el-{mode}-resident-candidates")
    _also_elderly(page, base, resident, "resident-candidates")
    with page.expect_navigation():
        page.get_by_role("link", name="去投票").click()
    page.locator("input[name=choice]").first.check()
    _check(page, f"el-{mode}-resident-ballot")
    ballot_url = page.url
    with page.expect_navigation():
        page.locator("main form.r-form button[type=submit]").click()
    assert election.vote.ballots.filter(voter=resident.person, is_current=True).exists()
    page.goto(ballot_url)
    _also_elderly(page, base, resident, "resident-ballot")

    # Counting: the closing time is reached; staff count on the console.
    type(election.vote).objects.filter(pk=election.vote_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    desktop_page.goto(f"{base}{election.vote.get_console_url()}")
    with desktop_page.expect_navigation():
        desktop_page.locator("form:has(input[name=action][value=close]) button").click()
    election.refresh_from_db()
    assert election.status == "decided"
    assert election.outcome["winners"] == [resident.person.name]
    # A by-election: the winner joined the committee, the sitting members stayed.
    sitting = BodyMembership.objects.filter(body=election.body, end_date__isnull=True)
    assert sitting.filter(person=resident.person).exists() and sitting.count() > 1

    # The result on the resident's phone and on the unit's public page.
    page.goto(f"{base}/elections/{election.pk}/")
    assert "结果" in page.locator("main").inner_text()
    _check(page, f"el-{mode}-resident-result")
    _also_elderly(page, base, resident, "resident-result")
    page.goto(f"{base}/u/{unit.slug}/")
    public = page.locator("body").inner_text()
    assert "院委会选举" in public and "院委会补选" in public
    _check(page, f"el-{mode}-public")
    _also_elderly(page, base, resident, "public")
