"""What projects offers its sibling apps through named hooks (courtyard.core.hooks, ADR 0026): the partner
unit that owns the facility a service-desk request names, so dispatch can send it there first."""

from __future__ import annotations

import re

from courtyard.core.hooks import provides

from .models import Facility

_CODE = re.compile(r"〔F-(\d{1,12})〕")


@provides("projects.facility_owner")
def facility_owner(*, community_id: int, facility: str) -> int | None:
    match = _CODE.search(facility or "")
    if match is None:
        return None
    return (Facility.objects.filter(pk=int(match.group(1)), community_id=community_id)
            .values_list("owner_partner_id", flat=True).first())
