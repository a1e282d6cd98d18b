"""Points offsetting part of a household fee bill (ADR 0028): within the plan's published share and rate,
the points debit and the bill's offset happen together or not at all, a correction puts both back, no cash
entry is booked, and the chain and balances still verify."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from courtyard.funds import services as funds
from courtyard.funds.fee_models import FeeBill
from courtyard.funds.models import LedgerEntry
from courtyard.org.tests.factories import make_user
from courtyard.participation import services
from courtyard.participation.models import BillOffset, PointsAccount, PointsEntry
from courtyard.participation.verify import verify_all

from .factories import actor, earn, world

pytestmark = pytest.mark.django_db


def fee_world(tree, *, share=50, per_yuan=10, points_times=6):
    """A world with a cleaning fee of 10 yuan a month (points may pay `share` %, `per_yuan` points a yuan),
    this month's bills issued, and the resident with 10 × `points_times` points."""
    w = world(tree)
    w.finance = make_user("finance_officer", tree.community_a)
    w.account = funds.create_account(by=actor(w.staff), unit=tree.unit, purpose="self_governance", name="自治基金",
                                     custodian="社区财务室", policy="single")
    w.plan = funds.create_household_fee(by=actor(w.staff), account=w.account, kind="cleaning", name="保洁费",
                                        basis="household", rate_fen=1000, period="monthly", uses="保洁",
                                        starts_on=dt.date(2020, 1, 1), points_per_yuan=per_yuan, offset_share=share)
    funds.issue_bills(by=actor(w.staff), plan=w.plan, day=timezone.localdate())
    w.bill = FeeBill.objects.get(plan=w.plan, dwelling=tree.dwelling1)
    earn(w, tree.person1, points_times)
    return w


def test_points_pay_part_of_a_bill_within_the_plan_and_a_correction_puts_both_back(tree):
    w = fee_world(tree)
    offer = services.offset_offer(w.resident, w.bill)
    assert offer == {"rate": 10, "share": 50, "room_fen": 500, "balance": 60, "most_yuan": 5}
    with pytest.raises(ValidationError):
        services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=6)  # more than half the bill
    with pytest.raises(ValidationError):
        services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=0)
    o = services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=3)
    assert (o.points, o.amount_fen) == (30, 300)
    w.bill.refresh_from_db()
    acct = PointsAccount.objects.get(person=tree.person1)
    assert w.bill.offset_fen == 300 and w.bill.owed_fen == 700 and acct.balance == 30
    assert o.entry.kind == "offset" and o.entry.points == -30
    with pytest.raises(ValidationError):  # only 2 more yuan may be paid with points
        services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=3)
    assert LedgerEntry.objects.filter(account=w.account).count() == 0  # no money moved: nothing booked
    # The household's other member may use their own points; a neighbour from elsewhere may not.
    with pytest.raises(PermissionDenied):
        services.use_points_on_bill(by=actor(make_user("community_staff", tree.community_a)), bill=w.bill, yuan=1)
    # A correction (staff, on the points ledger) returns the points and the bill owes the amount again.
    with pytest.raises(PermissionDenied):
        services.reverse_entry(by=actor(w.resident), entry=o.entry, reason="错了")
    services.reverse_entry(by=actor(w.staff), entry=o.entry, reason="住户要求撤销")
    w.bill.refresh_from_db()
    o.refresh_from_db()
    assert w.bill.offset_fen == 0 and o.reversed_at is not None
    assert PointsAccount.objects.get(person=tree.person1).balance == 60
    with pytest.raises(ValidationError):
        services.cancel_offset(by=actor(w.staff), offset=o, reason="again")
    assert verify_all() == []


def test_not_enough_points_changes_nothing(tree):
    w = fee_world(tree, points_times=1)  # 10 points: one yuan
    with pytest.raises(ValidationError):
        services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=2)
    w.bill.refresh_from_db()
    assert w.bill.offset_fen == 0 and not BillOffset.objects.exists()
    assert PointsEntry.objects.filter(kind="offset").count() == 0


def test_a_plan_without_offsets_refuses(tree):
    w = fee_world(tree, share=0, per_yuan=0)
    assert services.offset_offer(w.resident, w.bill)["most_yuan"] == 0
    with pytest.raises(ValidationError):
        services.use_points_on_bill(by=actor(w.resident), bill=w.bill, yuan=1)


def test_the_page(tree, django_assert_max_num_queries):
    w = fee_world(tree)
    c = Client()
    c.force_login(w.resident, backend="courtyard.core.auth.PhoneBackend")
    url = f"/participation/bills/{w.bill.pk}/points/"
    with django_assert_max_num_queries(12):
        page = c.get(url)
    assert page.status_code == 200 and "60" in page.content.decode()
    bad = c.post(url, {"yuan": "9"})
    assert bad.status_code == 400
    assert c.post(url, {"yuan": "2"}).status_code == 302
    w.bill.refresh_from_db()
    assert w.bill.offset_fen == 200
    bills = c.get("/funds/bills/").content.decode()
    assert url in bills  # 3 more yuan may still be paid with points
    other = Client()
    other.force_login(make_user("community_staff", tree.community_a), backend="courtyard.core.auth.PhoneBackend")
    assert other.get(url).status_code == 404
