"""Who may act on a warning case (registered as `insight.act_on_case`, `insight.close_case`).

A yellow case is led by the community residents' committee: community staff (insight.handle_case)
over the case's place set its owner, log actions and evidence and close it. A red case is a
listed case supervised by the subdistrict party committee: the community still logs actions and
evidence, but only a holder of insight.supervise_case over it (the subdistrict) sets the owner,
extends the deadline or closes it. Views ask these rules to offer buttons; services ask again."""

from __future__ import annotations

import rules

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules)
from courtyard.core.access import in_scope

from .permissions import HANDLE, SUPERVISE


@rules.predicate
def may_act(user, case) -> bool:
    """Log an action or evidence on an open case."""
    if case is None or case.status != "open":
        return False
    return in_scope(user, HANDLE, case) or in_scope(user, SUPERVISE, case)


@rules.predicate
def may_steer(user, case) -> bool:
    """Set the owner and deadline, close: the lead of the case's level."""
    if case is None or case.status != "open":
        return False
    if case.level == "red":
        return in_scope(user, SUPERVISE, case)
    return in_scope(user, HANDLE, case)


rules.add_perm("insight.act_on_case", may_act)
rules.add_perm("insight.steer_case", may_steer)
