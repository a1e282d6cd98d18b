from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CRITERIA_MAX, INCOME_BASES, Category, CounterpartyKind, Criterion, Policy, Purpose, Step
from .money import parse_yuan


class YuanField(forms.CharField):
    """Amount typed in yuan (up to 2 decimals), cleaned to integer fen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": "form-control"})

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            fen = parse_yuan(value)
        except (ValueError, ArithmeticError) as exc:
            raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals.")) from exc
        if fen <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return fen


class _Bootstrap(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)


class AccountForm(_Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    purpose = forms.ChoiceField(choices=Purpose.choices, label=_("Purpose"))
    name = forms.CharField(max_length=120, label=_("Name"))
    custodian = forms.CharField(max_length=120, label=_("Custodian"))
    policy = forms.ChoiceField(choices=Policy.choices, label=_("Approval policy"))
    single_below = YuanField(required=False, label=_("Single approver below (yuan)"),
                             help_text=_("Leave empty to require the full policy for every amount."))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class IncomeForm(_Bootstrap):
    amount = YuanField(label=_("Amount (yuan)"))
    basis = forms.ChoiceField(choices=[(b.value, b.label) for b in INCOME_BASES], label=_("Basis"))
    counterparty_name = forms.CharField(max_length=120, label=_("From"))
    counterparty_kind = forms.ChoiceField(choices=CounterpartyKind.choices, label=_("Kind of payer"))
    booked_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    receipt_no = forms.CharField(max_length=40, required=False, label=_("Receipt no."))
    resolution_ref = forms.CharField(max_length=200, required=False, label=_("Resolution or vote"))
    memo = forms.CharField(max_length=300, required=False, label=_("Memo"))
    file = forms.FileField(required=False, label=_("Receipt or agreement (photo or PDF)"))


class ReverseForm(_Bootstrap):
    reason = forms.CharField(max_length=300, label=_("Why is this entry corrected?"))


class RequestForm(_Bootstrap):
    account = forms.ModelChoiceField(queryset=None, label=_("Account"))
    title = forms.CharField(max_length=200, label=_("What for"))
    amount = YuanField(label=_("Amount (yuan)"))
    category = forms.ChoiceField(choices=Category.choices, label=_("Category"))
    payee_name = forms.CharField(max_length=120, label=_("Payee"))
    payee_kind = forms.ChoiceField(choices=CounterpartyKind.choices, label=_("Kind of payee"))
    resolution_ref = forms.CharField(max_length=200, required=False, label=_("Resolution or vote"))

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts


class SignForm(_Bootstrap):
    step = forms.ChoiceField(choices=Step.choices, label=_("Step"))
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], label=_("Decision"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))
    resolution_ref = forms.CharField(max_length=200, required=False, label=_("Resolution or vote"))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, Step(s).label) for s in steps]


class PayForm(_Bootstrap):
    booked_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    receipt_no = forms.CharField(max_length=40, label=_("Invoice or receipt no."))
    file = forms.FileField(required=False, label=_("Invoice (photo or PDF)"))


class LevyForm(_Bootstrap):
    name = forms.CharField(max_length=120, label=_("Name"))
    rate = YuanField(label=_("Yuan per m² of exclusive area"))
    resolution_ref = forms.CharField(max_length=200, required=False, label=_("Resolution or vote"))


class LevyPaymentForm(_Bootstrap):
    charge = forms.IntegerField(widget=forms.HiddenInput)
    amount = YuanField(label=_("Amount (yuan)"))
    receipt_no = forms.CharField(max_length=40, label=_("Receipt no."))


class StatementForm(_Bootstrap):
    month = forms.CharField(max_length=7, label=_("Month (YYYY-MM)"))


class CallForm(_Bootstrap):
    account = forms.ModelChoiceField(queryset=None, label=_("Account"))
    title = forms.CharField(max_length=200, label=_("Title"))
    budget = YuanField(label=_("Budget (yuan)"))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts


class ProposalForm(_Bootstrap):
    title = forms.CharField(max_length=200, label=_("Title"))
    applicant = forms.CharField(max_length=120, label=_("Applicant (team or organisation)"))
    requested = YuanField(label=_("Requested (yuan)"))
    category = forms.ChoiceField(choices=Category.choices, label=_("Category"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary"))



class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        single = super().clean  # bound here: a bare super() does not work inside a comprehension on 3.11
        return [single(d, initial) for d in data]


class ResidentProposalForm(forms.Form):
    """The phone-sized form residents fill in (WeUI shell: no Bootstrap classes)."""

    title = forms.CharField(max_length=200, label=_("Project title"))
    applicant = forms.CharField(max_length=120, label=_("Who applies (you, your group or team)"))
    requested = YuanField(label=_("Amount asked for (yuan)"))
    category = forms.ChoiceField(choices=Category.choices, label=_("Category"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False,
                              label=_("What will you do, with whom, and when?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested"].widget.attrs.pop("class", None)


class ScoreForm(_Bootstrap):
    """Points per review criterion (choices.CRITERIA_MAX), whole numbers."""

    note = forms.CharField(max_length=300, required=False, label=_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for code, top in CRITERIA_MAX.items():
            fields[f"c_{code}"] = forms.IntegerField(
                min_value=0, max_value=top, label=_("%(criterion)s (0–%(max)s)") % {
                    "criterion": Criterion(code).label, "max": top},
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}))
        fields["note"] = self.fields.pop("note")
        self.fields = fields

    def criteria(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"c_{code}"] for code in CRITERIA_MAX}


class AwardForm(_Bootstrap):
    """One amount per proposal under review (empty or 0: not awarded), the decision and an optional vote."""

    award_ref = forms.CharField(max_length=200, required=False, label=_("Decided by (meeting, resolution)"))
    vote = forms.ModelChoiceField(queryset=None, required=False, label=_("Linked vote (optional)"))

    def __init__(self, *args, proposals=(), votes=None, **kwargs):
        super().__init__(*args, **kwargs)
        head = {}
        self.proposal_ids = []
        for p in proposals:
            head[f"p_{p.pk}"] = YuanField(required=False, label=_("Award for “%(title)s” (yuan)") % {"title": p.title})
            self.proposal_ids.append(p.pk)
        self.fields = head | self.fields
        self.fields["vote"].queryset = votes
        self.fields["vote"].widget.attrs["class"] = "form-select"

    def awards(self) -> dict[int, int]:
        return {pk: self.cleaned_data.get(f"p_{pk}") or 0 for pk in self.proposal_ids}


class ReportForm(_Bootstrap):
    report = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label=_("Final report"))
    files = MultiFileField(required=False, label=_("Photos or PDFs"))


class FeePlanForm(_Bootstrap):
    name = forms.CharField(max_length=120, label=_("Name"))
    rate = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2,
                              label=_("Fee (yuan per m² per month)"),
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(required=False, label=_("Until"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    settlor = forms.CharField(max_length=120, label=_("Settlor (the owners, via)"))
    trustee = forms.CharField(max_length=120, label=_("Trustee (property service company)"))
    resolution_ref = forms.CharField(max_length=200, required=False, label=_("Resolution or vote"))

    def clean(self):
        d = super().clean()
        if d.get("rate") is not None and d["rate"] <= 0:
            self.add_error("rate", _("The fee must be more than zero."))
        if d.get("ends_on") and d.get("starts_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return d


class TrusteeForm(forms.Form):
    """The trust institution (a partner unit of the account's community) holding the account in trust."""

    trustee = forms.ModelChoiceField(label=_("Trust institution"), queryset=None, required=False,
                                     empty_label=_("No trust institution"),
                                     widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, account, **kwargs):
        from courtyard.org.choices import PartnerKind
        from courtyard.org.models import PartnerUnit

        super().__init__(*args, **kwargs)
        field = self.fields["trustee"]
        field.queryset = PartnerUnit.objects.filter(community_id=account.community_id,
                                                    kind=PartnerKind.TRUST_INSTITUTION).order_by("name")
        field.initial = account.trustee_id
