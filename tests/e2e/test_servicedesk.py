"""Service desk in the browser: a resident files a request with a photo on a phone, the community
dispatcher assigns it to the contracted vendor, the vendor's staff resolve it with a photo, the
resident rates it. axe runs on every service-desk page on the way."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.servicedesk.models import Request
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _jpeg(tmp_path, name="leak.jpg") -> str:
    path = tmp_path / name
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 200)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_file_dispatch_resolve_rate(live_server, page, desktop_page, tmp_path):
    load_demo(seed=1)
    base = live_server.url
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    vendor_grant = RoleGrant.objects.select_related("user", "partner").get(role="vendor", title="演示账号")

    # 1. resident files on a phone, with a photo
    login(page, base, demo_phone(1), DEMO_PASSWORD)
    page.goto(base + "/requests/")
    check_axe(page, "svc-mine")
    page.goto(base + "/requests/new/")
    check_axe(page, "svc-new")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    page.select_option("#id_category", label="供水 · 漏水/爆管")
    page.fill("#id_title", "厨房水管爆了")
    page.fill("#id_description", "水一直在流")
    page.set_input_files("#id_photos", _jpeg(tmp_path))
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    req = Request.objects.filter(title="厨房水管爆了").get()
    assert req.events.get(action="file")
    # The photo shows (served by the authorising file view, not MEDIA_URL).
    photo = page.locator("img[src^='/files/']").first
    photo.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    check_axe(page, "svc-mine-detail")
    shot(page, "svc-filed")
    page.goto(base + "/requests/services/")
    check_axe(page, "svc-menu")

    # 2. the community dispatcher sees reasons and sends it to the contracted vendor
    d = desktop_page
    login(d, base, staff.phone, DEMO_PASSWORD)
    for path, name in [("/console/requests/", "svc-queue"), ("/console/requests/?q=overdue", "svc-queue-overdue"),
                       ("/console/requests/map/", "svc-map"), ("/console/requests/stats/", "svc-stats"),
                       ("/console/requests/orders/", "svc-orders"), ("/console/requests/needs/", "svc-needs"),
                       ("/console/requests/settings/", "svc-settings"), ("/console/requests/new/", "svc-staff-new")]:
        d.goto(base + path)
        check_axe(d, name)
    d.goto(base + f"/console/requests/{req.pk}/")
    check_axe(d, "svc-console-detail")
    d.check(f"input[name=to][value='partner:{vendor_grant.partner_id}']")
    d.fill("#dispatch-reason", "框架协议维修商")
    with d.expect_navigation():
        d.locator("form[action$='/dispatch/'] button[type=submit]").click()
    req.refresh_from_db()
    assert req.state == "dispatched" and req.vendor_id == vendor_grant.partner_id

    # 3. the vendor's staff go on site and resolve with a photo
    d.context.clear_cookies()
    login(d, base, vendor_grant.user.phone, DEMO_PASSWORD)
    d.goto(base + "/console/requests/work/")
    check_axe(d, "svc-workorders")
    d.goto(base + f"/console/requests/{req.pk}/")
    with d.expect_navigation():
        d.locator("form:has(input[name=action][value=start]) button[type=submit]").click()
    d.fill("#note-resolve", "更换三通阀门")
    d.set_input_files("#photos-resolve", _jpeg(tmp_path, "done.jpg"))
    with d.expect_navigation():
        d.locator("form:has(input[name=action][value=resolve]) button[type=submit]").click()
    req.refresh_from_db()
    assert req.state == "resolved"
    check_axe(d, "svc-console-detail-vendor")

    # 4. the resident rates it
    page.goto(base + f"/requests/{req.pk}/")
    check_axe(page, "svc-rate")
    page.check("input[name=stars][value='5']")
    page.check("input[name=fixed][value=yes]")
    page.check("input[name=reasons][value=fast]")
    with page.expect_navigation():
        page.locator("form:has(input[name=stars]) button[type=submit]").click()
    req.refresh_from_db()
    assert req.state == "closed" and req.stars == 5
    shot(page, "svc-rated")
