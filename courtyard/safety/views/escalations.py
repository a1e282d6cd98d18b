"""Escalations to departments (吹哨报到): the list with the departments' responses, escalating a
hazard or a service request (from its own page), accountability per department with the automatic
escalations of overdue red hazards, and the kinds of hazard with their responsible departments."""

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
from courtyard.org.choices import PartnerKind, PlaceKind
from courtyard.org.models import PartnerUnit, Place, RoleGrant

from .. import permissions as P
from .. import selectors, services
from ..forms import HazardKindForm, RespondForm, WhistleForm
from ..models import HazardKind, Whistle
from ..services.escalations import service_request
from ._util import SafetyList, pct, request_url


def _my_departments(user) -> set[int]:
    return set(RoleGrant.objects.in_force().filter(user=user, role="department_officer", partner__isnull=False)
               .values_list("partner_id", flat=True))


@require_perm(P.VIEW)
def whistles(request):
    mine = _my_departments(request.user)
    rows = list(Whistle.objects.visible_to(request.user).select_related("department", "place", "called_by", "hazard")
                .order_by("-called_at")[:100])
    now = timezone.now()
    for w in rows:
        w.late = (w.responded_at or now) > w.due_at
        w.request_url = request_url(w.request_id, request.user)
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


def _departments():
    return PartnerUnit.objects.filter(kind=PartnerKind.DEPARTMENT).order_by("name")


@require_perm(P.HANDLE)
def whistle_new(request):
    """吹哨 from the register, from a hazard's page (?hazard=) or from a service request's page
    (?request=<number>): the form comes filled in, and saving returns to that page."""
    user = request.user
    places = selectors.places_for(user, P.HANDLE)
    hazard = req = None
    initial, back = {}, reverse("safety:whistles")
    source = request.GET.get("hazard", "")
    if source.isdigit():
        hazard = selectors.hazards_for(user).filter(pk=int(source)).first()
    number = request.GET.get("request", "")
    if hazard is not None:
        initial = {"place": hazard.place_id, "subject": hazard.title, "request_id": hazard.request_id}
        if hazard.kind_id and hazard.kind.department_id:
            initial["department"] = hazard.kind.department_id
        back = reverse("safety:hazard", args=[hazard.pk])
    elif number.isdigit() and (req := service_request(user, int(number))) is not None:
        place = places.filter(pk=req.place_id).first()
        initial = {"place": place.pk if place else None, "subject": f"#{req.pk} {req.title}"[:160],
                   "request_id": req.pk}
        back = request_url(req.pk) or back
    form = WhistleForm(request.POST or None, places=places, departments=_departments(), initial=initial)
    return service_form(request, form, title=_("Escalate to a department (吹哨)"), back_url=back,
                        write=lambda d: services.blow_whistle(by=Actor.from_request(request), hazard=hazard, **d),
                        success=_("The department is notified."), next=back)


@require_perm(P.STATS)
def accountability(request):
    """Per department and month: escalations, on-time, late and missing responses (exact rates); and
    the red hazards escalated automatically in the period."""
    try:
        months = max(1, min(12, int(request.GET.get("months", "3"))))
    except ValueError:
        months = 3
    now = timezone.now()
    since = now - dt.timedelta(days=31 * months)
    rows_by = defaultdict(lambda: {"called": 0, "automatic": 0, "on_time": 0, "late": 0, "none": 0, "pending": 0,
                                   "hours": Fraction(0)})
    automatic = []
    for w in Whistle.objects.visible_to(request.user, P.STATS).filter(called_at__gte=since).select_related(
            "department", "hazard").order_by("called_at", "pk"):
        key = (w.department.name, timezone.localtime(w.called_at).strftime("%Y-%m"))
        r = rows_by[key]
        r["called"] += 1
        r["automatic"] += w.automatic
        w.late = (w.responded_at or now) > w.due_at
        if w.automatic:
            automatic.append(w)
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
    return render(request, "safety/accountability.html", {"rows": rows, "months": months,
                                                          "automatic": automatic[::-1]})


# ---------------------------------------------------------------- kinds of hazard
class KindList(SafetyList):
    title = gettext_lazy("Kinds of hazard")
    permission = P.VIEW
    ordering = ("path", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Kind of hazard"), link=lambda k: reverse("safety:kind_edit", args=[k.pk])),
        Column("community.name", gettext_lazy("Community")),
        Column("department.name", gettext_lazy("Responsible department"),
               default=gettext_lazy("none: not escalated automatically")),
        Column("whistle_after_days", gettext_lazy("Escalated after (days late)"), numeric=True),
        Column("respond_within_hours", gettext_lazy("Respond within (hours)"), numeric=True),
    ]

    def get_queryset(self, user):
        return HazardKind.objects.visible_to(user).select_related("community", "department")

    def extra_context(self, request):
        return {"actions": [(reverse("safety:kind_new"), _("New kind of hazard"))]
                if request.user.has_perm(P.CONFIGURE) else []}


def _communities(user):
    return Place.objects.visible_to(user, P.CONFIGURE).filter(kind=PlaceKind.COMMUNITY).order_by("path")


def _kind_form(request, kind: HazardKind | None):
    initial = {"community": kind.community_id, "name": kind.name, "department": kind.department_id,
               "whistle_after_days": kind.whistle_after_days,
               "respond_within_hours": kind.respond_within_hours} if kind else {}
    form = HazardKindForm(request.POST or None, communities=_communities(request.user), departments=_departments(),
                          initial=initial)
    return service_form(request, form, title=kind.name if kind else _("New kind of hazard"),
                        back_url=reverse("safety:kinds"),
                        write=lambda d: services.save_kind(by=Actor.from_request(request), kind=kind, **d),
                        success=_("Saved."), next=reverse("safety:kinds"))


@require_perm(P.CONFIGURE)
def kind_new(request):
    return _kind_form(request, None)


@require_perm(P.CONFIGURE)
def kind_edit(request, pk: int):
    return _kind_form(request, get_object_or_404(HazardKind.objects.visible_to(request.user, P.CONFIGURE), pk=pk))
