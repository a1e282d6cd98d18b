"""Emergency pages: plans with reserves and drills, incidents with a response log and review;
escalations to departments (吹哨) with the departments' responses, and accountability per department."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction

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
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit, RoleGrant

from .. import permissions as P
from .. import selectors, services
from ..forms import (
    DrillForm,
    EmergencyPlanForm,
    IncidentForm,
    LogForm,
    ReserveForm,
    RespondForm,
    ReviewForm,
    WhistleForm,
)
from ..models import EmergencyPlan, Incident, Reserve, Whistle
from ..services.emergency import reserve_due
from ._util import SafetyList, pct


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


# ---------------------------------------------------------------- 吹哨报到
def _my_departments(user) -> set[int]:
    return set(RoleGrant.objects.in_force().filter(user=user, role="department_officer", partner__isnull=False)
               .values_list("partner_id", flat=True))


@require_perm(P.VIEW)
def whistles(request):
    mine = _my_departments(request.user)
    rows = list(Whistle.objects.visible_to(request.user).select_related("department", "place", "called_by")
                .order_by("-called_at")[:100])
    now = timezone.now()
    for w in rows:
        w.late = (w.responded_at or now) > w.due_at
        w.respond_form = RespondForm(prefix=f"w{w.pk}") if w.department_id in mine and not w.responded_at else None
    if request.method == "POST":
        w = next((x for x in rows if str(x.pk) == request.POST.get("whistle") and x.respond_form), None)
        if w is None:
            raise PermissionDenied
        form = w.respond_form = RespondForm(request.POST, prefix=f"w{w.pk}")
        if form.is_valid() and save(form, lambda: services.respond_whistle(
                by=Actor.from_request(request), whistle=w, response=form.cleaned_data["response"])):
            messages.success(request, _("Response recorded."))
            return redirect("safety:whistles")
    return render(request, "safety/whistles.html", {"rows": rows, "may_call": request.user.has_perm(P.HANDLE),
                                                    "may_stats": request.user.has_perm(P.STATS)},
                  status=400 if request.method == "POST" else 200)


@require_perm(P.HANDLE)
def whistle_new(request):
    places = selectors.places_for(request.user, P.HANDLE)
    departments = PartnerUnit.objects.filter(kind=PartnerKind.DEPARTMENT).order_by("name")
    hazard = None
    hid = request.GET.get("hazard", "")
    if hid.isdigit():
        hazard = selectors.hazards_for(request.user).filter(pk=int(hid)).first()
    initial = {"place": hazard.place_id, "subject": hazard.title} if hazard else {}
    form = WhistleForm(request.POST or None, places=places, departments=departments, initial=initial)
    return service_form(request, form, title=_("Escalate to a department (吹哨)"), back_url=reverse("safety:whistles"),
                        write=lambda d: services.blow_whistle(by=Actor.from_request(request), hazard=hazard, **d),
                        success=_("The department is notified."), next=reverse("safety:whistles"))


@require_perm(P.STATS)
def accountability(request):
    """Per department and month: escalations, on-time, late and missing responses (exact rates)."""
    try:
        months = max(1, min(12, int(request.GET.get("months", "3"))))
    except ValueError:
        months = 3
    now = timezone.now()
    since = now - dt.timedelta(days=31 * months)
    rows_by = defaultdict(lambda: {"called": 0, "on_time": 0, "late": 0, "none": 0, "pending": 0, "hours": Fraction(0)})
    for w in Whistle.objects.visible_to(request.user, P.STATS).filter(called_at__gte=since).select_related("department"):
        key = (w.department.name, timezone.localtime(w.called_at).strftime("%Y-%m"))
        r = rows_by[key]
        r["called"] += 1
        if w.responded_at:
            r["on_time" if w.responded_at <= w.due_at else "late"] += 1
            r["hours"] += Fraction(int((w.responded_at - w.called_at).total_seconds()), 3600)
        elif w.due_at < now:
            r["none"] += 1
        else:
            r["pending"] += 1
    rows = []
    for (dept, month), r in sorted(rows_by.items()):
        answered = r["on_time"] + r["late"]
        due = r["called"] - r["pending"]
        rows.append({"department": dept, "month": month, **r,
                     "on_time_rate": pct(Fraction(r["on_time"], due) if due else None),
                     "avg_hours": f"{float(r['hours'] / answered):.1f}" if answered else "—",
                     "flag": r["late"] or r["none"]})
    return render(request, "safety/accountability.html", {"rows": rows, "months": months})

