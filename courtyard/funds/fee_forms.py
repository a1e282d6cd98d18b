"""Forms of household fees (SVC-13). Amounts are typed in yuan and stored in fen."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.org.models import Dwelling

from .choices import FeeBasis, FeeKind, FeePeriod
from .money import parse_yuan


def _bootstrap(form):
    for f in form.fields.values():
        css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
        f.widget.attrs.setdefault("class", css)


class HouseholdFeeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fee"), choices=FeeKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    basis = forms.ChoiceField(label=_("Charged"), choices=FeeBasis.choices)
    rate_yuan = forms.DecimalField(label=_("Rate (yuan per household, or per m², per period)"), min_value=Decimal(
        "0.0001"), max_digits=12, decimal_places=4)
    period = forms.ChoiceField(label=_("Billed"), choices=FeePeriod.choices)
    uses = forms.CharField(label=_("What the money is used for (published)"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    resolution_ref = forms.CharField(label=_("Decided by (resolution or vote)"), max_length=200, required=False)
    points_per_yuan = forms.IntegerField(label=_("Points offset: points per yuan (empty: no offset)"), min_value=0,
                                         max_value=10_000, required=False)
    offset_share = forms.IntegerField(label=_("Points offset: at most this share of a bill (%)"), min_value=0,
                                      max_value=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["rate_fen"] = d.pop("rate_yuan") * 100
        d["points_per_yuan"] = d.get("points_per_yuan") or 0
        d["offset_share"] = d.get("offset_share") or 0
        return d


class IssueForm(forms.Form):
    day = forms.DateField(label=_("A day in the period to bill"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_days = forms.IntegerField(label=_("Days to pay"), min_value=0, max_value=366, initial=30)
    dwellings = forms.ModelMultipleChoiceField(
        label=_("Only these dwellings (e.g. holders of a parking space); none ticked: every dwelling"),
        queryset=Dwelling.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dwellings"].queryset = Dwelling.objects.filter(unit=plan.account.unit_id).select_related(
            "courtyard", "building", "entrance").order_by("path", "number")
        self.fields["dwellings"].label_from_instance = lambda d: d.label
        _bootstrap(self)

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["dwellings"] = list(d["dwellings"]) or None
        return d


class OfficePaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    receipt_no = forms.CharField(label=_("Paper receipt number"), max_length=40)
    payer_name = forms.CharField(label=_("Paid by"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_amount(self):
        try:
            return parse_yuan(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError(_("Give the amount in yuan, e.g. 12.50.")) from None
