"""Forms of committee elections (ORG-9). They parse and check shapes; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.org.models import PartyOrg, Person

from . import choices as c
from . import permissions as p
from . import selectors
from .forms import _bootstrap, _dt_field


class ElectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    body_kind = forms.ChoiceField(label=_("Body elected"), choices=c.ELECTED_BODIES)
    by_election = forms.BooleanField(label=_("By-election: fills vacant seats, sitting members stay"),
                                     required=False)
    seats = forms.IntegerField(label=_("Seats on the committee"), min_value=1, max_value=25, initial=5)
    electorate = forms.ChoiceField(label=_("Who votes"), choices=[(e.value, e.label) for e in c.ELECTION_ELECTORATES],
                                   help_text=_("As the unit's charter says: one ballot per household, or one per "
                                               "adult resident."))
    participation = forms.CharField(label=_("Participation needed (fraction)"), initial="1/2", max_length=20,
                                    help_text=_("Share of the electorate that must vote for the election to be "
                                                "valid, e.g. 1/2 or 2/3."))
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=5, initial=3)
    joint_minimum = forms.IntegerField(label=_("Residents needed for a joint nomination"), min_value=1,
                                       max_value=50, initial=5)
    nominations_close = _dt_field(_("Nominations close"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.MANAGE_VOTE).order_by("name")
        for group in c.DiversityGroup:
            self.fields[f"q_{group.value}"] = forms.IntegerField(
                label=_("At least this many candidates: %(g)s") % {"g": group.label}, min_value=0, max_value=25,
                initial=0, required=False)
        _bootstrap(self)

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["quotas"] = {g: d.pop(f"q_{g}") or 0 for g in c.DiversityGroup.values}
        return d


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.home.label}" if obj.home_id else obj.name


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nominated by"), choices=[
        (c.NominationKind.JOINT.value, c.NominationKind.JOINT.label),
        (c.NominationKind.PARTY.value, c.NominationKind.PARTY.label)])
    nominee = PersonChoice(label=_("Nominee"), queryset=Person.objects.none())
    occupation = forms.ChoiceField(label=_("Occupation"), choices=c.Occupation.choices)
    nominators = forms.CharField(label=_("Nominators (joint nomination)"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("The names on the signed nomination form, separated by commas or new lines."))
    party_org = forms.ModelChoiceField(label=_("Party organisation (nomination by the party group)"),
                                       queryset=PartyOrg.objects.none(), required=False)
    statement = forms.CharField(label=_("Statement"), required=False, max_length=500,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.people = Person.objects.filter(unit=election.unit, active=True).select_related(
            "home__courtyard", "home__building", "home__entrance").order_by("name", "id")
        self.fields["nominee"].queryset = self.people
        self.fields["party_org"].queryset = PartyOrg.objects.filter(community_id=election.community_id)
        _bootstrap(self)

    def clean_nominators(self):
        names = [x.strip() for x in self.cleaned_data["nominators"].replace("，", ",").replace("、", ",")
                 .replace("\n", ",").split(",") if x.strip()]
        found = []
        for name in dict.fromkeys(names):
            matches = [x for x in self.people if x.name == name]
            if len(matches) != 1:
                raise forms.ValidationError(
                    _("“%(name)s” is not a resident of this unit.") % {"name": name} if not matches else
                    _("Several residents are called “%(name)s”; nominate through the paper form's room numbers with "
                      "staff.") % {"name": name})
            found.append(matches[0])
        return found


class ListForm(forms.Form):
    reason = forms.CharField(label=_("Reason for confirming with unmet quotas"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class BallotForm(forms.Form):
    opens_at = _dt_field(_("Voting opens"))
    closes_at = _dt_field(_("Voting closes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class SelfNominationForm(forms.Form):
    occupation = forms.ChoiceField(label=_("Occupation"), choices=c.Occupation.choices)
    statement = forms.CharField(label=_("Why I stand (shown to voters)"), required=False, max_length=500,
                                widget=forms.Textarea(attrs={"rows": 3}))
