"""Scopes of the place tree indicators are measured at: self-governance units, communities,
subdistricts and districts (`courtyard.core.indicators.Scope`), and the way down the tree."""

from __future__ import annotations

from django.db.models import Min

from courtyard.core.indicators import Scope
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SelfGovernanceUnit

UNIT = "unit"
LEVELS = (PlaceKind.DISTRICT, PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY)
KINDS = (*LEVELS, UNIT)


class UnknownScope(LookupError):
    pass


def of_unit(unit: SelfGovernanceUnit) -> Scope:
    return Scope(kind=UNIT, pk=unit.pk, name=unit.name, path=unit.community.path, unit_id=unit.pk,
                 started=unit.established)


def of_place(place: Place, started=None) -> Scope:
    """`started=False`: do not look up when self-governance began (no query; the stage is then year 5)."""
    if place.kind not in LEVELS:
        raise UnknownScope(place.pk)
    if started is False:
        started = None
    elif started is None:
        started = SelfGovernanceUnit.objects.filter(community__path__startswith=place.path).aggregate(
            s=Min("established"))["s"]
    return Scope(kind=place.kind, pk=place.pk, name=place.name, path=place.path, started=started)


def resolve(text: str) -> Scope:
    """A place id, or a unit's web address (slug); `unit:<id>` for a unit by id."""
    text = (text or "").strip()
    if text.startswith("unit:") and text[5:].isdigit():
        unit = SelfGovernanceUnit.objects.select_related("community").filter(pk=int(text[5:])).first()
        if unit is None:
            raise UnknownScope(text)
        return of_unit(unit)
    if text.isdigit():
        place = Place.objects.filter(pk=int(text), kind__in=LEVELS).first()
        if place is None:
            raise UnknownScope(text)
        return of_place(place)
    unit = SelfGovernanceUnit.objects.select_related("community").filter(slug=text).first()
    if unit is None:
        raise UnknownScope(text)
    return of_unit(unit)


def get(kind: str, pk: int) -> Scope:
    if kind == UNIT:
        unit = SelfGovernanceUnit.objects.select_related("community").filter(pk=pk).first()
        if unit is None:
            raise UnknownScope(pk)
        return of_unit(unit)
    place = Place.objects.filter(pk=pk, kind=kind).first()
    if place is None:
        raise UnknownScope(pk)
    return of_place(place)


def children(scope: Scope, *, with_start: bool = True) -> list[Scope]:
    """One level down: district → subdistricts → communities → units; a unit has none."""
    if scope.kind == UNIT:
        return []
    if scope.kind == PlaceKind.COMMUNITY:
        units = SelfGovernanceUnit.objects.filter(community_id=scope.pk).select_related("community").order_by("name")
        return [of_unit(u) for u in units]
    places = Place.objects.filter(parent_id=scope.pk, kind__in=LEVELS).order_by("name")
    return [of_place(p, started=None if with_start else False) for p in places]


def all_scopes() -> list[Scope]:
    """Every node of every tree, top down (for the snapshot job)."""
    out = []
    starts = {}
    units = list(SelfGovernanceUnit.objects.select_related("community").order_by("pk"))
    for u in units:
        out.append(of_unit(u))
    for place in Place.objects.filter(kind__in=LEVELS).order_by("depth", "pk"):
        known = [u.established for u in units if u.established and u.community.path.startswith(place.path)]
        starts[place.pk] = min(known) if known else None
        out.append(of_place(place, started=starts[place.pk]) if known else Scope(
            kind=place.kind, pk=place.pk, name=place.name, path=place.path))
    return out
