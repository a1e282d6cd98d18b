"""Demo of household fees (SVC-13) for 学道苑, relative to the loading day: a cleaning fee shared per
household (保洁费按户分摊, 10 元/户·月) and a parking fee (100 元/位·月, 12 spaces) paid into the
self-governance fund; the last three months billed; most paid (at the office with paper receipts, or on
the phone), the rest in arrears and reminded."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org.models import Dwelling

from . import services
from .fee_models import FeeBill


def load_fees(*, unit, fund, staff: Actor, fin: Actor, rnd: random.Random) -> str:
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    cleaning = services.create_household_fee(
        by=staff, account=fund, kind="cleaning", name="院落保洁费", basis="household", rate_fen=10_00,
        period="monthly", uses="公共区域保洁、垃圾定时清运（保洁员劳务与清运费用），按户分摊",
        starts_on=first, resolution_ref="学道苑居民议事会决议（保洁费按户分摊，积分可抵扣一半）",
        points_per_yuan=10, offset_share=50)
    parking = services.create_household_fee(
        by=staff, account=fund, kind="parking", name="院内停车费", basis="household", rate_fen=100_00,
        period="monthly", uses="停车位划线、道闸维护和消防通道管理，结余纳入院落自治基金",
        starts_on=first, resolution_ref="学道苑院落公约 停车管理条款")
    holders = list(Dwelling.objects.filter(unit=unit).order_by("pk")[:60])
    holders = rnd.sample(holders, min(12, len(holders)))
    months = [first, (first + dt.timedelta(days=32)).replace(day=1), today.replace(day=1)]
    receipt = 0
    for k, month in enumerate(months):
        current = k == len(months) - 1
        services.issue_bills(by=staff, plan=cleaning, day=month, due_days=20)
        services.issue_bills(by=staff, plan=parking, day=month, due_days=20, dwellings=holders)
        for bill in FeeBill.objects.filter(period_start=month, plan__in=[cleaning, parking]).order_by("pk"):
            if rnd.random() < (0.45 if current else 0.9):
                receipt += 1
                services.record_office_payment(by=fin, bill=bill, amount_fen=bill.amount_fen,
                                               receipt_no=f"BJ-{month:%Y%m}-{receipt:04d}")
    reminded = services.send_reminders(by=fin, plan=cleaning) + services.send_reminders(by=fin, plan=parking)
    bills = FeeBill.objects.filter(plan__in=[cleaning, parking]).count()
    return f"fees: 2 household fees, {bills} bills, {receipt} paid, {reminded} overdue reminded"
