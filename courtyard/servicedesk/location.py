"""Where a request is: courtyard → building → entrance, each picked by name (ADR 0012).

Three selects instead of one list of hundreds of "1栋 1单元": the building list is grouped by courtyard
and the entrance list by building (usable without JavaScript); `location.js` narrows each list to the
choice before it. A QR sticker's place (or the resident's home) pre-fills all three."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.core.console.natural import natural_sorted
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Courtyard, Place


class ParentSelect(forms.Select):
    """A select whose options carry `data-parent` (the id of the choice they belong to)."""

    def __init__(self, *args, parents: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = parents or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        parent = self.parents.get(str(value))
        if parent is not None:
            option["attrs"]["data-parent"] = str(parent)
        return option


class LocationData:
    """The community's courtyards, buildings and entrances, read in two queries."""

    def __init__(self, community_id: int):
        self.courtyards = natural_sorted(Courtyard.objects.filter(community_id=community_id), key=lambda c: c.name)
        places = list(Place.objects.filter(community_id=community_id, kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE])
                      .only("id", "kind", "name", "parent_id", "courtyard_id", "path").order_by("path"))
        self.buildings = [p for p in places if p.kind == PlaceKind.BUILDING]
        self.building_by_id = {b.pk: b for b in self.buildings}
        self.entrances = [p for p in places if p.kind == PlaceKind.ENTRANCE and p.parent_id in self.building_by_id]
        self.entrance_by_id = {e.pk: e for e in self.entrances}
        self.courtyard_by_id = {c.pk: c for c in self.courtyards}

    def building_choices(self):
        groups: dict[str, list] = {}
        for b in self.buildings:
            cy = self.courtyard_by_id.get(b.courtyard_id)
            groups.setdefault(cy.name if cy else str(_("Other buildings")), []).append((b.pk, b.name))
        return [("", _("Choose the building"))] + list(groups.items())

    def entrance_choices(self):
        groups: dict[str, list] = {}
        for e in self.entrances:
            b = self.building_by_id[e.parent_id]
            cy = self.courtyard_by_id.get(b.courtyard_id)
            label = f"{cy.name} · {b.name}" if cy else b.name
            groups.setdefault(label, []).append((e.pk, e.name))
        return [("", _("The whole building, or not at an entrance"))] + list(groups.items())

    def split(self, place_id) -> dict:
        """A place id (entrance or building) → initial {courtyard, building, entrance}."""
        try:
            place_id = int(place_id)
        except (TypeError, ValueError):
            return {}
        entrance = self.entrance_by_id.get(place_id)
        building = self.building_by_id.get(entrance.parent_id if entrance else place_id)
        if building is None:
            return {}
        return {"courtyard": building.courtyard_id or "", "building": building.pk,
                "entrance": entrance.pk if entrance else ""}


def full_label(place) -> str:
    """'学道街1号院 · 1栋 · 1单元' for an entrance; '学道街1号院 · 1栋' for a building; the name otherwise.
    Needs place.parent.courtyard / place.courtyard loaded (select_related) to stay query-free."""
    if place is None:
        return ""
    if place.kind == PlaceKind.ENTRANCE and place.parent_id:
        building = place.parent
        parts = [building.courtyard.name] if building.courtyard_id else []
        return " · ".join([*parts, building.name, place.name])
    if place.kind == PlaceKind.BUILDING and place.courtyard_id:
        return f"{place.courtyard.name} · {place.name}"
    return place.name


PLACE_RELATED = ("place__parent__courtyard", "place__courtyard")


class LocationFields(forms.Form):
    """Mixin fields: courtyard, building, entrance → cleaned_data["place"] (entrance id, else building id)."""

    courtyard = forms.TypedChoiceField(label=_("Courtyard"), coerce=int, required=False, empty_value=None)
    building = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)
    entrance = forms.TypedChoiceField(label=_("Entrance (unit)"), coerce=int, required=False, empty_value=None)

    def setup_location(self, community_id: int):
        self.location = data = LocationData(community_id)
        self.fields["courtyard"].choices = [("", _("Choose the courtyard"))] + [(c.pk, c.name) for c in data.courtyards]
        self.fields["building"].choices = data.building_choices()
        self.fields["entrance"].choices = data.entrance_choices()
        self.fields["courtyard"].widget = ParentSelect(choices=self.fields["courtyard"].choices,
                                                       attrs={"data-location": "courtyard"})
        self.fields["building"].widget = ParentSelect(
            choices=self.fields["building"].choices, attrs={"data-location": "building"},
            parents={str(b.pk): b.courtyard_id for b in data.buildings if b.courtyard_id})
        self.fields["entrance"].widget = ParentSelect(
            choices=self.fields["entrance"].choices, attrs={"data-location": "entrance"},
            parents={str(e.pk): e.parent_id for e in data.entrances})
        place_id = self.initial.get("place")
        if place_id:
            for k, v in data.split(place_id).items():
                self.initial.setdefault(k, v)

    def clean_location(self, cleaned: dict) -> None:
        data = self.location
        if not cleaned.get("building") and self.data.get("place"):  # a one-field client (older page, API)
            cleaned.update({k: v or None for k, v in data.split(self.data.get("place")).items()})
        building = data.building_by_id.get(cleaned.get("building")) if cleaned.get("building") else None
        if building is None:
            if "building" not in self.errors:
                self.add_error("building", _("Choose the building."))
            return
        courtyard_id = cleaned.get("courtyard")
        if courtyard_id and building.courtyard_id and building.courtyard_id != courtyard_id:
            self.add_error("building", _("This building is not in the chosen courtyard."))
            return
        entrance_id = cleaned.get("entrance")
        if entrance_id:
            entrance = data.entrance_by_id.get(entrance_id)
            if entrance is None or entrance.parent_id != building.pk:
                self.add_error("entrance", _("This entrance is not in the chosen building."))
                return
            cleaned["place"] = entrance.pk
        else:
            cleaned["place"] = building.pk
