"""Who may act on a request: the roles along its place chain, workers, vendors, reporters."""

from __future__ import annotations

from collections.abc import Iterable

from courtyard.core.access import holders, in_scope
from courtyard.core.models import User
from courtyard.org.models import Place, RoleGrant

from .. import machine
from ..models import Request
from ..permissions import HANDLE, VENDOR


def place_chain(place: Place) -> dict[str, Place]:
    """The building, micro-grid, grid, community and subdistrict above (or at) a place."""
    ids = [int(p) for p in place.path.split(".") if p]
    return {p.kind: p for p in Place.objects.filter(pk__in=ids)}


class _ScopeAt:
    """A point of the tree (a place, optionally inside a unit) for the kernel's `holders`."""

    scope_lookups = {"path": "path", "unit": "unit"}

    def __init__(self, path: str, unit_id: int | None):
        self.scope_path, self.scope_unit_id = path, unit_id


def users_with_role(roles: Iterable[str], place: Place, *, unit_id: int | None = None) -> list[User]:
    """Users holding one of `roles` on `place` or one of its ancestors (or on the unit): the kernel's
    "who holds role R over X"."""
    return list(holders(list(roles), _ScopeAt(place.path, unit_id)).order_by("pk"))


# Roles that work a partner unit's dispatched requests: a service vendor, the courtyards' property company.
VENDOR_ROLES = ("vendor", "property_company")


def vendor_users(vendor_id: int) -> list[User]:
    grants = RoleGrant.objects.in_force().filter(role__in=VENDOR_ROLES, partner_id=vendor_id)
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))


# ---------------------------------------------------------------- rules
def can_handle(user, request: Request) -> bool:
    return in_scope(user, HANDLE, request)


def vendor_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(RoleGrant.objects.in_force().filter(user=user, role__in=VENDOR_ROLES, partner__isnull=False)
               .values_list("partner_id", flat=True))


def is_worker(user, request: Request) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if request.assignee_id == user.pk:
        return True
    return bool(request.vendor_id) and user.has_perm(VENDOR) and request.vendor_id in vendor_ids_of(user)


def is_reporter(user, request: Request) -> bool:
    return getattr(user, "is_authenticated", False) and request.reporter_user_id == user.pk


def may(user, request: Request, action: str) -> bool:
    if action in machine.REPORTER_ACTIONS and is_reporter(user, request):
        return True
    if action in machine.WORKER_ACTIONS and is_worker(user, request):
        return True
    return action in machine.HANDLER_ACTIONS and can_handle(user, request)
