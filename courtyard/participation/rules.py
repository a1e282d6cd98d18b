"""Who may do what in participation (registered as `participation.*` django-rules permissions).
Views ask these to offer a form or a button; services ask the same functions before writing and
raise PermissionDenied (nothing written, nothing audited)."""

from __future__ import annotations

import rules

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules)
from courtyard.core.access import in_scope

from .permissions import CONFIRM_HOURS, MANAGE_POINTS, MANAGE_ROTAS


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


@rules.predicate
def may_manage_points(user, obj=None) -> bool:
    """Publish rules, stock the shop, hand over, correct entries: over the unit (or its rows)."""
    return obj is not None and in_scope(user, MANAGE_POINTS, obj)


@rules.predicate
def may_manage_rotas(user, obj=None) -> bool:
    return obj is not None and in_scope(user, MANAGE_ROTAS, obj)


@rules.predicate
def may_confirm_hours(user, target=None) -> bool:
    """An organiser confirms someone else's volunteer hours in a unit they hold the permission over.
    `target` is (unit, person); nobody confirms their own hours."""
    if target is None:
        return False
    unit, person = target
    me = person_of(user)
    if me is not None and person is not None and me.pk == person.pk:
        return False
    return in_scope(user, CONFIRM_HOURS, unit)


@rules.predicate
def may_redeem(user, item=None) -> bool:
    """A resident of the item's unit, for themselves."""
    me = person_of(user)
    return item is not None and me is not None and me.active and me.unit_id == item.unit_id


rules.add_perm("participation.manage_points_on", may_manage_points)
rules.add_perm("participation.manage_rotas_on", may_manage_rotas)
rules.add_perm("participation.confirm_hours_for", may_confirm_hours)
rules.add_perm("participation.redeem", may_redeem)
