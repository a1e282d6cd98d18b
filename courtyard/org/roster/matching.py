"""Matching the checked rows against the registry and the importer's scope (reads only): the plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.access import in_scope
from courtyard.org.access import IMPORT_ROSTER

from ..choices import PlaceKind
from ..models import Courtyard, Dwelling, DwellingArea, DwellingLink, Person, Place, Tag
from .columns import COLUMN_BY_KEY, norm
from .parsing import RowError, read_roster
from .validation import DWELLING_FIELDS, CleanRow, check_file, clean_row


# ---------------------------------------------------------------- matching against the registry
@dataclass
class DwellingPlan:
    key: tuple
    row: int
    entrance: Place
    number: str
    existing: Dwelling | None = None
    fields: dict = field(default_factory=dict)  # for update: only the changed ones
    areas: dict[str, Decimal] = field(default_factory=dict)  # source → area to record
    dwelling: Dwelling | None = None  # set on commit

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def is_changed(self) -> bool:
        return self.existing is not None and bool(self.fields or self.areas)


@dataclass
class PersonPlan:
    key: tuple
    row: int
    dwelling_key: tuple
    existing: Person | None = None
    fields: dict = field(default_factory=dict)
    phone: str | None = None
    id_number: str | None = None
    tags: list[str] | None = None
    person: Person | None = None

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def is_changed(self) -> bool:
        return self.existing is not None and bool(
            self.fields or self.phone is not None or self.id_number is not None or self.tags is not None
        )


@dataclass
class Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    dwellings: dict[tuple, DwellingPlan] = field(default_factory=dict)
    people: dict[tuple, PersonPlan] = field(default_factory=dict)
    links: list[tuple[tuple, tuple, str, int]] = field(default_factory=list)  # person key, dwelling key, relation, row
    links_kept: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new_dwellings": sum(p.is_new for p in self.dwellings.values()),
            "updated_dwellings": sum(p.is_changed for p in self.dwellings.values()),
            "new_people": sum(p.is_new for p in self.people.values()),
            "updated_people": sum(p.is_changed for p in self.people.values()),
            "new_links": len(self.links),
            "kept_links": self.links_kept,
        }


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


BUILDING_SUFFIXES = ("号楼", "栋", "幢", "楼", "号")
ENTRANCE_SUFFIXES = ("单元", "门", "号")


class _Places:
    """The courtyards, buildings and entrances of one community, looked up by (normalised) name."""

    def __init__(self, community: Place):
        self.courtyards = {norm(c.name): c for c in Courtyard.objects.filter(community=community)}
        self.buildings: dict[int, list[Place]] = defaultdict(list)
        for b in Place.objects.filter(kind=PlaceKind.BUILDING, courtyard__community=community):
            self.buildings[b.courtyard_id].append(b)
        self.entrances: dict[int, list[Place]] = defaultdict(list)
        for e in Place.objects.filter(kind=PlaceKind.ENTRANCE, community=community).select_related(
                "parent__courtyard"):
            self.entrances[e.parent_id].append(e)

    @staticmethod
    def _find(candidates: list[Place], name: str, suffixes: tuple[str, ...]) -> list[Place]:
        wanted = norm(name)
        exact = [p for p in candidates if norm(p.name) == wanted]
        if exact:
            return exact
        stem = _strip_suffix(wanted, suffixes)
        return [p for p in candidates if _strip_suffix(norm(p.name), suffixes) == stem]

    def entrance_for(self, row: CleanRow) -> tuple[Place | None, RowError | None]:
        courtyard = self.courtyards.get(norm(row.courtyard))
        if courtyard is None:
            return None, RowError(row.row, COLUMN_BY_KEY["courtyard"].header,
                                  _("There is no courtyard named “%(name)s” in this community.") % {"name": row.courtyard})
        buildings = self._find(self.buildings.get(courtyard.pk, []), row.building, BUILDING_SUFFIXES)
        if len(buildings) != 1:
            message = (_("Courtyard “%(courtyard)s” has no building named “%(name)s”. Add it to the place tree first.")
                       if not buildings else
                       _("Courtyard “%(courtyard)s” has several buildings named “%(name)s”. Use the exact name."))
            return None, RowError(row.row, COLUMN_BY_KEY["building"].header,
                                  message % {"courtyard": courtyard.name, "name": row.building})
        building = buildings[0]
        entrances = self._find(self.entrances.get(building.pk, []), row.entrance, ENTRANCE_SUFFIXES)
        if len(entrances) != 1:
            message = (_("Building “%(building)s” has no entrance named “%(name)s”. Add it to the place tree first.")
                       if not entrances else
                       _("Building “%(building)s” has several entrances named “%(name)s”. Use the exact name."))
            return None, RowError(row.row, COLUMN_BY_KEY["entrance"].header,
                                  message % {"building": building.name, "name": row.entrance})
        return entrances[0], None


def plan_import(*, user, community: Place, rows: list[CleanRow]) -> Plan:
    """Matches checked rows against the registry and the user's scope (reads only)."""
    plan = Plan(rows=len(rows))
    places = _Places(community)
    scope_cache: dict[int, bool] = {}
    entrance_of: dict[tuple, Place] = {}
    usable: list[CleanRow] = []
    for row in rows:
        if row.dwelling_key in entrance_of:
            usable.append(row)
            continue
        entrance, error = places.entrance_for(row)
        if error is not None:
            plan.errors.append(error)
            continue
        if entrance.pk not in scope_cache:
            scope_cache[entrance.pk] = in_scope(user, IMPORT_ROSTER, entrance)
        if not scope_cache[entrance.pk]:
            plan.errors.append(RowError(row.row, COLUMN_BY_KEY["courtyard"].header, _(
                "%(place)s is outside the area where you may import rosters.")
                % {"place": f"{row.courtyard} {entrance.parent.name}{entrance.name}"}))
            continue
        entrance_of[row.dwelling_key] = entrance
        usable.append(row)

    # Dwellings: matched by (entrance, room).
    entrance_ids = {e.pk for e in entrance_of.values()}
    existing = {(d.entrance_id, norm(d.number)): d
                for d in Dwelling.objects.filter(entrance_id__in=entrance_ids)}
    area_of = {(a.dwelling_id, a.source): a.area_m2
               for a in DwellingArea.objects.filter(dwelling__entrance_id__in=entrance_ids)}
    for row in usable:
        entrance = entrance_of[row.dwelling_key]
        dplan = plan.dwellings.get(row.dwelling_key)
        if dplan is None:
            dplan = DwellingPlan(row.dwelling_key, row.row, entrance, row.room,
                                 existing=existing.get((entrance.pk, norm(row.room))))
            plan.dwellings[row.dwelling_key] = dplan
        current = dplan.existing
        for key in DWELLING_FIELDS:
            value = getattr(row, key)
            if value in (None, ""):
                continue
            if current is None or getattr(current, key) != value:
                dplan.fields[key] = value
        if row.area is not None and (current is None or area_of.get((current.pk, row.area_source)) != row.area):
            dplan.areas[row.area_source] = row.area

    # People: matched by mobile number, else ID number, else name within the same dwelling.
    person_rows = [r for r in usable if r.has_person]
    by_phone: dict[str, list[Person]] = defaultdict(list)
    by_id: dict[str, list[Person]] = defaultdict(list)
    phone_hashes = {r.phone_hash for r in person_rows if r.phone_hash}
    id_hashes = {r.id_hash for r in person_rows if r.id_hash}
    for p in Person.objects.filter(community=community).filter(
            models.Q(phone_hash__in=phone_hashes) | models.Q(id_hash__in=id_hashes)):
        if p.phone_hash in phone_hashes:
            by_phone[p.phone_hash].append(p)
        if p.id_hash in id_hashes:
            by_id[p.id_hash].append(p)
    dwelling_ids = [d.existing.pk for d in plan.dwellings.values() if d.existing is not None]
    by_name: dict[tuple[int, str], dict[int, Person]] = defaultdict(dict)
    current_links: set[tuple[int, int, str]] = set()
    for link in DwellingLink.objects.filter(dwelling_id__in=dwelling_ids, end_date__isnull=True).select_related(
            "person"):
        by_name[(link.dwelling_id, norm(link.person.name))][link.person_id] = link.person
        current_links.add((link.person_id, link.dwelling_id, link.relation))
    for p in Person.objects.filter(home_id__in=dwelling_ids):
        by_name[(p.home_id, norm(p.name))][p.pk] = p

    matched_ids: set[int] = set()
    for row in person_rows:
        pkey = row.person_key
        pplan = plan.people.get(pkey)
        if pplan is None:
            person, error = _match_person(row, by_phone, by_id, by_name, plan.dwellings[row.dwelling_key])
            if error is not None:
                plan.errors.append(error)
                continue
            if person is not None and person.home_id is not None and not in_scope(user, IMPORT_ROSTER, person):
                plan.errors.append(RowError(row.row, COLUMN_BY_KEY["name"].header, _(
                    "This person is registered at a home outside the area where you may import rosters.")))
                continue
            if person is not None and person.pk in matched_ids:
                plan.errors.append(RowError(row.row, COLUMN_BY_KEY["name"].header, _(
                    "Another row of the file already matches this person with other details.")))
                continue
            if person is not None:
                matched_ids.add(person.pk)
            pplan = PersonPlan(pkey, row.row, row.dwelling_key, existing=person)
            plan.people[pkey] = pplan
        _merge_person(pplan, row)
        dplan = plan.dwellings[row.dwelling_key]
        if (pplan.existing is not None and dplan.existing is not None
                and (pplan.existing.pk, dplan.existing.pk, row.relation) in current_links):
            plan.links_kept += 1
        else:
            plan.links.append((pkey, row.dwelling_key, row.relation, row.row))
    if pplan_tags := [p for p in plan.people.values() if p.existing is not None and p.tags is not None]:
        tags_of: dict[int, list[str]] = defaultdict(list)
        for person_id, code in Tag.objects.filter(person__in=[p.existing for p in pplan_tags]).values_list(
                "person_id", "code"):
            tags_of[person_id].append(code)
        for p in pplan_tags:
            if sorted(tags_of[p.existing.pk]) == sorted(p.tags):
                p.tags = None
    return plan


def _match_person(row, by_phone, by_id, by_name, dplan) -> tuple[Person | None, RowError | None]:
    name_col = COLUMN_BY_KEY["name"].header
    if row.phone_hash and by_phone.get(row.phone_hash):
        candidates = by_phone[row.phone_hash]
        if len(candidates) > 1:
            candidates = [p for p in candidates if norm(p.name) == norm(row.name)]
            if len(candidates) != 1:
                return None, RowError(row.row, COLUMN_BY_KEY["phone"].header, _(
                    "Several people are registered with this mobile number. Correct them in the console first."))
        person = candidates[0]
        if row.id_hash and person.id_hash and person.id_hash != row.id_hash:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "This mobile number is registered for %(name)s, whose ID number is different.") % {"name": person.name})
        others = [p for p in by_id.get(row.id_hash, []) if p.pk != person.pk] if row.id_hash else []
        if others:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "The mobile number and the ID number belong to two different registered people."))
        return person, None
    if row.id_hash and by_id.get(row.id_hash):
        candidates = by_id[row.id_hash]
        if len(candidates) > 1:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "Several people are registered with this ID number. Correct them in the console first."))
        return candidates[0], None
    if row.phone_hash or row.id_hash or dplan.existing is None:
        return None, None
    found = list(by_name.get((dplan.existing.pk, norm(row.name)), {}).values())
    if not found:
        return None, None
    unidentified = [p for p in found if not p.phone_hash and not p.id_hash] or found
    if len(unidentified) > 1:
        return None, RowError(row.row, name_col, _(
            "Several people named %(name)s are registered in this dwelling. Add a mobile or ID number.")
            % {"name": row.name})
    return unidentified[0], None


def _merge_person(pplan: PersonPlan, row: CleanRow) -> None:
    current = pplan.existing
    wanted = {"name": row.name, "gender": row.gender, "birth_year": row.birth_year,
              "residence_status": row.residence}
    for key, value in wanted.items():
        if value in (None, ""):
            continue
        if current is None or getattr(current, key) != value:
            pplan.fields[key] = value
    if row.phone and (current is None or current.phone_hash != row.phone_hash):
        pplan.phone = row.phone
    if row.id_number and (current is None or current.id_hash != row.id_hash):
        pplan.id_number = row.id_number
    if row.tags is not None:
        pplan.tags = list(row.tags)  # check_file makes sure every row of one person gives the same tags


# ---------------------------------------------------------------- the whole check
def check_roster(*, user, community: Place, data: bytes, this_year: int | None = None) -> Plan:
    """Everything short of writing: raises RosterFileError for the file, returns a Plan with row errors."""
    this_year = this_year or timezone.localdate().year
    raw_rows, extra = read_roster(data)
    cleaned: list[CleanRow] = []
    errors: list[RowError] = []
    for raw in raw_rows:
        row, row_errors = clean_row(raw, this_year=this_year)
        errors.extend(row_errors)
        if row is not None:
            cleaned.append(row)
    bad_rows = {e.row for e in errors}
    errors.extend(check_file(cleaned))
    good = [r for r in cleaned if r.row not in bad_rows]
    plan = plan_import(user=user, community=community, rows=good)
    plan.rows = len(raw_rows)
    plan.errors = sorted(errors + plan.errors, key=lambda e: (e.row or 0, e.column))
    plan.extra_columns = extra
    return plan


def importable_communities(user) -> models.QuerySet[Place]:
    """Communities where the user holds IMPORT_ROSTER on some place."""
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    if getattr(user, "is_superuser", False):
        return communities
    from courtyard.core.access import grants_with

    paths = {g.path for g in grants_with(user, IMPORT_ROSTER)}
    ids = [c.pk for c in communities.only("pk", "path")
           if any(c.path.startswith(p) or p.startswith(c.path) for p in paths)]
    return communities.filter(pk__in=ids)
