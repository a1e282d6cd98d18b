"""The one access kernel: scopes, the role registry, grants in force, `visible_to`, and "who holds
role R over X". Apps register with it (their `access.py` and `permissions.py` modules); `core`
imports no app. See docs/adr/0007-access-kernel.md."""

from .grants import (
    MANAGE_ROLES,
    GrantQuerySet,
    Target,
    covering_q,
    grant_refusal,
    grantable,
    holders,
    path_prefixes,
    perms_over,
    roles_over,
)
from .registry import (
    ASSIST,
    CONSOLE,
    ROLES,
    UNIT,
    VIEW_AUDIT,
    Role,
    all_perms,
    register_grant_model,
    register_perms,
    register_roles,
    register_unit_reach,
    role_choices,
    roles_with,
    top_kind,
)
from .scopes import (
    NOTHING,
    GrantScope,
    ParentScoped,
    PathScoped,
    ScopedQuerySet,
    SharedQuerySet,
    covers,
    current_grants,
    forget_grants,
    grants_with,
    in_scope,
    scope_q,
)

__all__ = [
    "ASSIST", "CONSOLE", "MANAGE_ROLES", "NOTHING", "ROLES", "UNIT", "VIEW_AUDIT", "GrantQuerySet", "GrantScope",
    "ParentScoped", "PathScoped", "Role", "SharedQuerySet", "ScopedQuerySet", "Target", "all_perms", "covering_q", "covers", "current_grants",
    "forget_grants", "grant_refusal", "grantable", "grants_with", "holders", "in_scope", "path_prefixes",
    "perms_over", "register_grant_model", "register_perms", "register_roles", "register_unit_reach",
    "role_choices", "roles_over", "roles_with", "scope_q", "top_kind",
]
