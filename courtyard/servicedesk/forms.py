from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.console.natural import natural_sorted, tree_sorted
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from .choices import ClockUnit, Kind, Menu, OfferKind, RatingReason, Urgency
from .models import Category


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, (list, tuple)):
            data = [data]
        return [super(MultiFileField, self).clean(d, initial) for d in data]


def location_choices(community_id: int):
    """Buildings with their entrances, grouped by courtyard, for a <select>."""
    places = tree_sorted(Place.objects.filter(community_id=community_id,
                                              kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE])
                         .select_related("courtyard", "parent"))
    groups: dict[str, list] = {}
    for p in places:
        if p.kind == PlaceKind.BUILDING:
            groups.setdefault(p.courtyard.name if p.courtyard_id else "", []).append((p.pk, p.name))
        else:
            cy = p.parent.courtyard.name if p.parent.courtyard_id else ""
            groups.setdefault(cy, []).append((p.pk, f"{p.parent.name} {p.name}"))
    return [(k, groups[k]) for k in natural_sorted(groups)]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of request"), choices=Kind.choices, initial=Kind.REPAIR)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    place = forms.TypedChoiceField(label=_("Where"), coerce=int)
    facility = forms.CharField(label=_("Facility (optional)"), required=False, max_length=100)
    title = forms.CharField(label=_("What is wrong, in a few words"), max_length=120)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("How urgent"), choices=Urgency.choices, initial=Urgency.NORMAL)
    photos = MultiFileField(label=_("Photos (up to 6)"), required=False,
                            widget=MultiFileInput(attrs={"accept": "image/*"}))
    public_anonymous = forms.BooleanField(label=_("Hide my name from the public (staff still see it)"),
                                          required=False)
    group_matter = forms.BooleanField(label=_("Many households are affected"), required=False)

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            Q(community__isnull=True) | Q(community_id=community_id), active=True, parent__isnull=False).select_related(
            "parent").order_by("parent__sort", "sort")
        self.fields["category"].label_from_instance = lambda c: f"{c.parent.name} · {c.name}"
        self.fields["place"].choices = location_choices(community_id)


class StaffRequestForm(RequestForm):
    reporter_phone = forms.CharField(label=_("Resident's mobile number (if known)"), required=False, max_length=20)
    reporter_name = forms.CharField(label=_("Resident's name"), required=False, max_length=60)
    source = forms.ChoiceField(label=_("How it came in"), choices=[
        ("phone", _("Phone call")), ("visit", _("Visit")), ("patrol", _("Grid patrol"))])


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("Stars"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
                                   widget=forms.RadioSelect)
    fixed = forms.TypedChoiceField(label=_("Is it fixed?"), coerce=lambda v: v == "yes",
                                   choices=[("yes", _("Yes, it is fixed")), ("no", _("No, not fixed"))],
                                   widget=forms.RadioSelect, initial="yes")
    reasons = forms.MultipleChoiceField(label=_("Why"), choices=RatingReason.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- console configuration forms
class CategoryForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Under (empty: a top-level category)"), queryset=Category.objects.none(),
                                    required=False)
    code = forms.SlugField(label=_("Code (also the Open311 service code)"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=60)
    default_kind = forms.ChoiceField(label=_("Usual kind"), choices=Kind.choices, initial=Kind.REPAIR)
    team = forms.CharField(label=_("Responsible team"), max_length=60, required=False)
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None, required=False)
    sort = forms.IntegerField(label=_("Sort order"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("Active (residents can choose it)"), required=False, initial=True)

    def __init__(self, *args, parents, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["department"].queryset = departments


class SlaPolicyForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category (empty: every category)"), queryset=Category.objects.none(),
                                      required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    unit = forms.ChoiceField(label=_("Counted in"), choices=ClockUnit.choices)
    accept_within = forms.IntegerField(label=_("Accept within"), min_value=1, max_value=100000)
    onsite_within = forms.IntegerField(label=_("On site within"), min_value=1, max_value=100000)
    resolve_within = forms.IntegerField(label=_("Resolve within"), min_value=1, max_value=100000)
    pause_when_waiting = forms.BooleanField(label=_("Clock pauses while waiting on the resident"), required=False,
                                            initial=True)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def clean(self):
        d = super().clean()
        a, o, r = d.get("accept_within"), d.get("onsite_within"), d.get("resolve_within")
        if None not in (a, o, r) and not a <= o <= r:
            raise forms.ValidationError(_("The times must follow each other: accept ≤ on site ≤ resolve."))
        return d


class AgreementForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor (a partner unit)"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    categories = forms.ModelMultipleChoiceField(label=_("Categories covered"), queryset=Category.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    onsite_hours = forms.IntegerField(label=_("Ordinary repair on site within (hours)"), min_value=1,
                                      max_value=100000, initial=48)
    emergency_hours = forms.IntegerField(label=_("Emergency response within (hours)"), min_value=1,
                                         max_value=100000, initial=2)
    starts = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label=_("Until (empty: open-ended)"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    max_open = forms.IntegerField(label=_("Open work orders at most"), min_value=1, max_value=100000, initial=20)

    def __init__(self, *args, vendors, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors
        self.fields["categories"].queryset = categories

    def clean(self):
        d = super().clean()
        if d.get("starts") and d.get("ends") and d["ends"] < d["starts"]:
            self.add_error("ends", _("The agreement cannot end before it starts."))
        return d


class ServiceItemForm(forms.Form):
    menu = forms.ChoiceField(label=_("List"), choices=Menu.choices)
    name = forms.CharField(label=_("Service"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    price = forms.CharField(label=_("Price (yuan, 0 for free)"), max_length=14, initial="0",
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None, required=False)
    active = forms.BooleanField(label=_("Offered now"), required=False, initial=True)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

    def clean_price(self):
        from django.core.exceptions import ValidationError

        from .services import yuan_to_fen

        try:
            return yuan_to_fen(self.cleaned_data["price"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class DemandForm(forms.Form):
    title = forms.CharField(label=_("What is needed"), max_length=120)
    kind = forms.ChoiceField(label=_("What kind of help"), choices=OfferKind.choices, initial=OfferKind.SERVICE)
    urgency = forms.ChoiceField(label=_("How urgent"), choices=Urgency.choices, initial=Urgency.NORMAL)


class OfferForm(forms.Form):
    title = forms.CharField(label=_("What I can offer"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of resource"), choices=OfferKind.choices, initial=OfferKind.SKILL)
    availability = forms.CharField(label=_("When (for example: weekend mornings)"), max_length=120, required=False)
