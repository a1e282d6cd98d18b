"""Deprecated shim: scopes live in the access kernel (courtyard.core.access.scopes)."""

from courtyard.core.access.scopes import (  # noqa: F401
    NOTHING,
    GrantScope,
    PathScoped,
    ScopedQuerySet,
    _minimal_paths,
    current_grants,
    grants_with,
    in_scope,
    scope_q,
)
