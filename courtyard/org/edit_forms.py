"""Forms of the console editor for the place tree, courtyards, units and organisations.

The forms check input shape and scope (their choice lists only hold objects the user may
change); the rules themselves live in the services, whose ValidationErrors the views show.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core import pii
from courtyard.core.console.natural import NaturalKey, sort_choices, tree_sorted

from .choices import (
    AreaSource,
    BodyKind,
    BodyPosition,
    CoBuildingStatus,
    DangerGrade,
    HousingType,
    ManagementMode,
    Occupancy,
    PartnerKind,
    PartyOrgLevel,
    PartyPosition,
    PlaceKind,
    PropertyType,
    Relation,
)
from .forms import _style
from .models import Courtyard, PartnerUnit, PartyOrg, Person, Place, SelfGovernanceUnit
from .services import parse_area

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, *, required=False, initial=None):
    return forms.DateField(label=label, required=required, widget=DATE, initial=initial)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "form-check-input")


class PersonLookup(forms.CharField):
    """A person of the given queryset, entered by mobile number or (unique) name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Person"))
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("help_text", _("Their name as recorded, or their mobile number when several share the name."))
        super().__init__(**kwargs)
        self.people = Person.objects.none()

    def clean(self, value):
        raw = super().clean(value).strip()
        try:
            normalized = pii.normalize_phone(raw)
        except ValueError:
            matches = self.people.filter(name=raw)
        else:
            matches = self.people.filter(phone_hash=pii.blind_index("phone", normalized))
        found = list(matches.order_by("pk")[:2])
        if not found:
            raise ValidationError(_("No one in this community is recorded as “%(value)s”."), params={"value": raw})
        if len(found) > 1:
            raise ValidationError(_("Several people are recorded as “%(value)s”: enter the mobile number instead."),
                                  params={"value": raw})
        return found[0]


# ---------------------------------------------------------------- place tree
class PlaceForm(StyledForm):
    """Add a child to a place (the kind follows from the parent) or rename a place."""

    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code (optional)"), max_length=32, required=False)
    courtyard = forms.ModelChoiceField(label=_("Courtyard"), queryset=Courtyard.objects.none(),
                                       help_text=_("A building belongs to one courtyard of the same community."))
    floors = forms.IntegerField(label=_("Floors (optional)"), min_value=1, max_value=200, required=False)
    danger_grade = forms.ChoiceField(label=_("Danger grade (optional)"),
                                     choices=[("", "—"), *DangerGrade.choices], required=False)
    flood_risk = forms.CharField(label=_("Flood-risk points (optional)"), max_length=200, required=False)
    map_x = forms.FloatField(label=_("Site plan x (optional)"), required=False)
    map_y = forms.FloatField(label=_("Site plan y (optional)"), required=False)

    def __init__(self, *args, kind: str, community: Place | None, with_courtyard: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != PlaceKind.BUILDING:
            for name in ("courtyard", "floors", "danger_grade", "flood_risk", "map_x", "map_y"):
                del self.fields[name]
        elif not with_courtyard:
            del self.fields["courtyard"]
        else:  # adding a building: the grade and flood-risk points are set when it is edited
            del self.fields["danger_grade"], self.fields["flood_risk"]
            self.fields["courtyard"].queryset = Courtyard.objects.filter(community=community).order_by(NaturalKey("name"))

    def clean(self):
        data = super().clean()
        if ("map_x" in self.fields) and ((data.get("map_x") is None) != (data.get("map_y") is None)):
            self.add_error("map_y", _("Give both site-plan coordinates, or neither."))
        return data


class DwellingForm(StyledForm):
    number = forms.CharField(label=_("Room"), max_length=20)
    floor = forms.IntegerField(label=_("Floor (optional)"), min_value=-10, max_value=200, required=False)
    area_m2 = forms.CharField(label=_("Exclusive area in m² (optional)"), max_length=20, required=False)
    area_source = forms.ChoiceField(label=_("Source of the area"), choices=[("", "—"), *AreaSource.choices],
                                    required=False)
    property_type = forms.ChoiceField(label=_("Property type"), choices=PropertyType.choices,
                                      initial=PropertyType.COMMODITY)
    occupancy = forms.ChoiceField(label=_("Occupancy"), choices=Occupancy.choices, initial=Occupancy.SELF_OCCUPIED)

    def clean_area_m2(self):
        raw = self.cleaned_data["area_m2"].strip()
        return parse_area(raw) if raw else None

    def clean(self):
        data = super().clean()
        if data.get("area_m2") is not None and not data.get("area_source"):
            self.add_error("area_source", _("Say where the area comes from."))
        return data


class LinkForm(StyledForm):
    person = PersonLookup()
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    start_date = _date(_("From (optional)"))
    make_home = forms.BooleanField(label=_("This is their home"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].people = people


class EndDateForm(StyledForm):
    end_date = _date(_("Until"), required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- courtyards and units
class CourtyardForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address (optional)"), max_length=200, required=False)
    built_year = forms.IntegerField(label=_("Year built (optional)"), min_value=1800, max_value=2100, required=False)
    unit = forms.ModelChoiceField(label=_("Self-governance unit (optional)"),
                                  queryset=SelfGovernanceUnit.objects.none(), required=False)
    management_mode = forms.ChoiceField(label=_("Management mode"), choices=[("", "—"), *ManagementMode.choices],
                                        required=False)
    housing_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *HousingType.choices], required=False)
    property_owner = forms.CharField(label=_("Property-owning unit (optional)"), max_length=120, required=False)

    def __init__(self, *args, community: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = SelfGovernanceUnit.objects.filter(community=community)


class CourtyardFieldsForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address (optional)"), max_length=200, required=False)
    built_year = forms.IntegerField(label=_("Year built (optional)"), min_value=1800, max_value=2100, required=False)
    management_mode = forms.ChoiceField(label=_("Management mode"), choices=[("", "—"), *ManagementMode.choices],
                                        required=False)
    housing_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *HousingType.choices], required=False)
    property_owner = forms.CharField(label=_("Property-owning unit (optional)"), max_length=120, required=False)


class UnitForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(label=_("Web address"), max_length=60,
                           help_text=_("Letters, digits and hyphens; the unit's public page is /u/ followed by it, "
                                       "e.g. /u/xuedaoyuan/."))
    intro = forms.CharField(label=_("Introduction (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    established = _date(_("Established (optional)"))
    courtyards = forms.ModelMultipleChoiceField(label=_("Courtyards governed together"),
                                                queryset=Courtyard.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, community: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courtyards"].queryset = Courtyard.objects.filter(community=community).order_by(NaturalKey("name"))


class CourtyardUnitForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none(),
                                  required=False, empty_label=_("— none (take it out) —"))

    def __init__(self, *args, courtyard: Courtyard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = SelfGovernanceUnit.objects.filter(community_id=courtyard.community_id)


# ---------------------------------------------------------------- organisations
class BodyForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    duties = forms.CharField(label=_("Duties (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    term_start = _date(_("Term starts (optional)"))
    term_end = _date(_("Term ends (optional)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term ends before it starts."))
        return data


class MemberForm(StyledForm):
    person = PersonLookup()
    position = forms.ChoiceField(label=_("Position"), choices=BodyPosition.choices, initial=BodyPosition.MEMBER)
    start_date = _date(_("From (optional)"))
    liaison_grids = forms.ModelMultipleChoiceField(label=_("Liaison grids (committee members)"),
                                                   queryset=Place.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].people = people
        if grids is None:
            del self.fields["liaison_grids"]
        else:
            self.fields["liaison_grids"].queryset = grids


class PartnerForm(StyledForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Place.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    contact_name = forms.CharField(label=_("Contact (optional)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact's mobile number (optional)"), max_length=20, required=False)
    address = forms.CharField(label=_("Address (optional)"), max_length=200, required=False)
    alliance_member = forms.BooleanField(label=_("Member of the party-building alliance"), required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities

    def clean_contact_phone(self):
        raw = self.cleaned_data["contact_phone"].strip()
        if not raw:
            return ""
        try:
            return pii.normalize_phone(raw)
        except ValueError as exc:
            raise ValidationError(_("“%(value)s” is not a valid mainland mobile number."),
                                  params={"value": raw}) from exc


class CoBuildingItemForm(StyledForm):
    title = forms.CharField(label=_("Commitment"), max_length=200)
    frequency = forms.CharField(label=_("Frequency (optional)"), max_length=50, required=False,
                                help_text=_("E.g. monthly, every spring festival."))
    status = forms.ChoiceField(label=_("Status"), choices=CoBuildingStatus.choices, initial=CoBuildingStatus.ACTIVE)
    due = _date(_("Due (optional)"))


class PartyOrgForm(StyledForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Place.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=PartyOrgLevel.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Organisation above"), queryset=PartyOrg.objects.none(), required=False,
                                    help_text=_("A grid branch sits under the committee; a courtyard group under a "
                                                "branch."))
    unit = forms.ModelChoiceField(label=_("Self-governance unit (optional, for a courtyard group)"),
                                  queryset=SelfGovernanceUnit.objects.none(), required=False)

    def __init__(self, *args, communities, parents, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["parent"].queryset = parents.order_by("level", "name")
        self.fields["parent"].label_from_instance = lambda o: f"{o.name} ({o.get_level_display()})"
        self.fields["unit"].queryset = units


class PartyMemberForm(StyledForm):
    person = PersonLookup()
    position = forms.ChoiceField(label=_("Position"), choices=PartyPosition.choices, initial=PartyPosition.MEMBER)
    central_household = forms.BooleanField(label=_("Party-member household (党员中心户)"), required=False)
    reported_from = forms.ModelChoiceField(label=_("Double-reporting from partner unit (optional)"),
                                           queryset=PartnerUnit.objects.none(), required=False)
    since = _date(_("Member since (optional)"))

    def __init__(self, *args, people, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].people = people
        self.fields["reported_from"].queryset = partners.order_by("name")


class ZoneForm(StyledForm):
    place = forms.ModelChoiceField(label=_("Building or entrance"), queryset=Place.objects.none())

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places.select_related("parent").order_by("path")
        sort_choices(self.fields["place"], tree_sorted)
        self.fields["place"].label_from_instance = (
            lambda p: p.name if p.kind == PlaceKind.BUILDING else f"{p.parent.name} {p.name}"
        )
