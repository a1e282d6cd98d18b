from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from .choices import Kind, RatingReason, Urgency
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
    places = (Place.objects.filter(community_id=community_id, kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE])
              .select_related("courtyard", "parent").order_by("path"))
    groups: dict[str, list] = {}
    for p in places:
        if p.kind == PlaceKind.BUILDING:
            groups.setdefault(p.courtyard.name if p.courtyard_id else "", []).append((p.pk, p.name))
        else:
            cy = p.parent.courtyard.name if p.parent.courtyard_id else ""
            groups.setdefault(cy, []).append((p.pk, f"{p.parent.name} {p.name}"))
    return [(k, v) for k, v in groups.items()]


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
        self.fields["category"].queryset = Category.objects.filter(active=True, parent__isnull=False).select_related(
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
