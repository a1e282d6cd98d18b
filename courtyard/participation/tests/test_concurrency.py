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


def test_a_burst_of_sign_ups_never_overfills_an_event(tree):
    import datetime as dt

    from django.utils import timezone

    from courtyard.participation.choices import SignupState
    from courtyard.participation.models import Signup

    w = world(tree)
    start = timezone.now() + dt.timedelta(days=2)
    event = services.create_event(by=actor(w.staff), unit=w.unit, title="青年创客沙龙", target_group="youth",
                                  starts_at=start, ends_at=start + dt.timedelta(hours=2), venue="合议轩", capacity=3)
    users = [make_user(person=person(tree.community_a, f"青年{i}", home=tree.dwelling2)) for i in range(8)]
    results, errors = _race(8, lambda i: services.sign_up(by=actor(users[i]), event=event))
    assert not errors
    assert Signup.objects.filter(event=event, state=SignupState.REGISTERED).count() == 3
    assert Signup.objects.filter(event=event, state=SignupState.WAITLISTED).count() == 5
    # Three cancel at once: exactly three move up from the waiting list.
    placed = list(Signup.objects.filter(event=event, state=SignupState.REGISTERED))
    results, errors = _race(3, lambda i: services.cancel_signup(by=actor(w.staff), signup=placed[i]))
    assert not errors and all(r is not None for r in results)
    assert Signup.objects.filter(event=event, state=SignupState.REGISTERED).count() == 3
    assert Signup.objects.filter(event=event, state=SignupState.WAITLISTED).count() == 2


def _fee(tree, w):
    import datetime as dt

    from django.utils import timezone

    from courtyard.funds import services as funds
    from courtyard.funds.fee_models import FeeBill

    acc = funds.create_account(by=actor(w.staff), unit=tree.unit, purpose="self_governance", name="自治基金",
                               custodian="社区财务室", policy="single")
    plan = funds.create_household_fee(by=actor(w.staff), account=acc, kind="cleaning", name="保洁费",
                                      basis="household", rate_fen=10000, period="monthly", uses="保洁",
                                      starts_on=dt.date(2020, 1, 1), points_per_yuan=1, offset_share=50)
    funds.issue_bills(by=actor(w.staff), plan=plan, day=timezone.localdate())
    return FeeBill.objects.get(plan=plan, dwelling=tree.dwelling1), FeeBill.objects.get(plan=plan,
                                                                                         dwelling=tree.dwelling2)


def test_racing_offsets_never_pass_the_bill_share_nor_the_balance(tree):
    """Two members of one household race to pay the same 100-yuan bill with points (at most 50 yuan), and
    one resident races offsets on two bills against a balance for one: never over the bill, never below zero."""
    from courtyard.funds.fee_models import FeeBill
    from courtyard.participation.models import BillOffset

    w = world(tree, checkin_points=10)
    bill1, bill2 = _fee(tree, w)
    earn(w, tree.person1, 6)  # 60 points
    earn(w, tree.person2, 6)
    users = [w.resident, w.neighbour] * 3
    results, errors = _race(6, lambda i: services.use_points_on_bill(by=actor(users[i]), bill=bill1, yuan=20))
    assert len(results) == 2 and all(isinstance(e, ValidationError) for e in errors)
    assert FeeBill.objects.get(pk=bill1.pk).offset_fen == 4000
    # One resident, two bills of the household's other dwelling … and the tenant's own balance of 60 − x.
    left = PointsAccount.objects.get(person=tree.person1).balance
    from courtyard.org.models import DwellingLink  # the tenant also lives in dwelling 2 for this race

    DwellingLink.objects.create(person=tree.person1, dwelling=tree.dwelling2, relation="owner")
    results, errors = _race(4, lambda i: services.use_points_on_bill(by=actor(w.resident),
                                                                      bill=bill2 if i % 2 else bill1, yuan=left))
    acct = PointsAccount.objects.get(person=tree.person1)
    assert acct.balance >= 0 and len(results) <= 1
    used = sum(o.points for o in BillOffset.objects.filter(account=acct))
    assert acct.balance == 60 - used
    assert FeeBill.objects.get(pk=bill1.pk).offset_fen <= 5000
    assert verify_all() == []
