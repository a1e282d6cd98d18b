"""A works payment in the browser: community staff request it, the supervisor, community finance and
a committee member sign (three different demo logins), finance pays, and the public ledger and the
monthly PDF show it with the head hash. axe runs on every funds page."""

from __future__ import annotations

import pytest

from courtyard.funds.models import Account, ExpenditureRequest, Levy
from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _phone(role: str) -> str:
    return RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user.phone


def _as(page, base, role):
    page.context.clear_cookies()
    login(page, base, _phone(role), DEMO_PASSWORD)


def test_three_signoffs_payment_public_ledger_and_pdf(live_server, desktop_page):
    load_demo(seed=1)
    base, page = live_server.url, desktop_page
    works = Account.objects.get(name="学道苑工程款共管账户")

    _as(page, base, "community_staff")
    page.goto(base + "/console/funds/")
    check_axe(page, "funds-accounts")
    page.goto(base + works.get_console_url())
    check_axe(page, "funds-account")
    page.goto(base + "/console/funds/budget/")
    check_axe(page, "funds-budget")
    page.goto(base + "/console/funds/grants/")
    check_axe(page, "funds-grants")
    page.goto(base + f"/console/funds/levies/{Levy.objects.first().pk}/")
    check_axe(page, "funds-levy")
    page.goto(base + "/console/funds/requests/")
    check_axe(page, "funds-requests")
    page.select_option("#id_account", label=works.name)
    page.fill("#id_title", "单元门禁更换")
    page.fill("#id_amount", "23456.78")
    page.select_option("#id_category", "safety")
    page.fill("#id_payee_name", "成都某安防科技有限公司")
    page.select_option("#id_payee_kind", "organisation")
    with page.expect_navigation():
        page.locator("form[method=post] button[type=submit]").last.click()
    req = ExpenditureRequest.objects.get(title="单元门禁更换")
    assert req.amount_fen == 2_345_678
    url = base + req.get_console_url()

    for role in ("works_supervisor", "finance_officer", "committee_member"):
        _as(page, base, role)
        page.goto(url)
        check_axe(page, f"funds-request-sign-{role}")
        with page.expect_navigation():
            page.click("#sign-button")
        shot(page, f"funds-signed-{role}")
    req.refresh_from_db()
    assert req.state == "approved"
    assert len({s.decided_by_id for s in req.steps.all()}) == 3

    _as(page, base, "finance_officer")
    page.goto(url)
    page.fill("#id_receipt_no", "FP-E2E-1")
    with page.expect_navigation():
        page.click("#pay-button")
    assert "FP-E2E-1" not in page.url
    req.refresh_from_db()
    assert req.state == "paid"
    works.refresh_from_db()

    page.context.clear_cookies()
    page.goto(base + f"/u/{works.unit.slug}/")
    check_axe(page, "funds-public-unit")
    page.goto(base + f"/u/{works.unit.slug}/ledger/?account={works.pk}")
    check_axe(page, "funds-public-ledger")
    body = page.locator("main").inner_text()
    assert "单元门禁更换" in body and "23,456.78" in body and works.head_hash in body
    shot(page, "funds-public-ledger")
    response = page.request.get(base + page.locator("#statement-link").get_attribute("href"), timeout=60_000)  # a PDF: slow on a busy box
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
