"""A community worker downloads the roster template, uploads a filled workbook, sees row
errors block the import, fixes the file, imports it, and a second import adds nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import Dwelling, Person, Place, RoleGrant
from courtyard.org.roster import COLUMNS
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _workbook(tmp_path, name: str, rows: list[dict]) -> str:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key, "") for c in COLUMNS])
    path = tmp_path / name
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def test_roster_import_in_the_browser(live_server, desktop_page, tmp_path):
    load_demo(seed=1)
    staff = RoleGrant.objects.select_related("user").filter(role="community_staff").first().user
    entrance = Place.objects.filter(kind="entrance", dwellings__isnull=False).select_related("parent__courtyard").first()
    building = entrance.parent
    base = live_server.url
    page = desktop_page
    login(page, base, staff.phone, DEMO_PASSWORD)
    page.goto(base + "/console/roster/")
    check_axe(page, "roster-upload")
    with page.expect_download() as download:
        page.locator("a[href$='template.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    good = [
        {"courtyard": building.courtyard.name, "building": building.name, "entrance": entrance.name, "room": "9901",
         "floor": 9, "area": "72.35", "area_source": "不动产登记", "property_type": "房改房", "occupancy": "自住",
         "name": "测试业主", "gender": "女", "birth_year": 1948, "phone": "13712340001", "residence": "常住",
         "relation": "业主", "tags": "志愿者"},
        {"courtyard": building.courtyard.name, "building": building.name, "entrance": entrance.name, "room": "9901",
         "name": "测试租户", "gender": "男", "birth_year": 1990, "phone": "13712340002", "residence": "流动人口",
         "relation": "租户"},
    ]
    bad = [dict(good[0], phone="1234", area="-5")]
    dwellings, people = Dwelling.objects.count(), Person.objects.count()

    # A file with row errors: they are listed and the import button stays disabled.
    page.set_input_files("input[type=file]", _workbook(tmp_path, "bad.xlsx", bad))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("table").first.is_visible()
    assert page.locator("button[disabled]").count() >= 1
    shot(page, "roster-preview-errors")
    check_axe(page, "roster-preview-errors")
    assert (Dwelling.objects.count(), Person.objects.count()) == (dwellings, people)

    # The corrected file imports.
    page.goto(base + "/console/roster/")
    page.set_input_files("input[type=file]", _workbook(tmp_path, "good.xlsx", good))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    check_axe(page, "roster-preview-ok")
    page.locator("main form button[type=submit]:not([disabled])").last.click()
    page.wait_for_load_state()
    shot(page, "roster-committed")
    assert Dwelling.objects.count() == dwellings + 1
    assert Person.objects.count() == people + 2
    assert Dwelling.objects.get(entrance=entrance, number="9901").area_m2 == Decimal("72.35")

    # The same file again changes nothing.
    page.goto(base + "/console/roster/")
    page.set_input_files("input[type=file]", _workbook(tmp_path, "good.xlsx", good))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("main form button[type=submit]:not([disabled])").last.click()
    page.wait_for_load_state()
    assert Dwelling.objects.count() == dwellings + 1
    assert Person.objects.count() == people + 2
