"""Partner resources on the console: every contribution with its valuation, the report per partner
and per year, and the form to record one."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, service_form
from courtyard.core.permissions import require_perm
from courtyard.org.models import PartnerUnit

from .. import forms, selectors, services
from ..domain import yuan
from ..models import PartnerContribution
from ..permissions import RECORD_RESOURCES, VIEW


class ResourceList(ListPage):
    title = gettext_lazy("Partner resources")
    permission = VIEW
    export_name = "partner-resources"
    ordering = ("-day", "-pk")
    columns = [
        Column("day", gettext_lazy("Day"), sort=("day",)),
        Column("partner", gettext_lazy("Partner unit"), value="partner.name"),
        Column("title", gettext_lazy("What was given")),
        Column("method", gettext_lazy("Valued as")),
        Column("quantity", gettext_lazy("Quantity"), numeric=True),
        Column("unit_price", gettext_lazy("Unit price (yuan)"), numeric=True, value=lambda r: yuan(r.unit_price_fen),
               export_value=lambda r: r.unit_price_fen / 100),
        Column("value", gettext_lazy("Value (yuan)"), numeric=True, value=lambda r: yuan(r.value_fen),
               export_value=lambda r: r.value_fen / 100, sort=("value_fen",)),
        Column("note", gettext_lazy("Basis of the price")),
    ]
    template = "participation/console/resources.html"

    def get_queryset(self, user):
        return PartnerContribution.objects.visible_to(user).select_related("partner")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(RECORD_RESOURCES), "report": selectors.resources_report(request.user)}


@require_perm(RECORD_RESOURCES)
def resource_new(request):
    partners = PartnerUnit.objects.visible_to(request.user, RECORD_RESOURCES).order_by("name", "pk")
    form = forms.ContributionForm(request.POST or None, partners=partners)
    return service_form(
        request, form, title=_("Record a partner contribution"), back_url=reverse("participation:resources"),
        intro=_("Value = quantity × unit price. Say where the price comes from: the report shows the method of "
                "every row."),
        write=lambda d: services.record_contribution(by=Actor.from_request(request), **d),
        success=_("The contribution is recorded."), next=reverse("participation:resources"))
