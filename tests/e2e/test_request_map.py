"""The request map in a browser: staff land on the console with its work list, upload a site
plan, place a building with two clicks, and see it on the plan; axe checks each page."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import Courtyard, Place, RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def test_console_home_upload_plan_and_place_a_building(live_server, desktop_page, tmp_path):
    load_demo(seed=1)
    base = live_server.url
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    d = desktop_page
    login(d, base, staff.phone, DEMO_PASSWORD)
    assert d.url.rstrip("/").endswith("/console")  # staff without a home land on the console
    assert d.locator(".work-card").count() >= 5
    assert d.locator(".staff-nav .nav-link.active").count() == 1
    check_axe(d, "console-home")

    courtyard = Courtyard.objects.filter(buildings__isnull=False).order_by("name").first()
    d.goto(f"{base}/console/requests/map/?courtyard={courtyard.pk}")
    assert d.locator("#req-map").count() == 0 and d.get_by_text("还没有总平面图").count() == 1
    check_axe(d, "map-no-plan")

    plan = tmp_path / "plan.png"
    Image.new("RGB", (1000, 700), (244, 241, 232)).save(plan)
    d.goto(f"{base}/console/courtyards/{courtyard.pk}/plan/")
    check_axe(d, "plan-upload")
    d.set_input_files("input[name=image]", str(plan))
    with d.expect_navigation():
        d.locator("main form button[type=submit]").click()
    d.wait_for_selector("#req-map .leaflet-image-layer")
    assert d.locator(".map-legend li").count() == 3
    check_axe(d, "map-with-plan")

    building = Place.objects.filter(courtyard=courtyard, kind="building").order_by("name").first()
    d.locator(f".js-place[data-id='{building.pk}']").click()
    box = d.locator("#req-map").bounding_box()
    d.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # (no wait_for_function: a string evaluated in the page is eval, which the CSP forbids)
    expect(d.locator("#map-status")).to_contain_text("已保存")
    building.refresh_from_db()
    assert building.map_x is not None and 0 <= building.map_x <= 1000 and 0 <= building.map_y <= 700
    assert d.locator(".leaflet-marker-icon .pin").count() >= 1
    shot(d, "request-map")
