"""Patrols: checklist parsing, idempotent task generation across days (weekly, workdays, holidays),
check-ins graded on time / late / missed, make-ups, anomalies becoming hazards, coverage."""

import datetime as dt
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.safety import checklist, selectors, services
from courtyard.safety.models import CheckIn, Hazard, PatrolTask

from .conftest import OK1, OK2, photo

TZ = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.date(2026, 9, 28)


def at(day, h, m=0):
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=TZ)


def test_checklist_round_trip_and_errors():
    items = checklist.parse("消防通道畅通\n灭火器 [正常/偏低!/失效！]\n其他…")
    assert [i["kind"] for i in items] == ["ok", "choice", "text"]
    assert items[1]["choices"] == ["正常", "偏低", "失效"] and items[1]["bad"] == ["偏低", "失效"]
    assert checklist.parse(checklist.unparse(items)) == items
    with pytest.raises(ValidationError):
        checklist.parse("  \n ")
    with pytest.raises(ValidationError):
        checklist.parse("灭火器 [正常]")
    with pytest.raises(ValidationError):
        checklist.judge(items, {"q1": "ok"})
    clean, bad, labels = checklist.judge(items, {"q1": "bad", "q2": "正常", "q3": "x"})
    assert bad and labels == ["消防通道畅通: abnormal"]


def test_generation_is_idempotent_and_follows_frequency(sf, route):
    with time_machine.travel(at(MONDAY, 6), tick=False):
        assert services.generate_tasks(MONDAY) == 2  # twice daily
        assert services.generate_tasks(MONDAY) == 0
    t1, t2 = PatrolTask.objects.order_by("shift")
    assert (t1.points_due, t1.window_start, t2.window_end) == (2, at(MONDAY, 8), at(MONDAY, 18))
    route.plan.frequency = "weekly"
    route.plan.weekday = 2
    route.plan.save()
    assert services.generate_tasks(MONDAY + dt.timedelta(days=1)) == 0
    assert services.generate_tasks(MONDAY + dt.timedelta(days=2)) == 1


def test_workday_plans_follow_the_holiday_calendar(sf, route):
    from django.apps import apps

    calendar = apps.get_model("servicedesk", "CalendarDay")
    holiday, makeup = dt.date(2026, 10, 1), dt.date(2026, 10, 10)  # a Thursday off, a Saturday on
    calendar.objects.update_or_create(date=holiday, defaults={"is_workday": False, "name": "国庆节"})
    calendar.objects.update_or_create(date=makeup, defaults={"is_workday": True, "name": "调休"})
    route.plan.frequency = "workdays"
    route.plan.save()
    assert services.generate_tasks(holiday) == 0
    assert services.generate_tasks(makeup) == 1
    assert services.generate_tasks(dt.date(2026, 10, 11)) == 0  # an ordinary Sunday
    assert services.generate_tasks(dt.date(2026, 10, 12)) == 1


def _task(sf, route, shift=1):
    services.generate_tasks(MONDAY)
    return PatrolTask.objects.get(day=MONDAY, shift=shift)


def test_check_in_on_time_then_late_completes_the_round(sf, route):
    task = _task(sf, route)
    by = Actor(user=sf.worker)
    c1 = services.check_in(by=by, task=task, point=route.p1, answers=OK1, at=at(MONDAY, 9))
    assert c1.timeliness == "on_time" and not c1.abnormal
    c2 = services.check_in(by=by, task=task, point=route.p2, answers=OK2, at=at(MONDAY, 11))
    assert c2.timeliness == "late"
    task.refresh_from_db()
    assert (task.state, task.timeliness, task.points_done) == ("done", "late", 2)
    with pytest.raises(ValidationError):
        services.check_in(by=by, task=task, point=route.p1, answers=OK1, at=at(MONDAY, 11))


def test_only_the_assignee_checks_in(sf, route):
    task = _task(sf, route)
    with pytest.raises(PermissionDenied):
        services.check_in(by=Actor(user=sf.worker2), task=task, point=route.p1, answers=OK1, at=at(MONDAY, 9))
    assert not CheckIn.objects.exists()


def test_abnormal_answer_becomes_a_patrol_hazard(sf, route):
    task = _task(sf, route)
    with pytest.raises(ValidationError):  # an anomaly needs a note or a photo
        services.check_in(by=Actor(user=sf.worker), task=task, point=route.p1,
                          answers={"q1": "ok", "q2": "失效", "q3": ""}, at=at(MONDAY, 9))
    ci = services.check_in(by=Actor(user=sf.worker), task=task, point=route.p1,
                           answers={"q1": "ok", "q2": "失效", "q3": ""}, photo=photo(), at=at(MONDAY, 9))
    h = Hazard.objects.get()
    assert ci.abnormal and h.check_in == ci and h.source == "patrol" and "失效" in h.title
    assert h.place == route.p1.place and h.found_at == at(MONDAY, 9)


def test_missed_rounds_close_and_make_ups_are_graded_missed(sf, route):
    task = _task(sf, route)
    assert services.close_rounds(at(MONDAY, 11)) == 0  # still within the grace
    assert services.close_rounds(at(MONDAY, 12, 1)) == 1
    task.refresh_from_db()
    assert task.state == "missed"
    ci = services.check_in(by=Actor(user=sf.worker), task=task, point=route.p1, answers=OK1, at=at(MONDAY, 13))
    assert ci.make_up and ci.timeliness == "missed"
    route.plan.make_up = False
    route.plan.save()
    with pytest.raises(PermissionDenied):
        services.check_in(by=Actor(user=sf.worker), task=task, point=route.p2, answers=OK2, at=at(MONDAY, 13))


def test_coverage_is_exact_per_worker_and_grid(sf, route):
    task = _task(sf, route)
    services.check_in(by=Actor(user=sf.worker), task=task, point=route.p1, answers=OK1, at=at(MONDAY, 9))
    services.close_rounds(at(MONDAY, 23))
    with time_machine.travel(at(MONDAY, 23, 30), tick=False):
        data = selectors.coverage(sf.staff, MONDAY, MONDAY)
    (w,) = data["workers"]
    assert (w["done"], w["due"], w["coverage"], w["missed"]) == (1, 4, Fraction(1, 4), 2)
    assert data["grids"][0]["name"] == sf.t.grid1.name
    assert selectors.coverage(sf.staff_b, MONDAY, MONDAY)["workers"] == []


def test_route_refuses_points_outside_its_grid(sf, route):
    with pytest.raises(ValidationError):
        services.save_route(by=Actor(user=sf.staff), grid=sf.t.grid2, name="x", points=[route.p1])
    with pytest.raises(ValidationError):
        services.save_plan(by=Actor(user=sf.staff), route=route.route, frequency="daily", first_start=dt.time(9),
                           first_end=dt.time(10), workers=[sf.grid2_worker], starts=timezone.localdate())
