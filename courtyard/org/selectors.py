"""Reads that matter for the registry. Every function is given the acting user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from courtyard.core.access import CONSOLE, ROLES, VIEW_AUDIT
from courtyard.core.console.natural import NaturalKey, natural_key, natural_sorted

from . import home_cache
from .choices import OWNER_RELATIONS, BodyPosition, PlaceKind
from .models import (
    BodyMembership,
    Courtyard,
    Dwelling,
    DwellingLink,
    GovernanceBody,
    PartnerUnit,
    PartyOrg,
    Person,
    Place,
    RoleGrant,
    SelfGovernanceUnit,
)

# Chair first, then vice chair, secretary, members.
POSITION_ORDER = Case(*[When(position=p, then=i) for i, p in enumerate(BodyPosition.values)],
                      output_field=IntegerField())


def current_links(qs: QuerySet[DwellingLink]) -> QuerySet[DwellingLink]:
    today = timezone.localdate()
    return qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


# ---------------------------------------------------------------- resident side
@dataclass
class Household:
    dwelling: Dwelling
    my_relations: list[str]
    members: list[DwellingLink]


@dataclass
class ResidentHome:
    person: Person | None
    dwelling: Dwelling | None = None
    courtyard: Courtyard | None = None
    unit: SelfGovernanceUnit | None = None
    unit_households: int = 0
    unit_people: int = 0
    unit_courtyards: list[Courtyard] = field(default_factory=list)
    committee: list[BodyMembership] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (role label, name)


def resident_home(user) -> ResidentHome:
    """What the "my courtyard" page shows: the user's home, its unit, committee and contacts.

    The unit's counts, courtyards and committee and the entrance's contacts are the same for
    thousands of residents: they come from `home_cache` (invalidated on save, TTL 5 minutes)."""
    if user.person_id is None:
        return ResidentHome(person=None)
    # The person and their home in one query (and the user's cached `person` for the rest of the request).
    person = Person.objects.select_related("home__courtyard", "home__building", "home__entrance", "home__unit").get(
        pk=user.person_id)
    user.person = person
    dwelling = person.home
    if dwelling is None:
        return ResidentHome(person=person)
    home = ResidentHome(person=person, dwelling=dwelling, courtyard=dwelling.courtyard, unit=dwelling.unit)
    if dwelling.unit_id:
        (home.unit_households, home.unit_people, home.unit_courtyards,
         home.committee) = home_cache.cached("unit", dwelling.unit_id, lambda: _unit_block(dwelling.unit_id))
    today = timezone.localdate()
    contacts = home_cache.cached("contacts", f"{dwelling.entrance_id}:{today}", lambda: _contacts(dwelling.path, today))
    home.contacts = [(str(ROLES[role].label), name) for role, name in contacts]
    return home


def roles_held(user) -> frozenset[str]:
    """The role codes the user holds today (cached with the home blocks: a grant saved or ended
    through a service bumps the version). Only for what the resident home *shows*; every console
    page still checks permissions against the grants in force."""
    today = timezone.localdate()
    return home_cache.cached("roles", f"{user.pk}:{today}", lambda: frozenset(
        RoleGrant.objects.in_force(on=today).filter(user_id=user.pk).values_list("role", flat=True)))


def has_home(user) -> bool:
    """Whether the login belongs to a person with a home of their own (a resident, not only staff);
    cached with the home blocks (a saved person bumps them), as every console page asks."""
    person_id = user.person_id
    if person_id is None:
        return False
    return home_cache.cached("has-home", person_id, lambda: Person.objects.filter(
        pk=person_id, home__isnull=False).exists())


def shows_console_link(user) -> bool:
    """Whether the resident home offers the console: a role that opens it (no permission queries)."""
    if user.is_superuser:
        return True
    return any(CONSOLE in ROLES[code].perms for code in roles_held(user) if code in ROLES)


def _unit_block(unit_id: int) -> tuple[int, int, list[Courtyard], list[BodyMembership]]:
    return (
        Dwelling.objects.filter(unit_id=unit_id).count(),
        Person.objects.filter(unit_id=unit_id, active=True).count(),
        list(Courtyard.objects.filter(unit_id=unit_id)),
        list(BodyMembership.objects.filter(body__unit_id=unit_id, body__kind="committee", end_date__isnull=True)
             .select_related("person", "body").order_by(POSITION_ORDER, "person__name")),
    )


def _contacts(path: str, today) -> list[tuple[str, str]]:
    """Who looks after a home: grants whose place path is a prefix of its path, as (role, name)."""
    ancestor_ids = [int(p) for p in path.split(".") if p]
    grants = (
        RoleGrant.objects.in_force(on=today)
        .filter(place_id__in=ancestor_ids, role__in=("microgrid_worker", "grid_worker", "building_head"))
        .select_related("user")
        .order_by("role")
    )
    return [(g.role, g.user.display_name) for g in grants]


def households_of(user) -> list[Household]:
    person = user.person
    if person is None:
        return []
    my_links = list(current_links(person.links.all()).select_related(
        "dwelling__courtyard", "dwelling__building", "dwelling__entrance"))
    dwellings: dict[int, Household] = {}
    for link in my_links:
        hh = dwellings.setdefault(link.dwelling_id, Household(link.dwelling, [], []))
        hh.my_relations.append(link.get_relation_display())
    members = current_links(DwellingLink.objects.filter(dwelling_id__in=dwellings)).select_related("person")
    for link in members.order_by("relation", "person__name"):
        dwellings[link.dwelling_id].members.append(link)
    return list(dwellings.values())


@dataclass
class MyRoles:
    grants: list[RoleGrant]
    relations: list[DwellingLink]
    bodies: list[BodyMembership]
    party_org: PartyOrg | None


def roles_of(user) -> MyRoles:
    today = timezone.localdate()
    grants = list(
        RoleGrant.objects.in_force(on=today).filter(user=user)
        .select_related("place", "unit")
    )
    person = user.person
    if person is None:
        return MyRoles(grants, [], [], None)
    relations = list(current_links(person.links.all()).select_related("dwelling__courtyard", "dwelling__building",
                                                                       "dwelling__entrance"))
    bodies = list(person.body_memberships.filter(end_date__isnull=True).select_related("body__unit"))
    membership = getattr(person, "party_membership", None) if hasattr(person, "party_membership") else None
    return MyRoles(grants, relations, bodies, membership.org if membership else None)


def can_use_console(user) -> bool:
    return user.is_authenticated and user.has_perm("web.use_console")


# ---------------------------------------------------------------- console side
def owner_count_subquery() -> Subquery:
    """Current owners of the outer dwelling, as a correlated subquery: computed only for the
    rows a page shows, and the list's COUNT(*) needs no GROUP BY over the whole scope."""
    owners = (
        DwellingLink.objects.filter(dwelling=OuterRef("pk"), relation__in=OWNER_RELATIONS, end_date__isnull=True)
        .order_by().values("dwelling").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(owners, output_field=IntegerField()), 0)


def dwellings_for(user) -> QuerySet[Dwelling]:
    return (
        Dwelling.objects.visible_to(user)
        .select_related("courtyard", "building", "entrance", "unit")
        .annotate(owner_count=owner_count_subquery())
    )


def people_for(user) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("home__courtyard", "home__building", "home__entrance")


def places_for(user) -> QuerySet[Place]:
    return Place.objects.visible_to(user)


def tree_roots(user) -> list[Place]:
    """The highest places the user may see: their grant scopes, or the whole tree for a superuser."""
    visible = places_for(user).filter(kind__in=[k for k in PlaceKind if k not in (PlaceKind.ENTRANCE,)])
    if user.is_superuser:
        return natural_sorted(visible.filter(parent__isnull=True), key=lambda p: p.name)
    rows = list(visible.exclude(kind=PlaceKind.BUILDING).order_by("depth", "path")[:500])
    roots: list[Place] = []
    for p in rows:
        if not any(p.path.startswith(r.path) for r in roots):
            roots.append(p)
    if not roots:  # unit-scoped users: show their units' buildings' micro-grids
        roots = list(visible.order_by("depth", "path")[:1])
    return sorted(roots, key=lambda p: (p.depth, natural_key(p.name)))


def place_children(user, place: Place) -> QuerySet[Place]:
    return (
        places_for(user).filter(parent=place).select_related("courtyard")
        .annotate(n_children=Count("children", distinct=True))
        .order_by(NaturalKey("name"), "pk")
    )


def place_stats(user, place: Place) -> dict:
    dwellings = Dwelling.objects.visible_to(user).filter(path__startswith=place.path)
    people = Person.objects.visible_to(user).filter(path__startswith=place.path, active=True)
    agg = dwellings.aggregate(n=Count("id"), area=Sum("area_m2"))
    return {
        "dwellings": agg["n"] or 0,
        "area": agg["area"] or 0,
        "people": people.count(),
        "floating": people.filter(residence_status="floating").count(),
    }


def orgs_for(user) -> dict:
    return {
        "party_orgs": PartyOrg.objects.visible_to(user).select_related("parent", "place", "unit")
        .annotate(n_members=Count("members")),
        "bodies": GovernanceBody.objects.visible_to(user).select_related("unit").prefetch_related(
            Prefetch("memberships", queryset=BodyMembership.objects.filter(end_date__isnull=True)
                     .select_related("person").prefetch_related("liaison_grids"))
        ),
        "partners": PartnerUnit.objects.visible_to(user).annotate(n_items=Count("responsibilities")),
    }


def grants_for(user) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.visible_to(user).select_related("user", "place", "unit", "partner", "granted_by")


def can_view_audit(user) -> bool:
    return user.has_perm(VIEW_AUDIT)


@dataclass
class PublicUnitPage:
    unit: SelfGovernanceUnit
    courtyards: list[Courtyard]
    households: int
    buildings: int
    bodies: list[GovernanceBody]


def public_unit_page(unit: SelfGovernanceUnit) -> PublicUnitPage:
    """Public facts about a unit: no personal data beyond the names of its elected bodies' members."""
    courtyards = list(Courtyard.objects.filter(unit=unit).annotate(n=Count("dwellings")).order_by(NaturalKey("name")))
    bodies = list(
        GovernanceBody.objects.filter(unit=unit).order_by("kind", "name").prefetch_related(
            Prefetch("memberships", queryset=BodyMembership.objects.filter(end_date__isnull=True)
                     .select_related("person").order_by(POSITION_ORDER, "person__name"))
        )
    )
    return PublicUnitPage(
        unit=unit,
        courtyards=courtyards,
        households=sum(c.n for c in courtyards),
        buildings=Place.objects.filter(courtyard__unit=unit, kind=PlaceKind.BUILDING).count(),
        bodies=bodies,
    )


def public_unit_directory(query: str = "", limit: int = 50) -> list[SelfGovernanceUnit]:
    """The public directory at /u/: every self-governance unit, found by its name, a courtyard's name or
    address, or the community's name. Public facts only (names, addresses of courtyards). Two queries."""
    qs = SelfGovernanceUnit.objects.select_related("community").order_by("community__name", "name")
    query = " ".join(query.split())[:50]
    for word in query.split(" ") if query else []:
        qs = qs.filter(Q(name__icontains=word) | Q(courtyards__name__icontains=word)
                       | Q(courtyards__address__icontains=word) | Q(community__name__icontains=word)).distinct()
    return list(qs.prefetch_related(Prefetch("courtyards", queryset=Courtyard.objects.order_by("name")))[:limit])
