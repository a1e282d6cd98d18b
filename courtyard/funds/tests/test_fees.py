"""Household fees (SVC-13): plans with published rates and uses, bills, payments with receipts booked as
income on the plan's account, arrears and reminders, offsets, the resident's bills, the public rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent, Notification
from courtyard.funds import services
from courtyard.funds.fee_models import FeeBill, FeePayment
from courtyard.funds.models import LedgerEntry
from courtyard.funds.verify import verify_account
from courtyard.org.tests import factories as org

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(tree):
    people = signers(tree)
    acc = account(tree, people, name="自治基金", purpose="self_governance", policy="single", funded=0)
    plan = services.create_household_fee(
        by=actor(people["staff"]), account=acc, kind="cleaning", name="保洁费", basis="household", rate_fen=1000,
        period="monthly", uses="公共区域保洁、垃圾清运", starts_on=dt.date(2020, 1, 1), resolution_ref="2024年院落公约",
        points_per_yuan=10, offset_share=50)
    mine = org.make_user(person=org.person(tree.community_a, "李桂兰", home=tree.dwelling1))
    theirs = org.make_user(person=org.person(tree.community_a, "王建国", home=tree.dwelling2))
    return tree, people, acc, plan, mine, theirs


def test_plan_needs_uses_and_a_sane_rate(fw):
    tree, people, acc, _plan, _m, _t = fw
    for kw, field in [({"uses": " "}, "uses"), ({"rate_fen": 0}, "rate_fen"), ({"rate_fen": "12.5"}, "rate_fen"),
                      ({"rate_fen": "abc"}, "rate_fen"), ({"basis": "x"}, "basis")]:
        args = {"kind": "cleaning", "name": "x", "basis": "household", "rate_fen": 100, "period": "monthly",
                "uses": "保洁", "starts_on": dt.date(2024, 1, 1), **kw}
        with pytest.raises(ValidationError) as exc:
            services.create_household_fee(by=actor(people["staff"]), account=acc, **args)
        assert field in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_household_fee(by=actor(people["outsider"]), account=acc, kind="cleaning", name="x",
                                      basis="household", rate_fen=100, period="monthly", uses="u",
                                      starts_on=dt.date(2024, 1, 1))


def test_issue_bills_once_per_period_and_by_area(fw):
    tree, people, acc, plan, _m, _t = fw
    r = services.issue_bills(by=actor(people["staff"]), plan=plan, day=dt.date(2026, 3, 15))
    n = FeeBill.objects.filter(plan=plan).count()
    assert r["issued"] == n == len(tree.dwellings_unit) and r["total_fen"] == 1000 * n
    bill = FeeBill.objects.filter(plan=plan).first()
    assert (bill.period_start, bill.period_end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    again = services.issue_bills(by=actor(people["staff"]), plan=plan, day=dt.date(2026, 3, 2))
    assert again["issued"] == 0 and again["already"] == n
    area = services.create_household_fee(by=actor(people["staff"]), account=acc, kind="quasi_property",
                                          name="准物业服务费", basis="area", rate_fen="45.5", period="yearly",
                                          uses="门卫、设施维护", starts_on=dt.date(2020, 1, 1))
    services.issue_bills(by=actor(people["staff"]), plan=area, day=dt.date(2026, 6, 1))
    for b in FeeBill.objects.filter(plan=area).select_related("dwelling"):
        assert b.period_start == dt.date(2026, 1, 1) and b.period_end == dt.date(2026, 12, 31)
        exact = Decimal(b.dwelling.area_m2) * Decimal("45.5")
        assert abs(Decimal(b.amount_fen) - exact) <= Decimal("0.5")


def test_resident_pays_online_income_on_the_plan_account(fw):
    tree, people, acc, plan, mine, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate())
    bill = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling1)
    other = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling2)
    with pytest.raises(PermissionDenied):
        services.pay_online(by=Actor(user=mine), bill=other)
    payment = services.pay_online(by=Actor(user=mine), bill=bill)
    bill.refresh_from_db()
    assert bill.is_paid and payment.amount_fen == 1000 and payment.adapter_ref.startswith("CON-")
    entry = LedgerEntry.objects.get(pk=payment.entry_id)
    assert entry.account_id == acc.pk and entry.basis == "fee" and entry.amount_fen == 1000
    assert entry.receipt_no == payment.receipt_no
    acc.refresh_from_db()
    assert acc.balance_fen == 1000 and acc.income_fen == 1000 and acc.gov_income_fen == 0
    checked, broken = verify_account(acc)
    assert checked == 1 and broken is None
    with pytest.raises(ValidationError, match="paid"):
        services.pay_online(by=Actor(user=mine), bill=bill)
    assert AuditEvent.objects.filter(action="funds.fee_paid").count() == 1


def test_office_payment_needs_receipt_and_never_overpays(fw):
    tree, people, acc, plan, _m, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate())
    bill = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling2)
    with pytest.raises(ValidationError):
        services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=500, receipt_no=" ")
    with pytest.raises(ValidationError):
        services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=1001, receipt_no="R1")
    with pytest.raises(PermissionDenied):
        services.record_office_payment(by=actor(people["committee"]), bill=bill, amount_fen=500, receipt_no="R1")
    services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=600, receipt_no="R1")
    with pytest.raises(ValidationError, match="already used"):
        services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=100, receipt_no="R1")
    services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=400, receipt_no="R2")
    bill.refresh_from_db()
    assert bill.paid_fen == 1000 and FeePayment.objects.filter(bill=bill).count() == 2
    assert LedgerEntry.objects.filter(account=acc, basis="fee").count() == 2


def test_arrears_reminders_and_offset(fw):
    tree, people, acc, plan, mine, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate() - dt.timedelta(days=70),
                         due_days=10)
    n = FeeBill.objects.filter(plan=plan).count()
    assert services.send_reminders(by=actor(people["finance"]), plan=plan) == n
    assert Notification.objects.filter(recipient=mine, kind="funds.fee_reminder").count() == 1
    assert services.send_reminders(by=actor(people["finance"]), plan=plan) == 0  # not again within a week
    bill = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling1)
    services.offset_bill(by=Actor.system(), bill=bill, amount_fen=300, reference="points#17")
    with pytest.raises(ValidationError, match="50"):  # the plan lets points pay at most half of a bill
        services.offset_bill(by=Actor.system(), bill=bill, amount_fen=300, reference="points#18")
    with pytest.raises(PermissionDenied):  # not the billed household, not staff
        services.offset_bill(by=actor(people["outsider"]), bill=bill, amount_fen=100, reference="points#19")
    assert services.offset_room_fen(FeeBill.objects.get(pk=bill.pk)) == 200
    services.unoffset_bill(by=Actor.system(), bill=bill, amount_fen=100, reference="points#17 corrected")
    bill.refresh_from_db()
    assert bill.owed_fen == 800 and LedgerEntry.objects.filter(account=acc).count() == 0


def test_pages_and_public_rates_without_names(fw, django_assert_max_num_queries):
    tree, people, acc, plan, mine, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate())
    c = Client()
    c.force_login(mine)
    page = c.get("/funds/bills/")
    assert page.status_code == 200 and "保洁费" in page.content.decode()
    bill = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling1)
    r = c.post(f"/funds/bills/{bill.pk}/pay/")
    assert r.status_code == 302
    bill.refresh_from_db()
    assert bill.is_paid
    other = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling2)
    assert c.post(f"/funds/bills/{other.pk}/pay/").status_code == 404
    public = Client().get(f"/u/{tree.unit.slug}/").content.decode()
    assert "保洁费" in public and "公共区域保洁" in public and "李桂兰" not in public
    assert tree.dwelling1.number not in public.split("保洁费", 1)[1].split("</section>", 1)[0]
    staff = Client()
    staff.force_login(people["finance"])
    with django_assert_max_num_queries(25):
        assert staff.get(f"/console/funds/fees/{plan.pk}/").status_code == 200
    with django_assert_max_num_queries(25):
        assert staff.get("/console/funds/fees/").status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get("/funds/bills/").status_code == 200
    r = staff.post(f"/console/funds/bills/{other.pk}/payment/", {"amount": "10.00", "receipt_no": "P-9"})
    assert r.status_code == 302
    bad = staff.post(f"/console/funds/bills/{other.pk}/payment/", {"amount": "abc", "receipt_no": "P-10"})
    assert bad.status_code == 400


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999"), places=2))
def test_area_bill_is_exact_half_up(area, rate):
    from types import SimpleNamespace

    plan = SimpleNamespace(basis="area", rate_fen=rate)
    fen = services.bill_amount(plan, area)
    exact = area * rate
    assert Decimal(fen) - Decimal("0.5") <= exact < Decimal(fen) + Decimal("0.5")


def test_reversing_a_fee_payment_makes_the_bill_owe_again(fw):
    tree, people, acc, plan, _m, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate())
    bill = FeeBill.objects.get(plan=plan, dwelling=tree.dwelling2)
    pay = services.record_office_payment(by=actor(people["finance"]), bill=bill, amount_fen=1000, receipt_no="R9")
    services.reverse_entry(by=actor(people["finance"]), entry=pay.entry, reason="收错户")
    bill.refresh_from_db()
    acc.refresh_from_db()
    assert bill.owed_fen == 1000 and acc.balance_fen == 0


def test_api_fee_plans_and_bills_are_scoped(fw):
    tree, people, acc, plan, mine, _t = fw
    services.issue_bills(by=actor(people["staff"]), plan=plan, day=timezone.localdate())
    staff = Client()
    staff.force_login(people["finance"])
    plans = staff.get("/api/v1/fee-plans/").json()
    assert [p["name"] for p in plans.get("results", plans)] == ["保洁费"]
    bills = staff.get(f"/api/v1/fee-bills/?plan={plan.pk}").json()
    assert len(bills.get("results", bills)) == FeeBill.objects.filter(plan=plan).count()
    outsider = Client()
    outsider.force_login(people["outsider"])
    out = outsider.get("/api/v1/fee-bills/").json()
    assert out.get("results", out) == []
    resident = Client()
    resident.force_login(mine)
    assert resident.get("/api/v1/fee-bills/").status_code == 403
