"""Composed django-rules predicates of the service desk (registered as `servicedesk.*`).

Shared rows — categories with no community (they show in every community's Open311 service
list), SLA policies of shared categories or of every category, and the holiday calendar —
change only by a platform administrator, granted on the district (the top of the place tree).
Community rows change by a holder of the configure permission over that community. Views ask
these rules to offer forms; services ask them again before writing.
"""

from __future__ import annotations

import rules

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules)
from courtyard.core.access import ROLES, current_grants, in_scope, top_kind

from .permissions import CONFIGURE


def _admin_grants(user) -> list:
    top = top_kind()
    return [g for g in current_grants(user)
            if g.kind == top and g.role in ROLES and ROLES[g.role].administers and CONFIGURE in ROLES[g.role].perms]


@rules.predicate
def may_configure_shared(user, obj=None) -> bool:
    """A platform administrator on the district. No superuser shortcut: a shared row changes for
    every community, so it changes only through an accountable office."""
    return bool(_admin_grants(user))


def audit_place_id(user) -> int | None:
    """The district a shared change is filed under, so the district's staff see it in the audit trail."""
    grants = _admin_grants(user)
    if not grants:
        return None
    return int(grants[0].path.rstrip(".").rsplit(".", 1)[-1])


def is_shared_category(category) -> bool:
    return category is not None and category.community_id is None


@rules.predicate
def may_configure_category(user, category) -> bool:
    if category is None or is_shared_category(category):
        return may_configure_shared(user)
    return in_scope(user, CONFIGURE, category.community)


@rules.predicate
def may_configure_policy(user, policy) -> bool:
    """A policy of a shared category, or of every category (no category), is shared."""
    category = getattr(policy, "category", None)
    if category is None or is_shared_category(category):
        return may_configure_shared(user)
    return in_scope(user, CONFIGURE, category.community)


rules.add_perm("servicedesk.configure_shared", may_configure_shared)
rules.add_perm("servicedesk.configure_category", may_configure_category)
rules.add_perm("servicedesk.configure_policy", may_configure_policy)
