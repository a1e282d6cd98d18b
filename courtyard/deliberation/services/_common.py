"""Helpers shared by several deliberation service submodules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from courtyard.core.audit import Actor

from .. import rules as dl_rules


def _require(by: Actor, perm: str, obj) -> None:
    if by.user is None:  # the system actor (demo loader, jobs)
        return
    if not dl_rules.allowed(by.user, perm, obj):
        raise PermissionDenied
