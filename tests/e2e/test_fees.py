"""Household fees in the browser (SVC-13): a resident sees their bills on the phone and pays one; the
finance officer sees the receipt on the fee's page and the income on the ledger account; the unit's
public page shows the rate, the uses and collection by building, no names. The journey runs once, in elderly
mode; the resident pages are then loaded in standard mode for axe only (CI time, see the brief)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import User
from courtyard.funds import services
from courtyard.funds.fee_models import FeeBill, FeePayment
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _check(page, name):
    check_axe(page, name)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{name}: wider than the screen {width}"
    shot(page, name)


def _mode(page, base, resident, mode):
    User.objects.filter(pk=resident.pk).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])


def test_resident_pays_a_bill_staff_see_it(live_server, page, desktop_page):
    mode = "elderly"
    load_demo(seed=1)
    base = live_server.url
    resident = User.objects.get_by_phone(demo_phone(1))
    _mode(page, base, resident, mode)
    mine = list(services.resident_dwellings(resident).values_list("pk", flat=True))
    unpaid = [b for b in FeeBill.objects.filter(dwelling__in=mine).order_by("-period_start") if b.owed_fen > 0]
    if not unpaid:  # everything paid in this seed: next year's bill (issue_bills bills each period once)
        fin = RoleGrant.objects.filter(role="finance_officer", title="演示账号").first().user
        plan = FeeBill.objects.filter(dwelling__in=mine).first().plan
        services.issue_bills(by=Actor(user=fin), plan=plan, day=timezone.localdate() + dt.timedelta(days=400))
        unpaid = [b for b in FeeBill.objects.filter(dwelling__in=mine) if b.owed_fen > 0]
    target = unpaid[0]
    balance_before = target.plan.account.__class__.objects.get(pk=target.plan.account_id).balance_fen

    login(page, base, resident.phone, DEMO_PASSWORD)
    page.goto(f"{base}/funds/bills/")
    _check(page, f"fees-{mode}-my-bills")
    with page.expect_navigation():
        page.locator(f"form[action='/funds/bills/{target.pk}/pay/'] button").click()
    assert "收据编号" in page.locator("body").inner_text()
    _check(page, f"fees-{mode}-paid")
    target.refresh_from_db()
    assert target.is_paid
    payment = FeePayment.objects.get(bill=target)
    account = target.plan.account.__class__.objects.get(pk=target.plan.account_id)
    assert account.balance_fen == balance_before + payment.amount_fen

    fin = RoleGrant.objects.select_related("user").filter(role="finance_officer", title="演示账号").first().user
    login(desktop_page, base, fin.phone, DEMO_PASSWORD)
    desktop_page.goto(f"{base}{account.get_console_url()}")
    assert payment.receipt_no in desktop_page.locator("main").inner_text()
    desktop_page.goto(f"{base}/console/funds/fees/{target.plan_id}/")
    check_axe(desktop_page, "fees-console-fee")
    shot(desktop_page, "fees-console-fee")
    desktop_page.goto(f"{base}/console/funds/fees/")
    check_axe(desktop_page, "fees-console-fees")

    page.goto(f"{base}/u/{target.plan.account.unit.slug}/")
    public = page.locator("body").inner_text()
    assert target.plan.name in public and "已缴户数占" in public and resident.person.name not in public
    _check(page, f"fees-{mode}-public")

    # The same resident pages in standard mode: load and axe only (the journey is not redone).
    _mode(page, base, resident, "standard")
    for url, name in (("/funds/bills/", "my-bills"), (f"/u/{target.plan.account.unit.slug}/", "public")):
        page.goto(base + url)
        _check(page, f"fees-standard-{name}")
    offset = next((b for b in FeeBill.objects.filter(dwelling__in=mine, plan__points_per_yuan__gt=0)
                   if b.owed_fen > 0), None)
    if offset is not None:  # points offsetting part of a bill (ADR 0028): the page, both modes
        for m in ("standard", "elderly"):
            _mode(page, base, resident, m)
            page.goto(f"{base}/participation/bills/{offset.pk}/points/")
            _check(page, f"fees-{m}-points-offset")
