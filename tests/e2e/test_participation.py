"""Participation in the browser on a phone: a resident scans the duty post's QR code, checks in, sees
the points arrive and redeems them in the points shop. The elderly owner does it in elderly mode; the tenant's
pages are then loaded in standard mode for axe only (the journey runs once: CI time, see the brief). Staff
then hand the item over on the console, and the honours pages are checked."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courtyard.core.models import User
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.participation.models import HonourRound, PointsAccount, Redemption, Shift
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _resident_round(page, base, n: int, mode: str):
    user = User.objects.get_by_phone(demo_phone(n))
    shift = Shift.objects.select_related("rota").get(person=user.person, day=timezone.localdate())
    before = PointsAccount.objects.get(person=user.person).balance
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])
    login(page, base, demo_phone(n), DEMO_PASSWORD)
    assert page.locator("body.elderly").count() == (1 if mode == "elderly" else 0)
    assert page.get_by_text("我的积分").count() >= 1  # the home section and the tile
    check_axe(page, f"participation-{mode}-home")
    journey = mode == "elderly"

    page.goto(f"{base}/participation/shifts/")
    check_axe(page, f"participation-{mode}-shifts")
    _fits_phone(page)
    assert shift.rota.name in page.locator("main").inner_text()

    # What the QR code on the post opens (the poster's URL), then one button.
    page.goto(f"{base}/participation/check-in/{shift.rota.token}/")
    check_axe(page, f"participation-{mode}-checkin")
    _fits_phone(page)
    shot(page, f"participation-{mode}-checkin")
    if journey:
        with page.expect_navigation():
            page.get_by_role("button", name="签到").click()
        assert "/participation/points/" in page.url
        assert "签到成功" in page.locator("body").inner_text()
        after = PointsAccount.objects.get(person=user.person).balance
        assert after == before + 10
        assert "+10" in page.locator("main").inner_text()
    else:
        page.goto(f"{base}/participation/points/")
    check_axe(page, f"participation-{mode}-points")
    _fits_phone(page)
    shot(page, f"participation-{mode}-points")

    page.goto(f"{base}/participation/shop/")
    check_axe(page, f"participation-{mode}-shop")
    _fits_phone(page)
    if journey:
        with page.expect_navigation():
            page.get_by_role("button", name="30 积分 · 兑换 环保购物袋").click()
        assert "已兑换" in page.locator("body").inner_text()
        shot(page, f"participation-{mode}-shop")
        check_axe(page, f"participation-{mode}-shop-after")
        assert PointsAccount.objects.get(person=user.person).balance == after - 30

    # The other participation pages on the phone: events (sign up), small wishes, teams, honours.
    for url, name in (("/participation/events/", "events"), ("/participation/wishes/", "wishes"),
                      ("/participation/teams/", "teams"), ("/participation/honours/", "honours")):
        page.goto(base + url)
        check_axe(page, f"participation-{mode}-{name}")
        _fits_phone(page)
        shot(page, f"participation-{mode}-{name}")
    if journey:
        page.goto(base + "/participation/events/")
        with page.expect_navigation():
            page.locator("form[action$='/join/'] button").first.click()
        assert "报名成功" in page.locator("body").inner_text() or "候补" in page.locator("body").inner_text()
    return Redemption.objects.filter(account__person=user.person).order_by("-created_at").first()


def test_check_in_earn_and_redeem_on_a_phone(live_server, page, desktop_page):
    load_demo(seed=1)
    base = live_server.url
    r1 = _resident_round(page, base, 1, "elderly")
    _resident_round(page, base, 2, "standard")
    r2 = Redemption.objects.filter(state="placed").exclude(pk=r1.pk).first()

    staff = RoleGrant.objects.select_related("user").filter(role="community_staff", title="演示账号").first().user
    login(desktop_page, base, staff.phone, DEMO_PASSWORD)
    desktop_page.goto(f"{base}/console/participation/redemptions/")
    check_axe(desktop_page, "participation-console-redemptions")
    with desktop_page.expect_navigation():
        desktop_page.locator(f"form[action='/console/participation/redemptions/{r1.pk}/hand-over/'] button").click()
    r1.refresh_from_db()
    assert r1.state == "handed_over" and r2.state == "placed"
    for url, name in (("/console/participation/rotas/", "rotas"), ("/console/participation/points/", "accounts"),
                      ("/console/participation/shop/", "shop"), ("/console/participation/rules/", "rules"),
                      ("/console/participation/events/", "events"), ("/console/participation/resources/", "resources"),
                      ("/console/participation/wishes/", "wishes"), ("/console/participation/teams/", "teams"),
                      ("/console/participation/training/", "training"), ("/console/participation/hours/", "hours"),
                      ("/console/participation/honours/", "honours")):
        desktop_page.goto(base + url)
        check_axe(desktop_page, f"participation-console-{name}")
        if name in ("events", "resources", "training"):
            shot(desktop_page, f"participation-console-{name}")
    rota = Shift.objects.get(pk=Shift.objects.filter(person__user__isnull=False).first().pk).rota
    desktop_page.goto(f"{base}/console/participation/rotas/{rota.pk}/")
    check_axe(desktop_page, "participation-console-rota")
    shot(desktop_page, "participation-console-rota")
    assert "无人" not in desktop_page.locator("tbody").inner_text()  # someone on duty every day
    honour = HonourRound.objects.filter(state="decided").first()
    desktop_page.goto(f"{base}/console/participation/honours/{honour.pk}/")
    check_axe(desktop_page, "participation-console-honour")
    shot(desktop_page, "participation-console-honour")
    page.goto(f"{base}/u/{honour.unit.slug}/")
    assert "荣誉" in page.locator("main").inner_text()
