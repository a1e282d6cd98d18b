"""Deprecated shim: the role registry lives in the access kernel (courtyard.core.access), org's
roles and permission codes in courtyard.org.access. Kept while other branches still import it."""

from courtyard.core.access import ROLES, UNIT, Role, all_perms, role_choices, roles_with  # noqa: F401
from courtyard.core.access.registry import ASSIST, CONSOLE, VIEW_AUDIT  # noqa: F401

from .access import (  # noqa: F401
    ADMIN_LEVELS,
    CHANGE_ORGS,
    CHANGE_REGISTRY,
    CHANGE_SENSITIVE,
    EXPORT_LISTS,
    IMPORT_ROSTER,
    MANAGE_ROLES,
    REVEAL_PII,
    VIEW_DWELLING,
    VIEW_GRANTS,
    VIEW_ORGS,
    VIEW_PERSON,
    VIEW_PLACE,
    VIEW_SENSITIVE,
)

ALL_PERMS = all_perms()
ROLE_CHOICES = role_choices()
