"""Events: capacity and the waiting list, promotion on cancel, reminders, QR check-in crediting points,
staff recording on residents' behalf, participation rates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.core.models import Notification
from courtyard.org.tests.factories import make_user, person
from courtyard.participation import selectors, services
from courtyard.participation.choices import Act, SignupState
from courtyard.participation.models import PointsAccount, Signup

from .factories import actor, world

pytestmark = pytest.mark.django_db


def _event(w, *, capacity=2, starts_in=dt.timedelta(days=3), cross=False, hours=2):
    start = timezone.now() + starts_in
    return services.create_event(by=actor(w.staff), unit=w.unit, title="亲子手工坊", target_group="children",
                                 starts_at=start, ends_at=start + dt.timedelta(hours=hours), venue="合议轩",
                                 capacity=capacity, cross_courtyard=cross)


def test_capacity_waiting_list_and_promotion(tree):
    w = world(tree)
    event = _event(w, capacity=1)
    first = services.sign_up(by=actor(w.resident), event=event)
    second = services.sign_up(by=actor(w.neighbour), event=event)
    assert (first.state, second.state) == (SignupState.REGISTERED, SignupState.WAITLISTED)
    with pytest.raises(ValidationError):
        services.sign_up(by=actor(w.resident), event=event)
    promoted = services.cancel_signup(by=actor(w.resident), signup=first)
    assert promoted.pk == second.pk and Signup.objects.get(pk=second.pk).state == SignupState.REGISTERED
    assert Notification.objects.filter(recipient=w.neighbour, kind="participation.promoted").count() == 1


def test_only_the_unit_or_the_community_for_cross_courtyard_events(tree):
    w = world(tree)
    outsider = make_user(person=tree.person4)  # community A, outside the unit
    event = _event(w)
    with pytest.raises(PermissionDenied):
        services.sign_up(by=actor(outsider), event=event)
    open_event = _event(w, cross=True)
    assert services.sign_up(by=actor(outsider), event=open_event).state == SignupState.REGISTERED
    far = make_user(person=tree.person_b)
    with pytest.raises(PermissionDenied):
        services.sign_up(by=actor(far), event=open_event)


def test_check_in_credits_attendance_points_once_and_only_with_a_place(tree):
    w = world(tree)
    services.save_rule(by=actor(w.staff), unit=w.unit, act=Act.EVENT_ATTENDANCE, points=5)
    event = _event(w, capacity=1, starts_in=dt.timedelta(minutes=10))
    services.sign_up(by=actor(w.resident), event=event)
    services.sign_up(by=actor(w.neighbour), event=event)
    with pytest.raises(ValidationError):
        services.check_in_event(by=actor(w.neighbour), token=event.token)  # waiting list: no place
    services.check_in_event(by=actor(w.resident), token=event.token)
    with pytest.raises(ValidationError):
        services.check_in_event(by=actor(w.resident), token=event.token)
    assert PointsAccount.objects.get(person=tree.person1).balance == 5


def test_check_in_only_around_the_event(tree):
    w = world(tree)
    event = _event(w, starts_in=dt.timedelta(days=2))
    services.sign_up(by=actor(w.resident), event=event)
    with pytest.raises(ValidationError, match="around the time"):
        services.check_in_event(by=actor(w.resident), token=event.token)


def test_staff_record_paper_lists_and_attendance_on_behalf(tree):
    from courtyard.core.models import AuditEvent

    w = world(tree)
    elder = person(tree.community_a, "孙大爷", home=tree.dwelling2, birth_year=1940)
    event = _event(w, starts_in=dt.timedelta(minutes=30))
    s = services.sign_up(by=actor(w.staff), event=event, person=elder)
    services.mark_attended(by=actor(w.staff), signup=s)
    assert Signup.objects.get(pk=s.pk).state == SignupState.ATTENDED
    ev = AuditEvent.objects.filter(action="participation.attended").get()
    assert ev.on_behalf_of_id == elder.pk and ev.channel == "offline"
    with pytest.raises(PermissionDenied):
        services.mark_attended(by=actor(w.resident), signup=s)


def test_reminders_go_once_to_people_with_a_place(tree):
    w = world(tree)
    event = _event(w, capacity=1, starts_in=dt.timedelta(hours=20))
    services.sign_up(by=actor(w.resident), event=event)
    services.sign_up(by=actor(w.neighbour), event=event)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert list(Notification.objects.filter(kind="participation.reminder").values_list("recipient", flat=True)) == [
        w.resident.pk]


def test_participation_rate_per_event_and_year(tree, login):
    w = world(tree)
    start = timezone.now() - dt.timedelta(days=2)
    event = services.create_event(by=actor(w.staff), unit=w.unit, title="长者茶话会", target_group="elders",
                                  starts_at=start, ends_at=start + dt.timedelta(hours=2), venue="合议轩", capacity=10)
    people = [person(tree.community_a, f"居民{i}", home=tree.dwelling2) for i in range(4)]
    signups = [services.sign_up(by=actor(w.staff), event=event, person=p) for p in people]
    for s in signups[:3]:
        services.mark_attended(by=actor(w.staff), signup=s)
    years = selectors.participation_by_year(w.staff)
    assert years[0]["taken"] == 4 and years[0]["attended"] == 3 and years[0]["rate"] == "75"
    page = login(w.staff).get("/console/participation/events/").content.decode()
    assert "75" in page
    detail = login(w.staff).get(f"/console/participation/events/{event.pk}/")
    assert detail.status_code == 200


def test_resident_events_page_signs_up_and_cancels(tree, login, django_assert_max_num_queries):
    w = world(tree)
    event = _event(w, capacity=1)
    client = login(w.resident)
    with django_assert_max_num_queries(30):
        assert client.get("/participation/events/").status_code == 200
    client.post(f"/participation/events/{event.pk}/join/")
    s = Signup.objects.get(person=tree.person1)
    assert s.state == SignupState.REGISTERED
    assert "亲子手工坊" in client.get("/participation/events/").content.decode()
    client.post(f"/participation/signups/{s.pk}/cancel/")
    assert Signup.objects.get(pk=s.pk).state == SignupState.CANCELLED
