"""Resident pages (WeUI shell, own household only): my ledger, my levy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..models import LedgerEntry, LevyCharge
from ._common import _resident_unit


@login_required
def my_ledger(request):
    unit = _resident_unit(request.user)
    if unit is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    return redirect("funds:public_ledger", slug=unit.slug)


@login_required
def my_levy(request):
    """What the resident's own household was charged under each levy, and the payments booked for it."""
    dwellings = list(services.resident_dwellings(request.user).select_related("building", "entrance"))
    charges = list(LevyCharge.objects.filter(dwelling__in=[d.pk for d in dwellings])
                   .select_related("levy__account", "dwelling").order_by("-levy__created_at", "dwelling_id"))
    payments: dict[int, list] = {}
    for e in LedgerEntry.objects.filter(levy_charge__in=[c.pk for c in charges]).order_by("booked_on", "pk"):
        payments.setdefault(e.levy_charge_id, []).append(e)
    rows = [{"c": c, "payments": payments.get(c.pk, []), "owing": c.amount_fen - c.paid_fen} for c in charges]
    return render(request, "funds/my_levy.html", {"dwellings": dwellings, "rows": rows,
                                                  "owing": sum(r["owing"] for r in rows)})
