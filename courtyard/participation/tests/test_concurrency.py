"""PostgreSQL, real threads and connections: a burst of redemptions never oversells an item or takes a
balance below zero; concurrent credits and redemptions keep one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from courtyard.org.tests.factories import make_user, person
from courtyard.participation import services
from courtyard.participation.models import PointsAccount, PointsEntry, Redemption, ShopItem
from courtyard.participation.verify import verify_all

from .factories import actor, earn, world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_many_residents_racing_for_few_items_never_oversell(tree):
    w = world(tree, cost=10, stock=3)
    residents = []
    for i in range(8):
        p = person(tree.community_a, f"居民{i}", home=tree.dwelling2)
        residents.append(make_user(person=p))
        earn(w, p, 1)
    results, errors = _race(8, lambda i: services.redeem(by=actor(residents[i]), item=w.item))
    assert len(results) == 3 and len(errors) == 5
    assert all(isinstance(e, ValidationError) for e in errors)
    assert ShopItem.objects.get(pk=w.item.pk).stock == 0
    assert Redemption.objects.filter(item=w.item).count() == 3
    assert verify_all() == []


def test_one_resident_racing_their_own_balance_never_goes_negative(tree):
    w = world(tree, cost=10, stock=100, checkin_points=10)
    earn(w, tree.person1, 3)  # 30 points: three redemptions at most
    results, errors = _race(8, lambda i: services.redeem(by=actor(w.resident), item=w.item))
    assert len(results) == 3 and len(errors) == 5
    account = PointsAccount.objects.get(person=tree.person1)
    assert account.balance == 0
    assert ShopItem.objects.get(pk=w.item.pk).stock == 97
    assert sum(PointsEntry.objects.filter(account=account).values_list("points", flat=True)) == 0
    assert verify_all() == []


def test_credits_and_redemptions_interleaved_keep_one_chain(tree):
    from django.utils import timezone

    from courtyard.participation.models import Shift

    w = world(tree, cost=5, stock=100, checkin_points=5)
    earn(w, tree.person1, 2)
    shifts = [Shift.objects.create(rota=w.rota, day=timezone.localdate() + timezone.timedelta(days=i + 1),
                                   person=tree.person1) for i in range(4)]

    def act(i):
        if i % 2:
            return services.redeem(by=actor(w.resident), item=w.item)
        from django.db import transaction

        with transaction.atomic():
            return services.credit(by=actor(w.staff), unit=w.unit, person=tree.person1, act="rota_checkin",
                                   source_id=shifts[i // 2].pk, day=shifts[i // 2].day)

    results, errors = _race(8, act)
    assert not errors, errors
    account = PointsAccount.objects.get(person=tree.person1)
    assert account.head_seq == 2 + 8 and account.balance == 10 + 4 * 5 - 4 * 5
    assert verify_all() == []


def test_the_same_act_credited_twice_at_once_earns_once(tree):
    from django.db import transaction
    from django.utils import timezone

    from courtyard.participation.models import Shift

    w = world(tree)
    shift = Shift.objects.create(rota=w.rota, day=timezone.localdate(), person=tree.person1)

    def credit(i):
        with transaction.atomic():
            return services.credit(by=actor(w.staff), unit=w.unit, person=tree.person1, act="rota_checkin",
                                   source_id=shift.pk)

    results, errors = _race(6, credit)
    assert len(results) == 1 and len(errors) == 5
    assert PointsAccount.objects.get(person=tree.person1).balance == 10
