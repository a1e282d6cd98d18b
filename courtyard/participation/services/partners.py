"""Partner resources (PTC-5): record what a partner unit gave and how it is valued."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor

from .. import rules
from ..models import PartnerContribution

MAX_VALUE_FEN = 10**12  # ten billion yuan: anything larger is a typo


@transaction.atomic
def record_contribution(*, by: Actor, partner, day: dt.date, title: str, method: str, quantity: int,
                        unit_price_fen: int, note: str = "") -> PartnerContribution:
    if not rules.may_record_resources(by.user, partner):
        raise PermissionDenied(_("You may not record resources of this partner unit."))
    if quantity < 1:
        raise ValidationError(_("The quantity is at least one."), code="quantity")
    if unit_price_fen < 1:
        raise ValidationError(_("The unit price must be more than zero."), code="unit_price_fen")
    if quantity * unit_price_fen > MAX_VALUE_FEN:
        raise ValidationError(_("The value is larger than any contribution this register can hold."), code="quantity")
    if day > timezone.localdate():
        raise ValidationError(_("Record what was given, not what is promised: the day is still to come."), code="day")
    row = PartnerContribution.objects.create(
        community_id=partner.community_id, partner=partner, day=day, title=title, method=method, quantity=quantity,
        unit_price_fen=unit_price_fen, value_fen=quantity * unit_price_fen, note=note, recorded_by=by.user)
    audit.record(by, "participation.resource_recorded", row, community_id=partner.community_id,
                 changes=audit.diff(None, audit.snapshot(row, ["partner", "day", "title", "method", "quantity",
                                                               "unit_price_fen", "value_fen"])))
    return row
