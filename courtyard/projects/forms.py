"""Forms of the projects console (Bootstrap) and resident pages (WeUI shell: no Bootstrap classes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import (
    AcceptanceStage,
    ArchiveItem,
    AwardMethod,
    Category,
    ConsentAnswer,
    ConsentChannel,
    ContractRole,
    Criterion,
    Disposition,
    FacilityKind,
    InspectionKind,
    Party,
    QuestionKind,
    ResponseChannel,
    Source,
    StructureStatus,
    SurveyPer,
)
from .money import parse_yuan


class Bootstrap(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            else:
                w.attrs.setdefault("class", "form-control")


class YuanField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return 0
        try:
            return parse_yuan(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals.")) from exc


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SuggestionForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    source = forms.ChoiceField(choices=Source.choices, label=_("Source"))
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"),
                                help_text=_("The topic, survey, patrol or request it came from (number or title)."))
    text = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label=_("Suggestion"))
    received_on = forms.DateField(required=False, label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MergeForm(Bootstrap):
    title = forms.CharField(max_length=200, label=_("Consensus item"))
    suggestions = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                                 label=_("Suggestions it brings together"))

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = suggestions


class ProjectForm(Bootstrap):
    title = forms.CharField(max_length=120, label=_("Title"))
    category = forms.ChoiceField(choices=Category.choices, label=_("Category"))
    owner = forms.CharField(max_length=100, label=_("Responsible party"))
    budget_fen = YuanField(label=_("Budget (yuan)"), required=False)
    place = forms.ModelChoiceField(queryset=None, required=False, label=_("Place"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description"))
    consensus_items = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                     widget=forms.CheckboxSelectMultiple,
                                                     label=_("Consensus items it carries out"))

    def __init__(self, *args, places, consensus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["consensus_items"].queryset = consensus


class RectificationForm(Bootstrap):
    text = forms.CharField(max_length=300, label=_("Item to fix"))
    due_on = forms.DateField(required=False, label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class SurveyForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    title = forms.CharField(max_length=120, label=_("Title"))
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Introduction"))
    per = forms.ChoiceField(choices=SurveyPer.choices, label=_("Who answers"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class QuestionForm(Bootstrap):
    kind = forms.ChoiceField(choices=QuestionKind.choices, label=_("Kind"))
    text = forms.CharField(max_length=300, label=_("Question"))
    options = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Options"),
                              help_text=_("One per line. For a 5-point scale: five labels from lowest to highest, "
                                          "or leave empty for 1–5."))
    rows = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Matrix rows"),
                           help_text=_("One per line, for a matrix question only."))

    def clean_options(self):
        return _lines(self.cleaned_data["options"])

    def clean_rows(self):
        return _lines(self.cleaned_data["rows"])


def answer_fields(form: forms.Form, questions, *, resident: bool) -> None:
    """Adds one field per question (one per row of a matrix) to `form`."""
    radio, boxes = forms.RadioSelect, forms.CheckboxSelectMultiple
    for q in questions:
        name = f"q{q.pk}"
        choices = [(str(i), label) for i, label in enumerate(q.options)]
        label = f"{q.position}. {q.text}"
        if q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            form.fields[name] = forms.ChoiceField(choices=choices, widget=radio, required=False, label=label)
        elif q.kind == QuestionKind.MULTIPLE:
            form.fields[name] = forms.MultipleChoiceField(choices=choices, widget=boxes, required=False, label=label)
        elif q.kind == QuestionKind.MATRIX:
            for i, row in enumerate(q.rows):
                form.fields[f"{name}_r{i}"] = forms.ChoiceField(choices=choices, widget=radio, required=False,
                                                                label=f"{label} · {row}")
        else:
            form.fields[name] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                                max_length=2000, label=label)


def answers_from(form: forms.Form, questions) -> dict:
    """The service's answers dict from a bound, valid form."""
    d = form.cleaned_data
    out: dict = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == QuestionKind.MATRIX:
            rows = {i: int(d[f"{name}_r{i}"]) for i in range(len(q.rows)) if d.get(f"{name}_r{i}") not in (None, "")}
            if rows:
                out[q.pk] = rows
        elif q.kind == QuestionKind.TEXT:
            if d.get(name):
                out[q.pk] = d[name]
        elif q.kind == QuestionKind.MULTIPLE:
            if d.get(name):
                out[q.pk] = [int(v) for v in d[name]]
        elif d.get(name) not in (None, ""):
            out[q.pk] = [int(d[name])]
    return out


class ResidentAnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        answer_fields(self, questions, resident=True)


class EntryForm(Bootstrap):
    """Staff key in a paper questionnaire or record an interview on a resident's behalf."""

    person = forms.ModelChoiceField(queryset=None, label=_("Resident who answered"))
    channel = forms.ChoiceField(choices=[c for c in ResponseChannel.choices if c[0] != ResponseChannel.ONLINE],
                                label=_("Channel"))

    def __init__(self, *args, people, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        answer_fields(self, questions, resident=False)
        for name, field in self.fields.items():
            if name.startswith("q"):
                field.widget.attrs["class"] = ("form-check-input" if isinstance(
                    field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)) else "form-control")


class CampaignForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    title = forms.CharField(max_length=120, label=_("Title"))
    target_percent = forms.IntegerField(min_value=1, max_value=100, initial=90, label=_("Target consent rate (%)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ConsentForm(Bootstrap):
    dwelling = forms.ModelChoiceField(queryset=None, label=_("Household"))
    answer = forms.ChoiceField(choices=ConsentAnswer.choices, widget=forms.RadioSelect, label=_("Answer"))
    channel = forms.ChoiceField(choices=[c for c in ConsentChannel.choices if c[0] != ConsentChannel.ONLINE],
                                label=_("Channel"))
    helper = forms.CharField(max_length=60, required=False, label=_("Collected by"),
                             help_text=_("The helper or volunteer who collected it (you, if left empty)."))

    def __init__(self, *args, dwellings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dwelling"].queryset = dwellings
        self.fields["dwelling"].label_from_instance = lambda d: d.label


class ResidentConsentForm(forms.Form):
    answer = forms.ChoiceField(choices=ConsentAnswer.choices, widget=forms.RadioSelect, label=_("Your answer"))


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        single = super().clean
        return [single(d, initial) for d in data]


class PlanForm(Bootstrap):
    title = forms.CharField(max_length=120, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Summary"))
    drawings = MultiFileField(required=False, label=_("Drawings (PDF or images)"))


class OpinionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, label=_("Your opinion"))


class DisposeForm(Bootstrap):
    disposition = forms.ChoiceField(choices=Disposition.choices, label=_("Disposition"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Reason"))


class InspectionForm(Bootstrap):
    kind = forms.ChoiceField(choices=InspectionKind.choices, label=_("Kind"))
    inspected_on = forms.DateField(required=False, label=_("Inspected on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Findings"))
    satisfactory = forms.BooleanField(required=False, initial=True, label=_("Satisfactory"))
    photos = MultiFileField(required=False, label=_("Photos"))


MET = [("", "—"), ("1", _("Met")), ("0", _("Not met"))]


class AcceptanceForm(Bootstrap):
    stage = forms.ChoiceField(choices=AcceptanceStage.choices, label=_("Stage"))
    held_on = forms.DateField(required=False, label=pgettext_lazy("acceptance", "Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    parties = forms.MultipleChoiceField(choices=Party.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                        label=_("Parties present (joint final acceptance)"))
    passed = forms.BooleanField(required=False, label=_("Passed"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note"))
    snags = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Snags found"),
                            help_text=_("One per line; each is closed on its own."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in Criterion:
            self.fields[f"c_{c.value}"] = forms.ChoiceField(choices=MET, required=False, label=c.label,
                                                            widget=forms.Select(attrs={"class": "form-select"}))

    def criteria(self) -> dict:
        d = self.cleaned_data
        return {c.value: d[f"c_{c.value}"] == "1" for c in Criterion if d.get(f"c_{c.value}")}

    def clean_snags(self):
        return _lines(self.cleaned_data["snags"])


class HandoverForm(Bootstrap):
    items = forms.MultipleChoiceField(choices=ArchiveItem.choices, widget=forms.CheckboxSelectMultiple,
                                      label=_("Archive contents handed over"))
    received_by = forms.CharField(max_length=60, label=_("Received for the committee by"))
    receipt = forms.FileField(label=_("Signed receipt (PDF or photo)"))


class FacilityForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    name = forms.CharField(max_length=100, label=_("Name"))
    kind = forms.ChoiceField(choices=FacilityKind.choices, label=_("Kind"))
    place = forms.ModelChoiceField(queryset=None, required=False, label=_("Building or entrance"))
    location = forms.CharField(max_length=200, required=False, label=_("Location"))
    owner = forms.CharField(max_length=100, label=_("Owner"))
    owner_partner = forms.ModelChoiceField(queryset=None, required=False, label=_("Owner (partner unit)"),
                                           help_text=_("The service desk sends this facility's repairs to it first."))
    maintenance_standard = forms.CharField(max_length=300, required=False, label=_("Maintenance standard"))
    funding_source = forms.CharField(max_length=100, required=False, label=_("Funding source"))
    maintenance_every_days = forms.IntegerField(min_value=1, max_value=3650, initial=90,
                                                label=_("Maintenance every (days)"))
    warranty_ends = forms.DateField(required=False, label=_("Warranty ends"),
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, places, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["place"].queryset = places
        self.fields["owner_partner"].queryset = partners


class StructureForm(Bootstrap):
    unit = forms.ModelChoiceField(queryset=None, label=_("Self-governance unit"))
    description = forms.CharField(max_length=200, label=_("Description"))
    location = forms.CharField(max_length=200, required=False, label=_("Location"))
    area_m2 = forms.DecimalField(max_digits=8, decimal_places=2, required=False, label=_("Area (m²)"))
    demolition_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                      label=_("Demolition plan"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StructureUpdateForm(Bootstrap):
    status = forms.ChoiceField(choices=StructureStatus.choices, label=_("Status"))
    demolition_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                      label=_("Demolition plan"))
    self_removed = forms.BooleanField(required=False, label=_("Removed by its owner"))
    removed_on = forms.DateField(required=False, label=_("Removed on"), widget=forms.DateInput(attrs={"type": "date"}))


class ContractForm(Bootstrap):
    role = forms.ChoiceField(choices=ContractRole.choices, label=_("Role"))
    method = forms.ChoiceField(choices=AwardMethod.choices, label=_("Award method"))
    quotes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Quotations"),
                             help_text=_("One per line: party, amount in yuan (e.g. 成都某建筑公司, 168000)."))
    party = forms.CharField(max_length=120, label=_("Contracting party"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Reason for the choice"))
    number = forms.CharField(max_length=60, label=_("Contract number"))
    amount_fen = YuanField(label=_("Amount (yuan)"))
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    retention_percent = forms.IntegerField(min_value=0, max_value=10, initial=3, label=_("Retention (%)"))
    warranty_months = forms.IntegerField(min_value=0, max_value=120, initial=24, required=False,
                                         label=_("Warranty (months)"),
                                         help_text=_("The retention is released this long after the joint final "
                                                     "acceptance."))
    partner = forms.ModelChoiceField(queryset=None, required=False, label=_("Partner unit"),
                                     help_text=_("The contractor as a partner unit: residents' concerns reach it."))

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        from courtyard.org.models import PartnerUnit

        self.fields["partner"].queryset = partners if partners is not None else PartnerUnit.objects.none()

    def clean_warranty_months(self):
        value = self.cleaned_data.get("warranty_months")
        return 24 if value is None else value

    def clean_quotes(self):
        out = []
        for line in _lines(self.cleaned_data["quotes"]):
            party, _sep, amount = line.replace("，", ",").rpartition(",")
            try:
                fen = parse_yuan(amount)
            except ValueError:
                fen = 0
            if not party.strip() or fen <= 0:
                raise forms.ValidationError(_("Write each quotation as: party, amount in yuan."))
            out.append({"party": party.strip(), "amount_fen": fen})
        return out


class ConcernForm(forms.Form):
    text = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           label=_("What concerns you about the works?"),
                           help_text=_("Noise, dust, safety, blocked paths… The contractor answers within 24 hours."))


class TestReportForm(Bootstrap):
    title = forms.CharField(max_length=120, label=_("Report"))
    lab = forms.CharField(max_length=120, label=_("Testing body"))
    tested_on = forms.DateField(label=_("Tested on"), widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.BooleanField(required=False, initial=True, label=_("Meets the standard"))
    report = forms.FileField(label=_("Report file (PDF or photo)"))
