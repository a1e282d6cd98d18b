"""Grants in force, "who holds role R over X", "which roles does U hold over X", and the grant rule.

A grant is a row of the registered grant model (org's RoleGrant): a user, a role, a scope (a
place-tree path, or a self-governance unit with its community's path) and a period. The
rule deciding who may grant what is a pure function over the granter's grants
(`grant_refusal`), so it can be walked exhaustively by a generated test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from . import registry
from .registry import ROLES, UNIT
from .scopes import GrantScope, ScopedQuerySet, covers, current_grants

# The permission that lets a user grant and end roles (declared by org, named here so the
# kernel's grant rule does not import org).
MANAGE_ROLES = "org.manage_roles"


class GrantQuerySet(ScopedQuerySet):
    def in_force(self, on: dt.date | None = None):
        """Grants that hold on `on` (today by default): started, and not ended before it."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def grant_scopes(user, on: dt.date | None = None) -> list[GrantScope]:
    model = registry.grant_model()
    kind = model.scope_kind_lookup
    rows = model.objects.in_force(on).filter(user=user).values_list("role", "path", "unit_id", kind)
    return [GrantScope(role, path, unit_id, UNIT if unit_id is not None else (k or "")) for role, path, unit_id, k in rows]


def path_prefixes(path: str) -> list[str]:
    """"1.4.17." → ["1.", "1.4.", "1.4.17."]"""
    out, acc = [], ""
    for part in [p for p in path.split(".") if p]:
        acc += part + "."
        out.append(acc)
    return out


def _unitless(obj) -> bool:
    return getattr(type(obj), "scope_lookups", {}).get("unit") is None


def covering_q(obj_path: str, obj_unit: int | None, *, unitless: bool) -> Q:
    """The grants (as a Q on the grant model) whose scope covers an object. Mirrors `scopes.covers`."""
    prefixes = path_prefixes(obj_path)
    q = Q(unit__isnull=True, path__in=prefixes)
    if obj_unit is not None:
        q |= Q(unit_id=obj_unit)
    if unitless:
        q |= Q(unit__isnull=False, path__in=prefixes)
    return q


def holders(role: str | list[str] | tuple[str, ...] | set[str], obj, *, on: dt.date | None = None):
    """THE selector for "who holds role R over object X": the users with a grant of `role` (or of
    one of several roles) in force on `on` whose scope covers `obj`. Superusers are not holders."""
    from django.contrib.auth import get_user_model

    codes = [role] if isinstance(role, str) else list(role)
    model = registry.grant_model()
    grants = model.objects.in_force(on).filter(
        covering_q(obj.scope_path, obj.scope_unit_id, unitless=_unitless(obj)), role__in=codes)
    return get_user_model().objects.filter(pk__in=grants.values("user_id"), is_active=True)


def roles_over(user, obj) -> set[str]:
    """The role codes `user` holds today whose scope covers `obj`. No superuser shortcut: a role
    is an office held by a person, and duties bound to an office (signing, paying) read this."""
    unitless = _unitless(obj)
    return {g.role for g in current_grants(user)
            if covers(g, obj.scope_path, obj.scope_unit_id, unitless=unitless)}


def perms_over(grants: list[GrantScope], obj_path: str, obj_unit: int | None, *, unitless: bool = False
               ) -> frozenset[str]:
    """Every permission the grants covering an object carry (pure)."""
    out: set[str] = set()
    for g in grants:
        if g.role in ROLES and covers(g, obj_path, obj_unit, unitless=unitless):
            out |= ROLES[g.role].perms
    return frozenset(out)


# ---------------------------------------------------------------- the grant rule
@dataclass(frozen=True)
class Target:
    """Where a role is to be granted: a place (kind, path) or a unit (UNIT, its community's path, id)."""

    kind: str
    path: str
    unit_id: int | None = None


SELF, UNKNOWN_ROLE, SCOPE_KIND, TOP_LEVEL, OUTSIDE, NOT_MANAGER, NOT_SUBSET = (
    "self", "unknown_role", "scope_kind", "top_level", "outside", "not_manager", "not_subset")


def grant_refusal(*, granter_grants: list[GrantScope] | None, granter_id: int | None, grantee_id: int,
                  role: str, target: Target) -> str | None:
    """Why this grant is refused, or None when it is allowed. Pure.

    `granter_grants` None stands for the system actor (IT's bootstrap command, the demo loader):
    it may grant any role on a kind the role allows. Anyone else:

    * never to themselves;
    * a top-level role (platform administrator), or any role on the top of the tree (district),
      only by a platform administrator whose grant is on the top of the tree and covers it;
    * only inside a scope where they hold the permission to manage roles;
    * only a role whose permissions are a subset of the permissions they hold there.
    """
    definition = ROLES.get(role)
    if definition is None:
        return UNKNOWN_ROLE
    if target.kind not in definition.scopes:
        return SCOPE_KIND
    if granter_grants is None:
        return None
    if granter_id is not None and granter_id == grantee_id:
        return SELF
    unit_id = target.unit_id if target.kind == UNIT else None
    covering = [g for g in granter_grants if g.role in ROLES and covers(g, target.path, unit_id, unitless=False)]
    top = registry.top_kind()
    if definition.top_level or target.kind == top:
        if not any(ROLES[g.role].administers and g.kind == top for g in covering):
            return TOP_LEVEL
    if not covering:
        return OUTSIDE
    perms = perms_over(covering, target.path, unit_id)
    if MANAGE_ROLES not in perms:
        return NOT_MANAGER
    if not definition.perms <= perms:
        return NOT_SUBSET
    return None


def grantable(grants: list[GrantScope], *, granter_id: int | None, target: Target) -> list[str]:
    """The role codes a granter may grant on `target` to someone else (for the console's choices)."""
    return [code for code in ROLES if grant_refusal(granter_grants=grants, granter_id=granter_id,
                                                    grantee_id=-1, role=code, target=target) is None]
