"""Mediation pages: the console case list, a new case, the case with its sessions, tier and
closing; success rate and cycle time per unit; residents ask for a mediator and follow their
requests; published (anonymised) outcomes on the unit's public page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from ..choices import CaseState
from ..forms import CaseForm, CloseCaseForm, MediatorRequestForm, SessionForm, TakeForm, TierForm
from ..models import MediationCase
from ._util import SafetyList, pct


class CaseList(SafetyList):
    title = gettext_lazy("Mediation cases")
    permission = P.MEDIATE
    export_name = "mediation"
    ordering = ("-opened_at", "-pk")
    columns = [
        Column("title", gettext_lazy("Dispute"), link=lambda c: reverse("safety:case", args=[c.pk])),
        Column("tier", gettext_lazy("Tier")),
        Column("state", gettext_lazy("State")),
        Column("place.name", gettext_lazy("Where")),
        Column("mediator", gettext_lazy("Mediator")),
        Column("opened_at", gettext_lazy("Opened"), value=lambda c: timezone.localtime(c.opened_at).date(),
               sort=("opened_at",)),
    ]

    def get_queryset(self, user):
        return MediationCase.objects.visible_to(user).select_related("place", "mediator")

    def extra_context(self, request):
        actions = [(reverse("safety:case_new"), _("New case"))]
        if request.user.has_perm(P.STATS):
            actions.append((reverse("safety:mediation_stats"), _("Mediation key numbers")))
        return {"actions": actions}


@require_perm(P.MEDIATE)
def case_new(request):
    form = CaseForm(request.POST or None, places=selectors.places_for(request.user, P.MEDIATE))
    return service_form(request, form, title=_("New mediation case"), back_url=reverse("safety:cases"),
                        write=lambda d: services.open_case(by=Actor.from_request(request), **d),
                        success=_("Saved."), next=lambda case: reverse("safety:case", args=[case.pk]))


@require_perm(P.MEDIATE)
def case_detail(request, pk: int):
    case = get_object_or_404(MediationCase.objects.visible_to(request.user).select_related("place", "mediator"), pk=pk)
    is_open = case.state not in services.mediation.CLOSED
    forms = {}
    if case.state == CaseState.REQUESTED:
        forms["take"] = TakeForm(initial={"parties": case.parties})
    elif is_open:
        forms = {"session": SessionForm(), "tier": TierForm() if case.tier < 3 else None, "close": CloseCaseForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        form_class = {"take": TakeForm, "session": SessionForm, "tier": TierForm, "close": CloseCaseForm}.get(action)
        if form_class is None or forms.get(action) is None:
            raise PermissionDenied
        form = forms[action] = form_class(request.POST)
        by = Actor.from_request(request)
        write = {"take": lambda d: services.take_case(by=by, case=case, **d),
                 "session": lambda d: services.record_session(by=by, case=case, **d),
                 "tier": lambda d: services.raise_tier(by=by, case=case, **d),
                 "close": lambda d: services.close_case(by=by, case=case, **d)}[action]
        if form.is_valid() and save(form, lambda: write(form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("safety:case", case.pk)
    return render(request, "safety/case_detail.html", {"case": case, "sessions": case.sessions.select_related("by"),
                                                       **forms}, status=400 if request.method == "POST" else 200)


@require_perm(P.STATS)
def mediation_stats(request):
    """Per unit (or community, for cases outside a unit) over the last year: exact rates."""
    since = timezone.now() - dt.timedelta(days=365)
    cases = MediationCase.objects.visible_to(request.user, P.STATS).filter(opened_at__gte=since).select_related(
        "unit", "community")
    groups: dict = defaultdict(list)
    for c in cases:
        groups[c.unit.name if c.unit_id else c.community.name].append(c)
    rows = []
    for name in sorted(groups):
        r = services.rates(groups[name])
        r["name"] = name
        r["success_text"] = pct(r["success"])
        r["cycle_text"] = "—" if r["cycle_days"] is None else f"{float(r['cycle_days']):.1f}"
        r["by_tier"] = [sum(1 for c in groups[name] if c.tier == t) for t in (1, 2, 3)]
        rows.append(r)
    return render(request, "safety/mediation_stats.html", {"rows": rows})


# ---------------------------------------------------------------- residents
@login_required
def ask_mediator(request):
    form = MediatorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.request_mediator(by=Actor.from_request(request), **d)):
            messages.success(request, _("Your request is sent. A mediator will contact you."))
            return redirect("safety:my_mediation")
    return render(request, "safety/ask_mediator.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_mediation(request):
    rows = MediationCase.objects.filter(requested_by=request.user).order_by("-opened_at")[:50]
    return render(request, "safety/my_mediation.html", {"rows": rows})


def public_outcomes(unit) -> dict:
    """Context for the unit's public page: closed cases' anonymised outcomes only."""
    rows = MediationCase.objects.filter(unit=unit, closed_at__isnull=False).exclude(published_outcome="").order_by(
        "-closed_at")[:5]
    return {"rows": [{"tier": c.get_tier_display(), "state": c.get_state_display(), "closed": c.closed_at,
                      "outcome": c.published_outcome} for c in rows]}
