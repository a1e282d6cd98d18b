"""Helpers shared by the projects services."""

from __future__ import annotations

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.models import Channel

from .. import rules


def require(refusal: Exception | None) -> None:
    if refusal is not None:
        raise refusal


def require_staff(by: Actor, perm: str, obj) -> None:
    """Staff duties need a grant carrying `perm` over `obj`. The system actor (IT's commands, the demo
    loader) acts as the platform itself; resident and office duties never accept it."""
    if by.user is None and by.channel == Channel.SYSTEM:
        return
    require(rules.staff_refusal(by.user, perm, obj))


def record(by: Actor, action: str, obj, *, unit_id: int, community_id: int, changes=None, note: str = "") -> None:
    audit.record(by, action, obj, unit_id=unit_id, community_id=community_id, changes=changes or {}, note=note)
