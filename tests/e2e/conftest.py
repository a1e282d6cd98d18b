"""Browser fixtures: Playwright (sync API) driving Debian's /usr/bin/chromium.

Mark browser tests with ``@pytest.mark.browser`` (see tests/conftest.py for when they
run). Nothing here downloads a browser: never run ``playwright install``.

Fixtures
    browser       session-wide headless chromium
    page          fresh context per test, phone viewport 390x844, zh-CN
    desktop_page  fresh context per test, 1366x900, zh-CN
    If the test also uses ``live_server``, both pages get it as ``base_url``, so
    ``page.goto("/healthz")`` works.

Helpers (``from tests.e2e.conftest import login, shot``)
    login(page, live_server_url, phone, password)
    shot(page, name)  ->  test-artifacts/screenshots/<name>.png

Every page records requests to hosts other than the live server; a test whose page
tried to reach the outside world (a CDN, a font service...) fails at teardown.
Screenshots of failing tests are saved as test-artifacts/screenshots/FAILED-*.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio loop in this thread, which trips Django's
# async-unsafe guard on every ORM call made by the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Nothing but the local live server resolves: a page that still points at a CDN
    # fails in tests exactly as it would on an offline courtyard laptop.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

PHONE_VIEWPORT = {"width": 390, "height": 844}
_CALL_FAILED = pytest.StashKey[bool]()
DESKTOP_VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:150]


def _new_page(request: pytest.FixtureRequest, browser, viewport: dict, **extra) -> Iterator:
    options = {
        "viewport": viewport,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        # The Content-Security-Policy is enforced like in a real browser: a violation fails the test
        # (axe.py injects axe-core through the DevTools protocol, which the policy does not govern).
        "bypass_csp": False,
        **extra,
    }
    if "live_server" in request.fixturenames:
        options["base_url"] = request.getfixturevalue("live_server").url
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    outside: list[str] = []
    page_errors: list[str] = []

    def on_request(req):
        parts = urlsplit(req.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            outside.append(req.url)

    context.on("request", on_request)
    csp_violations: list[str] = []

    def on_console(message):
        text = message.text
        if message.type in ("error", "warning") and "Content Security Policy" in text:
            csp_violations.append(f"{page.url}: {text}")

    page = context.new_page()
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("console", on_console)
    page.csp_violations = csp_violations  # a test that provokes one on purpose inspects and clears it
    try:
        yield page
    finally:
        if request.node.stash.get(_CALL_FAILED, False):
            try:
                shot(page, "FAILED-" + _safe_name(request.node.nodeid))
            except Exception as exc:  # the page may be gone; the test failure matters more
                print(f"could not save failure screenshot: {exc}")
            if page_errors:
                print("JavaScript errors on the page:\n  " + "\n  ".join(page_errors))
        context.close()
    if csp_violations:
        pytest.fail(
            "the page broke its Content-Security-Policy (move inline script to a static file):\n  "
            + "\n  ".join(sorted(set(csp_violations))),
            pytrace=False,
        )
    if outside:
        pytest.fail(
            "page requested resources outside the live server (vendor them under static/vendor/):\n  "
            + "\n  ".join(sorted(set(outside))),
            pytrace=False,
        )


@pytest.fixture
def page(request, browser):
    """A phone-sized page (390x844, zh-CN): the resident pages' default.

    ``is_mobile`` makes chromium honour (or miss) ``<meta name="viewport">`` as a phone does.
    """
    yield from _new_page(request, browser, PHONE_VIEWPORT, is_mobile=True, has_touch=True)


@pytest.fixture
def desktop_page(request, browser):
    """A desktop page (1366x900, zh-CN): the staff console."""
    yield from _new_page(request, browser, DESKTOP_VIEWPORT)


def login(page, live_server_url: str, phone: str, password: str):
    """Sign in through the real login form; raises AssertionError if it does not take."""
    page.goto(f"{live_server_url.rstrip('/')}/accounts/login/")
    page.locator("input[name=phone]").fill(phone)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("button[type=submit]").first.click()
    if urlsplit(page.url).path.rstrip("/").endswith("/accounts/login"):
        shot(page, "login-failed-" + _safe_name(phone))
        body = page.locator("body").inner_text()[:500]
        raise AssertionError(f"login as {phone} failed; still on {page.url}:\n{body}")
    return page


def shot(page, name: str) -> Path:
    """Save a full-page PNG screenshot to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
