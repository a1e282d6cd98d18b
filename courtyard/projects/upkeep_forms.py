"""Console forms of facility upkeep, works payments, results, the owners' vote hand-over and the rollout
programme (issue 10 items 3, 5, 8–10). Fields are named after the service arguments they fill."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import MilestoneKind, PaysFor, ResultKind, VoteMatter
from .forms import Bootstrap, YuanField

DATE = {"type": "date"}


class AccountChoice(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)


class RevenueAgreementForm(Bootstrap):
    partner = forms.ModelChoiceField(queryset=None, label=_("Operating partner"))
    share_percent = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2,
                                       label=_("Courtyard's share (%)"))
    account_id = AccountChoice(label=_("Funds account"))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE))
    reference = forms.CharField(max_length=60, required=False, label=_("Agreement number"))

    def __init__(self, *args, partners, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["account_id"].choices = accounts


class RevenuePostingForm(Bootstrap):
    agreement = forms.ModelChoiceField(queryset=None, label=_("Agreement"))
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    gross_fen = YuanField(label=_("Revenue of the month (yuan)"))

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class WorksPaymentForm(Bootstrap):
    pays_for = forms.ChoiceField(choices=PaysFor.choices, label=_("Pays for"))
    inspection = forms.ModelChoiceField(queryset=None, required=False, label=_("Inspection"))
    acceptance = forms.ModelChoiceField(queryset=None, required=False, label=_("Acceptance stage"))
    amount_fen = YuanField(label=_("Amount (yuan)"))
    account_id = AccountChoice(label=_("Funds account"))

    def __init__(self, *args, inspections, acceptances, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = lambda i: f"{i.inspected_on} {i.get_kind_display()}"
        self.fields["acceptance"].queryset = acceptances
        self.fields["acceptance"].label_from_instance = lambda a: f"{a.held_on} {a.get_stage_display()}"
        self.fields["account_id"].choices = accounts


class ResultForm(Bootstrap):
    kind = forms.ChoiceField(choices=ResultKind.choices, label=_("Indicator"))
    before = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, label=_("Before"))
    after = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, label=_("After"))


class EvaluationForm(Bootstrap):
    goals_set = forms.IntegerField(min_value=1, max_value=1000, label=_("Goals set"))
    goals_met = forms.IntegerField(min_value=0, max_value=1000, label=_("Goals met"))
    surveyed = forms.IntegerField(min_value=1, max_value=1_000_000, label=_("Households asked"))
    satisfied = forms.IntegerField(min_value=0, max_value=1_000_000, label=_("Households satisfied"))
    spent_fen = YuanField(label=_("Spent (yuan)"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was done"))
    residents_said = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                     label=_("What residents said"),
                                     help_text=_("Published as written: no names (phone and ID numbers are masked)."))


class VoteHandoverForm(Bootstrap):
    matter = forms.ChoiceField(choices=[c for c in VoteMatter.choices if c[0]], label=_("The owners vote on"))


class ProgrammeForm(Bootstrap):
    subdistrict = forms.ModelChoiceField(queryset=None, label=_("Subdistrict"))
    title = forms.CharField(max_length=120, label=_("Title"))
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, subdistricts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = subdistricts


class ProgrammeUnitForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Courtyard (self-governance unit)"))
    phase = forms.IntegerField(min_value=1, max_value=20, initial=1, label=_("Phase"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MilestoneForm(Bootstrap):
    phase = forms.IntegerField(min_value=1, max_value=20, initial=1, label=_("Phase"))
    kind = forms.ChoiceField(choices=MilestoneKind.choices, label=_("Milestone"))
    title = forms.CharField(max_length=120, label=_("Title"))
    owner = forms.CharField(max_length=100, label=_("Responsible"))
    due_on = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs=DATE))
    standard = forms.CharField(max_length=300, label=_("Assessment standard"))


class ProgressForm(Bootstrap):
    milestone = forms.ModelChoiceField(queryset=None, label=_("Milestone"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Courtyard (self-governance unit)"))
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs=DATE))
    evidence = forms.CharField(max_length=300, label=_("Evidence"))

    def __init__(self, *args, milestones, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones
        self.fields["unit"].queryset = units


class ExtensionForm(ProgressForm):
    done_on = None
    evidence = None
    new_due = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))
