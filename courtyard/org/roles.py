"""Every role in SPEC "Who uses it", what it may do and where it may be granted.

This registry is the single source of truth for permissions: the django-rules
predicates, the `visible_to` querysets, the role-grant form and the generated
permission-matrix test all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import PlaceKind

# Permission codes (app.action). Keep the list short and meaningful.
VIEW_PLACE = "org.view_place"
VIEW_DWELLING = "org.view_dwelling"
VIEW_PERSON = "org.view_person"
CHANGE_REGISTRY = "org.change_registry"
REVEAL_PII = "org.reveal_pii"
VIEW_SENSITIVE = "org.view_sensitive"
CHANGE_SENSITIVE = "org.change_sensitive"
IMPORT_ROSTER = "org.import_roster"
EXPORT_LISTS = "org.export_lists"
VIEW_ORGS = "org.view_orgs"
CHANGE_ORGS = "org.change_orgs"
VIEW_GRANTS = "org.view_rolegrant"
MANAGE_ROLES = "org.manage_roles"
VIEW_AUDIT = "core.view_audit"
ASSIST = "core.assist_resident"
CONSOLE = "web.use_console"

ALL_PERMS = (
    VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON, CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE,
    IMPORT_ROSTER, EXPORT_LISTS, VIEW_ORGS, CHANGE_ORGS, VIEW_GRANTS, MANAGE_ROLES, VIEW_AUDIT, ASSIST, CONSOLE,
)

UNIT = "unit"  # a self-governance unit as a scope
ADMIN_LEVELS = (PlaceKind.DISTRICT, PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY)

_READ = frozenset({CONSOLE, VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON, VIEW_ORGS})
_STAFF = _READ | {CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE, IMPORT_ROSTER, EXPORT_LISTS,
                  CHANGE_ORGS, VIEW_GRANTS, MANAGE_ROLES, VIEW_AUDIT, ASSIST}
_GRID = _READ | {CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE, IMPORT_ROSTER, EXPORT_LISTS, VIEW_GRANTS,
                 ASSIST}


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    group: str  # "staff", "grid", "self_governance", "resident", "partner", "oversight"
    scopes: tuple[str, ...]
    perms: frozenset[str]
    description: str = ""


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role("platform_admin", _("Platform administrator"), "staff", ADMIN_LEVELS, _STAFF),
        Role("subdistrict_officer", _("Subdistrict officer"), "oversight", (PlaceKind.SUBDISTRICT, PlaceKind.DISTRICT),
             _READ | {EXPORT_LISTS, VIEW_GRANTS, VIEW_AUDIT}),
        Role("department_officer", _("Department officer"), "partner", (PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS})),
        Role("party_secretary", _("Community party committee"), "staff", (PlaceKind.COMMUNITY,), _STAFF),
        Role("community_staff", _("Community staff"), "staff", (PlaceKind.COMMUNITY,), _STAFF),
        Role("finance_officer", _("Community finance"), "staff", (PlaceKind.COMMUNITY,),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS, EXPORT_LISTS})),
        Role("grid_worker", _("Grid worker"), "grid", (PlaceKind.GRID,), _GRID),
        Role("microgrid_worker", _("Micro-grid worker"), "grid", (PlaceKind.MICROGRID,), _GRID),
        Role("building_head", _("Building head"), "grid", (PlaceKind.BUILDING,),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON})),
        Role("digital_helper", _("Digital helper"), "grid", (PlaceKind.COMMUNITY, PlaceKind.GRID),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON, ASSIST})),
        Role("committee_member", _("Courtyard committee member"), "self_governance", (UNIT,),
             _READ | {VIEW_GRANTS, EXPORT_LISTS}),
        Role("supervisory_member", _("Supervisory board member"), "self_governance", (UNIT,),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS, VIEW_AUDIT, VIEW_GRANTS})),
        Role("representative", _("Deliberation representative"), "self_governance", (UNIT,), frozenset()),
        Role("party_member", _("Party member"), "resident", (PlaceKind.COMMUNITY, PlaceKind.GRID, UNIT), frozenset()),
        Role("volunteer", _("Volunteer"), "resident", (PlaceKind.COMMUNITY, UNIT), frozenset()),
        Role("planner", _("Planner"), "partner", (PlaceKind.COMMUNITY, UNIT), frozenset({CONSOLE, VIEW_PLACE})),
        Role("lawyer", _("Lawyer"), "partner", (PlaceKind.COMMUNITY, UNIT), frozenset({CONSOLE, VIEW_PLACE})),
        Role("engineer", _("Engineer"), "partner", (PlaceKind.COMMUNITY, UNIT), frozenset({CONSOLE, VIEW_PLACE})),
        Role("social_worker", _("Social worker"), "partner", (PlaceKind.COMMUNITY, PlaceKind.GRID),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_PERSON, VIEW_SENSITIVE})),
        Role("contractor", _("Contractor"), "partner", (PlaceKind.COMMUNITY, UNIT), frozenset({CONSOLE, VIEW_PLACE})),
        Role("works_supervisor", _("Works supervisor (监理)"), "partner", (PlaceKind.COMMUNITY, UNIT),
             frozenset({CONSOLE, VIEW_PLACE})),
        Role("vendor", _("Service vendor"), "partner", (PlaceKind.COMMUNITY, PlaceKind.GRID), frozenset({CONSOLE, VIEW_PLACE})),
        Role("partner_contact", _("Partner unit contact"), "partner", (PlaceKind.COMMUNITY,),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS})),
        Role("evaluator", _("Third-party evaluator"), "oversight", (PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY),
             frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS, VIEW_AUDIT})),
    ]
}

# Other apps add their permissions without editing this file: a module
# `courtyard/<app>/permissions.py` defines PERMS (a tuple of codes) and GRANTS
# ({role code: set of those codes}). They are merged here, once, at import.
def _merge_extensions() -> tuple[str, ...]:
    from dataclasses import replace

    from courtyard.core.extensions import app_modules

    extra: list[str] = []
    for module in app_modules("permissions"):
        extra.extend(module.PERMS)
        for code, perms in module.GRANTS.items():
            unknown = set(perms) - set(module.PERMS)
            if unknown:
                raise ValueError(f"{module.__name__} grants undeclared perms {sorted(unknown)}")
            ROLES[code] = replace(ROLES[code], perms=ROLES[code].perms | frozenset(perms))
    return tuple(extra)


ALL_PERMS = ALL_PERMS + _merge_extensions()
ROLE_CHOICES = [(r.code, r.label) for r in ROLES.values()]


def roles_with(perm: str) -> set[str]:
    return {code for code, role in ROLES.items() if perm in role.perms}
