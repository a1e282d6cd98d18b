"""Levies (FND-2): charges per dwelling by area, and their payments."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.org.models import Dwelling

from ..choices import (
    Basis,
    Kind,
)
from ..models import (
    Account,
    LedgerEntry,
    Levy,
    LevyCharge,
)
from ..money import levy_parts
from ._ledger import _check, append_entry

# --- levies (FND-2) -----------------------------------------------------------------------------------

@transaction.atomic
def create_levy(*, by: Actor, account: Account, name: str, rate_fen_per_m2, due_on=None,
                resolution_ref: str = "") -> Levy:
    """Charges every dwelling of the unit with a recorded area; parts add up to the total exactly."""
    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    rate = Decimal(str(rate_fen_per_m2))
    if rate <= 0:
        raise ValidationError(_("The rate must be more than zero."))
    dwellings = list(Dwelling.objects.filter(unit=account.unit, area_m2__isnull=False).order_by("pk")
                     .values_list("pk", "building_id", "area_m2"))
    total, parts = levy_parts(rate, [a for _pk, _b, a in dwellings])
    levy = Levy.objects.create(account=account, name=name, rate_fen_per_m2=rate, total_fen=total, due_on=due_on,
                               resolution_ref=resolution_ref)
    LevyCharge.objects.bulk_create(
        LevyCharge(levy=levy, dwelling_id=pk, building_id=b, area_m2=a, amount_fen=part)
        for (pk, b, a), part in zip(dwellings, parts, strict=True))
    audit.record(by, "funds.levy_created", levy, community_id=account.community_id,
                 changes={"total_fen": [None, total], "dwellings": [None, len(dwellings)]})
    return levy


@transaction.atomic
def record_levy_payment(*, by: Actor, charge: LevyCharge, amount_fen: int, receipt_no: str, payer_name: str = "",
                        booked_on=None) -> LedgerEntry:
    from ..permissions import RECORD_INCOME

    levy = charge.levy
    _check(by.user, RECORD_INCOME, levy.account)
    if not receipt_no.strip():
        raise ValidationError(_("A levy payment needs a receipt number."))
    locked = LevyCharge.objects.select_for_update().get(pk=charge.pk)
    if amount_fen <= 0 or locked.paid_fen + amount_fen > locked.amount_fen:
        raise ValidationError(_("The payment is more than what is owed."))
    entry = append_entry(by=by, account=levy.account, kind=Kind.INCOME, amount_fen=amount_fen, basis=Basis.LEVY,
                         counterparty_name=payer_name or str(charge.dwelling), counterparty_kind="person",
                         levy_charge=locked, receipt_no=receipt_no.strip(), booked_on=booked_on,
                         memo=levy.name, resolution_ref=levy.resolution_ref)
    LevyCharge.objects.filter(pk=locked.pk).update(paid_fen=locked.paid_fen + amount_fen)
    charge.paid_fen = locked.paid_fen + amount_fen
    return entry
