"""Insight's console lists on the console toolkit (courtyard/core/console)."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.console import Column, ListPage
from courtyard.core.indicators import catalogue

from . import permissions as P
from .models import CaseStatus, Level, WarningCase


class CaseFilter(df.FilterSet):
    status = df.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    level = df.ChoiceFilter(label=pgettext_lazy("warning", "Level"), choices=[("yellow", _("Yellow")), ("red", _("Red"))])
    code = df.ChoiceFilter(label=_("Indicator"), choices=[])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["code"].extra["choices"] = [(c, i.label) for c, i in catalogue().items()]
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)


def _level(case: WarningCase):
    css = "text-bg-danger" if case.level == Level.RED else "text-bg-warning"
    word = _("Red · listed case") if case.level == Level.RED else _("Yellow")
    return format_html('<span class="badge {}">{}</span>', css, word)


def _deadline(case: WarningCase):
    if case.overdue:
        return format_html('{} <span class="badge text-bg-danger">{}</span>', case.deadline, _("overdue"))
    return str(case.deadline)


def _indicator(case: WarningCase) -> str:
    ind = catalogue().get(case.code)
    return str(ind.label) if ind else case.code


class CaseList(ListPage):
    title = _("Warning cases")
    permission = P.VIEW
    export_name = "warning_cases"
    filterset_class = CaseFilter
    ordering = ("-opened_at", "-id")
    columns = [
        Column("scope_name", _("Where"), link=lambda c: c.get_console_url()),
        Column("code", _("Indicator"), value=_indicator),
        Column("level", pgettext_lazy("warning", "Level"), html=_level),
        Column("value", pgettext_lazy("indicator", "Value"), value=lambda c: c.value_shown),
        Column("period_key", _("Period")),
        Column("lead_place", _("Led by"), value="lead_place.name"),
        Column("owner", pgettext_lazy("warning case", "Owner"), value=lambda c: c.owner.display_name if c.owner else "—"),
        Column("deadline", _("Deadline"), html=_deadline),
        Column("status", _("Status"), value=lambda c: c.get_status_display()),
    ]

    def get_queryset(self, user):
        return WarningCase.objects.visible_to(user).select_related("lead_place", "owner")
