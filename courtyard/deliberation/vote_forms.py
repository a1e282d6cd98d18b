"""The console form of a vote (create and edit). Every error sits on the field it concerns (ADR 0012)."""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import choices as c
from . import permissions as p
from . import selectors
from .forms import DT_FORMAT, _bootstrap
from .models import Topic, Vote

START_NOW, START_AT, START_DRAFT = "now", "at", "draft"


def parse_share(text: str) -> Fraction:
    """'2/3', '0.5', '50%', '２／３' -> Fraction in [0, 1]; forms.ValidationError in words otherwise."""
    raw = str(text).strip().replace("／", "/").replace("％", "%")
    try:
        value = Fraction(raw[:-1].strip()) / 100 if raw.endswith("%") else Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise forms.ValidationError(
            _("Write a share such as 2/3, 0.5 or 50%% — “%(value)s” is not one."), code="not_a_share",
            params={"value": text}) from None
    if not 0 <= value <= 1:
        raise forms.ValidationError(_("A share lies between 0 and 1 (0 to 100 percent)."), code="out_of_range")
    return value


class VoteForm(forms.ModelForm):
    start = forms.ChoiceField(label=_("When does voting start?"), widget=forms.RadioSelect, initial=START_NOW,
                              choices=[(START_NOW, _("Open now")), (START_AT, _("At the time below (scheduled)")),
                                       (START_DRAFT, _("Keep as a draft for now"))])
    options_text = forms.CharField(label=_("Options (one per line)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Only for a vote between options."))

    class Meta:
        model = Vote
        fields = ["unit", "topic", "title", "description", "electorate", "choice_kind", "max_choices", "rule",
                  "custom_participation", "custom_approval", "custom_approval_strict", "follow_majority",
                  "opens_at", "closes_at", "notice_days", "allow_change", "show_interim", "may_close_early"]
        labels = {"title": _("Title of the vote"), "opens_at": _("Opens at"), "closes_at": _("Closes at")}
        help_texts = {
            "custom_participation": _("Only for custom thresholds: a share such as 2/3, 0.5 or 50%."),
            "custom_approval": _("Only for custom thresholds: a share such as 1/2 or 75%."),
            "show_interim": _("Off unless the unit's rules of procedure say voters may see the count mid-vote."),
            "may_close_early": _("Off unless the unit's rules of procedure allow it. Without it, counting starts at "
                                 "the closing time (or once everybody has voted and ballots cannot change)."),
        }
        widgets = {"opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
                   "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
                   "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"closes_at": {"required": _("Give the closing time.")},
                          "title": {"required": _("Write the question put to the vote.")}}

    field_order = ["unit", "topic", "title", "description", "start", "opens_at", "closes_at", "electorate",
                   "choice_kind", "options_text", "max_choices", "rule"]

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.MANAGE_VOTE)
        self.fields["topic"].queryset = Topic.objects.visible_to(user).filter(step__in=["discussion", "voting"])
        self.fields["opens_at"].required = False
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if editing:
            del self.fields["unit"]
            if self.instance.status == c.VoteStatus.SCHEDULED:
                self.fields["start"].choices = [(START_AT, _("At the time below (scheduled)")),
                                                (START_NOW, _("Open now")),
                                                (START_DRAFT, _("Back to draft (not scheduled)"))]
                self.fields["start"].initial = START_AT
            else:
                self.fields["start"].initial = START_DRAFT
            self.fields["options_text"].initial = "\n".join(self.instance.options or [])
        _bootstrap(self)
        self.fields["start"].widget.attrs["class"] = "form-check-input"

    def _share(self, name: str) -> str:
        text = (self.cleaned_data.get(name) or "").strip()
        if text:
            value = parse_share(text)
            return f"{value.numerator}/{value.denominator}"
        return ""

    def clean_custom_participation(self):
        return self._share("custom_participation")

    def clean_custom_approval(self):
        return self._share("custom_approval")

    def clean(self):
        data = super().clean()
        now = timezone.now()
        start = data.get("start")
        if start == START_NOW:
            data["opens_at"] = now
        elif not data.get("opens_at") and "opens_at" not in self.errors:
            self.add_error("opens_at", _("Give the opening time, or choose “Open now”."))
        elif start == START_AT and data["opens_at"] <= now:
            self.add_error("opens_at", _("A scheduled vote opens in the future; to start it now, choose “Open now”."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The vote must close after it opens."))
        elif closes and closes <= now:
            self.add_error("closes_at", _("The closing time must lie in the future."))
        if data.get("rule") == c.RuleCode.CUSTOM:
            for name in ("custom_participation", "custom_approval"):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, _("Custom thresholds need both shares."))
        if data.get("rule") in (c.RuleCode.ART278_MAJOR, c.RuleCode.ART278_ORDINARY) and \
                data.get("electorate") not in (None, c.Electorate.OWNERS):
            self.add_error("rule", _("The Civil Code rules apply to votes of owners."))
        options = [x.strip() for x in (data.get("options_text") or "").splitlines() if x.strip()]
        if data.get("choice_kind") not in (None, c.ChoiceKind.YES_NO) and len(options) < 2:
            self.add_error("options_text", _("Give at least two options, one per line."))
        data["options"] = options
        return data

    def service_fields(self) -> dict:
        """cleaned_data in the shape the services take (no form-only fields)."""
        d = {k: v for k, v in self.cleaned_data.items() if k not in ("start", "options_text")}
        if not d.get("opens_at"):
            d["opens_at"] = timezone.now()
        return d


def field_errors(form: forms.Form, exc) -> None:
    """A service's ValidationError onto the form: keyed errors on their field (options → the options box)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = "options_text" if name == "options" else name
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc)
