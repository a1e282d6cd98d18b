"""Reads of the service desk that its views build: the console queues, a resident's own requests,
a vendor's work orders, the per-grid numbers."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from courtyard.core.access import grants_with
from courtyard.core.console.natural import NaturalKey
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from . import permissions as P
from . import services
from .choices import OPEN_STATES
from .location import PLACE_RELATED
from .models import Request


def queue_requests(user, queue: str, *, vendor: str = ""):
    """The requests of one console queue (all, mine, grid, overdue, unassigned, vendor, closed), unordered."""
    qs = Request.objects.visible_to(user, P.VIEW).select_related("category", *PLACE_RELATED, "assignee",
                                                                        "vendor")
    if queue == "closed":
        return qs.exclude(state__in=OPEN_STATES)
    qs = qs.filter(state__in=OPEN_STATES)
    if queue == "mine":
        qs = qs.filter(assignee=user)
    elif queue == "grid":
        paths = [g.path for g in grants_with(user, P.VIEW) if g.role in ("grid_worker", "microgrid_worker")]
        qs = qs.filter(Q(*[Q(path__startswith=p) for p in paths], _connector=Q.OR)) if paths else qs.none()
    elif queue == "overdue":
        qs = qs.filter(overdue=True)
    elif queue == "unassigned":
        qs = qs.filter(assignee__isnull=True, vendor__isnull=True)
    elif queue == "vendor":
        qs = qs.filter(vendor__isnull=False)
        if vendor.isdigit():
            qs = qs.filter(vendor_id=int(vendor))
    return qs


def my_requests(user):
    """The latest hundred requests the user filed."""
    return Request.objects.filter(reporter_user=user).select_related("category")[:100]


def work_orders(user):
    """A vendor's or worker's work orders: assigned to one of their partner units or to them, soonest due first."""
    ids = services.vendor_ids_of(user)
    return (Request.objects.filter(Q(vendor_id__in=ids) | Q(assignee=user))
            .select_related("category", *PLACE_RELATED).order_by(F("next_due").asc(nulls_last=True), "-id")[:200])


def grid_numbers(user, *, since: dt.datetime) -> list[dict]:
    """Per grid: response rate (accepted / filed), on-time rate, average hours to close, satisfaction."""
    grids = list(Place.objects.visible_to(user, P.STATS).filter(kind=PlaceKind.GRID).order_by(NaturalKey("name"), "pk"))
    out = []
    base = Request.objects.visible_to(user, P.STATS).filter(created_at__gte=since)
    for g in grids:
        qs = base.filter(path__startswith=g.path)
        agg = qs.aggregate(
            n=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False)),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            on_time=Count("id", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("resolve_due"))),
            rated=Count("id", filter=Q(stars__isnull=False)), satisfied=Count("id", filter=Q(stars__gte=4)),
            avg_close=Avg(ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()),
                          filter=Q(closed_at__isnull=False, state="closed")),
        )
        n = agg["n"]
        out.append({
            "grid": g, "n": n,
            "response": round(100 * agg["accepted"] / n) if n else None,
            "on_time": round(100 * agg["on_time"] / agg["resolved"]) if agg["resolved"] else None,
            "avg_hours": round(agg["avg_close"].total_seconds() / 3600, 1) if agg["avg_close"] else None,
            "satisfaction": round(100 * agg["satisfied"] / agg["rated"]) if agg["rated"] else None,
        })
    return out
