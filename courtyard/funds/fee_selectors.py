"""Reads of household fees (SVC-13): published plans and collection rates by building (public, never a
name or a room), a resident's own bills and receipts, staff's arrears list."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from .fee_models import FeeBill, FeePayment, HouseholdFeePlan
from .money import percent, ratio, yuan


def public_fees(unit) -> dict:
    """The unit's public page: each fee in force with its rate and uses, and per building the share of
    bills paid and of the amount collected. Three queries."""
    plans = list(HouseholdFeePlan.objects.filter(account__unit=unit, active=True).select_related("account")
                 .order_by("kind", "name"))
    rows = (FeeBill.objects.filter(plan__in=plans)
            .values("plan_id", "building__courtyard__name", "building__name", "building_id")
            .annotate(due=Sum("amount_fen"), paid=Sum(F("paid_fen") + F("offset_fen")), bills=Count("id"),
                      settled=Count("id", filter=Q(amount_fen__lte=F("paid_fen") + F("offset_fen"))))
            .order_by("plan_id", "building__courtyard__name", "building__name"))
    by_plan: dict[int, list] = {}
    for r in rows:
        by_plan.setdefault(r["plan_id"], []).append({
            "building": f"{r['building__courtyard__name'] or ''} {r['building__name']}".strip(), "bills": r["bills"], "settled": r["settled"],
            "rate": percent(ratio(r["settled"], r["bills"])), "collected": percent(ratio(r["paid"], r["due"]))})
    return {"plans": [{"plan": p, "buildings": by_plan.get(p.pk, [])} for p in plans]}


def my_bills(dwelling_ids) -> list[FeeBill]:
    bills = list(FeeBill.objects.filter(dwelling__in=dwelling_ids)
                 .select_related("plan__account__unit", "dwelling__courtyard", "dwelling__building",
                                 "dwelling__entrance")
                 .order_by("-period_start", "plan__name", "dwelling_id")[:120])
    receipts: dict[int, list] = {}
    for pay in FeePayment.objects.filter(bill__in=[b.pk for b in bills]).order_by("paid_at", "id"):
        receipts.setdefault(pay.bill_id, []).append(pay)
    from .services.fees import offset_room_fen

    for b in bills:
        b.receipts = receipts.get(b.pk, [])
        b.offset_room = offset_room_fen(b)
    return bills


def arrears(plan, today) -> list[FeeBill]:
    """Staff only (the caller checked the permission): bills past due and not settled."""
    return list(FeeBill.objects.filter(plan=plan, due_on__lt=today)
                .filter(amount_fen__gt=F("paid_fen") + F("offset_fen"))
                .select_related("dwelling__courtyard", "dwelling__building", "dwelling__entrance")
                .order_by("building_id", "dwelling_id")[:500])


def plan_totals(plan) -> dict:
    r = FeeBill.objects.filter(plan=plan).aggregate(due=Sum("amount_fen"), paid=Sum("paid_fen"),
                                                     offset=Sum("offset_fen"), bills=Count("id"))
    due, paid = r["due"] or 0, r["paid"] or 0
    return {"bills": r["bills"], "due": yuan(due), "paid": yuan(paid), "offset": yuan(r["offset"] or 0),
            "collected": percent(ratio(paid + (r["offset"] or 0), due))}
