"""Scope checks: which rows a user may see, and whether one object lies in a user's scope.

A grant on a place covers everything whose path starts with that place's path; a grant
on a self-governance unit covers the unit's rows (and, for rows that belong to no unit,
the unit's community).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class GrantScope:
    role: str
    path: str  # the place's path, or the unit's community path
    unit_id: int | None


def current_grants(user) -> list[GrantScope]:
    """The user's grants in force today, loaded once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_courtyard_grants", None)
    if cached is not None:
        return cached
    from .models import RoleGrant

    today = timezone.localdate()
    rows = (
        RoleGrant.objects.filter(user=user, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("role", "path", "unit_id")
    )
    grants = [GrantScope(role, path, unit_id) for role, path, unit_id in rows]
    user._courtyard_grants = grants
    return grants


def grants_with(user, perm: str) -> list[GrantScope]:
    from .roles import ROLES

    return [g for g in current_grants(user) if g.role in ROLES and perm in ROLES[g.role].perms]


def _minimal_paths(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for p in sorted(paths, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


NOTHING = Q(pk__in=[])


def scope_q(user, perm: str, *, path: str, unit: str | None) -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    grants = grants_with(user, perm)
    if not grants:
        return NOTHING
    paths = {g.path for g in grants if g.unit_id is None}
    units = {g.unit_id for g in grants if g.unit_id is not None}
    if unit is None:  # rows that belong to no unit: a unit grant reaches its community
        paths |= {g.path for g in grants if g.unit_id is not None}
    parts = [Q(**{f"{path}__startswith": p}) for p in _minimal_paths(paths)]
    if unit is not None and units:
        parts.append(Q(**{f"{unit}__in": sorted(units)}))
    return reduce(or_, parts) if parts else NOTHING


def in_scope(user, perm: str, obj) -> bool:
    """Object-level check: does any grant carrying `perm` cover `obj`?"""
    if getattr(user, "is_superuser", False):
        return True
    grants = grants_with(user, perm)
    if obj is None:
        return bool(grants)
    obj_path = obj.scope_path
    obj_unit = obj.scope_unit_id
    unitless = getattr(type(obj), "scope_lookups", {}).get("unit") is None
    for g in grants:
        if g.unit_id is None and obj_path.startswith(g.path):
            return True
        if g.unit_id is not None and (obj_unit == g.unit_id or (unitless and obj_path.startswith(g.path))):
            return True
    return False


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, perm: str | None = None) -> models.QuerySet:
        model = self.model
        perm = perm or getattr(model, "view_perm", None) or f"{model._meta.app_label}.view_{model._meta.model_name}"
        lookups = model.scope_lookups
        return self.filter(scope_q(user, perm, path=lookups["path"], unit=lookups.get("unit")))


class PathScoped:
    """Object-level scope for rows that carry copies of their place's `path` and `unit_id`."""

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.unit_id
