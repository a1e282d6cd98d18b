from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from courtyard.core.access import holders

# Who hears of an escalation, by level: 1 grid chief (grid workers), 2 community, 3 subdistrict.
LADDER = {
    1: ("grid_worker", "microgrid_worker"),
    2: ("community_staff", "party_secretary"),
    3: ("subdistrict_officer",),
}


def ladder(level: int, obj) -> list:
    """The users holding the ladder's roles up to `level` over `obj`."""
    roles = [r for n in range(1, level + 1) for r in LADDER.get(n, ())]
    return list(holders(roles, obj)) if roles else []


def refuse(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def user_of(by):
    return by.user
