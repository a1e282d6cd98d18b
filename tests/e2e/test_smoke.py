"""Smoke tests for the browser tooling itself: chromium starts, axe really fails."""

import json

import pytest

from tests.e2e.axe import AXE_DIR, check_axe
from tests.e2e.conftest import SCREENSHOTS, shot

pytestmark = pytest.mark.browser

BAD = '<html lang="en"><head><title>t</title></head><body><main><h1>Hi</h1><img src="x.png"></main></body></html>'
GOOD = (
    '<html lang="zh-CN"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>小院</title></head><body><main><h1>你好</h1>"
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="院子平面图"></main></body></html>'
)


def test_healthz_over_live_server(page, live_server):
    page.goto("/healthz")
    assert '{"status": "ok"' in page.locator("body").inner_text()
    assert shot(page, "smoke-healthz") == SCREENSHOTS / "smoke-healthz.png"
    assert (SCREENSHOTS / "smoke-healthz.png").stat().st_size > 0


def test_axe_reports_missing_alt_as_critical(page):
    page.set_content(BAD)
    with pytest.raises(AssertionError) as excinfo:
        check_axe(page, "smoke-missing-alt")
    message = str(excinfo.value)
    assert "image-alt" in message
    assert "[critical]" in message
    assert "img" in message  # the target selector is listed
    report = json.loads((AXE_DIR / "smoke-missing-alt.json").read_text(encoding="utf-8"))
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in report["violations"])


def test_axe_passes_clean_page(page):
    page.set_content(GOOD)
    result = check_axe(page, "smoke-clean")
    assert result["violations"] == []
    assert result["passes"], "axe ran no rules at all"


def test_page_is_phone_sized(page):
    page.set_content(GOOD)
    assert page.evaluate("() => [innerWidth, innerHeight]") == [390, 844]
    assert page.evaluate("() => navigator.language") == "zh-CN"


def test_desktop_page_viewport(desktop_page):
    desktop_page.set_content(GOOD)
    assert desktop_page.evaluate("() => [innerWidth, innerHeight]") == [1366, 900]
    assert desktop_page.evaluate("() => navigator.language") == "zh-CN"
