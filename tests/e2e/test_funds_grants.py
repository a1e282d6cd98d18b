"""Micro-grants and resident funds pages in the browser: a resident proposes on a phone and checks
their own levy; staff score (per criterion), close and award; a committee member signs, finance
pays; the resident files the final report with a PDF. Also a fee plan on the trust-property account.
axe runs on every new page."""

from __future__ import annotations

import pytest

from courtyard.funds.models import Account, ExpenditureRequest, GrantCall, GrantProposal
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(page, base, role):
    page.context.clear_cookies()
    phone = RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user.phone
    login(page, base, phone, DEMO_PASSWORD)


def _submit(page, action: str):
    with page.expect_navigation():
        page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()


def _fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_micro_grant_cycle_and_resident_pages(live_server, page, desktop_page, tmp_path):
    load_demo(seed=1)
    base = live_server.url
    call = GrantCall.objects.get(title__endswith="年学道苑微创投")

    # 1. a resident on a phone: tiles, own levy, the public ledger, a proposal
    login(page, base, demo_phone(1), DEMO_PASSWORD)
    page.goto(base + "/funds/levy/")
    check_axe(page, "funds-my-levy")
    _fits_phone(page)
    assert "改造居民自筹" in page.locator("main").inner_text()
    page.goto(base + "/funds/ledger/")
    assert "/ledger/" in page.url and "/u/" in page.url
    page.goto(base + "/funds/grants/")
    check_axe(page, "funds-resident-grants")
    with page.expect_navigation():
        page.locator(f"a[href='/funds/grants/{call.pk}/propose/']").click()
    check_axe(page, "funds-resident-propose")
    _fits_phone(page)
    page.fill("#id_title", "楼道花箱")
    page.fill("#id_applicant", "1号院园艺小组")
    page.fill("#id_requested", "99999")  # over the budget: a clear error, nothing saved
    page.select_option("#id_category", "environment")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".r-error").count() >= 1 and not GrantProposal.objects.filter(title="楼道花箱").exists()
    page.fill("#id_requested", "1200.50")
    page.fill("#id_summary", "每个单元门口两个花箱，居民认养")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    proposal = GrantProposal.objects.get(title="楼道花箱")
    assert proposal.requested_fen == 1_200_50
    check_axe(page, "funds-resident-proposal")
    shot(page, "funds-resident-proposal")

    # 2. staff score per criterion, close the call, award
    staff = desktop_page
    _as(staff, base, "community_staff")
    staff.goto(base + f"/console/funds/grants/proposals/{proposal.pk}/")
    check_axe(staff, "funds-proposal")
    for name, value in (("need", "27"), ("feasibility", "20"), ("participation", "25"), ("value", "16")):
        staff.fill(f"#id_sc-c_{name}", value)
    _submit(staff, "score")
    assert proposal.scores.get().score == 88
    staff.goto(base + f"/console/funds/grants/{call.pk}/")
    check_axe(staff, "funds-call")
    _submit(staff, "close")
    staff.fill(f"#id_aw-p_{proposal.pk}", "1200.50")
    staff.fill("#id_aw-award_ref", "院委会 2026年第11次会议")
    _submit(staff, "award")
    proposal.refresh_from_db()
    assert proposal.state == "awarded" and proposal.request.amount_fen == 1_200_50
    shot(staff, "funds-call-awarded")
    req = ExpenditureRequest.objects.get(pk=proposal.request_id)

    # 3. the account's own approval (single approver), then finance pays
    _as(staff, base, "committee_member")
    staff.goto(base + req.get_console_url())
    with staff.expect_navigation():
        staff.click("#sign-button")
    _as(staff, base, "finance_officer")
    staff.goto(base + req.get_console_url())
    staff.fill("#id_receipt_no", "FP-GRANT-1")
    with staff.expect_navigation():
        staff.click("#pay-button")
    proposal.refresh_from_db()
    assert proposal.state == "disbursed"

    # 4. the resident files the final report with a PDF
    pdf = tmp_path / "final-report.pdf"
    pdf.write_bytes(PDF)
    page.goto(base + f"/funds/grants/proposals/{proposal.pk}/")
    check_axe(page, "funds-resident-report")
    page.fill("#id_report", "12 个花箱已安装，24 户认养")
    page.set_input_files("#id_files", str(pdf))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    proposal.refresh_from_db()
    assert proposal.state == "reported"

    # 5. a fee plan on the trust-property account
    _as(staff, base, "community_staff")
    trust = Account.objects.get(name="学道苑信托物业账户")
    staff.goto(base + trust.get_console_url())
    check_axe(staff, "funds-trust-account")
    form = staff.locator("form[action$='/fee-plan/']")
    form.locator("#id_fp-name").fill("信托物业费 2027")
    form.locator("#id_fp-rate").fill("0.85")
    form.locator("#id_fp-starts_on").fill("2027-01-01")
    form.locator("#id_fp-settlor").fill("学道苑全体业主")
    form.locator("#id_fp-trustee").fill("成都某物业服务有限公司")
    with staff.expect_navigation():
        form.locator("button[type=submit]").click()
    assert trust.fee_plans.filter(name="信托物业费 2027", rate_fen_per_m2_month=85).exists()
