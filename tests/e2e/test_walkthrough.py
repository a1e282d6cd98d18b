"""Every demo role logs in and walks its pages; axe checks every distinct page once,
in standard and in elderly mode. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.utils import translation

from courtyard.core.access import ROLES
from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant, SelfGovernanceUnit
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

RESIDENT_PAGES = ["/", "/household/", "/me/", "/inbox/", "/settings/"]


@pytest.fixture
def demo(live_server, settings):
    # As in production (and as the crawl does): the site speaks Chinese, so what the demo writes —
    # notice titles, role names in display names, messages — is Chinese on the screenshots too.
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        load_demo(seed=1)
    return live_server


def _logins() -> dict[str, str]:
    """role code → phone of its demo account."""
    out: dict[str, str] = {}
    for grant in RoleGrant.objects.select_related("user").order_by("pk"):
        out.setdefault(grant.role, grant.user.phone)
    return out


def _nav_links(page) -> list[str]:
    return page.eval_on_selector_all(".staff-nav a.nav-link", "els => els.map(e => e.getAttribute('href'))")


def test_every_role_walks_its_pages(demo, page, desktop_page):
    base = demo.url
    logins = _logins()
    assert set(logins) == set(ROLES), "every role has a demo login"
    checked: set[str] = set()

    def visit(pg, path: str, label: str, *, always: bool = False):
        key = path.rstrip("0123456789/") if path.startswith("/console/") else path
        if key in checked and not always:
            return  # seen (axe, screenshot) as another role; every role's links are status-checked by the crawl
        response = pg.goto(base + path)
        assert response.status == 200, f"{label} {path} → {response.status}"
        if pg is page:  # phone-sized: nothing may stick out sideways
            overflow = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{label} {path} is {overflow}px wider than the phone"
        if key not in checked:
            checked.add(key)
            check_axe(pg, f"{label}{path}")
            shot(pg, f"{label}{path}")

    # Resident (elderly owner: elderly mode is on for this account) and tenant.
    for phone in ("13800000001", "13800000002"):
        login(page, base, phone, DEMO_PASSWORD)
        page.goto(base + "/")
        tiles = page.eval_on_selector_all("a.r-tile", "els => els.map(e => e.getAttribute('href'))")
        assert len(tiles) >= 6, "the apps' tiles are on the home page"
        for path in RESIDENT_PAGES + tiles:
            visit(page, path, "resident")
        assert page.locator("body.elderly").count() == (1 if phone.endswith("1") else 0)
        page.context.clear_cookies()
        checked -= set(RESIDENT_PAGES + tiles)  # check both modes

    for role, phone in logins.items():
        desktop_page.context.clear_cookies()
        login(desktop_page, base, phone, DEMO_PASSWORD)
        # Everybody has the resident shell; console roles also get a console menu.
        desktop_page.goto(base + "/me/")
        assert desktop_page.locator("main").inner_text()
        perms = ROLES[role].perms
        if "web.use_console" not in perms:
            assert desktop_page.goto(base + "/console/").status == 403
            continue
        visit(desktop_page, "/console/", role, always=True)  # its menu is this role's
        links = _nav_links(desktop_page)
        assert links, f"{role} sees a console menu"
        for href in links:
            visit(desktop_page, href, role)
        # First row of each list opens its detail page.
        for list_path, detail_prefix in (("/console/dwellings/", "/console/dwellings/"),
                                         ("/console/people/", "/console/people/")):
            if list_path in links:
                desktop_page.goto(base + list_path)
                first = desktop_page.locator(f"table a[href^='{detail_prefix}']").first
                if first.count():
                    visit(desktop_page, first.get_attribute("href"), role, always=True)

    unit = SelfGovernanceUnit.objects.get(slug="xuedaoyuan")
    page.context.clear_cookies()
    visit(page, f"/u/{unit.slug}/", "public")
    visit(page, "/accounts/login/", "public")


def test_elderly_mode_switch_meets_the_rules(demo, page):
    base = demo.url
    login(page, base, "13800000002", DEMO_PASSWORD)  # the tenant starts in standard mode
    page.goto(base + "/settings/")
    page.get_by_label("Elderly mode", exact=False).check() if page.get_by_label("Elderly mode", exact=False).count() \
        else page.locator("input[name=elderly_mode]").check()
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("body.elderly").count() == 1
    page.goto(base + "/")
    metrics = page.evaluate(
        """() => {
          const p = document.querySelector('main p');
          const cs = getComputedStyle(p);
          const targets = [...document.querySelectorAll('.r-btn, .r-tab')].map(e => {
            const r = e.getBoundingClientRect(); return [r.width, r.height, e.textContent.trim()];
          });
          return {font: parseFloat(cs.fontSize), line: parseFloat(cs.lineHeight), targets,
                  dialogs: document.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog]').length};
        }"""
    )
    assert metrics["font"] >= 18
    assert metrics["line"] / metrics["font"] >= 1.3
    assert metrics["dialogs"] == 0
    assert metrics["targets"], "primary targets found"
    for width, height, text in metrics["targets"]:
        assert width >= 60 and height >= 60, f"target {text!r} is {width}x{height}"
    check_axe(page, "elderly-home")
    shot(page, "elderly-home")
    # And back: the switch is one button on every resident page footer / settings.
    page.goto(base + "/settings/")
    page.locator("input[name=elderly_mode]").uncheck()
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("body.elderly").count() == 0


def test_staff_reveals_a_phone_and_it_is_audited(demo, desktop_page):
    from courtyard.core.models import AuditEvent

    base = demo.url
    phone = _logins()["community_staff"]
    login(desktop_page, base, phone, DEMO_PASSWORD)
    desktop_page.goto(base + "/console/people/?tag=building_head")
    desktop_page.locator("table a[href^='/console/people/']").first.click()
    masked = desktop_page.locator("#reveal-phone").inner_text()
    assert "****" in masked
    before = AuditEvent.objects.filter(action="org.person.reveal_phone").count()
    desktop_page.get_by_role("button", name="Show full number").first.click() if desktop_page.get_by_role(
        "button", name="Show full number").count() else desktop_page.locator("#reveal-phone + button").click()
    desktop_page.wait_for_function("() => !document.querySelector('#reveal-phone').textContent.includes('*')")
    full = desktop_page.locator("#reveal-phone").inner_text().strip()
    assert len(full) == 11 and full.isdigit() and full[:3] == masked[:3] and full[-4:] == masked[-4:]
    assert AuditEvent.objects.filter(action="org.person.reveal_phone").count() == before + 1
    check_axe(desktop_page, "staff-person-revealed")
