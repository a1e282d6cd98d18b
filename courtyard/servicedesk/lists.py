"""The request queue, declared on the console toolkit (courtyard/core/console): tabs for the queues,
a filter bar, keyset pages over every matching request, sorting, Excel export and bulk actions."""

from __future__ import annotations

import datetime as dt

import django_filters as df
from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from courtyard.core.console import Column, ListPage
from courtyard.core.console.natural import NaturalKey
from courtyard.org.models import PartnerUnit

from . import permissions as P
from . import selectors
from .choices import State
from .location import full_label
from .models import Category

QUEUES = [("all", N_("All open")), ("mine", N_("Mine")), ("grid", N_("My grid")), ("overdue", N_("Overdue")),
          ("unassigned", N_("Unassigned")), ("vendor", N_("By vendor")), ("closed", N_("Finished"))]
# Open requests without a deadline go last; the keyset needs a value that is never NULL.
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def queue_of(params) -> str:
    q = params.get("q", "all")
    return q if q in dict(QUEUES) else "all"


class QueueFilter(df.FilterSet):
    q = df.CharFilter(method="keep", widget=forms.HiddenInput)  # the tab: applied by the list, kept in the form
    text = df.CharFilter(label=_("Number or title"), method="search")
    state = df.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("Any"))
    category = df.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.none(), empty_label=_("Any"))
    vendor = df.ModelChoiceFilter(label=_("Vendor"), queryset=PartnerUnit.objects.none(), empty_label=_("Any"))

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["category"].queryset = Category.objects.visible_to(user).order_by(NaturalKey("name"), "pk")
        if queue_of(data or {}) == "vendor":
            self.filters["vendor"].queryset = (PartnerUnit.objects.visible_to(user)
                                               .filter(agreements__isnull=False).distinct().order_by("name", "pk"))
        else:
            del self.filters["vendor"]
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)

    def keep(self, qs, name, value):
        return qs

    def search(self, qs, name, value):
        value = value.strip().lstrip("#")
        if value.isdigit():
            return qs.filter(Q(pk=int(value)) | Q(title__icontains=value))
        return qs.filter(title__icontains=value)


def _title(r) -> str:
    link = format_html('<a href="{}">{}</a>', reverse("servicedesk:console_detail", args=[r.pk]), r.title)
    if r.urgency != "normal":
        return format_html('{} <span class="badge text-bg-danger">{}</span>', link, r.get_urgency_display())
    return link


def _assignee(r) -> str | None:
    if r.assignee_id:
        return r.assignee.display_name
    return r.vendor.name if r.vendor_id else None


def _deadline(r) -> str:
    if not r.next_due:
        return "—"
    when = timezone.localtime(r.next_due).strftime("%m-%d %H:%M")
    if r.overdue:
        return format_html('<span class="text-danger fw-bold">{} ({})</span>', when, _("overdue"))
    return when


def _select(r) -> str:
    return format_html('<input class="form-check-input" type="checkbox" name="ids" value="{}" form="bulk-form" '
                       'aria-label="{}">', r.pk, _("Select request %(n)s") % {"n": r.pk})


class RequestQueue(ListPage):
    title = _("Requests")
    permission = P.VIEW
    export_name = "requests"
    filterset_class = QueueFilter
    template = "servicedesk/queue.html"
    ordering = ((Coalesce("next_due", Value(NO_DEADLINE)), False), "-pk")
    columns = [
        Column("number", "#", value="pk", numeric=True),
        Column("title", _("Title"), html=_title, export_value=lambda r: r.title),
        Column("category", _("Category"), value="category.name"),
        Column("place", _("Location"), value=lambda r: full_label(r.place)),
        Column("state", _("State"), sort=("state",)),
        Column("assignee", _("Assignee"), value=_assignee),
        Column("next_due", _("Next deadline"), html=_deadline,
               export_value=lambda r: timezone.localtime(r.next_due).replace(tzinfo=None) if r.next_due else ""),
        Column("escalation", _("Escalation"), value=lambda r: r.get_escalation_display() if r.escalation else None),
        Column("created_at", _("Filed at"), value=lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
               sort=("created_at",)),
    ]

    def filtered(self, user, params):
        self.queue = queue_of(params)
        if self.queue == "closed":
            self.ordering = ((Coalesce("closed_at", "created_at"), True), "-pk")
        qs = selectors.queue_requests(user, self.queue)
        filterset = self.filterset_class(params, queryset=qs, user=user)
        from courtyard.core.console.widgets import fast_widgets

        fast_widgets(filterset.form)
        return filterset.qs, filterset

    def get_columns(self, request):
        self.can_handle = request.user.has_perm(P.HANDLE)
        if self.can_handle and self.queue != "closed":
            return [Column("select", _("Select"), html=_select, export=False), *self.columns]
        return self.columns

    def extra_context(self, request):
        return {
            "q": self.queue, "queues": [(k, _(v)) for k, v in QUEUES],
            "can_bulk": self.can_handle and self.queue != "closed",
            "state": request.GET.get("state", ""),
            "bulk_actions": [("accept", _("Accept")), ("close", _("Close"))],
        }
