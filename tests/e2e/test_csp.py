"""The Content-Security-Policy holds in a real browser: inline script is blocked and reported, our own
pages (with htmx, Leaflet, the API docs) run without a single violation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant
from tests.e2e.conftest import login
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def test_inline_script_is_blocked_and_reported(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.pwned") is None
    assert any("Content Security Policy" in v for v in page.csp_violations)
    page.csp_violations.clear()  # provoked on purpose; the fixture fails a test on any other


def test_console_pages_and_api_docs_run_without_violations(live_server, desktop_page):
    load_demo(seed=1)
    call_command("demo_site_plans", stdout=io.StringIO())  # the map draws only over an uploaded plan
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    base = live_server.url
    login(desktop_page, base, staff.phone, DEMO_PASSWORD)
    for path in ("/console/", "/console/requests/", "/console/requests/map/", "/api/docs/"):
        desktop_page.goto(base + path)
        desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.csp_violations == []
    # Leaflet drew the map (script from a static file under the policy).
    desktop_page.goto(base + "/console/requests/map/")
    assert desktop_page.locator("#req-map.leaflet-container").count() == 1
