"""Keeping facilities up (PRJ-6): preventive work orders filed in the service desk on schedule (one per
facility and due date, whatever how often the scheduler runs), and partners' revenue shares posted to
the funds ledger by agreement (one posting per agreement and month). Both go through the sibling's own
service by a named hook (courtyard.core.hooks, ADR 0026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, hooks
from courtyard.core.audit import Actor

from .. import permissions as p
from ..choices import FACILITY_CATEGORY, PREVENTIVE_LEAD_DAYS
from ..models import Facility, PreventiveOrder, RevenueAgreement, RevenuePosting
from ._common import record, require_staff


def _record(by, action, obj, facility, changes):
    record(by, action, obj, unit_id=facility.unit_id, community_id=facility.community_id, changes=changes)


# ---------------------------------------------------------------- preventive work orders
def due_facilities(today: dt.date, *, lead_days: int = PREVENTIVE_LEAD_DAYS):
    """(facility, due date) for every facility whose maintenance falls due within `lead_days`."""
    horizon = today + dt.timedelta(days=lead_days)
    rows = Facility.objects.only("pk", "unit_id", "community_id", "last_maintained_on", "created_at",
                                 "maintenance_every_days").order_by("pk")
    for f in rows.iterator(chunk_size=500):
        due = f.next_due
        if due is not None and due <= horizon:
            yield f.pk, due


def file_preventive_order(*, facility_id: int, due_on: dt.date, by: Actor | None = None) -> PreventiveOrder | None:
    """File the work order for one facility and due date, in one transaction with its record here: the
    facility row is locked and the pair is unique, so two schedulers never file it twice."""
    by = by or Actor.system()
    with transaction.atomic():
        f = (Facility.objects.select_for_update(of=("self",)).select_related("place").filter(pk=facility_id)
             .first())
        if f is None or PreventiveOrder.objects.filter(facility=f, due_on=due_on).exists():
            return None
        description = _("Preventive maintenance due on %(d)s.") % {"d": due_on.isoformat()}
        if f.maintenance_standard:
            description += "\n" + _("Maintenance standard: %(s)s") % {"s": f.maintenance_standard}
        filed = hooks.call(
            "servicedesk.file_work_order", by=by, place_id=f.place_id or f.community_id,
            title=_("Preventive maintenance: %(name)s") % {"name": f.name}, description=description,
            facility=f.request_text, category_code=FACILITY_CATEGORY.get(f.kind, ""), source="maintenance",
            dispatch_to_partner_id=f.owner_partner_id, reason=_("Owner of the facility (preventive maintenance)."))
        order = PreventiveOrder.objects.create(facility=f, due_on=due_on, request_id=filed["id"])
        _record(by, "projects.facility.work_order", order, f,
                {"due_on": [None, due_on.isoformat()], "request": [None, filed["id"]]})
        return order


def file_preventive_orders(*, today: dt.date | None = None, by: Actor | None = None) -> dict[str, int]:
    """The scheduler's run (task `projects.tasks.file_preventive_orders`, `manage.py projects_sweep`)."""
    today = today or timezone.localdate()
    stats = {"due": 0, "filed": 0}
    for facility_id, due in list(due_facilities(today)):
        stats["due"] += 1
        if file_preventive_order(facility_id=facility_id, due_on=due, by=by) is not None:
            stats["filed"] += 1
    return stats


# ---------------------------------------------------------------- revenue shares
def share_of(gross_fen: int, percent: Decimal) -> int:
    """The courtyard's share in whole fen, rounded half up from the exact product."""
    exact = Fraction(gross_fen) * Fraction(percent) / 100
    return (exact.numerator * 2 + exact.denominator) // (2 * exact.denominator)


@transaction.atomic
def add_revenue_agreement(*, by: Actor, facility: Facility, partner, share_percent: Decimal, account_id: int,
                          starts_on: dt.date, ends_on: dt.date | None = None, reference: str = "") -> RevenueAgreement:
    require_staff(by, p.MANAGE, facility)
    errors = {}
    if partner is None or partner.community_id != facility.community_id:
        errors["partner"] = _("Choose a partner unit of this community.")
    if share_percent is None or not Decimal(0) < share_percent <= Decimal(100):
        errors["share_percent"] = _("The share is more than 0 and at most 100 %.")
    if ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = _("The agreement cannot end before it starts.")
    accounts = dict(hooks.call("funds.income_accounts", user=by.user, unit_id=facility.unit_id)) if by.user else {}
    if account_id not in accounts:
        errors["account_id"] = _("Choose an account of this unit that you may book income to.")
    if errors:
        raise ValidationError(errors)
    a = RevenueAgreement.objects.create(facility=facility, partner=partner, share_percent=share_percent,
                                        account_id=account_id, account_name=accounts[account_id][:120],
                                        starts_on=starts_on, ends_on=ends_on, reference=(reference or "").strip())
    _record(by, "projects.revenue.agreement", a, facility,
            audit.diff(None, audit.snapshot(a, ["partner", "share_percent", "account_id", "starts_on", "ends_on"])))
    return a


@transaction.atomic
def post_revenue_share(*, by: Actor, agreement: RevenueAgreement, month: dt.date, gross_fen: int) -> RevenuePosting:
    """One month's revenue and the courtyard's share by the agreement, booked once on the ledger as a
    PPP revenue share (funds' own income service and permission)."""
    locked = RevenueAgreement.objects.select_for_update().select_related("facility", "partner").get(pk=agreement.pk)
    require_staff(by, p.MANAGE, locked.facility)
    period = month.replace(day=1)
    if not gross_fen or gross_fen <= 0:
        raise ValidationError({"gross_fen": _("The revenue must be more than zero.")})
    if period > timezone.localdate() or period < locked.starts_on.replace(day=1) or (
            locked.ends_on and period > locked.ends_on):
        raise ValidationError({"month": _("Choose a month the agreement covers, not in the future.")})
    if RevenuePosting.objects.filter(agreement=locked, period=period).exists():
        raise ValidationError({"month": _("This month's share is already posted.")})
    share = share_of(gross_fen, locked.share_percent)
    if share <= 0:
        raise ValidationError({"gross_fen": _("The share of this revenue rounds to nothing.")})
    memo = _("%(f)s revenue share %(m)s (%(p)s %% of %(g)s)") % {
        "f": locked.facility.name, "m": period.strftime("%Y-%m"), "p": locked.share_percent,
        "g": f"{gross_fen // 100}.{gross_fen % 100:02d}"}
    entry = hooks.call("funds.record_revenue_share", by=by, account_id=locked.account_id,
                       unit_id=locked.facility.unit_id, amount_fen=share, counterparty_name=locked.partner.name,
                       partner_id=locked.partner_id, memo=memo)
    posting = RevenuePosting.objects.create(agreement=locked, period=period, gross_fen=gross_fen, share_fen=share,
                                            entry_id=entry["id"], posted_by=by.user)
    _record(by, "projects.revenue.post", posting, locked.facility,
            {"month": [None, period.strftime("%Y-%m")], "gross_fen": [None, gross_fen], "share_fen": [None, share],
             "entry": [None, entry["id"]]})
    return posting
