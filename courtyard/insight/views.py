"""Insight's console pages (dashboards, the indicator catalogue and definitions, warning cases, the
performance review, reports) and the public results section of /u/<slug>/."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.access import holders
from courtyard.core.audit import Actor
from courtyard.core.console import messages_from
from courtyard.core.indicators import MONTH, PERIOD_KINDS, BadPeriod, Period, acts, catalogue
from courtyard.core.permissions import require_perm
from courtyard.core.replica import replica_reads

from . import permissions as P
from . import scopes as sc
from . import selectors
from .models import WarningCase
from .services import add_action, close_case, set_owner

OWNER_ROLES = ("party_secretary", "community_staff", "subdistrict_officer")


def _period(request, default_kind: str = MONTH) -> Period:
    """?period=…, else the last complete month (the running one is one click away)."""
    text = request.GET.get("period", "")
    if text:
        try:
            return Period.parse(text)
        except BadPeriod:
            messages.error(request, _("Unknown period: use 2026-11, 2026-Q4 or 2026."))
    return Period.containing(timezone.localdate(), default_kind).previous()


def _scope(request, perm: str = P.VIEW):
    """The node asked for (?scope=community:12), checked against the user's grants; else their home."""
    text = request.GET.get("scope", "")
    if text:
        kind, _sep, pk = text.partition(":")
        if kind not in sc.KINDS or not pk.isdigit():
            raise Http404
        try:
            scope = sc.get(kind, int(pk))
        except sc.UnknownScope:
            raise Http404 from None
        if not selectors.may_view(request.user, scope, perm):
            raise Http404
        return scope
    scope = selectors.home_scope(request.user, perm)
    if scope is None:
        raise PermissionDenied
    return scope


def _crumbs(request, scope) -> list:
    """The way up the tree, as far as the user may see."""
    ids = [int(x) for x in scope.path.split(".") if x]
    from courtyard.org.models import Place

    places = {p.pk: p for p in Place.objects.filter(pk__in=ids, kind__in=sc.LEVELS)}
    out = [sc.of_place(places[i], started=False) for i in ids if i in places]
    if scope.kind == sc.UNIT:
        out.append(scope)
    return [s for s in out if selectors.may_view(request.user, s)]


@require_perm(P.VIEW)
@replica_reads
def dashboard(request):
    scope = _scope(request)
    period = _period(request)
    tiles, computed = selectors.tiles(scope, period)
    data = selectors.series(scope, period)
    kids = selectors.children_table(scope, period)
    chart_children = [{"name": row["scope"].name, "values": [
        (float(r.value * 100) if r is not None and r.value is not None and not r.indicator.score else None)
        for r in row["cells"]]} for row in kids["rows"]]
    return render(request, "insight/dashboard.html", {
        "scope": scope, "period": period, "tiles": tiles, "computed": computed, "children": kids,
        "crumbs": _crumbs(request, scope), "cases": list(selectors.cases_in(request.user, scope)[:20]),
        "chart": {"series": data, "children": {"codes": kids["codes"], "rows": chart_children,
                                                "labels": [str(x) for x in kids["labels"]]}},
        "prev": period.previous(), "next": period.next() if period.end <= timezone.localdate() else None,
        "kinds": PERIOD_KINDS,
        "kind_periods": {k: Period.containing(min(period.last_day, timezone.localdate()), k) for k in PERIOD_KINDS},
        "can_review": scope.kind in ("subdistrict", "district"),
    })


@require_perm(P.VIEW)
@replica_reads
def indicator_list(request):
    return render(request, "insight/catalogue.html", {"indicators": list(catalogue().values())})


@require_perm(P.VIEW)
def indicator_detail(request, code: str):
    ind = catalogue().get(code)
    if ind is None:
        raise Http404
    stages = [(_("Year 1"), ind.targets.year1), (_("Years 2–3"), ind.targets.years2_3),
              (_("Year 5 on"), ind.targets.year5)]
    return render(request, "insight/definition.html", {
        "ind": ind, "stages": stages, "acts": acts() if code == "participation_rate" else []})


def _owner_choices(case):
    return list(holders(list(OWNER_ROLES), case).order_by("display_name", "pk")[:50])


@require_perm(P.VIEW)
def case_detail(request, pk: int):
    case = get_object_or_404(WarningCase.objects.visible_to(request.user).select_related(
        "owner", "lead_place", "closed_by"), pk=pk)
    by = Actor.from_request(request)
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "action":
                add_action(by=by, case=case, note=request.POST.get("note", ""), upload=request.FILES.get("evidence"))
                messages.success(request, _("The action was recorded."))
            elif step == "owner":
                owner = next((u for u in _owner_choices(case) if str(u.pk) == request.POST.get("owner")), None)
                if owner is None:
                    raise ValidationError({"owner": _("Choose the person who leads the rectification.")})
                deadline = _date(request.POST.get("deadline", ""))
                set_owner(by=by, case=case, owner=owner, deadline=deadline)
                messages.success(request, _("Owner and deadline saved."))
            elif step == "close":
                close_case(by=by, case=case, closure=request.POST.get("closure", ""))
                messages.success(request, _("The case was closed."))
            else:
                raise Http404
        except ValidationError as exc:
            messages_from(request, exc)
        except PermissionDenied:
            messages.error(request, _("You may not do this."))
        return redirect(case.get_console_url())
    ind = catalogue().get(case.code)
    steer = request.user.has_perm("insight.steer_case", case)
    return render(request, "insight/case.html", {
        "case": case, "ind": ind, "actions": case.actions.select_related("by", "attachment"),
        "may_act": request.user.has_perm("insight.act_on_case", case), "may_steer": steer,
        "owners": _owner_choices(case) if steer else [],
        "scope_url": reverse("insight:dashboard") + f"?scope={case.scope_key}",
    })


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"deadline": _("Enter a date such as 2026-12-31.")}) from None


@require_perm(P.VIEW)
@replica_reads
def review(request):
    scope = _scope(request)
    if scope.kind not in ("subdistrict", "district"):
        raise Http404
    period = _period(request)
    return render(request, "insight/review.html", {
        "scope": scope, "period": period, "rows": selectors.performance_review(request.user, scope, period),
        "labels": [catalogue()[c].label for c in (*selectors.HOTLINE, "on_time_rate")],
        "prev": period.previous(),
    })


@require_perm(P.VIEW)
@replica_reads
def progress(request):
    scope = _scope(request)
    period = _period(request)
    return render(request, "insight/progress.html", {
        "scope": scope, "period": period, "board": selectors.progress_board(request.user, scope, period),
        "prev": period.previous()})


@require_perm(P.VIEW)
@replica_reads
def governance_map(request):
    scope = _scope(request)
    if scope.kind != "community":
        raise Http404
    period = _period(request)
    code = request.GET.get("code", "participation_rate")
    if code not in catalogue():
        raise Http404
    return render(request, "insight/map.html", {
        "scope": scope, "period": period, "code": code, "indicator": catalogue()[code],
        "indicators": list(catalogue().values()), "map": selectors.governance_map(scope, period, code)})


def public_results_context(unit) -> dict:
    return selectors.public_results(unit)
