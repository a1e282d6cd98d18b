"""Safety in the browser, on a 390 px phone and on desktop, in both display modes: a grid worker
opens a check point's code, answers its checklist with an anomaly and a photo → a hazard is in the
register → the worker reports it rectified on the phone → community staff re-inspect and close it on
the console; a care visit logged on the phone; residents' safety pages. axe on every page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from courtyard.core.models import User
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.safety.models import CareVisit, CheckPoint, Hazard, PatrolTask
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _jpeg(tmp_path, name="hazard.jpg") -> str:
    path = tmp_path / name
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 90, 30)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def _fits_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _mode(page, base, users, mode) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_patrol_anomaly_hazard_fix_reinspection_and_care_visit(live_server, page, desktop_page, tmp_path, mode):
    load_demo(seed=1)
    base = live_server.url
    worker = RoleGrant.objects.select_related("user").get(role="grid_worker", title="演示账号").user
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    resident = User.objects.get_by_phone(demo_phone(1))
    # Today's rounds open around now, whatever the hour the suite runs.
    now = timezone.now()
    PatrolTask.objects.filter(day=timezone.localdate()).update(
        window_start=now - dt.timedelta(hours=1), window_end=now + dt.timedelta(hours=1), state="open")
    _mode(page, base, [worker, resident], mode)
    _mode(desktop_page, base, [staff], mode)

    # 1. The worker's rounds on the phone; opening a point's code shows its checklist.
    login(page, base, worker.phone, DEMO_PASSWORD)
    page.goto(base + "/safety/patrol/")
    assert page.locator("body.elderly").count() == (1 if mode == "elderly" else 0)
    check_axe(page, f"sf-{mode}-patrol")
    _fits_phone(page)
    point = CheckPoint.objects.filter(name__endswith="消防通道").first()
    page.goto(base + f"/safety/patrol/p/{point.code}/")
    check_axe(page, f"sf-{mode}-scan")
    shot(page, f"sf-{mode}-scan")
    _fits_phone(page)
    page.get_by_label("异常").first.check()
    page.get_by_label("正常", exact=True).nth(1).check()
    page.get_by_label("完好").check()
    page.fill("#id_note", "消防通道堆放纸箱")
    page.set_input_files("#id_photo", _jpeg(tmp_path))
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    hazard = Hazard.objects.filter(source="patrol", check_in__point=point, description="消防通道堆放纸箱").get()
    assert page.get_by_text("已记录异常").count() == 1
    shot(page, f"sf-{mode}-after-checkin")

    # 2. The worker owns it and reports it rectified, on the phone.
    hazard.owner = worker
    hazard.save(update_fields=["owner"])
    page.goto(base + f"/safety/hazards/{hazard.pk}/")
    check_axe(page, f"sf-{mode}-hazard-phone")
    shot(page, f"sf-{mode}-hazard-phone")
    _fits_phone(page)
    page.fill("#id_r-note", "纸箱已清走")
    page.set_input_files("#id_r-photo", _jpeg(tmp_path, "after.jpg"))
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    hazard.refresh_from_db()
    assert hazard.state == "fixed" and hazard.fixed_by == worker
    assert page.locator("#id_i-passed_0").count() == 0  # the fixer is offered no re-inspection

    # 3. Community staff re-inspect on the console and close it.
    d = desktop_page
    login(d, base, staff.phone, DEMO_PASSWORD)
    for path, name in [("/console/safety/hazards/", "hazards"), ("/console/safety/hazards/?overdue=true", "overdue"),
                       ("/console/safety/tasks/", "tasks"), ("/console/safety/points/", "points"),
                       ("/console/safety/routes/", "routes"), ("/console/safety/plans/", "plans"),
                       ("/console/safety/coverage/", "coverage"), ("/console/safety/care/", "care"),
                       ("/console/safety/care/warnings/", "care-warnings"), ("/console/safety/points/new/", "point-new"),
                       ("/console/safety/plans/new/", "plan-new"), ("/console/safety/hazards/new/", "hazard-new"),
                       ("/console/safety/hazards/assessment/", "assessment"), ("/console/safety/mediation/", "cases"),
                       ("/console/safety/mediation/stats/", "mediation-stats"), ("/console/safety/emergency/", "eplans"),
                       ("/console/safety/incidents/", "incidents"), ("/console/safety/whistles/", "whistles"),
                       ("/console/safety/whistles/accountability/", "accountability")]:
        d.goto(base + path)
        check_axe(d, f"sf-{mode}-{name}")
        if name in ("care", "coverage", "hazards"):
            shot(d, f"sf-{mode}-{name}")
    from courtyard.safety.models import CareRecord, EmergencyPlan, Incident, MediationCase

    for url, name in [(f"/console/safety/mediation/{MediationCase.objects.first().pk}/", "case"),
                      (f"/console/safety/emergency/{EmergencyPlan.objects.first().pk}/", "eplan"),
                      (f"/console/safety/incidents/{Incident.objects.first().pk}/", "incident"),
                      (f"/console/safety/care/{CareRecord.objects.first().pk}/", "care-detail")]:
        d.goto(base + url)
        check_axe(d, f"sf-{mode}-{name}")
    d.goto(base + f"/console/safety/hazards/{hazard.pk}/")
    check_axe(d, f"sf-{mode}-hazard-detail")
    d.locator("input[name=passed][value=yes]").check()
    d.fill("#id_note", "复查通道畅通")
    with d.expect_navigation():
        d.locator("input[name=action][value=reinspect] ~ button[type=submit]").click()
    hazard.refresh_from_db()
    assert hazard.state == "closed" and hazard.closed_by == staff
    shot(d, f"sf-{mode}-hazard-closed")

    # 4. A care visit on the phone.
    page.goto(base + "/safety/care/")
    check_axe(page, f"sf-{mode}-visits")
    _fits_phone(page)
    page.locator("a.r-row").first.click()
    page.wait_for_url("**/visit/")
    check_axe(page, f"sf-{mode}-visit-new")
    _fits_phone(page)
    before = CareVisit.objects.count()
    page.get_by_label("状况良好").check()
    page.fill("#id_note", "精神很好，已量血压")
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    assert CareVisit.objects.count() == before + 1
    shot(page, f"sf-{mode}-visit-logged")

    # 5. Residents: report, own reports, notices, their own visits.
    page.context.clear_cookies()
    _mode(page, base, [resident], mode)
    login(page, base, resident.phone, DEMO_PASSWORD)
    for path, name in [("/safety/report/", "report"), ("/safety/hazards/mine/", "mine"),
                       ("/safety/notices/", "notices"), ("/safety/mediation/", "ask-mediator"),
                       ("/safety/mediation/mine/", "my-mediation"), ("/safety/care/visits/", "own-visits")]:
        page.goto(base + path)
        check_axe(page, f"sf-{mode}-res-{name}")
        _fits_phone(page)
    assert page.locator(".r-list li.r-row").count() >= 1  # the elderly resident is in care and sees visits
