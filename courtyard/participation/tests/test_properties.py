"""Property tests: the cap rule, exact percentages, and that a balance always equals the sum of its
ledger (and never goes below zero) whatever sequence of earning, redeeming, cancelling and
correcting happens."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.core.indicators import percent_str
from courtyard.participation.domain import capped, rate

caps = st.integers(min_value=0, max_value=500)


@given(points=st.integers(0, 500), today=st.integers(0, 600), month=st.integers(0, 5000), daily=caps, monthly=caps)
def test_capped_never_exceeds_the_ask_or_a_cap(points, today, month, daily, monthly):
    got = capped(points, earned_today=today, earned_month=month, daily_cap=daily, monthly_cap=monthly)
    assert 0 <= got <= points
    if daily:
        assert today + got <= max(daily, today)
    if monthly:
        assert month + got <= max(monthly, month)
    if not daily and not monthly:
        assert got == points


@given(steps=st.lists(st.integers(1, 60), max_size=30), daily=st.integers(1, 100))
def test_crediting_in_steps_never_passes_the_daily_cap(steps, daily):
    total = 0
    for p in steps:
        total += capped(p, earned_today=total, earned_month=total, daily_cap=daily, monthly_cap=0)
    assert total <= daily
    assert total == min(sum(steps), daily)


@given(part=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_percent_is_exact_and_rounds_half_up(part, extra):
    whole = part + extra
    r = rate(part, whole)
    if whole == 0:
        assert r is None and percent_str(r, 0) == "—"
        return
    assert r == Fraction(part, whole)
    shown = int(percent_str(r, 0))
    assert abs(Fraction(shown) - r * 100) <= Fraction(1, 2)


def test_twelve_events_at_85_percent():
    assert percent_str(rate(85, 100), 0) == "85"
    assert percent_str(rate(17, 20), 0) == "85"


OPS = st.lists(st.sampled_from(["earn", "redeem", "cancel", "correct"]), min_size=1, max_size=25)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_balance_is_the_sum_of_the_ledger(module_tree, ops):
    from django.db import transaction

    with transaction.atomic():  # each example rolls back, so the next starts from the same world
        _run_ops(module_tree, ops)
        transaction.set_rollback(True)


def _run_ops(module_tree, ops):
    from courtyard.org.tests.factories import make_user, person
    from courtyard.participation import services
    from courtyard.participation.models import PointsAccount, PointsEntry, Redemption, Shift
    from courtyard.participation.verify import verify_account

    from .factories import actor, world

    tree = module_tree
    w = world(tree, cost=15, stock=10, checkin_points=10)
    me = person(tree.community_a, "测试居民", home=tree.dwelling2)
    user = make_user(person=me)
    day = timezone.localdate()
    for i, op in enumerate(ops):
        try:
            if op == "earn":
                shift = Shift.objects.create(rota=w.rota, day=day - dt.timedelta(days=i), person=me)
                services.credit(by=actor(w.staff), unit=w.unit, person=me, act="rota_checkin", source_id=shift.pk,
                                day=shift.day)
            elif op == "redeem":
                services.redeem(by=actor(user), item=w.item)
            elif op == "cancel":
                r = Redemption.objects.filter(account__person=me, state="placed").first()
                if r:
                    services.cancel_redemption(by=actor(user), redemption=r)
            else:
                e = PointsEntry.objects.filter(account__person=me, kind="earn", reversed_by__isnull=True).first()
                if e:
                    services.reverse_entry(by=actor(w.staff), entry=e, reason="更正")
        except ValidationError:
            pass  # refused (not enough points, sold out): nothing written
        account = PointsAccount.objects.filter(person=me).first()
        if account is not None:
            total = sum(PointsEntry.objects.filter(account=account).values_list("points", flat=True))
            assert account.balance == total >= 0
    account = PointsAccount.objects.filter(person=me).first()
    if account is not None:
        assert verify_account(account) is None
