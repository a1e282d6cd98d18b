from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.org.choices import CareLevel, LegalBasis

from .choices import Arrival, CareGroup, CaseState, EmergencyKind, Frequency, Grade, ManualReason, Tier, Wellbeing


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name if not obj.parent_id else f"{obj.parent.name} · {obj.name}"


class HazardForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    title = forms.CharField(label=_("Hazard"), max_length=120)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.YELLOW)
    kind = forms.ModelChoiceField(label=_("Kind of hazard"), queryset=None, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=None, required=False)
    request_id = forms.IntegerField(label=_("Service request number (if it came from one)"), min_value=1,
                                    required=False)
    photos = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, places, owners, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["owner"].queryset = owners
        self.fields["kind"].queryset = kinds


class HazardEditForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    kind = forms.ModelChoiceField(label=_("Kind of hazard"), queryset=None, required=False,
                                  help_text=_("A red hazard long overdue is escalated to the kind's department."))
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=None, required=False)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, owners, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["kind"].queryset = kinds


class ResidentHazardForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    title = forms.CharField(label=_("What is dangerous?"), max_length=120)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class RectifyForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(label=_("Photo after rectification"), required=False)


class ReinspectForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("Re-inspection result"), widget=forms.RadioSelect,
                                    coerce=lambda v: v == "yes",
                                    choices=[("yes", _("Rectified: close the hazard")),
                                             ("no", _("Not rectified: send it back"))])
    note = forms.CharField(label=_("Re-inspection note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PointForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    name = forms.CharField(label=_("Check point"), max_length=80)
    checklist = forms.CharField(
        label=_("Checklist"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question per line. A plain line is answered normal/abnormal; choices in brackets, "
                    "abnormal ones marked with !, e.g. 灭火器压力 [正常/偏低!/失效!]; a line ending in … asks for a note."))
    hazard_kind = forms.ModelChoiceField(label=_("Kind of hazard found here"), queryset=None, required=False)
    nfc_tag = forms.BooleanField(label=_("NFC tag fitted"), required=False,
                                 help_text=_("Write the point's check-in address on an NFC tag (NTAG213 or larger) "
                                             "as a URL record, and stick it beside the QR code."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, places, kinds, nfc_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["hazard_kind"].queryset = kinds
        if nfc_url:
            self.fields["nfc_tag"].help_text = _(
                "Write this address on an NFC tag (NTAG213 or larger) as a URL record, e.g. with the free "
                "NFC Tools app, and stick it beside the QR code: %(url)s") % {"url": nfc_url}


class RouteForm(forms.Form):
    grid = PlaceChoiceField(label=_("Grid"), queryset=None)
    name = forms.CharField(label=_("Route"), max_length=80)
    points = forms.ModelMultipleChoiceField(label=_("Check points (in walking order)"), queryset=None,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, grids, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["points"].queryset = points


class PlanForm(forms.Form):
    route = forms.ModelChoiceField(label=_("Route"), queryset=None)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.TWICE_DAILY)
    weekday = forms.TypedChoiceField(label=_("Weekday (weekly plans)"), coerce=int, initial=0, choices=[
        (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
        (5, _("Saturday")), (6, _("Sunday"))])
    first_start = forms.TimeField(label=_("First round from"), initial="08:00",
                                  widget=forms.TimeInput(attrs={"type": "time"}))
    first_end = forms.TimeField(label=_("First round until"), initial="10:00",
                                widget=forms.TimeInput(attrs={"type": "time"}))
    second_start = forms.TimeField(label=_("Second round from"), initial="16:00", required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    second_end = forms.TimeField(label=_("Second round until"), initial="18:00", required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}))
    grace_minutes = forms.IntegerField(label=_("Late until (minutes after the round)"), min_value=0, max_value=720,
                                       initial=120)
    make_up = forms.BooleanField(label=_("Make-up checks allowed"), required=False, initial=True)
    workers = forms.ModelMultipleChoiceField(label=_("Workers"), queryset=None, widget=forms.CheckboxSelectMultiple)
    starts = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, routes, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = routes
        self.fields["workers"].queryset = workers


class CheckInForm(forms.Form):
    """Built from a check point's checklist: one field per question. `arrival` says how the worker
    reached the page (the QR code, the NFC tag, or the list, which needs a reason)."""
    arrival = forms.ChoiceField(choices=Arrival.choices, widget=forms.HiddenInput, required=False)
    manual_reason = forms.ChoiceField(label=_("Why not scanned"), choices=[("", "—"), *ManualReason.choices],
                                      required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for it in items:
            if it["kind"] == "ok":
                field = forms.ChoiceField(label=it["label"], widget=forms.RadioSelect,
                                          choices=[("ok", _("Normal")), ("bad", _("Abnormal"))])
            elif it["kind"] == "choice":
                field = forms.ChoiceField(label=it["label"], widget=forms.RadioSelect,
                                          choices=[(c, c) for c in it["choices"]])
            else:
                field = forms.CharField(label=it["label"], required=False, max_length=500)
            self.fields[it["key"]] = field
        self.order_fields(["arrival", "manual_reason"] + [it["key"] for it in items] + ["note", "photo"])
        self.keys = [it["key"] for it in items]

    def answers(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.keys}


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    group = forms.ChoiceField(label=_("Group"), choices=CareGroup.choices)
    colour = forms.ChoiceField(label=_("Care colour"), choices=CareLevel.choices, initial=CareLevel.YELLOW)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    basis_note = forms.CharField(label=_("Basis details"), max_length=200,
                                 help_text=_("E.g. the consent form's date, or the statute and decision."))
    consent = forms.FileField(label=_("Signed consent form (photo or PDF)"), required=False)
    worker = forms.ModelChoiceField(label=_("Visiting worker"), queryset=None, required=False)
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, people, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["worker"].queryset = workers


class FamilyForm(forms.Form):
    phone = forms.CharField(label=_("Family member's mobile number"), max_length=20,
                            help_text=_("They see when and by whom the person was visited, and how they were."))


class CareEditForm(forms.Form):
    colour = forms.ChoiceField(label=_("Care colour"), choices=CareLevel.choices)
    worker = forms.ModelChoiceField(label=_("Visiting worker"), queryset=None, required=False)
    claimed_by = forms.ModelChoiceField(label=_("Care assignment (包联)"), queryset=None, required=False)
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    active = forms.BooleanField(label=_("Still in care"), required=False)

    def __init__(self, *args, workers, claimers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["claimed_by"].queryset = claimers


class VisitForm(forms.Form):
    wellbeing = forms.ChoiceField(label=_("How is the person?"), choices=Wellbeing.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was seen"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)


class CaseForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    title = forms.CharField(label=_("Dispute"), max_length=120)
    parties = forms.CharField(label=_("Parties (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tier = forms.TypedChoiceField(label=_("Tier"), coerce=int, choices=Tier.choices, initial=Tier.NEIGHBOUR)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class TakeForm(forms.Form):
    parties = forms.CharField(label=_("Parties (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(forms.Form):
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))


class TierForm(forms.Form):
    reason = forms.CharField(label=_("Why move it up a tier"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseCaseForm(forms.Form):
    result = forms.ChoiceField(label=_("How it ended"), widget=forms.RadioSelect, choices=[
        (CaseState.AGREED, CaseState.AGREED.label), (CaseState.REFERRED, CaseState.REFERRED.label),
        (CaseState.FAILED, CaseState.FAILED.label)])
    outcome = forms.CharField(label=_("Agreement or referral"), widget=forms.Textarea(attrs={"rows": 3}))
    referred_to = forms.CharField(label=_("Referred to"), max_length=120, required=False)
    published_outcome = forms.CharField(
        label=_("Published outcome (anonymised)"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the unit's public page: no names, no room numbers."))


class MediatorRequestForm(forms.Form):
    title = forms.CharField(label=_("What is the dispute about?"), max_length=120)
    summary = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class EmergencyPlanForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EmergencyKind.choices)
    title = forms.CharField(label=_("Plan"), max_length=120)
    contacts = forms.CharField(label=_("Contacts (one per line: role, name, phone)"),
                               widget=forms.Textarea(attrs={"rows": 3}))
    steps = forms.CharField(label=_("What to do"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class ReserveForm(forms.Form):
    name = forms.CharField(label=_("Material"), max_length=80)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=1_000_000)
    location = forms.CharField(label=_("Kept at"), max_length=80)
    check_every_days = forms.IntegerField(label=_("Check every (days)"), min_value=1, max_value=366, initial=30)


class DrillForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=100_000)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))


class IncidentForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EmergencyKind.choices)
    title = forms.CharField(label=_("Incident"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class LogForm(forms.Form):
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    review = forms.CharField(label=_("After-action review"), widget=forms.Textarea(attrs={"rows": 4}))


class HazardKindForm(forms.Form):
    community = PlaceChoiceField(label=_("Community"), queryset=None)
    name = forms.CharField(label=_("Kind of hazard"), max_length=60)
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None, required=False,
                                        help_text=_("None: red hazards of this kind are not escalated automatically."))
    whistle_after_days = forms.IntegerField(label=_("Escalate red hazards still open this many days after the deadline"),
                                            min_value=0, max_value=60, initial=2)
    respond_within_hours = forms.IntegerField(label=_("Respond within (hours)"), min_value=1, max_value=336,
                                              initial=48)

    def __init__(self, *args, communities, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["department"].queryset = departments


class WhistleForm(forms.Form):
    place = PlaceChoiceField(label=_("Where"), queryset=None)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    subject = forms.CharField(label=_("Matter"), max_length=160)
    request_id = forms.IntegerField(label=_("Service request number (if any)"), min_value=1, required=False)
    respond_within_hours = forms.IntegerField(label=_("Respond within (hours)"), min_value=1, max_value=336,
                                              initial=24)

    def __init__(self, *args, places, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["department"].queryset = departments


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}))
