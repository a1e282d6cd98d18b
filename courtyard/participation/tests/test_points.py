"""The points economy: rules and caps, one credit per act, the chain, corrections, the shop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courtyard.core.models import AppendOnlyError
from courtyard.participation import services
from courtyard.participation.choices import Act, EntryKind, RedemptionState
from courtyard.participation.models import PointsAccount, PointsEntry, Shift, ShopItem
from courtyard.participation.verify import verify_account

from .factories import actor, earn, world

pytestmark = pytest.mark.django_db


def _account(w, person):
    return PointsAccount.objects.get(unit=w.unit, person=person)


def test_check_in_earns_the_published_points_once(tree):
    w = world(tree)
    Shift.objects.create(rota=w.rota, day=timezone.localdate(), person=tree.person1)
    shift, entry = services.check_in(by=actor(w.resident), token=w.rota.token)
    assert entry.points == 10 and entry.kind == EntryKind.EARN and entry.source == f"rota_shift:{shift.pk}"
    with pytest.raises(ValidationError):
        services.check_in(by=actor(w.resident), token=w.rota.token)
    with pytest.raises(ValidationError):  # the same act credited again by another path
        with transaction.atomic():
            services.credit(by=actor(w.staff), unit=w.unit, person=tree.person1, act=Act.ROTA_CHECKIN,
                            source_id=shift.pk)
    assert _account(w, tree.person1).balance == 10


def test_the_database_refuses_a_second_credit_for_one_act(tree):
    w = world(tree)
    earn(w, tree.person1)
    first = PointsEntry.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        services.append(by=actor(w.staff), account=first.account, kind=EntryKind.EARN, points=10,
                        act=Act.ROTA_CHECKIN, source=first.source)


def test_no_shift_no_points_and_unknown_codes_are_refused(tree):
    w = world(tree)
    with pytest.raises(ValidationError, match="not on duty"):
        services.check_in(by=actor(w.resident), token=w.rota.token)
    with pytest.raises(ValidationError):
        services.check_in(by=actor(w.resident), token="forged")
    assert not PointsEntry.objects.exists()


def test_daily_and_monthly_caps_clip_credits(tree):
    w = world(tree)
    organiser = w.staff
    services.confirm_hours(by=actor(organiser), unit=w.unit, person=tree.person1, activity="清扫", hours=6,
                           day=timezone.localdate())
    services.confirm_hours(by=actor(organiser), unit=w.unit, person=tree.person1, activity="清扫", hours=6,
                           day=timezone.localdate())
    # 5 points an hour, 40 a day: 30, then 10.
    assert [e.points for e in PointsEntry.objects.order_by("seq")] == [30, 10]
    rec = services.confirm_hours(by=actor(organiser), unit=w.unit, person=tree.person1, activity="清扫", hours=2,
                                 day=timezone.localdate())
    assert rec.pk and PointsEntry.objects.count() == 2  # capped: recorded, no points


def test_nobody_confirms_their_own_hours(tree, make_user):
    w = world(tree)
    from courtyard.org.tests.factories import person

    me = person(tree.community_a, "赵敏", home=tree.dwelling2)
    staff_resident = make_user("community_staff", tree.community_a, person=me)
    with pytest.raises(PermissionDenied):
        services.confirm_hours(by=actor(staff_resident), unit=w.unit, person=me, activity="x", hours=1,
                               day=timezone.localdate())
    with pytest.raises(PermissionDenied):  # a resident without the permission
        services.confirm_hours(by=actor(w.resident), unit=w.unit, person=tree.person2, activity="x", hours=1,
                               day=timezone.localdate())


def test_entries_are_append_only_and_chained(tree):
    w = world(tree)
    earn(w, tree.person1, 3)
    entry = PointsEntry.objects.order_by("seq").first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.all().delete()
    account = _account(w, tree.person1)
    assert verify_account(account) is None
    assert account.head_seq == 3 and account.balance == 30


def test_a_changed_entry_breaks_the_chain(tree):
    w = world(tree)
    earn(w, tree.person1, 2)
    account = _account(w, tree.person1)
    from django.db import connection

    with connection.cursor() as c:  # an attacker with database rights drops the trigger and edits
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER participation_pointsentry_no_update")
        else:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending for ALTER TABLE
            c.execute("ALTER TABLE participation_pointsentry DISABLE TRIGGER participation_pointsentry_append_only")
        c.execute("UPDATE participation_pointsentry SET points = 500 WHERE seq = 1 AND account_id = %s", [account.pk])
    broken = verify_account(account)
    assert broken is not None and broken.seq == 1


def test_correction_is_a_reversing_entry(tree):
    w = world(tree)
    earn(w, tree.person1)
    entry = PointsEntry.objects.get()
    with pytest.raises(ValidationError):
        services.reverse_entry(by=actor(w.staff), entry=entry, reason=" ")
    with pytest.raises(PermissionDenied):
        services.reverse_entry(by=actor(w.resident), entry=entry, reason="错误")
    rev = services.reverse_entry(by=actor(w.staff), entry=entry, reason="重复登记")
    assert rev.points == -10 and rev.reverses == entry
    assert _account(w, tree.person1).balance == 0
    with pytest.raises(ValidationError):
        services.reverse_entry(by=actor(w.staff), entry=entry, reason="again")


def test_redeem_takes_points_and_stock_and_never_goes_negative(tree):
    w = world(tree, cost=20, stock=1)
    earn(w, tree.person1, 1)
    with pytest.raises(ValidationError, match="Not enough points"):
        services.redeem(by=actor(w.resident), item=w.item)
    earn(w, tree.person1, 2, day=timezone.localdate() - dt.timedelta(days=5))
    r = services.redeem(by=actor(w.resident), item=w.item)
    assert r.cost == 20 and _account(w, tree.person1).balance == 10
    assert ShopItem.objects.get(pk=w.item.pk).stock == 0
    earn(w, tree.person2, 3)
    with pytest.raises(ValidationError, match="sold out"):
        services.redeem(by=actor(w.neighbour), item=w.item)


def test_cancel_returns_points_and_stock_and_hand_over_is_final(tree):
    w = world(tree, cost=10, stock=2)
    earn(w, tree.person1, 2)
    r1 = services.redeem(by=actor(w.resident), item=w.item)
    r2 = services.redeem(by=actor(w.resident), item=w.item)
    services.cancel_redemption(by=actor(w.resident), redemption=r1)
    assert _account(w, tree.person1).balance == 10 and ShopItem.objects.get(pk=w.item.pk).stock == 1
    with pytest.raises(PermissionDenied):
        services.hand_over(by=actor(w.resident), redemption=r2)
    services.hand_over(by=actor(w.staff), redemption=r2)
    with pytest.raises(ValidationError):
        services.cancel_redemption(by=actor(w.resident), redemption=r2)
    assert {r.state for r in (r1, r2)} and r2.__class__.objects.get(pk=r2.pk).state == RedemptionState.HANDED_OVER
    assert verify_account(_account(w, tree.person1)) is None


def test_only_residents_of_the_unit_redeem(tree, make_user):
    w = world(tree)
    outsider = make_user(person=tree.person4)  # community A, not in the unit
    with pytest.raises(PermissionDenied):
        services.redeem(by=actor(outsider), item=w.item)
    with pytest.raises(PermissionDenied):
        services.redeem(by=actor(w.staff), item=w.item)  # staff without a home in the unit


def test_rules_are_published_only_by_the_unit_s_managers(tree, make_user):
    w = world(tree)
    other = make_user("community_staff", tree.community_b)
    with pytest.raises(PermissionDenied):
        services.save_rule(by=actor(other), unit=w.unit, act=Act.CLAIM_DONE, points=5)
    with pytest.raises(ValidationError):
        services.save_rule(by=actor(w.staff), unit=w.unit, act=Act.CLAIM_DONE, points=5, daily_cap=3)


def test_staff_redeem_at_the_counter_on_a_resident_s_behalf(tree):
    from courtyard.core.models import AuditEvent

    w = world(tree, cost=10)
    earn(w, tree.person2, 1)
    r = services.redeem(by=actor(w.staff), item=w.item, person=tree.person2)
    assert r.account.person_id == tree.person2.pk and _account(w, tree.person2).balance == 0
    event = AuditEvent.objects.filter(action="participation.redeemed").get()
    assert event.on_behalf_of_id == tree.person2.pk and event.channel == "offline"
    with pytest.raises(PermissionDenied):  # a resident cannot spend a neighbour's points
        services.redeem(by=actor(w.resident), item=w.item, person=tree.person2)


def test_points_verify_command_passes_and_catches_a_break(tree):
    from django.core.management import call_command
    from django.db import connection

    w = world(tree)
    earn(w, tree.person1, 2)
    call_command("points_verify")
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER participation_pointsentry_no_update")
        else:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending for ALTER TABLE
            c.execute("ALTER TABLE participation_pointsentry DISABLE TRIGGER participation_pointsentry_append_only")
        c.execute("UPDATE participation_pointsentry SET memo = 'x' WHERE seq = 2")
    with pytest.raises(SystemExit):
        call_command("points_verify")


def test_uncovered_rota_warns_the_keepers_the_day_before(tree, make_user):
    from courtyard.core.models import Notification
    from courtyard.core.worklist import collect

    w = world(tree)
    outsider = make_user("community_staff", tree.community_b)
    assert services.warn_uncovered() == 1
    assert Notification.objects.filter(recipient=w.staff, kind="participation.uncovered").count() == 1
    assert not Notification.objects.filter(recipient=outsider, kind="participation.uncovered").exists()
    item = next(i for i in collect(w.staff) if i.key == "participation.uncovered")
    assert item.count == 1 and item.urgent
    Shift.objects.create(rota=w.rota, day=timezone.localdate() + dt.timedelta(days=1), person=tree.person1)
    assert services.warn_uncovered() == 0
