"""Dispatch: ranking candidates and assigning a request to a worker or a partner unit; bulk actions of the console."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import hooks
from courtyard.core.audit import Actor, record
from courtyard.core.models import User
from courtyard.core.notify import Text, notify
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, RoleGrant

from .. import dispatch as scoring
from .. import machine
from ..choices import OPEN_STATES, ClockUnit, State, Urgency
from ..models import Agreement, Request
from ._common import _event, _tell_reporter
from .access import can_handle, place_chain, users_with_role, vendor_users
from .clocks import refresh_clocks, terms_for
from .transitions import STATE_MESSAGES, transition


# ---------------------------------------------------------------- smart dispatch (SVC-3)
def candidates(request: Request) -> list[scoring.Candidate]:
    """Everyone who could take the request, with the facts the scoring function weighs."""
    chain = place_chain(request.place)
    microgrid, grid = chain.get(PlaceKind.MICROGRID), chain.get(PlaceKind.GRID)
    out: list[scoring.Candidate] = []
    workers = users_with_role(["microgrid_worker", "grid_worker"], request.place)
    loads = dict(Request.objects.filter(assignee__in=workers, state__in=OPEN_STATES)
                 .values_list("assignee").annotate(n=Count("id")))
    worker_roles = {}
    today = timezone.localdate()
    for g in RoleGrant.objects.in_force(on=today).filter(user__in=workers, role__in=["microgrid_worker", "grid_worker"]):
        worker_roles.setdefault(g.user_id, set()).add(g.place_id)
    for u in workers:
        places = worker_roles.get(u.pk, set())
        location = 2 if microgrid and microgrid.pk in places else (1 if grid and grid.pk in places else 0)
        out.append(scoring.Candidate(key=f"user:{u.pk}", label=u.display_name, kind="worker", location=location,
                                     category=not request.category.team and not request.category.department_id,
                                     open_load=loads.get(u.pk, 0)))
    cat_ids = [request.category.pk] + ([request.category.parent_id] if request.category.parent_id else [])
    agreements = (Agreement.objects.filter(community_id=request.community_id, starts__lte=today)
                  .filter(Q(ends__isnull=True) | Q(ends__gte=today)).select_related("vendor")
                  .annotate(covers=Count("categories", filter=Q(categories__in=cat_ids))))
    vendor_loads = dict(Request.objects.filter(vendor__isnull=False, state__in=OPEN_STATES,
                                               community_id=request.community_id)
                        .values_list("vendor").annotate(n=Count("id")))
    for a in agreements:
        out.append(scoring.Candidate(
            key=f"partner:{a.vendor_id}", label=a.vendor.name, kind="vendor", category=a.covers > 0,
            contract=a.covers > 0, contract_onsite_hours=a.emergency_hours if request.urgency == Urgency.EMERGENCY
            else a.onsite_hours, open_load=vendor_loads.get(a.vendor_id, 0), capacity=a.max_open))
    owner_id = hooks.ask("projects.facility_owner", community_id=request.community_id,
                         facility=request.facility) if request.facility else None
    if owner_id:  # the facility's owner (projects' facility register) counts as on the spot
        key = f"partner:{owner_id}"
        found = next((c for c in out if c.key == key), None)
        if found is not None:
            out[out.index(found)] = replace(found, location=2)
        else:
            owner = PartnerUnit.objects.filter(pk=owner_id, community_id=request.community_id).first()
            if owner is not None:
                out.append(scoring.Candidate(key=key, label=owner.name, kind="vendor", location=2,
                                             open_load=vendor_loads.get(owner_id, 0)))
    dept = request.category.department
    if dept is not None and not any(c.key == f"partner:{dept.pk}" for c in out):
        out.append(scoring.Candidate(key=f"partner:{dept.pk}", label=dept.name, kind="department", category=True,
                                     open_load=vendor_loads.get(dept.pk, 0)))
    return out


def ranked_candidates(request: Request) -> list[scoring.Scored]:
    terms, _pause = terms_for(request)
    needed = terms.onsite if terms.unit == ClockUnit.HOURS else None
    return scoring.rank(candidates(request), needed_onsite_hours=needed)


REASONS = {
    "location_building": N_("micro-grid worker of this building / owner of the facility"),
    "location_grid": N_("works in this grid"),
    "category": N_("responsible for this category"),
    "contract": N_("framework agreement in force for this category"),
    "contract_fast": N_("agreement promises to be on site in time"),
    "load": N_("open work orders"),
    "capacity": N_("at the agreement's limit of open work orders"),
}


def reason_label(code: str) -> str:
    return _(REASONS[code]) if code in REASONS else code


def dispatch(*, by: Actor, request: Request, to: str, reason: str = "", now: dt.datetime | None = None,
             check: bool = True) -> Request:
    """Assign to a candidate key ("user:ID" or "partner:ID"). The assignment is one conditional UPDATE:
    it only succeeds if nobody assigned the request since the dispatcher loaded it, so two
    dispatchers acting at once cannot both assign. Choosing anyone but the top-ranked candidate
    needs a reason (override)."""
    with transaction.atomic():
        if check and not can_handle(by.user, request):
            raise PermissionDenied
        action = "dispatch" if request.state in machine.TRANSITIONS["dispatch"][0] else "reassign"
        if not machine.allowed(action, request.state):
            raise ValidationError(_("This request cannot be dispatched now."))
        kind, _sep, ident = to.partition(":")
        if kind not in ("user", "partner") or not ident.isdigit():
            raise ValidationError(_("Choose someone to send the request to."))
        ranked = ranked_candidates(request)
        top = ranked[0].candidate.key if ranked else None
        keys = {s.candidate.key for s in ranked}
        reason = reason.strip()
        if to != top and not reason:
            raise ValidationError(_("Give a reason for choosing someone other than the first suggestion."))
        if action == "reassign" and not reason:
            raise ValidationError(_("Give a reason for reassigning."))
        assignee = vendor = None
        if kind == "user":
            assignee = User.objects.filter(pk=int(ident), is_active=True).first()
            if assignee is None:
                raise ValidationError(_("Choose someone to send the request to."))
        else:
            vendor = PartnerUnit.objects.filter(pk=int(ident), community_id=request.community_id).first()
            if vendor is None:
                raise ValidationError(_("Choose someone to send the request to."))
        if to not in keys and not reason:
            raise ValidationError(_("Give a reason for choosing someone outside the suggestions."))
        now = now or timezone.now()
        # Conditional UPDATE: state and assignment must be what this dispatcher saw.
        changed = Request.objects.filter(
            pk=request.pk, state=request.state, assignee_id=request.assignee_id, vendor_id=request.vendor_id,
        ).update(state=State.DISPATCHED, assignee=assignee, vendor=vendor, dispatch_reason=reason[:300],
                 accepted_at=request.accepted_at or now, updated_at=now)
        if changed != 1:
            raise ValidationError(_("Someone else has just dispatched this request. Reload the page."),
                                  code="conflict")
        before = request.state
        request.refresh_from_db()
        refresh_clocks(request, now=now)
        request.save(update_fields=["accept_due", "onsite_due", "resolve_due", "next_due", "overdue"])
        who = assignee.display_name if assignee else vendor.name
        note = _("Sent to %(who)s.") % {"who": who} + (f" {reason}" if reason else "")
        _event(request, by, action, from_state=before, note=note)
        record(by, f"servicedesk.request.{action}", request,
               changes={"state": [before, State.DISPATCHED], "assignee": [None, who], "suggested": [None, top]},
               note=reason[:500], community_id=request.community_id)
        targets = [assignee] if assignee else vendor_users(vendor.pk)
        notify(recipients=targets, kind="servicedesk.workorder",
               title=Text(N_("Work order #%(n)d: %(t)s"), n=request.pk, t=request.title),
               url=reverse("servicedesk:console_detail", args=[request.pk]))
        _tell_reporter(request, Text(STATE_MESSAGES[State.DISPATCHED], n=request.pk))
        return request


# ---------------------------------------------------------------- bulk actions (console)
def bulk(*, by: Actor, requests: Iterable[Request], action: str, to: str = "", reason: str = "") -> tuple[int, list]:
    done, errors = 0, []
    for req in requests:
        try:
            if action == "dispatch":
                dispatch(by=by, request=req, to=to, reason=reason)
            else:
                transition(by=by, request=req, action=action, note=reason)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            errors.append((req.pk, "; ".join(getattr(exc, "messages", [str(exc)]))))
    return done, errors


def bulk_candidates(requests: Iterable[Request], *, limit: int = 20) -> list[dict]:
    """Candidates for dispatching several requests at once: each request's ranking (at most `limit`
    distinct location/category/urgency combinations are ranked), merged; those that rank first for
    most requests come first, then by their average score."""
    seen: dict[tuple, list[scoring.Scored]] = {}
    counts: dict[tuple, int] = {}
    for req in requests:
        if not machine.allowed("dispatch", req.state):
            continue
        combo = (req.place_id, req.category_id, req.urgency, req.community_id)
        if combo not in seen:
            if len(seen) >= limit:
                continue
            seen[combo] = ranked_candidates(req)
        counts[combo] = counts.get(combo, 0) + 1
    merged: dict[str, dict] = {}
    for combo, ranked in seen.items():
        n = counts[combo]
        for i, s in enumerate(ranked):
            row = merged.setdefault(s.candidate.key, {"key": s.candidate.key, "label": s.candidate.label,
                                                      "kind": s.candidate.kind, "top": 0, "fits": 0, "total": 0.0})
            row["fits"] += n
            row["total"] += s.score * n
            if i == 0:
                row["top"] += n
    rows = list(merged.values())
    for r in rows:
        r["score"] = round(r["total"] / r["fits"], 1) if r["fits"] else 0
    return sorted(rows, key=lambda r: (-r["top"], -r["score"], r["label"]))
