"""Helpers shared by several funds views."""

from __future__ import annotations

from courtyard.org.models import SelfGovernanceUnit

from .. import services
from ..models import Account

PER_PAGE = 50


def _units(user):
    ids = Account.objects.visible_to(user).values_list("unit_id", flat=True)
    return SelfGovernanceUnit.objects.filter(pk__in=ids) | SelfGovernanceUnit.objects.visible_to(user)


def _resident_unit(user):
    """The resident's self-governance unit: their person record's, else their first dwelling's."""
    person = getattr(user, "person", None)
    if person is not None and person.unit_id:
        return SelfGovernanceUnit.objects.filter(pk=person.unit_id).first()
    d = services.resident_dwellings(user).exclude(unit=None).select_related("unit").order_by("pk").first()
    return d.unit if d else None
