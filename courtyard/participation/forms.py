"""Forms of the console (Bootstrap classes) and of the residents' pages (plain WeUI inputs)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.org.models import Person, SelfGovernanceUnit

from .choices import (
    Act,
    ItemKind,
    MemoryKind,
    RotaKind,
    TalentKind,
    TargetGroup,
    TeamKind,
    TrainingLevel,
    ValueMethod,
    WishKind,
)


class _Bootstrap(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)


class _UnitForm(_Bootstrap):
    unit = forms.ModelChoiceField(label=_("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else SelfGovernanceUnit.objects.none()
        only = list(self.fields["unit"].queryset[:2])
        if len(only) == 1:
            self.fields["unit"].initial = only[0].pk


class RuleForm(_UnitForm):
    act = forms.ChoiceField(label=_("Act"), choices=Act.choices)
    points = forms.IntegerField(label=_("Points per act"), min_value=1, max_value=10_000)
    daily_cap = forms.IntegerField(label=_("Cap per day"), min_value=0, max_value=100_000, initial=0,
                                   help_text=_("0 means no cap"))
    monthly_cap = forms.IntegerField(label=_("Cap per month"), min_value=0, max_value=1_000_000, initial=0,
                                     help_text=_("0 means no cap"))
    note = forms.CharField(label=_("Explanation"), max_length=200, required=False)
    active = forms.BooleanField(label=_("In force"), required=False, initial=True)


class ItemForm(_UnitForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    cost = forms.IntegerField(label=_("Points"), min_value=1, max_value=1_000_000)
    stock = forms.IntegerField(label=_("In stock"), min_value=0, max_value=100_000)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    active = forms.BooleanField(label=_("On sale"), required=False, initial=True)
    grant_call = forms.ModelChoiceField(label=_("Micro-grant call (for the right to run a micro-project)"),
                                        queryset=None, required=False)

    def __init__(self, *args, calls=None, **kwargs):
        from courtyard.funds.models import GrantCall

        super().__init__(*args, **kwargs)
        self.fields["grant_call"].queryset = calls if calls is not None else GrantCall.objects.none()


class ReverseForm(_Bootstrap):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=200)


class HoursForm(_UnitForm):
    person = forms.ModelChoiceField(label=_("Volunteer"), queryset=Person.objects.none())
    activity = forms.CharField(label=_("Activity"), max_length=120)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=24)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["day"].initial = timezone.localdate()


class RotaForm(_UnitForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RotaKind.choices)
    post = forms.CharField(label=_("Post"), max_length=100, help_text=_("Where the QR code hangs"))
    daily = forms.BooleanField(label=_("Someone every day"), required=False, initial=True)


class AssignForm(_Bootstrap):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.ModelChoiceField(label=_("On duty"), queryset=Person.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class FillForm(_Bootstrap):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=366, initial=28)
    people = forms.ModelMultipleChoiceField(label=_("People, in turn"), queryset=Person.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people if people is not None else Person.objects.none()
        self.fields["people"].widget.attrs.pop("class", None)


class SwapForm(forms.Form):
    to_person = forms.ModelChoiceField(label=_("Swap with"), queryset=Person.objects.none())
    their_shift = forms.ModelChoiceField(label=_("Their shift in exchange (optional)"), required=False,
                                         queryset=None)

    def __init__(self, *args, people=None, shifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = people
        self.fields["their_shift"].queryset = shifts
        self.fields["their_shift"].label_from_instance = lambda s: f"{s.day:%m-%d} {s.rota.name} · {s.person.name}"


class EventForm(_UnitForm):
    title = forms.CharField(label=_("Event title"), max_length=120)
    target_group = forms.ChoiceField(label=_("For"), choices=TargetGroup.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    venue = forms.CharField(label=_("Venue"), max_length=120)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    cross_courtyard = forms.BooleanField(label=_("Open to the whole community"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SignupForm(_Bootstrap):
    person = forms.ModelChoiceField(label=_("Resident"), queryset=Person.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class YuanField(forms.CharField):
    """An amount typed in yuan (at most two decimals), cleaned to integer fen."""

    def clean(self, value):
        from .domain import parse_yuan

        value = super().clean(value)
        try:
            fen = parse_yuan(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals.")) from exc
        if fen <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return fen


class ContributionForm(_Bootstrap):
    partner = forms.ModelChoiceField(label=_("Partner unit"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("What was given"), max_length=120)
    method = forms.ChoiceField(label=_("Valued as"), choices=ValueMethod.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000,
                                  help_text=_("Items, hours, days or times, as the method says; 1 for cash"))
    unit_price_fen = YuanField(label=_("Unit price (yuan)"), max_length=20,
                               help_text=_("The amount, the market price or the usual rate for one"))
    note = forms.CharField(label=_("Basis of the price"), max_length=200, required=False,
                           help_text=_("Where the price comes from, e.g. a quotation or the published rate"))

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["day"].initial = timezone.localdate()


class WishForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WishKind.choices)
    title = forms.CharField(label=_("Your wish"), max_length=120)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo (optional)"), required=False)


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=300)
    photo = forms.FileField(label=_("Photo (optional)"), required=False)


class ThanksForm(forms.Form):
    thanks = forms.CharField(label=_("A word of thanks"), max_length=300, required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    purpose = forms.CharField(label=_("What it does"), max_length=300)


class TalentForm(_UnitForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TalentKind.choices)
    skills = forms.CharField(label=_("Skills"), max_length=200)
    consent = forms.BooleanField(label=_("They agreed to be listed"), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class TrainingForm(_UnitForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    course = forms.CharField(label=_("Course"), max_length=120)
    level = forms.ChoiceField(label=_("Level"), choices=TrainingLevel.choices)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=200)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class MemoryForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MemoryKind.choices)
    title = forms.CharField(label=_("Heading"), max_length=120)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    contributor = forms.ModelChoiceField(label=_("Contributor (optional)"), queryset=Person.objects.none(),
                                         required=False)
    credit = forms.CharField(label=_("Shown as"), max_length=60, required=False,
                             help_text=_("Leave empty to show no name"))
    consent = forms.BooleanField(label=_("The contributor agreed to publication"), required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            help_text=_("Location and camera data are removed from the photo."))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributor"].queryset = people if people is not None else Person.objects.none()


class HonourRoundForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Honour"), choices=[])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    seats = forms.IntegerField(label=_("How many are honoured"), min_value=1, max_value=50, initial=3)
    method = forms.ChoiceField(label=_("Decided by"), choices=[])
    signoffs_needed = forms.IntegerField(label=_("Sign-offs needed (review)"), min_value=1, max_value=9, initial=2)

    def __init__(self, *args, **kwargs):
        from .choices import HonourKind, HonourMethod

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = HonourKind.choices
        self.fields["method"].choices = HonourMethod.choices


class NominateForm(_Bootstrap):
    person = forms.ModelChoiceField(label=_("Nominee"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class HonourVoteForm(_Bootstrap):
    opens_at = forms.DateTimeField(label=_("Voting opens"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    closes_at = forms.DateTimeField(label=_("Voting closes"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


class OffsetForm(forms.Form):
    yuan = forms.IntegerField(label=_("Yuan to pay with points"), min_value=1, max_value=100_000)
