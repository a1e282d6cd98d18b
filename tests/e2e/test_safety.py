"""Safety in the browser. One journey on a 390 px phone in the standard display mode: a grid worker
opens a check point from the list (sticker torn: says why), answers its checklist with an anomaly and
a photo → a hazard is in the register → the worker reports it rectified on the phone → community
staff re-inspect and close it on the console; a care visit logged on the phone; residents' safety
pages. Then, without redoing the journey, the phone pages in elderly mode and the console pages on
desktop are loaded once each and checked with axe (CI-time rules: one journey, one mode)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from courtyard.core.models import User
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.safety.models import CareRecord, CareVisit, CheckIn, CheckPoint, Hazard, PatrolTask, Whistle
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

RESIDENT_PAGES = [("/safety/report/", "report"), ("/safety/hazards/mine/", "mine"), ("/safety/notices/", "notices"),
                  ("/safety/mediation/", "ask-mediator"), ("/safety/mediation/mine/", "my-mediation"),
                  ("/safety/care/visits/", "own-visits")]


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


def _look(page, url, name, *, phone=True, picture=False) -> None:
    page.goto(url)
    check_axe(page, name)
    if phone:
        _fits_phone(page)
    if picture:
        shot(page, name)


def test_patrol_hazard_and_care_on_a_phone(live_server, page, desktop_page, tmp_path):
    load_demo(seed=1)
    base = live_server.url
    worker = RoleGrant.objects.select_related("user").get(role="grid_worker", title="演示账号").user
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    resident = User.objects.get_by_phone(demo_phone(1))
    # Today's rounds open around now, whatever the hour the suite runs.
    now = timezone.now()
    PatrolTask.objects.filter(day=timezone.localdate()).update(
        window_start=now - dt.timedelta(hours=1), window_end=now + dt.timedelta(hours=1), state="open")
    _mode(page, base, [worker, resident], "standard")
    _mode(desktop_page, base, [staff], "standard")

    # 1. The worker's rounds on the phone; the sticker is torn, so the point is opened from the list.
    login(page, base, worker.phone, DEMO_PASSWORD)
    _look(page, base + "/safety/patrol/", "sf-standard-patrol", picture=True)
    assert page.locator("body.elderly").count() == 0
    point = CheckPoint.objects.filter(name__endswith="消防通道").first()
    with page.expect_navigation():
        page.locator(f"a[href='/safety/patrol/p/{point.code}/?via=list']").first.click()
    check_axe(page, "sf-standard-scan")
    shot(page, "sf-standard-scan")
    _fits_phone(page)
    page.select_option("#id_manual_reason", "sticker")
    page.get_by_label("异常").first.check()
    page.get_by_label("正常", exact=True).nth(1).check()
    page.get_by_label("完好").check()
    page.fill("#id_note", "消防通道堆放纸箱")
    page.set_input_files("#id_photo", _jpeg(tmp_path))
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    hazard = Hazard.objects.filter(source="patrol", check_in__point=point, description="消防通道堆放纸箱").get()
    assert (hazard.check_in.arrival, hazard.check_in.manual_reason) == ("manual", "sticker")
    assert page.get_by_text("已记录异常").count() == 1

    # 2. The worker owns it and reports it rectified, on the phone.
    hazard.owner = worker
    hazard.save(update_fields=["owner"])
    _look(page, base + f"/safety/hazards/{hazard.pk}/", "sf-standard-hazard-phone", picture=True)
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
    d.goto(base + f"/console/safety/hazards/{hazard.pk}/")
    check_axe(d, "sf-hazard-detail")
    d.locator("input[name=passed][value=yes]").check()
    d.fill("#id_note", "复查通道畅通")
    with d.expect_navigation():
        d.locator("input[name=action][value=reinspect] ~ button[type=submit]").click()
    hazard.refresh_from_db()
    assert hazard.state == "closed" and hazard.closed_by == staff

    # 4. A care visit on the phone.
    _look(page, base + "/safety/care/", "sf-standard-visits", picture=True)
    page.locator("a.r-row").first.click()
    page.wait_for_url("**/visit/")
    check_axe(page, "sf-standard-visit-new")
    _fits_phone(page)
    before = CareVisit.objects.count()
    page.get_by_label("状况良好").check()
    page.fill("#id_note", "精神很好，已量血压")
    with page.expect_navigation():
        page.locator("form.r-form button[type=submit]").click()
    assert CareVisit.objects.count() == before + 1
    shot(page, "sf-standard-visit-logged")

    # 5. Elderly mode: the worker's phone pages, loaded once each (no journey).
    _mode(page, base, [worker], "elderly")
    _look(page, base + "/safety/patrol/", "sf-elderly-patrol", picture=True)
    assert page.locator("body.elderly").count() == 1
    other = CheckPoint.objects.exclude(checkins__task__day=timezone.localdate()).filter(
        routes__plans__tasks__day=timezone.localdate()).first()
    _look(page, base + f"/safety/patrol/p/{other.code}/?via=list", "sf-elderly-scan", picture=True)
    _look(page, base + f"/safety/hazards/{hazard.pk}/", "sf-elderly-hazard-phone")
    _look(page, base + "/safety/care/", "sf-elderly-visits", picture=True)
    record = CareRecord.objects.filter(worker=worker).first()
    _look(page, base + f"/safety/care/{record.pk}/visit/", "sf-elderly-visit-new", picture=True)

    # 6. Residents' pages in both modes (the elderly demo resident is in care and sees the visits).
    page.context.clear_cookies()
    login(page, base, resident.phone, DEMO_PASSWORD)
    for mode in ("standard", "elderly"):
        _mode(page, base, [resident], mode)
        for path, name in RESIDENT_PAGES:
            _look(page, base + path, f"sf-{mode}-res-{name}", picture=name == "own-visits")
    assert page.locator(".r-list li.r-row").count() >= 1

    # 7. The console pages on desktop, once each: lists, forms, statistics, details; the escalation
    # panel on a service request's page.
    from courtyard.safety.models import EmergencyPlan, Incident, MediationCase

    whistle = Whistle.objects.filter(request_id__isnull=False).first()
    pages = [("/console/safety/hazards/?overdue=true", "hazards"), ("/console/safety/tasks/", "tasks"),
             ("/console/safety/checkins/?arrival=manual", "checkins"), ("/console/safety/points/", "points"),
             ("/console/safety/routes/", "routes"), ("/console/safety/plans/", "plans"),
             ("/console/safety/coverage/", "coverage"), ("/console/safety/care/", "care"),
             ("/console/safety/care/warnings/", "care-warnings"), ("/console/safety/points/new/", "point-new"),
             ("/console/safety/plans/new/", "plan-new"), ("/console/safety/hazards/new/", "hazard-new"),
             ("/console/safety/hazards/assessment/", "assessment"), ("/console/safety/hazard-kinds/", "kinds"),
             ("/console/safety/mediation/", "cases"), ("/console/safety/mediation/stats/", "mediation-stats"),
             ("/console/safety/emergency/", "eplans"), ("/console/safety/incidents/", "incidents"),
             ("/console/safety/whistles/", "whistles"), ("/console/safety/whistles/accountability/", "accountability"),
             (f"/console/safety/mediation/{MediationCase.objects.first().pk}/", "case"),
             (f"/console/safety/emergency/{EmergencyPlan.objects.first().pk}/", "eplan"),
             (f"/console/safety/incidents/{Incident.objects.first().pk}/", "incident"),
             (f"/console/safety/care/{CareRecord.objects.first().pk}/", "care-detail"),
             (f"/console/safety/whistles/new/?request={whistle.request_id}", "whistle-from-request"),
             (f"/console/requests/{whistle.request_id}/", "request-panel")]
    for path, name in pages:
        _look(d, base + path, f"sf-{name}", phone=False, picture=name in ("coverage", "checkins", "request-panel"))
    assert d.get_by_text(whistle.department.name).count() >= 1
    assert CheckIn.objects.filter(arrival="nfc").exists()
    assert Whistle.objects.filter(automatic=True, hazard__grade="red").exists()  # the demo's overdue red hazard
