import django_filters as df
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import role_choices
from courtyard.core.audit import Actor
from courtyard.core.console.natural import NaturalKey
from courtyard.core.models import AuditEvent, Channel

from .choices import Occupancy, PersonTag, PropertyType, ResidenceStatus
from .models import Courtyard, Dwelling, Person, RoleGrant, SelfGovernanceUnit
from .reveal import search_by_number


class ScopedFilterSet(df.FilterSet):
    """Choice lists for courtyards and units only offer what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "courtyard" in self.filters:
            self.filters["courtyard"].queryset = Courtyard.objects.visible_to(user).order_by(NaturalKey("name"))
        if "unit" in self.filters:
            self.filters["unit"].queryset = SelfGovernanceUnit.objects.visible_to(user).order_by(NaturalKey("name"))
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)


class DwellingFilter(ScopedFilterSet):
    q = df.CharFilter(label=_("Room or building"), method="search")
    courtyard = df.ModelChoiceFilter(label=_("Courtyard"), queryset=Courtyard.objects.none())
    unit = df.ModelChoiceFilter(label=_("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    occupancy = df.ChoiceFilter(label=_("Occupancy"), choices=Occupancy.choices)
    property_type = df.ChoiceFilter(label=_("Property type"), choices=PropertyType.choices)
    area_min = df.NumberFilter(field_name="area_m2", lookup_expr="gte", label=_("Area from (m²)"))
    area_max = df.NumberFilter(field_name="area_m2", lookup_expr="lte", label=_("Area to (m²)"))

    class Meta:
        model = Dwelling
        fields: list[str] = []

    def search(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(building__name__icontains=value) | Q(courtyard__name__icontains=value))


AGE_BANDS = [("0-17", _("Under 18")), ("18-59", _("18–59")), ("60-79", _("60–79")), ("80-200", _("80 and over"))]


class PersonFilter(ScopedFilterSet):
    q = df.CharFilter(label=_("Name"), method="search")
    courtyard = df.ModelChoiceFilter(label=_("Courtyard"), field_name="home__courtyard", queryset=Courtyard.objects.none())
    residence_status = df.ChoiceFilter(label=_("Residence status"), choices=ResidenceStatus.choices)
    tag = df.ChoiceFilter(label=_("Tag"), choices=PersonTag.choices, field_name="tags__code")
    age = df.ChoiceFilter(label=_("Age"), choices=AGE_BANDS, method="age_band")
    # A full number is a reveal (ADR 0010): needs org.reveal_pii, is audited and throttled.
    phone = df.CharFilter(label=_("Full mobile number"), method="by_number")
    id_number = df.CharFilter(label=_("Full ID number"), method="by_number")

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .access import REVEAL_PII

        if not (self.user is not None and self.user.has_perm(REVEAL_PII)):
            # Offer no search that can never find anyone; the parameter still answers "no match".
            for name in ("phone", "id_number"):
                self.form.fields[name].widget = forms.HiddenInput()

    def search(self, qs, name, value):
        return qs.filter(name__icontains=value)

    def age_band(self, qs, name, value):
        low, high = (int(x) for x in value.split("-"))
        year = timezone.localdate().year
        return qs.filter(birth_year__lte=year - low, birth_year__gte=year - high)

    def by_number(self, qs, name, value):
        if self.request is None:
            actor = Actor(user=self.user)
        else:  # a DRF request (query_params) is the API channel
            api = hasattr(self.request, "query_params")
            actor = Actor.from_request(self.request, channel=Channel.API if api else None)
        return search_by_number(by=actor, queryset=qs, field=name, value=value)


class GrantFilter(ScopedFilterSet):
    role = df.ChoiceFilter(label=_("Role"), choices=role_choices)
    current = df.BooleanFilter(label=_("Current only"), method="only_current", widget=forms.CheckboxInput)

    class Meta:
        model = RoleGrant
        fields: list[str] = []

    def only_current(self, qs, name, value):
        return qs.in_force() if value else qs


class AuditFilter(ScopedFilterSet):
    action = df.CharFilter(label=_("Action"), lookup_expr="startswith")
    actor = df.CharFilter(label=_("Actor"), field_name="actor_label", lookup_expr="icontains")
    channel = df.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    obj = df.CharFilter(label=_("Object"), field_name="object_repr", lookup_expr="icontains")
    since = df.DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte",
                          widget=forms.DateInput(attrs={"type": "date"}))
    until = df.DateFilter(label=_("To"), field_name="created_at", lookup_expr="date__lte",
                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields: list[str] = []
