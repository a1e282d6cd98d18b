"""Console pages of the project library and its funnel (PRJ-2, DLB-10)."""

from __future__ import annotations

import django_filters as df
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.permissions import require_perm
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SelfGovernanceUnit

from .. import forms, selectors, services
from .. import permissions as p
from ..choices import Category, ProjectStatus, Source
from ..models import ConsensusItem, Project, RectificationItem, Suggestion
from ..money import yuan
from ._common import crumbs, managed_units


class UnitFilterSet(df.FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.filters:
            self.filters["unit"].queryset = SelfGovernanceUnit.objects.visible_to(user, p.VIEW).order_by("name")
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select form-select-sm")


class ProjectFilter(UnitFilterSet):
    unit = df.ModelChoiceFilter(label=gettext_lazy("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    category = df.ChoiceFilter(label=gettext_lazy("Category"), choices=Category.choices)
    status = df.ChoiceFilter(label=gettext_lazy("Status"), choices=ProjectStatus.choices)

    class Meta:
        model = Project
        fields = ["unit", "category", "status"]


class ProjectList(ListPage):
    title = gettext_lazy("Project library")
    permission = p.VIEW
    export_name = "projects"
    filterset_class = ProjectFilter
    template = "projects/console_library.html"
    ordering = ("unit_id", "category", "pk")
    columns = [
        Column("title", gettext_lazy("Project"), link=lambda o: o.get_console_url()),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("category", gettext_lazy("Category"), sort=("category",)),
        Column("status", gettext_lazy("Status"), sort=("status",)),
        Column("owner", gettext_lazy("Responsible party")),
        Column("place", gettext_lazy("Place"), value="place.name"),
        Column("budget", gettext_lazy("Budget (yuan)"), value=lambda o: yuan(o.budget_fen),
               export_value=lambda o: o.budget_fen / 100, numeric=True, sort=("budget_fen",)),
    ]

    def get_queryset(self, user):
        return Project.objects.visible_to(user).select_related("unit", "place")

    def extra_context(self, request):
        units = list(selectors.units_for(request.user).filter(pk__in=Project.objects.visible_to(request.user)
                                                                .values("unit_id"))[:6])
        return {"funnels": [selectors.funnel(u) for u in units],
                "can_manage": request.user.has_perm(p.MANAGE)}


class SuggestionFilter(UnitFilterSet):
    unit = df.ModelChoiceFilter(label=gettext_lazy("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    source = df.ChoiceFilter(label=gettext_lazy("Source"), choices=Source.choices)
    merged = df.BooleanFilter(label=gettext_lazy("Merged into a consensus item"), field_name="consensus",
                              lookup_expr="isnull", exclude=True)

    class Meta:
        model = Suggestion
        fields = ["unit", "source"]


class SuggestionList(ListPage):
    title = gettext_lazy("Suggestions")
    permission = p.VIEW
    export_name = "suggestions"
    filterset_class = SuggestionFilter
    template = "projects/console_suggestions.html"
    ordering = ("-received_on", "-pk")
    columns = [
        Column("received_on", gettext_lazy("Received on"), sort=("received_on",)),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("source", gettext_lazy("Source")),
        Column("reference", gettext_lazy("Reference")),
        Column("text", gettext_lazy("Suggestion")),
        Column("consensus", gettext_lazy("Consensus item"), value="consensus.title"),
    ]

    def get_queryset(self, user):
        return Suggestion.objects.visible_to(user).select_related("unit", "consensus")

    def extra_context(self, request):
        return {"can_manage": request.user.has_perm(p.MANAGE)}


@require_perm(p.MANAGE)
def suggestion_new(request):
    form = forms.SuggestionForm(request.POST or None, units=managed_units(request.user))
    return service_form(
        request, form, title=_("Record a suggestion"), back_url=reverse("projects:suggestions"),
        crumbs=crumbs({"label": _("Suggestions"), "url": reverse("projects:suggestions")}),
        write=lambda d: services.add_suggestion(by=Actor.from_request(request), **d),
        success=_("The suggestion is recorded."), next=reverse("projects:suggestions"))


@require_perm(p.VIEW)
def funnel(request, pk: int):
    unit = get_object_or_404(selectors.units_for(request.user), pk=pk)
    can_manage = request.user.has_perm(p.MANAGE, unit)
    open_suggestions = Suggestion.objects.filter(unit=unit, consensus__isnull=True).order_by("-received_on", "-pk")
    form = forms.MergeForm(request.POST or None, suggestions=open_suggestions) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and save(form, lambda: services.merge_suggestions(
                by=Actor.from_request(request), unit=unit, **form.cleaned_data)):
            messages.success(request, _("The suggestions are merged into a consensus item."))
            return redirect("projects:funnel", pk=unit.pk)
    items = list(ConsensusItem.objects.filter(unit=unit).select_related("project").order_by("-pk")[:100])
    return render(request, "projects/console_funnel.html", {
        "unit": unit, "funnel": selectors.funnel(unit), "items": items, "form": form, "can_manage": can_manage,
        "breadcrumbs": crumbs({"label": unit.name})}, status=400 if form is not None and form.errors else 200)


@require_perm(p.MANAGE)
def project_new(request, pk: int):
    unit = get_object_or_404(managed_units(request.user), pk=pk)
    places = Place.objects.filter(kind=PlaceKind.BUILDING, courtyard__unit=unit).order_by("name")
    consensus = ConsensusItem.objects.filter(unit=unit, project__isnull=True).order_by("-pk")
    form = forms.ProjectForm(request.POST or None, places=places, consensus=consensus)
    return service_form(
        request, form, title=_("New key project"), back_url=reverse("projects:funnel", args=[unit.pk]),
        crumbs=crumbs({"label": unit.name, "url": reverse("projects:funnel", args=[unit.pk])}),
        write=lambda d: services.create_project(by=Actor.from_request(request), unit=unit, **d),
        success=_("The project is in the library."), next=lambda project: project.get_console_url())


@require_perm(p.VIEW)
def project_detail(request, pk: int):
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("unit", "place", "community"),
                                pk=pk)
    can_manage = request.user.has_perm(p.MANAGE, project)
    form = forms.RectificationForm(request.POST or None, prefix="rf") if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "rectify":
                if form.is_valid() and save(form, lambda: services.add_rectification(
                        by=by, project=project, **form.cleaned_data)):
                    messages.success(request, _("Added to the rectification list."))
                    return redirect(project.get_console_url())
            elif action == "done":
                item = get_object_or_404(RectificationItem.objects.filter(project=project),
                                         pk=request.POST.get("item"))
                services.complete_rectification(by=by, item=item)
                messages.success(request, _("Marked as done."))
                return redirect(project.get_console_url())
            elif action == "status":
                services.set_status(by=by, project=project, status=request.POST.get("status", ""))
                messages.success(request, _("Status changed."))
                return redirect(project.get_console_url())
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    return render(request, "projects/console_project.html", {
        "project": project, "can_manage": can_manage, "form": form,
        "rectifications": list(project.rectifications.all()),
        "consensus": list(project.consensus_items.order_by("pk")),
        "surveys": list(project.surveys.order_by("-pk")), "campaigns": list(project.campaigns.order_by("-pk")),
        "plans": list(project.plans.order_by("-number")), "statuses": ProjectStatus.choices,
        "budget": yuan(project.budget_fen),
        "breadcrumbs": crumbs({"label": project.unit.name, "url": reverse("projects:funnel", args=[project.unit_id])},
                              {"label": project.title})},
        status=400 if form is not None and form.errors else 200)


