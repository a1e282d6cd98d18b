"""Scope checks: which rows a user may see, and whether one object lies in a user's scope.

A grant on a place covers everything whose path starts with that place's path; a grant
on a self-governance unit covers the unit's rows (and, for rows that belong to no unit,
the unit's community). Models that set `scope_reach_units = True` are also reached by a
place grant through the units that place reaches (a grid worker works on the votes and
topics of the units in their grid); the reach is registered by the app owning the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from . import registry


@dataclass(frozen=True)
class GrantScope:
    role: str
    path: str  # the place's path, or the unit's community path
    unit_id: int | None
    kind: str = ""  # the place kind granted on, or "unit"


def current_grants(user) -> list[GrantScope]:
    """The user's grants in force today, loaded once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_courtyard_grants", None)
    if cached is not None:
        return cached
    from .grants import grant_scopes

    grants = grant_scopes(user)
    user._courtyard_grants = grants
    return grants


def forget_grants(user) -> None:
    """Drop the per-request cache (after the user's grants changed)."""
    if hasattr(user, "_courtyard_grants"):
        del user._courtyard_grants


def grants_with(user, perm: str) -> list[GrantScope]:
    roles = registry.ROLES
    return [g for g in current_grants(user) if g.role in roles and perm in roles[g.role].perms]


def _minimal_paths(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for p in sorted(paths, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


NOTHING = Q(pk__in=[])


def scope_q(user, perm: str, *, path: str, unit: str | None, reach_units: bool = False) -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    grants = grants_with(user, perm)
    if not grants:
        return NOTHING
    paths = {g.path for g in grants if g.unit_id is None}
    units = {g.unit_id for g in grants if g.unit_id is not None}
    if unit is None:  # rows that belong to no unit: a unit grant reaches its community
        paths |= {g.path for g in grants if g.unit_id is not None}
    minimal = _minimal_paths(paths)
    parts = [Q(**{f"{path}__startswith": p}) for p in minimal]
    if unit is not None and units:
        parts.append(Q(**{f"{unit}__in": sorted(units)}))
    if unit is not None and reach_units and minimal and registry.unit_reach() is not None:
        parts.append(Q(**{f"{unit}__in": registry.unit_reach()(minimal)}))
    return reduce(or_, parts) if parts else NOTHING


def covers(grant: GrantScope, obj_path: str, obj_unit: int | None, *, unitless: bool) -> bool:
    """Does one grant cover an object at `obj_path` (and unit `obj_unit`)? Pure."""
    if grant.unit_id is None:
        return obj_path.startswith(grant.path)
    return obj_unit == grant.unit_id or (unitless and obj_path.startswith(grant.path))


def _is_unitless(obj) -> bool:
    return getattr(type(obj), "scope_lookups", {}).get("unit") is None


def _reached(obj, grants: list[GrantScope]) -> bool:
    reach = registry.unit_reach()
    unit_id = obj.scope_unit_id
    if reach is None or unit_id is None or not getattr(type(obj), "scope_reach_units", False):
        return False
    paths = _minimal_paths({g.path for g in grants if g.unit_id is None})
    return bool(paths) and reach(paths, unit_id=unit_id)


def in_scope(user, perm: str, obj) -> bool:
    """Object-level check: does any grant carrying `perm` cover `obj`?"""
    if getattr(user, "is_superuser", False):
        return True
    grants = grants_with(user, perm)
    if obj is None:
        return bool(grants)
    unitless = _is_unitless(obj)
    if any(covers(g, obj.scope_path, obj.scope_unit_id, unitless=unitless) for g in grants):
        return True
    return _reached(obj, grants)


def view_perm_of(model, perm: str | None = None) -> str:
    return perm or getattr(model, "view_perm", None) or f"{model._meta.app_label}.view_{model._meta.model_name}"


class ScopedQuerySet(models.QuerySet):
    """`visible_to(user, perm)`: the rows a grant carrying `perm` covers. The model declares
    `scope_lookups` ({"path": …, "unit": … or None}), optionally `view_perm`, `scope_reach_units`
    and `scope_shared_lookup` (a nullable field: rows where it is null are shared by every
    community and visible to anyone holding `perm` somewhere)."""

    def visible_to(self, user, perm: str | None = None) -> models.QuerySet:
        model = self.model
        perm = view_perm_of(model, perm)
        lookups = model.scope_lookups
        q = scope_q(user, perm, path=lookups["path"], unit=lookups.get("unit"),
                    reach_units=getattr(model, "scope_reach_units", False))
        shared = getattr(model, "scope_shared_lookup", None)
        if shared and grants_with(user, perm):
            q |= Q(**{f"{shared}__isnull": True})
        return self.filter(q)


class SharedQuerySet(models.QuerySet):
    """Rows shared by every community (e.g. the holiday calendar): visible to anyone holding the
    model's view permission somewhere (a superuser included), to nobody else."""

    def visible_to(self, user, perm: str | None = None) -> models.QuerySet:
        perm = view_perm_of(self.model, perm)
        if getattr(user, "is_superuser", False) or grants_with(user, perm):
            return self.all()
        return self.none()


class PathScoped:
    """Object-level scope for rows that carry copies of their place's `path` and `unit_id`."""

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.unit_id


class ParentScoped:
    """Object-level scope for child rows (ballots, dwelling links, sign-offs…): the scope of the row
    named by `scope_parent`. The model also declares `scope_lookups` through that parent."""

    scope_parent: str = ""

    def _scope_parent(self):
        return getattr(self, self.scope_parent)

    @property
    def scope_path(self) -> str:
        return self._scope_parent().scope_path

    @property
    def scope_unit_id(self) -> int | None:
        return self._scope_parent().scope_unit_id
