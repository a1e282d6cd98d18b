"""Emergencies: plans with reserves checked on schedule and drills; incidents notified up the whole
ladder at once, a response log and the after-action review; escalations to departments (吹哨) and
accountability for late and missing responses."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import Notification
from courtyard.org.models import PartnerUnit
from courtyard.safety import services
from courtyard.safety.models import Whistle
from courtyard.safety.services.emergency import reserve_due


@pytest.fixture
def dept(sf, make_user):
    d = PartnerUnit.objects.create(community=sf.t.community_a, kind="department", name="城管科")
    other = PartnerUnit.objects.create(community=sf.t.community_a, kind="department", name="住建科")
    return d, make_user("department_officer", sf.t.subdistrict, partner=d), make_user(
        "department_officer", sf.t.subdistrict, partner=other)


def test_plan_reserves_and_drills(sf):
    by = Actor(user=sf.staff)
    plan = services.save_emergency_plan(by=by, place=sf.t.building1, kind="fire", title="消防预案",
                                        contacts="网格员", steps="疏散")
    r = services.add_reserve(by=by, plan=plan, name="灭火器", quantity=10, location="楼道", check_every_days=30)
    assert reserve_due(r)
    services.check_reserve(by=Actor(user=sf.worker), reserve=r, quantity=9, at=timezone.now() - dt.timedelta(days=31))
    r.refresh_from_db()
    assert r.quantity == 9 and reserve_due(r)
    services.check_reserve(by=Actor(user=sf.worker), reserve=r, quantity=9)
    r.refresh_from_db()
    assert not reserve_due(r)
    with pytest.raises(ValidationError):
        services.record_drill(by=by, plan=plan, held_on=timezone.localdate() + dt.timedelta(days=1), participants=3,
                              findings="x")
    services.record_drill(by=by, plan=plan, held_on=timezone.localdate(), participants=30, findings="疏散 5 分钟")
    with pytest.raises(PermissionDenied):
        services.add_reserve(by=Actor(user=sf.staff_b), plan=plan, name="x", quantity=1, location="y")


def test_incident_notifies_the_whole_ladder_at_once_and_closes_with_review(sf):
    i = services.report_incident(by=Actor(user=sf.worker), place=sf.t.building1, kind="gas", title="闻到燃气味")
    for user in (sf.worker2, sf.staff, sf.subdistrict):
        assert Notification.objects.filter(recipient=user, kind="safety.incident").exists()
    assert not Notification.objects.filter(recipient=sf.staff_b, kind="safety.incident").exists()
    services.log_response(by=Actor(user=sf.staff), incident=i, text="燃气公司到场")
    with pytest.raises(ValidationError):
        services.close_incident(by=Actor(user=sf.staff), incident=i, review=" ")
    services.close_incident(by=Actor(user=sf.staff), incident=i, review="阀门老化，已更换")
    with pytest.raises(ValidationError):
        services.log_response(by=Actor(user=sf.staff), incident=i, text="迟到的记录")


def test_whistle_response_times_and_who_may_answer(sf, dept):
    d, officer, other_officer = dept
    now = timezone.now()
    w = services.blow_whistle(by=Actor(user=sf.worker), place=sf.t.building1, department=d, subject="占道经营",
                              respond_within_hours=24, at=now - dt.timedelta(hours=30))
    assert Notification.objects.filter(recipient=officer, kind="safety.whistle").exists()
    assert not Notification.objects.filter(recipient=other_officer, kind="safety.whistle").exists()
    with pytest.raises(PermissionDenied):
        services.respond_whistle(by=Actor(user=other_officer), whistle=w, response="x")
    services.respond_whistle(by=Actor(user=officer), whistle=w, response="已处置")
    w.refresh_from_db()
    assert w.responded_at > w.due_at  # late
    with pytest.raises(ValidationError):
        services.respond_whistle(by=Actor(user=officer), whistle=w, response="again")
    with pytest.raises(ValidationError):
        services.blow_whistle(by=Actor(user=sf.worker), place=sf.t.building1, department=sf.t.partner, subject="x")


def test_accountability_lists_late_and_missing_responses(sf, dept, login):
    d, officer, _other = dept
    now = timezone.now()
    on_time = services.blow_whistle(by=Actor(user=sf.staff), place=sf.t.building1, department=d, subject="a",
                                    at=now - dt.timedelta(hours=50))
    services.respond_whistle(by=Actor(user=officer), whistle=on_time, response="ok",
                             at=on_time.called_at + dt.timedelta(hours=2))
    services.blow_whistle(by=Actor(user=sf.staff), place=sf.t.building1, department=d, subject="b",
                          at=now - dt.timedelta(hours=48))  # no response, past due
    services.blow_whistle(by=Actor(user=sf.staff), place=sf.t.building1, department=d, subject="c")  # waiting
    r = login(sf.subdistrict).get(reverse("safety:accountability"))
    assert r.status_code == 200
    rows = r.context["rows"]  # per department and month: the three may straddle a month's end
    totals = {k: sum(x[k] for x in rows) for k in ("called", "on_time", "late", "none", "pending")}
    assert totals == {"called": 3, "on_time": 1, "late": 0, "none": 1, "pending": 1}
    assert {x["department"] for x in rows} == {"城管科"} and any(x["flag"] for x in rows)
    if len(rows) == 1:
        assert rows[0]["on_time_rate"] == "50.0 %" and rows[0]["avg_hours"] == "2.0"
    page = login(officer).post(reverse("safety:whistles"), {"whistle": Whistle.objects.get(subject="c").pk,
                                                              f"w{Whistle.objects.get(subject='c').pk}-response": "到场"})
    assert page.status_code == 302 and Whistle.objects.get(subject="c").responded_by == officer


def test_emergency_console_pages(sf, dept, login, django_assert_max_num_queries):
    by = Actor(user=sf.staff)
    plan = services.save_emergency_plan(by=by, place=sf.t.building1, kind="flood", title="防汛预案", contacts="x",
                                        steps="y")
    i = services.report_incident(by=by, place=sf.t.building1, kind="fire", title="楼道冒烟")
    c = login(sf.staff)
    for name in ("eplans", "incidents", "whistles", "accountability", "eplan_new", "incident_new", "whistle_new"):
        with django_assert_max_num_queries(16):
            assert c.get(reverse(f"safety:{name}")).status_code == 200, name
    assert c.get(reverse("safety:eplan", args=[plan.pk])).status_code == 200
    assert c.get(reverse("safety:incident", args=[i.pk])).status_code == 200
    r = c.post(reverse("safety:eplan", args=[plan.pk]), {"action": "drill", "held_on": "", "participants": "",
                                                         "findings": ""})
    assert r.status_code == 400
    r = c.post(reverse("safety:incident", args=[i.pk]), {"action": "log", "text": "到场"})
    assert r.status_code == 302 and i.log.count() == 1
    assert login(sf.staff_b).get(reverse("safety:incident", args=[i.pk])).status_code == 404
