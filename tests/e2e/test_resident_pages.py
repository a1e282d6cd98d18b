"""Residents' pages at 390 px in both display modes (ADR 0012): axe on each, nothing wider than the
screen, amounts never broken inside a number, screenshots of every page for people to look at.
Also: a vote opened "now" is votable at once; a scheduled vote explains when it opens; the request form
picks courtyard → building → entrance by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import User
from courtyard.deliberation import services as dlb
from courtyard.deliberation.models import Notice, Vote
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

FITS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && getComputedStyle(e).position !== 'fixed';
  }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, width: w, wide};
}"""

# An amount is whole when it is laid out on one line (one client rect no taller than a line).
BROKEN_AMOUNTS = """() => [...document.querySelectorAll('.money')].filter(e => {
  const rects = e.getClientRects();
  const lh = parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.6;
  return rects.length !== 1 || rects[0].height > lh * 1.5;
}).map(e => e.textContent)"""


def _check(page, name: str):
    check_axe(page, name)
    fit = page.evaluate(FITS)
    assert fit["scroll"] <= fit["width"], f"{name}: page wider than the screen {fit}"
    assert page.evaluate(BROKEN_AMOUNTS) == [], f"{name}: an amount wraps inside the number"
    shot(page, name)


@pytest.fixture
def world(live_server):
    load_demo(seed=1)
    # An ordinary decision (an election's vote has its own result page).
    closed = Vote.objects.filter(status="closed", election__isnull=True).select_related("unit").first()
    unit = closed.unit
    staff_actor = Actor.system()
    now = timezone.now()
    open_vote = dlb.create_vote(by=staff_actor, unit=unit, title="更换单元门禁", rule="art278_ordinary",
                                opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7))
    open_vote = dlb.open_vote(by=staff_actor, vote=open_vote)
    later = dlb.create_vote(by=staff_actor, unit=unit, title="院内增设充电桩", rule="art278_ordinary",
                            opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9))
    later = dlb.open_vote(by=staff_actor, vote=later)
    assert later.status == "scheduled"
    return {"base": live_server.url, "unit": unit, "closed": closed, "open": open_vote, "later": later}


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_resident_pages_fit_and_pass_axe(world, page, mode):
    base, unit = world["base"], world["unit"]
    phone = demo_phone(1)
    user = User.objects.get_by_phone(phone)
    User.objects.filter(pk=user.pk).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])
    # Public pages first (no login): the login page links to the directory.
    page.goto(f"{base}/accounts/login/")
    _check(page, f"res-{mode}-login")
    page.locator("a[href='/u/']").click()
    page.wait_for_url("**/u/")
    _check(page, f"res-{mode}-directory")
    page.fill("input[name=q]", unit.name[:2])
    with page.expect_navigation():
        page.locator("form[role=search] button").click()
    assert page.locator(f"a[href='/u/{unit.slug}/']").count() == 1
    page.goto(f"{base}/u/{unit.slug}/")
    assert page.locator("form[action='/elderly/']").count() == 1
    _check(page, f"res-{mode}-public-unit")
    page.goto(f"{base}/u/{unit.slug}/ledger/")
    assert page.locator("form[action='/elderly/']").count() == 1
    assert page.locator(".money").count() > 0
    _check(page, f"res-{mode}-public-ledger")
    notice = Notice.objects.filter(unit=unit, vote=world["closed"]).first()
    page.goto(f"{base}{notice.get_public_url()}")
    assert page.locator("form[action='/elderly/']").count() == 1
    _check(page, f"res-{mode}-public-notice")

    login(page, base, phone, DEMO_PASSWORD)
    assert page.locator("body.elderly").count() == (1 if mode == "elderly" else 0)
    assert page.locator(".r-tabbar svg.r-icon").count() == 4 and page.locator(".r-tile svg.r-icon").count() >= 6
    assert page.get_by_text("等您投票").count() == 1
    _check(page, f"res-{mode}-home")
    page.goto(f"{base}/votes/")
    _check(page, f"res-{mode}-votes")
    # The vote opened "now" is votable now; its result stays hidden until closing.
    page.goto(f"{base}/votes/{world['open'].pk}/")
    assert page.locator("input[name=choice]").count() == 3
    _check(page, f"res-{mode}-vote-open")
    page.goto(f"{base}/votes/{world['open'].pk}/result/")
    assert page.locator(".d-verdict").count() == 0
    _check(page, f"res-{mode}-vote-open-result")
    # The scheduled vote says when it opens, and why there is no ballot.
    page.goto(f"{base}/votes/{world['later'].pk}/")
    assert page.locator("input[name=choice]").count() == 0 and page.locator(".d-notyet").count() == 1
    _check(page, f"res-{mode}-vote-scheduled")
    # The closed vote's result: words, bars, exact figures behind a toggle.
    page.goto(f"{base}/votes/{world['closed'].pk}/result/")
    assert page.locator(".d-verdict__word").count() == 1 and page.locator(".d-cond svg").count() >= 2
    assert not page.locator("details.d-details .r-list").is_visible()
    _check(page, f"res-{mode}-vote-result")
    page.locator("details.d-details summary").click()
    assert page.locator("details.d-details .r-list").is_visible()
    _check(page, f"res-{mode}-vote-result-details")
    for path, name in (("/funds/levy/", "my-levy"), ("/funds/ledger/", "my-ledger")):
        page.goto(base + path)
        _check(page, f"res-{mode}-{name}")
    # Reporting a problem: courtyard → building → entrance, by name.
    page.goto(f"{base}/requests/new/")
    building = page.locator("select[name=building]")
    assert building.locator("optgroup").count() >= 1
    _check(page, f"res-{mode}-request-new")
    courtyard = page.locator("select[name=courtyard] option").nth(1).get_attribute("value")
    page.select_option("select[name=courtyard]", courtyard)
    visible = page.eval_on_selector_all("select[name=building] option",
                                        "els => els.filter(o => !o.hidden && o.value).map(o => o.dataset.parent)")
    assert visible and set(visible) == {courtyard}


def test_vote_form_errors_sit_on_their_field_in_chinese(world, desktop_page):
    from courtyard.org.models import RoleGrant

    base = world["base"]
    staff = RoleGrant.objects.select_related("user").filter(role="community_staff", title="演示账号").first().user
    login(desktop_page, base, staff.phone, DEMO_PASSWORD)
    desktop_page.goto(f"{base}/console/deliberation/votes/new/")
    assert desktop_page.locator("input[name=start][value=now]").is_checked()  # "open now" is the default
    desktop_page.select_option("select[name=unit]", str(world["unit"].pk))
    desktop_page.fill("input[name=title]", "试一试")
    desktop_page.select_option("select[name=rule]", "custom")
    desktop_page.fill("input[name=custom_participation]", "abc")
    desktop_page.fill("input[name=custom_approval]", "1/2")
    with desktop_page.expect_navigation():
        desktop_page.locator("main form[method=post] button[type=submit]").first.click()
    error = desktop_page.locator("#id_custom_participation ~ .errorlist, #id_custom_participation + .errorlist")
    body = desktop_page.locator("main").inner_text()
    assert "“abc”不是有效的比例" in body and "vote_closes_after_opening" not in body
    assert error.count() >= 1 or "abc" in desktop_page.locator("input[name=custom_participation]").locator(
        "xpath=..").inner_text()
    check_axe(desktop_page, "dlb-vote-form-errors")
    shot(desktop_page, "dlb-vote-form-errors")
    assert not Vote.objects.filter(title="试一试").exists()
