"""Test helpers: a unit with published rules, a shop item, a rota, residents with logins."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org.tests.factories import make_user
from courtyard.participation import services
from courtyard.participation.choices import Act, ItemKind, RotaKind


def actor(user) -> Actor:
    return Actor(user=user)


def world(tree, *, checkin_points: int = 10, daily_cap: int = 0, stock: int = 5, cost: int = 20) -> SimpleNamespace:
    w = SimpleNamespace(tree=tree, unit=tree.unit)
    w.staff = make_user("community_staff", tree.community_a)
    w.resident = make_user(person=tree.person1)
    w.neighbour = make_user(person=tree.person2)
    by = actor(w.staff)
    w.rule = services.save_rule(by=by, unit=tree.unit, act=Act.ROTA_CHECKIN, points=checkin_points, daily_cap=daily_cap)
    services.save_rule(by=by, unit=tree.unit, act=Act.VOLUNTEER_HOURS, points=5, daily_cap=40, monthly_cap=200)
    w.item = services.save_item(by=by, unit=tree.unit, name="环保袋", kind=ItemKind.GOODS, cost=cost, stock=stock)
    w.rota = services.create_rota(by=by, unit=tree.unit, name="门岗值班", kind=RotaKind.DUTY_DESK, post="1号院门岗")
    return w


def earn(w, person, points_times: int = 1, day: dt.date | None = None) -> None:
    """Earn check-in points `points_times` times (one shift per day, going back from today)."""
    from courtyard.participation.models import Shift

    start = day or timezone.localdate()
    for i in range(points_times):
        d = start - dt.timedelta(days=i)
        shift = Shift.objects.create(rota=w.rota, day=d, person=person)
        services.credit(by=actor(w.staff), unit=w.unit, person=person, act=Act.ROTA_CHECKIN, source_id=shift.pk,
                        day=d)
