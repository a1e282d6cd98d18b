"""SLA clocks: pure functions across 2026 holidays and make-up days (调休), and with a frozen clock."""

import datetime as dt

import pytest
import time_machine

from courtyard.servicedesk import sla
from courtyard.servicedesk.seed import calendar_2026

CAL = {d: w for d, w, _n in calendar_2026()}
L = sla.LOCAL


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=L)


def test_calendar_marks_national_day_and_make_up_days():
    assert not sla.is_workday(dt.date(2026, 10, 1), CAL)
    assert not sla.is_workday(dt.date(2026, 10, 7), CAL)  # a Wednesday, still a holiday
    assert sla.is_workday(dt.date(2026, 9, 20), CAL)  # Sunday, make-up working day
    assert sla.is_workday(dt.date(2026, 10, 10), CAL)  # Saturday, make-up working day
    assert not sla.is_workday(dt.date(2026, 10, 11), CAL)  # ordinary Sunday
    assert sla.is_workday(dt.date(2026, 10, 8), CAL)


@pytest.mark.parametrize("days, expected", [
    (1, at(2026, 10, 8)),   # the holiday week is skipped
    (2, at(2026, 10, 9)),
    (3, at(2026, 10, 10)),  # Saturday 10 October is a make-up working day
    (4, at(2026, 10, 12)),  # Sunday 11 is off
])
def test_workdays_across_national_day(days, expected):
    assert sla.add_workdays(at(2026, 9, 30), days, CAL) == expected


def test_filed_on_a_holiday_counts_from_the_next_working_morning():
    assert sla.add_workdays(at(2026, 10, 3, 22), 1, CAL) == at(2026, 10, 9, 9)


def test_filed_on_a_make_up_sunday_counts_that_day():
    assert sla.add_workdays(at(2026, 9, 20, 15), 1, CAL) == at(2026, 9, 21, 15)


def test_spring_festival_and_its_two_make_up_saturdays():
    assert sla.add_workdays(at(2026, 2, 13), 1, CAL) == at(2026, 2, 14)  # Saturday 14 Feb is on
    assert sla.add_workdays(at(2026, 2, 14), 1, CAL) == at(2026, 2, 24)  # 15–23 off
    assert sla.add_workdays(at(2026, 2, 27), 1, CAL) == at(2026, 2, 28)  # Saturday 28 Feb is on


def test_clock_hours_ignore_the_calendar_and_add_pauses():
    start = at(2026, 10, 1, 8)
    assert sla.due(start, 2, "hours", CAL) == at(2026, 10, 1, 10)
    assert sla.due(start, 2, "hours", CAL, dt.timedelta(hours=5)) == at(2026, 10, 1, 15)


def test_aware_only():
    with pytest.raises(ValueError):
        sla.add_workdays(dt.datetime(2026, 1, 5, 10), 1, CAL)  # noqa: DTZ001


def test_escalation_ladder_steps():
    d = at(2026, 10, 8)
    assert sla.escalation_level(d, d) == 0
    assert sla.escalation_level(d + dt.timedelta(minutes=1), d) == 1
    assert sla.escalation_level(d + dt.timedelta(hours=25), d) == 2
    assert sla.escalation_level(d + dt.timedelta(hours=49), d) == 3
    assert sla.escalation_level(d + dt.timedelta(days=30), d) == 4
    assert sla.escalation_level(d, None) == 0


def test_vendor_terms_only_tighten():
    t = sla.Terms("hours", 24, 48, 120)
    assert sla.tighten(t, onsite_hours=2) == sla.Terms("hours", 2, 2, 120)
    assert sla.tighten(t, onsite_hours=72) == t


def test_pending_deadline_follows_the_state():
    d = sla.Deadlines(at(2026, 1, 1), at(2026, 1, 2), at(2026, 1, 3))
    assert sla.pending_deadline("submitted", d, accepted=False, onsite=False) == d.accept
    assert sla.pending_deadline("dispatched", d, accepted=True, onsite=False) == d.onsite
    assert sla.pending_deadline("in_progress", d, accepted=True, onsite=True) == d.resolve
    assert sla.pending_deadline("waiting", d, accepted=True, onsite=True) is None
    assert sla.pending_deadline("closed", d, accepted=True, onsite=True) is None


def test_frozen_clock_request_over_national_day_is_escalated_step_by_step(sd, file_one):
    """A working-days policy (community services: accept in 1 working day) filed the day before the
    holiday is due on 8 October; the sweep flags it then and climbs one rung per day."""
    from courtyard.core.models import Notification
    from courtyard.servicedesk import services
    from courtyard.servicedesk.models import Escalation

    with time_machine.travel(at(2026, 9, 30), tick=False):
        req = file_one(category=sd.consult, title="Policy question")
    assert req.accept_due == at(2026, 10, 8)
    assert req.next_due == req.accept_due
    with time_machine.travel(at(2026, 10, 7, 23), tick=False):
        assert services.sweep_overdue()["flagged"] == 0
    with time_machine.travel(at(2026, 10, 8, 11), tick=False):
        stats = services.sweep_overdue()
    assert stats == {"checked": 1, "flagged": 1, "escalated": 1}
    req.refresh_from_db()
    assert req.overdue and req.escalation == 1
    assert Notification.objects.filter(recipient=sd.mg_worker, kind="servicedesk.overdue").exists()
    with time_machine.travel(at(2026, 10, 9, 11), tick=False):
        services.sweep_overdue()
    req.refresh_from_db()
    assert req.escalation == 2
    assert Notification.objects.filter(recipient=sd.committee, kind="servicedesk.overdue").exists()
    with time_machine.travel(at(2026, 10, 20), tick=False):
        services.sweep_overdue()
        services.sweep_overdue()  # idempotent at the top
    assert list(Escalation.objects.filter(request=req).values_list("level", flat=True)) == [1, 2, 3, 4]
    assert Notification.objects.filter(recipient=sd.subdistrict, kind="servicedesk.overdue").count() == 1


def test_clock_pauses_while_waiting_on_the_resident(sd, file_one):
    from courtyard.core.audit import Actor
    from courtyard.servicedesk import services

    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        req = file_one()
    resolve_due = req.resolve_due
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        services.transition(by=Actor(user=sd.staff), request=req, action="accept")
        services.transition(by=Actor(user=sd.staff), request=req, action="wait", note="Resident away")
    req.refresh_from_db()
    assert req.next_due is None and req.paused_since is not None
    with time_machine.travel(at(2026, 11, 3, 10), tick=False):
        assert services.sweep_overdue()["checked"] == 0
        services.transition(by=Actor(user=sd.staff), request=req, action="resume")
    req.refresh_from_db()
    assert req.state == "accepted"
    assert req.resolve_due == resolve_due + dt.timedelta(hours=24)


def test_emergency_with_vendor_agreement_promises_two_hours(sd, file_one):
    from courtyard.core.audit import Actor
    from courtyard.servicedesk import services

    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        req = file_one(kind="emergency")
        assert req.urgency == "emergency"
        services.dispatch(by=Actor(user=sd.staff), request=req, to=f"partner:{sd.vendor.pk}", reason="contract")
    req.refresh_from_db()
    assert req.onsite_due == at(2026, 11, 2, 11)


def test_group_matter_proposes_meeting_within_48h(sd, file_one):
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        req = file_one(category=sd.noise, group_matter=True, title="Night noise from the bar")
    assert req.meeting_by == at(2026, 11, 4, 9)
    assert req.events.filter(action="meeting").exists()


def test_an_ordinary_weekend_is_skipped():
    assert sla.is_workday(dt.date(2026, 11, 13), CAL) and not sla.is_workday(dt.date(2026, 11, 14), CAL)
    # Friday 10:00 + 1 working day is Monday 10:00; + 5 is the next Friday.
    assert sla.add_workdays(at(2026, 11, 13), 1, CAL) == at(2026, 11, 16)
    assert sla.add_workdays(at(2026, 11, 13), 5, CAL) == at(2026, 11, 20)


def test_filed_on_an_ordinary_saturday_counts_from_monday_morning():
    # Saturday 14 November 2026 is no make-up day: as if filed Monday 09:00, due Tuesday 09:00.
    assert sla.add_workdays(at(2026, 11, 14, 15), 1, CAL) == at(2026, 11, 17, 9)
    assert sla.add_workdays(at(2026, 11, 15, 23, 59), 0, CAL) == at(2026, 11, 16, 9)
    assert sla.due(at(2026, 11, 14, 15), 2, "workdays", CAL, dt.timedelta(hours=3)) == at(2026, 11, 18, 12)


def test_paused_total_adds_the_running_pause():
    since = at(2026, 11, 2, 10)
    assert sla.paused_total(3600, None, at(2026, 11, 2, 12)) == dt.timedelta(hours=1)
    assert sla.paused_total(3600, since, at(2026, 11, 2, 12)) == dt.timedelta(hours=3)


def test_a_second_pause_adds_to_the_first(sd, file_one):
    from courtyard.core.audit import Actor
    from courtyard.servicedesk import services

    staff = Actor(user=sd.staff)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        req = file_one()
    resolve_due, onsite_due = req.resolve_due, req.onsite_due
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        services.transition(by=staff, request=req, action="accept")
        services.transition(by=staff, request=req, action="wait", note="Resident away")
    with time_machine.travel(at(2026, 11, 2, 16), tick=False):  # first pause: 6 hours
        services.transition(by=staff, request=req, action="resume")
    with time_machine.travel(at(2026, 11, 3, 9), tick=False):
        services.transition(by=staff, request=req, action="wait", note="Waiting for a key")
    req.refresh_from_db()
    assert req.paused_seconds == 6 * 3600 and req.next_due is None
    with time_machine.travel(at(2026, 11, 4, 11), tick=False):  # second pause: 26 hours
        assert services.sweep_overdue()["checked"] == 0  # no clock runs while paused
        services.transition(by=staff, request=req, action="resume")
    req.refresh_from_db()
    assert req.paused_seconds == 32 * 3600 and req.paused_since is None
    assert req.resolve_due == resolve_due + dt.timedelta(hours=32)
    assert req.onsite_due == onsite_due + dt.timedelta(hours=32)
    assert req.next_due == req.onsite_due  # accepted, nobody on site yet: the on-site clock runs
