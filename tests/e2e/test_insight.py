"""Insight in the browser: a red warning on 学道苑's satisfaction rate (from the demo's history) is a
listed case the subdistrict supervises; the officer finds it from the work list and the dashboard,
sets the community's staff as owner, the community records an action with a photo on a phone, the
subdistrict closes it. axe runs on every insight page in both display modes.

CI time (docs: the browser-test budget): the demo is loaded for the apps this journey reads only —
the place tree and logins, the service desk's history (the red satisfaction case) and insight's
snapshots — not the whole `demo_data` (which spends most of its time on apps this test never opens)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.utils import translation
from PIL import Image

from courtyard.core.models import User
from courtyard.insight.models import WarningCase
from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser]


def _jpeg(tmp_path) -> str:
    path = tmp_path / "evidence.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 30)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def _demo(apps=("servicedesk", "insight")) -> None:
    """What `manage.py demo_data --scale small --seed 1` loads, for the given apps only, with insight's
    snapshots for the last two months (the red case is last month's) rather than twelve."""
    from courtyard.core.extensions import app_modules
    from courtyard.org.demo.load import DbIds, load_batch
    from courtyard.org.demo.logins import create_logins
    from courtyard.org.demo.plan import plan

    with translation.override(settings.LANGUAGE_CODE):
        info = None
        for batch in plan("small", 1, DbIds("default")):
            load_batch(batch, scale="small", seed=1, batch_size=2000, using="default")
            info = info or batch.info
        create_logins(info)
        for module in app_modules("demo", apps=apps):
            extra = {"months": 2} if module.__name__ == "courtyard.insight.demo" else {}
            module.load_demo(info, seed=1, stdout=io.StringIO(), **extra)


def _mode(page, base, user, mode):
    User.objects.filter(pk=user.pk).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])


def test_red_warning_to_supervised_case_and_closure(live_server, page, desktop_page, tmp_path):
    _demo()
    base = live_server.url
    officer = RoleGrant.objects.select_related("user").get(role="subdistrict_officer", title="演示账号").user
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    case = WarningCase.objects.get(scope_name="学道苑", code="satisfaction_rate", status="open")
    assert case.level == "red" and case.lead_place.kind == "subdistrict"

    d = desktop_page
    login(d, base, officer.phone, DEMO_PASSWORD)
    for mode in ("standard", "elderly"):
        _mode(d, base, officer, mode)
        d.goto(base + "/console/")
        assert d.get_by_text("待督办的挂牌案件").count() >= 1
        d.goto(base + "/console/insight/")
        d.locator("#insight-trend canvas").first.wait_for()
        check_axe(d, f"insight-dashboard-{mode}")
        shot(d, f"insight-dashboard-{mode}")
        for path, name in [("/console/insight/indicators/", "catalogue"),
                           ("/console/insight/indicators/participation_rate/", "definition"),
                           ("/console/insight/cases/?status=open&level=red", "cases"),
                           ("/console/insight/review/", "review"), ("/console/insight/reports/", "reports"),
                           (f"/console/insight/cases/{case.pk}/", "case"),
                           (f"/console/insight/map/?scope=community:{case.place_id}", "map"),
                           ("/console/insight/progress/", "progress")]:
            d.goto(base + path)
            check_axe(d, f"insight-{name}-{mode}")
    _mode(d, base, officer, "standard")
    # drill down from the subdistrict to the community, then to the unit
    d.goto(base + "/console/insight/")
    d.get_by_role("link", name="合江亭社区").first.click()
    d.get_by_role("link", name="学道苑").first.click()
    assert "学道苑" in d.locator("h1").inner_text()
    shot(d, "insight-unit-dashboard")
    # the listed case: the officer sets the owner and the deadline
    d.goto(base + "/console/insight/cases/?status=open&level=red")
    d.get_by_role("link", name="学道苑").first.click()
    d.goto(base + f"/console/insight/cases/{case.pk}/")
    d.select_option("#id_owner", str(staff.pk))
    with d.expect_navigation():
        d.locator("form:has(input[name=step][value=owner]) button[type=submit]").click()
    case.refresh_from_db()
    assert case.owner_id == staff.pk

    # the community's staff, on a phone: may act but not close a listed case
    login(page, base, staff.phone, DEMO_PASSWORD)
    for mode in ("standard", "elderly"):
        _mode(page, base, staff, mode)
        page.goto(base + f"/console/insight/cases/{case.pk}/")
        check_axe(page, f"insight-case-phone-{mode}")
    assert page.locator("form:has(input[name=step][value=close])").count() == 0
    page.fill("#id_note", "逐户回访 4 户居民，返修两处渗漏")
    page.set_input_files("#id_evidence", _jpeg(tmp_path))
    with page.expect_navigation():
        page.locator("form:has(input[name=step][value=action]) button[type=submit]").click()
    assert page.get_by_text("整改措施已记录").count() == 1
    shot(page, "insight-case-phone")

    # the subdistrict closes it
    d.goto(base + f"/console/insight/cases/{case.pk}/")
    assert d.locator("a[href^='/files/']").count() == 1
    d.fill("#id_closure", "返修完成，回访满意")
    with d.expect_navigation():
        d.locator("form:has(input[name=step][value=close]) button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_by_id == officer.pk
    assert d.get_by_text("已办结").count() >= 1
    check_axe(d, "insight-case-closed")
    shot(d, "insight-case-closed")

    # the public results board of the unit: aggregates, no names
    page.goto(base + "/u/xuedaoyuan/")
    check_axe(page, "insight-public")
    assert page.get_by_text("满意率").count() >= 1
    shot(page, "insight-public")
