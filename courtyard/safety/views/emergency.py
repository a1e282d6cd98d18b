"""Emergency pages: plans with reserves and drills, incidents with a response log and review.
Escalations to departments (吹哨报到) are in escalations.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, save, service_form
from courtyard.core.permissions import require_perm

from .. import permissions as P
from .. import selectors, services
from ..forms import (
    DrillForm,
    EmergencyPlanForm,
    IncidentForm,
    LogForm,
    ReserveForm,
    ReviewForm,
)
from ..models import EmergencyPlan, Incident, Reserve
from ..services.emergency import reserve_due
from ._util import SafetyList


class PlanList(SafetyList):
    title = gettext_lazy("Emergency plans")
    permission = P.VIEW
    ordering = ("path", "kind", "pk")
    columns = [
        Column("title", gettext_lazy("Plan"), link=lambda p: reverse("safety:eplan", args=[p.pk])),
        Column("kind", gettext_lazy("Kind")),
        Column("place.name", gettext_lazy("Where")),
    ]

    def get_queryset(self, user):
        return EmergencyPlan.objects.visible_to(user).select_related("place")

    def extra_context(self, request):
        actions = [(reverse("safety:incidents"), _("Incidents"))]
        if request.user.has_perm(P.CONFIGURE):
            actions.insert(0, (reverse("safety:eplan_new"), _("New emergency plan")))
        return {"actions": actions}


@require_perm(P.CONFIGURE)
def eplan_new(request):
    form = EmergencyPlanForm(request.POST or None, places=selectors.places_for(request.user, P.CONFIGURE))
    return service_form(request, form, title=_("New emergency plan"), back_url=reverse("safety:eplans"),
                        write=lambda d: services.save_emergency_plan(by=Actor.from_request(request), **d),
                        success=_("Saved."), next=lambda plan: reverse("safety:eplan", args=[plan.pk]))


@require_perm(P.VIEW)
def eplan_detail(request, pk: int):
    plan = get_object_or_404(EmergencyPlan.objects.visible_to(request.user).select_related("place"), pk=pk)
    by = Actor.from_request(request)
    forms = {"reserve": ReserveForm(), "drill": DrillForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "check":
            reserve = get_object_or_404(Reserve, pk=request.POST.get("reserve") or 0, plan=plan)
            try:
                qty = int(request.POST.get("quantity", ""))
            except ValueError:
                messages.error(request, _("Enter a whole number."))
            else:
                services.check_reserve(by=by, reserve=reserve, quantity=max(qty, 0))
                messages.success(request, _("Saved."))
            return redirect("safety:eplan", plan.pk)
        if action not in forms:
            raise PermissionDenied
        form = forms[action] = (ReserveForm if action == "reserve" else DrillForm)(request.POST)
        write = (lambda d: services.add_reserve(by=by, plan=plan, **d)) if action == "reserve" else \
            (lambda d: services.record_drill(by=by, plan=plan, **d))
        if form.is_valid() and save(form, lambda: write(form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("safety:eplan", plan.pk)
    reserves = list(plan.reserves.select_related("last_checked_by"))
    for r in reserves:
        r.due = reserve_due(r)
    return render(request, "safety/eplan_detail.html", {
        "plan": plan, "reserves": reserves, "drills": plan.drills.select_related("by"),
        "may_configure": request.user.has_perm(P.CONFIGURE), "may_respond": request.user.has_perm(P.EMERGENCY),
        **forms}, status=400 if request.method == "POST" else 200)


class IncidentList(SafetyList):
    title = gettext_lazy("Incidents")
    permission = P.VIEW
    ordering = ("-reported_at", "-pk")
    columns = [
        Column("title", gettext_lazy("Incident"), link=lambda i: reverse("safety:incident", args=[i.pk])),
        Column("kind", gettext_lazy("Kind")),
        Column("place.name", gettext_lazy("Where")),
        Column("reported_at", gettext_lazy("Reported"), value=lambda i: timezone.localtime(i.reported_at)
               .strftime("%Y-%m-%d %H:%M"), sort=("reported_at",)),
        Column("closed", gettext_lazy("State"), value=lambda i: _("Closed with review") if i.closed_at
               else _("Responding")),
    ]

    def get_queryset(self, user):
        return Incident.objects.visible_to(user).select_related("place")

    def extra_context(self, request):
        return {"actions": [(reverse("safety:incident_new"), _("Report an incident"))]
                if request.user.has_perm(P.EMERGENCY) else []}


@require_perm(P.EMERGENCY)
def incident_new(request):
    form = IncidentForm(request.POST or None, places=selectors.places_for(request.user, P.EMERGENCY))
    return service_form(request, form, title=_("Report an incident"), back_url=reverse("safety:incidents"),
                        write=lambda d: services.report_incident(by=Actor.from_request(request), **d),
                        success=_("Reported: the grid, the community and the subdistrict are notified."),
                        next=lambda i: reverse("safety:incident", args=[i.pk]))


@require_perm(P.VIEW)
def incident_detail(request, pk: int):
    incident = get_object_or_404(Incident.objects.visible_to(request.user).select_related("place", "reported_by"),
                                 pk=pk)
    forms = {} if incident.closed_at or not request.user.has_perm(P.EMERGENCY) else \
        {"log": LogForm(), "review": ReviewForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            raise PermissionDenied
        form = forms[action] = (LogForm if action == "log" else ReviewForm)(request.POST)
        by = Actor.from_request(request)
        write = (lambda d: services.log_response(by=by, incident=incident, **d)) if action == "log" else \
            (lambda d: services.close_incident(by=by, incident=incident, **d))
        if form.is_valid() and save(form, lambda: write(form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("safety:incident", incident.pk)
    return render(request, "safety/incident_detail.html", {
        "incident": incident, "log": incident.log.select_related("by"), "log_form": forms.get("log"),
        "review": forms.get("review")},
        status=400 if request.method == "POST" else 200)
