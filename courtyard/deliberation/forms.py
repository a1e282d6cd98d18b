"""Console and resident forms of deliberation. They parse and check shapes; the services decide."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.org.models import Person, SelfGovernanceUnit

from . import choices as c
from . import permissions as p
from . import selectors
from .models import Topic

DATETIME = {"type": "datetime-local"}
DT_FORMAT = "%Y-%m-%dT%H:%M"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        else:
            f.widget.attrs.setdefault("class", "form-control")


def _dt_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs=DATETIME, format=DT_FORMAT),
                               input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"], **kwargs)


class TopicChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.title} ({obj.get_step_display()})"


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=SelfGovernanceUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=c.MeetingKind.choices)
    title = forms.CharField(label=_("Meeting title"), max_length=150)
    starts_at = _dt_field(_("Date and time"))
    location = forms.CharField(label=_("Place"), max_length=150)
    agenda = TopicChoices(label=_("Agenda (open topics)"), queryset=Topic.objects.none(), required=False,
                          widget=forms.CheckboxSelectMultiple,
                          help_text=_("Only topics of the chosen unit that are still open can be put on the agenda."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.MANAGE_MEETING)
        self.fields["agenda"].queryset = (
            Topic.objects.visible_to(user, p.VIEW_TOPIC).filter(hidden=False, merged_into__isnull=True)
            .exclude(step=c.Step.CLOSED).order_by("unit", "-proposed_at", "-id"))
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        unit, agenda = data.get("unit"), data.get("agenda") or []
        if unit is not None and any(t.unit_id != unit.pk for t in agenda):
            self.add_error("agenda", _("Every agenda topic must belong to the chosen unit."))
        return data


class DeskSignInForm(forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("Residents present"), queryset=Person.objects.none(),
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Tick at least one person.")})

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (Person.objects.filter(unit=meeting.unit_id, active=True)
                                          .exclude(pk__in=meeting.attendance.values("person"))
                                          .order_by("path", "name", "id"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}),
                              error_messages={"required": _("Write the minutes first.")})

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = list(meeting.agenda.all())
        for topic in self.agenda:
            self.fields[f"res_{topic.pk}"] = forms.CharField(
                label=_("Resolution on “%(t)s”") % {"t": topic.title}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["res_other"] = forms.CharField(label=_("Other resolution (not linked to a topic)"),
                                                   required=False, widget=forms.Textarea(attrs={"rows": 2}))
        _bootstrap(self)

    def resolutions(self) -> list[tuple[Topic | None, str]]:
        out = [(t, self.cleaned_data.get(f"res_{t.pk}", "")) for t in self.agenda]
        out.append((None, self.cleaned_data.get("res_other", "")))
        return [(t, text) for t, text in out if text.strip()]


class DocumentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=SelfGovernanceUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=c.DocumentKind.choices)
    title = forms.CharField(label=_("Document title"), max_length=150)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Start each numbered section on its own line with “## ”, "
                                       "e.g. “## Article 1 Environment”."))
    note = forms.CharField(label=_("Note on this version"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.MANAGE_TOPIC)
        _bootstrap(self)

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        heads = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
        if not heads:
            raise forms.ValidationError(_("Give the text at least one section heading line starting with “## ”."))
        if len(set(heads)) != len(heads):
            raise forms.ValidationError(_("Two sections have the same heading; number them."))
        if any(not h for h in heads):
            raise forms.ValidationError(_("A section heading is empty."))
        return text


class VersionForm(DocumentForm):
    """A new version of an existing document: only the text and the note."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("unit", "kind", "title"):
            del self.fields[name]


class ConsolidateForm(VersionForm):
    pass


class CommentPeriodForm(forms.Form):
    until = _dt_field(_("Comments close"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("The comment period must end in the future."))
        if until > timezone.now() + timedelta(days=92):
            raise forms.ValidationError(_("A comment period lasts at most three months."))
        return until


class DocumentVoteForm(forms.Form):
    electorate = forms.ChoiceField(label=_("Who votes"), choices=c.Electorate.choices)
    rule = forms.ChoiceField(label=_("Rule"), choices=[x for x in c.RuleCode.choices if x[0] != c.RuleCode.CUSTOM])
    opens_at = _dt_field(_("Opens"))
    closes_at = _dt_field(_("Closes"))
    notice_days = forms.IntegerField(label=_("Notice period (days)"), min_value=1, max_value=90, initial=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The vote must close after it opens."))
        if data.get("rule") in (c.RuleCode.ART278_MAJOR, c.RuleCode.ART278_ORDINARY) and \
                data.get("electorate") not in (None, c.Electorate.OWNERS):
            self.add_error("rule", _("The Civil Code rules apply to votes of owners."))
        return data


class QuotaForm(forms.Form):
    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in c.QuotaGroup.choices:
            self.fields[value] = forms.IntegerField(label=label, min_value=0, max_value=99, initial=current.get(value, 0),
                                                    help_text=_("0: no minimum"))
        _bootstrap(self)


class NoticeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=SelfGovernanceUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v) for k, v in c.NoticeKind.choices
                                                       if k in (c.NoticeKind.ANNOUNCEMENT, c.NoticeKind.DECISION)])
    title = forms.CharField(label=_("Notice title"), max_length=150)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    decided_at = _dt_field(_("Decided on"))
    period_days = forms.IntegerField(label=_("Notice period (days)"), min_value=1, max_value=90, initial=7)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.PUBLISH)
        _bootstrap(self)

    def clean_decided_at(self):
        when = self.cleaned_data["decided_at"]
        if when > timezone.now():
            raise forms.ValidationError(_("The decision date cannot lie in the future."))
        return when


class SectionCommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"))
    body = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write a comment first.")})

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(h, h or _("Whole text")) for h, _b in version.sections()]
