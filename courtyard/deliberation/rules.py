"""Who may do what in deliberation: the access kernel's scope, plus composed django-rules predicates
over object state (registered as `deliberation.*`). Views ask them to show actions; services ask
them again before writing.

A place grant (grid, micro-grid…) reaches the topics, votes, meetings and documents of the units
that have dwellings under it (the deliberation models set `scope_reach_units`); a unit object
itself is checked through the same reach (`as_target`).
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules)
from courtyard.core.access import in_scope

from . import choices as c
from . import permissions as p


class _UnitTarget:
    """A self-governance unit seen as a deliberation object: its community path, its id, and the
    reach of place grants through the unit's dwellings."""

    scope_lookups = {"path": "community__path", "unit": "unit"}
    scope_reach_units = True

    def __init__(self, unit):
        self.scope_path = unit.community.path
        self.scope_unit_id = unit.pk


def as_target(obj):
    from courtyard.org.models import SelfGovernanceUnit

    return _UnitTarget(obj) if isinstance(obj, SelfGovernanceUnit) else obj


def allowed(user, perm: str, obj) -> bool:
    """Does a grant carrying `perm` cover `obj` (a deliberation row, a unit, a person)?"""
    return in_scope(user, perm, as_target(obj))


@dataclass(frozen=True)
class CastFor:
    """The object of `deliberation.cast_for`: a ballot for `voter` in `vote` through `channel`."""

    vote: object
    voter: object
    channel: str
    on_behalf_of: object | None = None


def cast_refusal(user, target: CastFor) -> bool:
    """True when `user` may not cast this ballot: online only for oneself (and not on someone's
    behalf); assisted needs the assist permission over the voter; paper and proxy ballots need
    the keying permission over the voter."""
    if target.voter is None or user is None:
        return True
    if target.channel == c.BallotChannel.ONLINE:
        return user.person_id != target.voter.pk or target.on_behalf_of is not None
    if target.channel == c.BallotChannel.ASSISTED:
        return not allowed(user, p.ASSIST_VOTE, target.voter)
    if target.channel in (c.BallotChannel.PAPER, c.BallotChannel.PROXY):
        return not allowed(user, p.KEY_BALLOTS, target.voter)
    return True


@rules.predicate
def may_cast_for(user, target: CastFor) -> bool:
    return isinstance(target, CastFor) and not cast_refusal(user, target)


rules.add_perm("deliberation.cast_for", may_cast_for)
