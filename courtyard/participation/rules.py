"""Who may do what in participation (registered as `participation.*` django-rules permissions).
Views ask these to offer a form or a button; services ask the same functions before writing and
raise PermissionDenied (nothing written, nothing audited)."""

from __future__ import annotations

import rules

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules)
from courtyard.core.access import in_scope

from .permissions import (
    CONFIRM_HOURS,
    MANAGE_EVENTS,
    MANAGE_HONOURS,
    MANAGE_POINTS,
    MANAGE_ROTAS,
    MANAGE_TEAMS,
    RECORD_RESOURCES,
)


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
def may_manage_events(user, obj=None) -> bool:
    return obj is not None and in_scope(user, MANAGE_EVENTS, obj)


@rules.predicate
def may_join(user, event=None) -> bool:
    """A resident of the event's unit, or of its community when the event is open to all courtyards."""
    me = person_of(user)
    if event is None or me is None or not me.active:
        return False
    return me.unit_id == event.unit_id or (event.cross_courtyard and me.community_id == event.community_id)


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
rules.add_perm("participation.manage_events_on", may_manage_events)
rules.add_perm("participation.join", may_join)


@rules.predicate
def may_record_resources(user, partner=None) -> bool:
    return partner is not None and in_scope(user, RECORD_RESOURCES, partner)


rules.add_perm("participation.record_resources_for", may_record_resources)


@rules.predicate
def may_claim(user, wish=None) -> bool:
    """Any active resident of the wish's community except the one who posted it (party members,
    volunteers, a team's contact); staff holding manage_events record a partner unit's claim."""
    me = person_of(user)
    if wish is None or me is None or not me.active:
        return False
    return me.community_id == wish.community_id and me.pk != wish.posted_by_id


rules.add_perm("participation.claim", may_claim)


@rules.predicate
def may_manage_teams(user, obj=None) -> bool:
    return obj is not None and in_scope(user, MANAGE_TEAMS, obj)


rules.add_perm("participation.manage_teams_on", may_manage_teams)


@rules.predicate
def may_manage_honours(user, obj=None) -> bool:
    return obj is not None and in_scope(user, MANAGE_HONOURS, obj)


rules.add_perm("participation.manage_honours_on", may_manage_honours)
