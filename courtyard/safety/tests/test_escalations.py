"""Issue 12 items 1, 2 and 6: how a worker reached a check point (QR code, NFC tag, or the list with a
reason), escalations shown where they happen (the hazard's page, the service request's page through
the core panel extension point), and overdue red hazards escalated automatically to the department
responsible for their kind, once, audited, listed for accountability."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.org.models import PartnerUnit
from courtyard.safety import services
from courtyard.safety.choices import ManualReason
from courtyard.safety.models import CheckIn, Hazard, PatrolTask, Whistle

from .conftest import OK1, OK2

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 28)  # a Monday


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def dept(sf, make_user):
    d = PartnerUnit.objects.create(community=sf.t.community_a, kind="department", name="消防救援站")
    return d, make_user("department_officer", sf.t.subdistrict, partner=d)


# ---------------------------------------------------------------- item 1: QR / NFC / manual
@time_machine.travel(dt.datetime(2026, 9, 28, 8, 30, tzinfo=dt.UTC).astimezone(), tick=False)
def test_check_in_records_how_the_point_was_reached(sf, route):
    services.generate_tasks(DAY)
    task = PatrolTask.objects.get(plan=route.plan, day=DAY, shift=1)
    by = Actor(user=sf.worker)
    with pytest.raises(ValidationError) as err:
        services.check_in(by=by, task=task, point=route.p1, answers=OK1, arrival="manual")
    assert err.value.code == "manual_reason"
    with pytest.raises(ValidationError) as err:  # "other" needs the note to say why
        services.check_in(by=by, task=task, point=route.p1, answers=OK1, arrival="manual", manual_reason="other")
    assert err.value.code == "note"
    services.check_in(by=by, task=task, point=route.p1, answers=OK1, arrival="manual", manual_reason="sticker")
    services.check_in(by=by, task=task, point=route.p2, answers=OK2, arrival="nfc", manual_reason="sticker")
    got = dict(CheckIn.objects.values_list("point_id", "arrival"))
    assert got == {route.p1.pk: "manual", route.p2.pk: "nfc"}
    assert CheckIn.objects.get(point=route.p2).manual_reason == ""  # a reason only for the list
    entry = AuditEvent.objects.filter(action="safety.checkin.create").order_by("pk").first()
    assert entry.changes["arrival"] == [None, "manual"] and entry.changes["manual_reason"] == [None, "sticker"]


@time_machine.travel(dt.datetime(2026, 9, 28, 8, 30, tzinfo=dt.UTC).astimezone(), tick=False)
def test_scan_page_arrival_from_code_tag_or_list(sf, route):
    services.generate_tasks(DAY)
    c = _client(sf.worker)
    url = reverse("safety:scan", args=[route.p1.code])
    assert "id_manual_reason" not in c.get(url).content.decode()  # opened from the QR code
    page = c.get(url + "?via=list").content.decode()
    assert 'id="id_manual_reason"' in page and "data-nfc" in page and "safety/nfc.js" in page
    r = c.post(url + "?via=list", {"arrival": "manual", "q1": "ok", "q2": "正常"})
    assert r.status_code == 400
    assert not CheckIn.objects.exists()
    r = c.post(url, {"arrival": "manual", "manual_reason": "tag", "q1": "ok", "q2": "正常"})
    assert r.status_code == 302
    r = c.post(reverse("safety:scan", args=[route.p2.code]) + "?via=nfc", {"arrival": "nfc", "q1": "ok", "q2": "无"})
    assert r.status_code == 302
    assert sorted(CheckIn.objects.values_list("arrival", "manual_reason")) == [("manual", "tag"), ("nfc", "")]
    # The list links say they come from the list; the ledger and the coverage show it.
    assert f"{url}?via=list" in c.get(reverse("safety:patrol")).content.decode()
    staff = _client(sf.staff)
    ledger = staff.get(reverse("safety:checkins") + "?arrival=manual").content.decode()
    assert str(ManualReason.TAG.label) in ledger and route.p2.name not in ledger


@time_machine.travel(dt.datetime(2026, 9, 28, 20, 30, tzinfo=dt.UTC).astimezone(), tick=False)
def test_coverage_counts_arrivals(sf, route):
    services.generate_tasks(DAY)
    task = PatrolTask.objects.get(plan=route.plan, day=DAY, shift=1)
    at = task.window_start + dt.timedelta(minutes=5)
    services.check_in(by=Actor(user=sf.worker), task=task, point=route.p1, answers=OK1, at=at, arrival="nfc")
    services.check_in(by=Actor(user=sf.worker), task=task, point=route.p2, answers=OK2, at=at, arrival="manual",
                      manual_reason="phone")
    from courtyard.safety.selectors import coverage

    rows = coverage(sf.staff, DAY, DAY)
    w = next(r for r in rows["workers"] if r["assignee"] == sf.worker.pk)
    assert (w["qr"], w["nfc"], w["manual"]) == (0, 1, 1)


def test_point_form_offers_the_nfc_address(sf, route):
    page = _client(sf.staff).get(reverse("safety:point_edit", args=[route.p1.pk])).content.decode()
    assert f"/safety/patrol/p/{route.p1.code}/?via=nfc" in page


# ---------------------------------------------------------------- item 2: escalations where they happen
def test_hazard_page_shows_its_escalations(sf, dept):
    department, officer = dept
    h = services.report_hazard(by=Actor(user=sf.staff), place=sf.t.building1, title="井盖缺失", grade="red",
                               source="inspection")
    services.blow_whistle(by=Actor(user=sf.staff), place=h.place, department=department, subject="井盖缺失", hazard=h,
                          respond_within_hours=24)
    page = _client(sf.staff).get(reverse("safety:hazard", args=[h.pk])).content.decode()
    assert "消防救援站" in page and f"{reverse('safety:whistle_new')}?hazard={h.pk}" in page


def test_request_page_shows_escalations_and_escalates_from_there(sf, dept, make_user):
    from courtyard.servicedesk import services as sd_services
    from courtyard.servicedesk.models import Category
    from courtyard.servicedesk.seed import seed

    seed()
    department, officer = dept
    req = sd_services.file_request(by=Actor(user=sf.resident), reporter_user=sf.resident, place=sf.t.entrance1,
                                   category=Category.objects.get(code="water-leak"), title="雨水井盖缺失")
    staff = _client(sf.staff)
    detail = reverse("servicedesk:console_detail", args=[req.pk])
    page = staff.get(detail).content.decode()
    new_url = f"{reverse('safety:whistle_new')}?request={req.pk}"
    assert new_url in page  # the button on the request's own page
    form = staff.get(new_url).content.decode()
    assert f'value="{req.pk}"' in form and "雨水井盖缺失" in form
    r = staff.post(new_url, {"place": sf.t.entrance1.pk, "department": department.pk, "subject": "雨水井盖缺失",
                             "request_id": req.pk, "respond_within_hours": 24})
    assert r.status_code == 302 and r["Location"] == detail
    w = Whistle.objects.get(request_id=req.pk)
    services.respond_whistle(by=Actor(user=officer), whistle=w, response="已派人更换井盖")
    with CaptureQueriesContext(connection) as q:
        page = staff.get(detail).content.decode()
    assert "消防救援站" in page and "已派人更换井盖" in page and timezone.localtime(w.due_at).strftime("%Y-%m-%d") in page
    # one more escalation does not cost one more query
    services.blow_whistle(by=Actor(user=sf.staff), place=sf.t.entrance1, department=department, subject="再次",
                          request_id=req.pk)
    with CaptureQueriesContext(connection) as q2:
        staff.get(detail)
    assert len(q2.captured_queries) == len(q.captured_queries)
    # a number the caller cannot see is refused
    with pytest.raises(ValidationError):
        services.blow_whistle(by=Actor(user=sf.staff_b), place=sf.t.community_b, department=department,
                              subject="x", request_id=req.pk)


# ---------------------------------------------------------------- item 6: automatic escalation
def test_overdue_red_hazard_is_escalated_once_to_its_kinds_department(sf, dept):
    department, officer = dept
    by = Actor(user=sf.staff)
    fire = services.save_kind(by=by, community=sf.t.community_a, name="消防安全", department=department,
                              whistle_after_days=2, respond_within_hours=24)
    none = services.save_kind(by=by, community=sf.t.community_a, name="设施设备")
    found = timezone.now() - dt.timedelta(days=4)  # red: deadline 3 days ago
    red = services.report_hazard(by=by, place=sf.t.building1, title="灭火器失效", grade="red", source="inspection",
                                 found_at=found, kind=fire)
    services.report_hazard(by=by, place=sf.t.building1, title="无部门", grade="red", source="inspection",
                           found_at=found, kind=none)
    services.report_hazard(by=by, place=sf.t.building1, title="黄色", grade="yellow", source="inspection",
                           found_at=found - dt.timedelta(days=10), kind=fire)
    services.report_hazard(by=by, place=sf.t.building1, title="刚超期", grade="red", source="inspection",
                           found_at=timezone.now() - dt.timedelta(days=2), kind=fire)  # 1 day late: not yet
    with pytest.raises(ValidationError):
        services.report_hazard(by=Actor(user=sf.staff_b), place=sf.t.community_b, title="x", grade="red",
                               source="inspection", kind=fire)
    out = services.sweep_overdue()
    assert out["whistled"] == 1
    w = Whistle.objects.get(automatic=True)
    assert (w.hazard, w.department, w.called_by) == (red, department, None)
    assert w.due_at - w.called_at == dt.timedelta(hours=24)
    assert AuditEvent.objects.filter(action="safety.whistle.auto").count() == 1
    assert services.sweep_overdue()["whistled"] == 0 and Whistle.objects.filter(automatic=True).count() == 1
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():  # once, even for a concurrent sweep
        Whistle.objects.create(department=department, subject="x", hazard=red, called_at=w.called_at,
                               due_at=w.due_at, automatic=True, community=red.community, place=red.place,
                               path=red.path)
    page = _client(sf.staff).get(reverse("safety:accountability")).content.decode()
    assert "灭火器失效" in page
    assert red.title in _client(officer).get(reverse("safety:whistles")).content.decode()
    # rectified hazards are not escalated
    Hazard.objects.filter(pk=red.pk).update(state="fixed")
    Whistle.objects.all().delete()
    assert services.whistle_overdue() == 0


def test_kind_pages_and_rules(sf, dept):
    department, _officer = dept
    staff = _client(sf.staff)
    r = staff.post(reverse("safety:kind_new"), {"community": sf.t.community_a.pk, "name": "燃气安全",
                                                 "department": department.pk, "whistle_after_days": "3",
                                                 "respond_within_hours": "12"})
    assert r.status_code == 302
    r = staff.post(reverse("safety:kind_new"), {"community": sf.t.community_a.pk, "name": "燃气安全",
                                                 "whistle_after_days": "abc", "respond_within_hours": "12"})
    assert r.status_code == 400
    r = staff.post(reverse("safety:kind_new"), {"community": sf.t.community_a.pk, "name": "燃气安全",
                                                 "whistle_after_days": "3", "respond_within_hours": "12"})
    assert r.status_code == 400 and "燃气安全" in r.content.decode()  # the same name twice
    assert "燃气安全" in staff.get(reverse("safety:kinds")).content.decode()
    assert _client(sf.worker).get(reverse("safety:kind_new")).status_code == 403
