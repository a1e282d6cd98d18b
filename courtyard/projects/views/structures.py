"""Console pages of the illegal-structure register (PRJ-7)."""

from __future__ import annotations

import django_filters as df
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, service_form
from courtyard.core.permissions import require_perm
from courtyard.org.models import SelfGovernanceUnit

from .. import forms, selectors, services
from .. import permissions as p
from ..choices import StructureStatus
from ..models import IllegalStructure
from ._common import managed_units
from .library import UnitFilterSet


class StructureFilter(UnitFilterSet):
    unit = df.ModelChoiceFilter(label=gettext_lazy("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    status = df.ChoiceFilter(label=gettext_lazy("Status"), choices=StructureStatus.choices)

    class Meta:
        model = IllegalStructure
        fields = ["unit", "status"]


def _yes(v: bool) -> str:
    return _("yes") if v else _("no")


class StructureList(ListPage):
    title = gettext_lazy("Illegal structures")
    permission = p.VIEW
    export_name = "illegal-structures"
    filterset_class = StructureFilter
    template = "projects/console_structures.html"
    ordering = ("unit_id", "pk")
    columns = [
        Column("description", gettext_lazy("Description"),
               link=lambda s: reverse("projects:structure", args=[s.pk])),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("location", gettext_lazy("Location")),
        Column("area_m2", gettext_lazy("Area (m²)"), numeric=True),
        Column("status", gettext_lazy("Status"), sort=("status",)),
        Column("self_removed", gettext_lazy("Removed by its owner"), value=lambda s: _yes(s.self_removed)),
        Column("removed_on", gettext_lazy("Removed on"), value=lambda s: s.removed_on.isoformat() if s.removed_on
               else None),
    ]

    def get_queryset(self, user):
        return IllegalStructure.objects.visible_to(user).select_related("unit")

    def get_columns(self, request):
        """The description links to the status form only for those who may change it."""
        if request.user.has_perm(p.MANAGE):
            return self.columns
        return [Column("description", gettext_lazy("Description")), *self.columns[1:]]

    def extra_context(self, request):
        units = selectors.units_for(request.user).filter(
            pk__in=IllegalStructure.objects.visible_to(request.user).values("unit_id"))[:6]
        return {"summaries": [(u, selectors.structure_summary(u)) for u in units],
                "can_manage": request.user.has_perm(p.MANAGE)}


@require_perm(p.MANAGE)
def structure_new(request):
    form = forms.StructureForm(request.POST or None, units=managed_units(request.user))
    return service_form(
        request, form, title=_("Register an illegal structure"), back_url=reverse("projects:structures"),
        crumbs=[{"label": _("Illegal structures"), "url": reverse("projects:structures")}],
        write=lambda d: services.register_structure(by=Actor.from_request(request), **d),
        success=_("The structure is registered."), next=reverse("projects:structures"))


@require_perm(p.MANAGE)
def structure_update(request, pk: int):
    st = get_object_or_404(IllegalStructure.objects.visible_to(request.user, p.MANAGE), pk=pk)
    form = forms.StructureUpdateForm(request.POST or None, initial={
        "status": st.status, "demolition_plan": st.demolition_plan, "self_removed": st.self_removed})
    return service_form(
        request, form, title=str(st), back_url=reverse("projects:structures"),
        crumbs=[{"label": _("Illegal structures"), "url": reverse("projects:structures")}],
        write=lambda d: services.update_structure(by=Actor.from_request(request), structure=st, **d),
        success=_("The status is saved."), next=reverse("projects:structures"))
