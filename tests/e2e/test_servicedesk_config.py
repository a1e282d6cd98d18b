"""Service-desk settings in the browser: community staff add a service to the menu, a category, an
SLA policy and a framework agreement through the console forms; residents (elderly mode and
standard) post a need and offer a resource on a phone. axe runs on every new page."""

from __future__ import annotations

import pytest

from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant
from courtyard.servicedesk.models import Agreement, Category, Demand, Offer, ServiceItem, SlaPolicy
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def test_settings_forms_and_resident_needs(live_server, page, desktop_page):
    load_demo(seed=1)
    base = live_server.url
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user

    d = desktop_page
    login(d, base, staff.phone, DEMO_PASSWORD)
    d.goto(base + "/console/requests/settings/")
    check_axe(d, "svc-settings-links")

    # a value-added service at 12.50 yuan
    d.goto(base + "/console/requests/settings/services/new/")
    check_axe(d, "svc-item-new")
    d.select_option("#id_menu", "value_added")
    d.fill("#id_name", "上门理发")
    d.fill("#id_price", "12.50")
    with d.expect_navigation():
        d.locator("main form button[type=submit]").click()
    item = ServiceItem.objects.get(name="上门理发")
    assert item.price_fen == 1250
    d.goto(base + f"/console/requests/settings/services/{item.pk}/")
    check_axe(d, "svc-item-edit")

    # a community category under 供水 with an SLA policy
    d.goto(base + "/console/requests/settings/categories/new/")
    check_axe(d, "svc-category-new")
    water = Category.objects.get(code="water")
    d.select_option("#id_parent", str(water.pk))
    d.fill("#id_code", "water-tank-e2e")
    d.fill("#id_name", "水箱清洗")
    with d.expect_navigation():
        d.locator("main form button[type=submit]").click()
    cat = Category.objects.get(code="water-tank-e2e")
    d.goto(base + f"/console/requests/settings/categories/{cat.pk}/")
    check_axe(d, "svc-category-edit")

    d.goto(base + "/console/requests/settings/sla/new/")
    check_axe(d, "svc-sla-new")
    d.select_option("#id_category", str(cat.pk))
    d.select_option("#id_urgency", "normal")
    d.fill("#id_accept_within", "4")
    d.fill("#id_onsite_within", "2")  # before accepting: refused
    d.fill("#id_resolve_within", "72")
    d.locator("main form button[type=submit]").click()
    d.wait_for_selector(".alert-danger")
    check_axe(d, "svc-sla-error")
    assert not SlaPolicy.objects.filter(category=cat).exists()
    d.fill("#id_onsite_within", "24")
    with d.expect_navigation():
        d.locator("main form button[type=submit]").click()
    pol = SlaPolicy.objects.get(category=cat, urgency="normal")
    d.goto(base + f"/console/requests/settings/sla/{pol.pk}/")
    check_axe(d, "svc-sla-edit")

    d.goto(base + "/console/requests/settings/agreements/new/")
    check_axe(d, "svc-agreement-new")
    agreement = Agreement.objects.filter(community=staff.person.community if staff.person else None).first() \
        or Agreement.objects.first()
    d.goto(base + f"/console/requests/settings/agreements/{agreement.pk}/")
    check_axe(d, "svc-agreement-edit")
    d.goto(base + "/console/requests/")
    check_axe(d, "svc-queue-bulk-select")

    # residents on a phone: the elderly owner posts a need, the tenant offers a skill
    for phone, elderly in (("13800000001", True), ("13800000002", False)):
        login(page, base, phone, DEMO_PASSWORD)
        page.goto(base + "/requests/needs/")
        assert page.locator("body.elderly").count() == (1 if elderly else 0)
        check_axe(page, f"svc-resident-needs-{'elderly' if elderly else 'standard'}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if elderly:
            page.fill("#id_need-title", "想找人陪老人散步")
            with page.expect_navigation():
                page.locator("form:has(input[name=action][value=need]) button[type=submit]").click()
            assert Demand.objects.filter(title="想找人陪老人散步").exists()
        else:
            page.fill("#id_offer-title", "周末教下象棋")
            with page.expect_navigation():
                page.locator("form:has(input[name=action][value=offer]) button[type=submit]").click()
            assert Offer.objects.filter(title="周末教下象棋").exists()
        check_axe(page, f"svc-resident-needs-after-{'elderly' if elderly else 'standard'}")
        shot(page, f"svc-resident-needs-{'elderly' if elderly else 'standard'}")
        page.context.clear_cookies()
