"""Org's registration with the access kernel (courtyard.core.access): its permission codes,
every role in SPEC "Who uses it", where each may be granted, the grant model and how a place
grant reaches the self-governance units under it.

The kernel imports this module by name when the registry is first read; other apps add their
permissions to these roles in their own `permissions.py`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import registry
from courtyard.core.access.registry import ASSIST, CONSOLE, UNIT, VIEW_AUDIT, Role

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

PERMS = (
    VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON, CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE,
    IMPORT_ROSTER, EXPORT_LISTS, VIEW_ORGS, CHANGE_ORGS, VIEW_GRANTS, MANAGE_ROLES, VIEW_AUDIT, ASSIST, CONSOLE,
)

ADMIN_LEVELS = (PlaceKind.DISTRICT, PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY)

_READ = frozenset({CONSOLE, VIEW_PLACE, VIEW_DWELLING, VIEW_PERSON, VIEW_ORGS})
_STAFF = _READ | {CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE, IMPORT_ROSTER, EXPORT_LISTS,
                  CHANGE_ORGS, VIEW_GRANTS, MANAGE_ROLES, VIEW_AUDIT, ASSIST}
_GRID = _READ | {CHANGE_REGISTRY, REVEAL_PII, VIEW_SENSITIVE, CHANGE_SENSITIVE, IMPORT_ROSTER, EXPORT_LISTS, VIEW_GRANTS,
                 ASSIST}

ROLE_LIST = [
    # The district's platform administrator: granted only on the district, only by another
    # platform administrator (or IT's bootstrap command); holds every permission so it can grant
    # every role, but signs and pays nothing (those duties need the office's own role).
    Role("platform_admin", _("Platform administrator"), "staff", (PlaceKind.DISTRICT,), _STAFF, top_level=True,
         administers=True),
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
    # ORG-8: the grid chief (网格长) and deputy lead a grid's workers; last in the list so the demo logins of
    # the roles above keep their phone numbers.
    Role("grid_chief", _("Grid chief"), "grid", (PlaceKind.GRID,), _GRID),
    Role("grid_deputy", _("Deputy grid chief"), "grid", (PlaceKind.GRID,), _GRID),
    # ORG-8: the property company (物业公司) and the trust institution (信托机构) as parties with their own logins,
    # granted with the partner unit they work for. Narrow on purpose: other apps add only what each needs (the
    # property company its dispatched work orders and the works in its courtyards, the trust institution the
    # accounts it holds in trust). Last in the list so the existing demo logins keep their phone numbers.
    Role("property_company", _("Property company"), "partner", (PlaceKind.COMMUNITY, UNIT),
         frozenset({CONSOLE, VIEW_PLACE})),
    Role("trust_institution", _("Trust institution"), "partner", (PlaceKind.COMMUNITY, UNIT),
         frozenset({CONSOLE, VIEW_PLACE})),
]
# The grid chief and deputy lead the grid's workers: they hold whatever any app grants a grid worker.
ROLE_INCLUDES = {"grid_chief": ("grid_worker",), "grid_deputy": ("grid_worker",)}


def units_reached(paths: list[str], unit_id: int | None = None):
    """The units with dwellings under one of `paths` (a subquery of ids), or whether `unit_id` is one."""
    from .models import Dwelling

    qs = Dwelling.objects.filter(reduce(or_, [Q(path__startswith=p) for p in paths]), unit__isnull=False)
    if unit_id is not None:
        return qs.filter(unit_id=unit_id).exists()
    return qs.values("unit_id")


registry.register_perms(*PERMS)
registry.register_roles(*ROLE_LIST)
registry.register_grant_model("org.RoleGrant", top_kind=PlaceKind.DISTRICT)
registry.register_unit_reach(units_reached)
