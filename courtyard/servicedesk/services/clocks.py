"""SLA terms and clocks of a request, and the sweep that escalates overdue requests."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from courtyard.core.audit import Actor, record
from courtyard.core.notify import Text, notify

from .. import sla
from ..choices import FINAL_STATES, Level, State, Urgency
from ..models import Agreement, CalendarDay, Category, Escalation, Request, SlaPolicy
from ._common import _event
from .access import users_with_role, vendor_users

DEFAULT_TERMS = {  # used when no policy is configured: the seeds' promises
    Urgency.NORMAL: sla.Terms("hours", 24, 48, 120),
    Urgency.URGENT: sla.Terms("hours", 4, 24, 72),
    Urgency.EMERGENCY: sla.Terms("hours", 1, 2, 24),
}


# ---------------------------------------------------------------- clocks
def calendar_overrides() -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("date", "is_workday"))


def policy_for(category: Category, urgency: str) -> SlaPolicy | None:
    chain, node = [], category
    while node is not None and len(chain) < 6:
        chain.append(node.pk)
        node = node.parent
    policies = {p.category_id: p for p in SlaPolicy.objects.filter(Q(category_id__in=chain) | Q(category=None),
                                                                  urgency=urgency)}
    for pk in [*chain, None]:
        if pk in policies:
            return policies[pk]
    return None


def terms_for(request: Request, overrides=None) -> tuple[sla.Terms, bool]:
    policy = policy_for(request.category, request.urgency)
    if policy is None:
        terms, pause = DEFAULT_TERMS[Urgency(request.urgency)], True
    else:
        terms = sla.Terms(policy.unit, policy.accept_within, policy.onsite_within, policy.resolve_within)
        pause = policy.pause_when_waiting
    if request.vendor_id:
        agreement = active_agreement(request.vendor_id, request.category)
        if agreement is not None:
            hours = agreement.emergency_hours if request.urgency == Urgency.EMERGENCY else agreement.onsite_hours
            terms = sla.tighten(terms, onsite_hours=hours)
    return terms, pause


def active_agreement(vendor_id: int, category: Category) -> Agreement | None:
    today = timezone.localdate()
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return (Agreement.objects.filter(vendor_id=vendor_id, categories__in=ids, starts__lte=today)
            .filter(Q(ends__isnull=True) | Q(ends__gte=today)).order_by("onsite_hours").first())


def refresh_clocks(request: Request, *, now: dt.datetime | None = None, overrides=None) -> None:
    """Recompute the three deadlines and the pending one (does not save)."""
    now = now or timezone.now()
    overrides = calendar_overrides() if overrides is None else overrides
    terms, _pause = terms_for(request, overrides)
    d = sla.deadlines(request.created_at, terms, overrides, dt.timedelta(seconds=request.paused_seconds))
    request.accept_due, request.onsite_due, request.resolve_due = d.accept, d.onsite, d.resolve
    request.next_due = sla.pending_deadline(request.state, d, accepted=request.accepted_at is not None,
                                            onsite=request.onsite_at is not None)
    request.overdue = request.next_due is not None and request.next_due < now


# ---------------------------------------------------------------- overdue sweep and escalation (SVC-2, SVC-4)
LADDER = {
    Level.MICROGRID: ["microgrid_worker"],
    Level.COMMITTEE: ["committee_member"],
    Level.COMMUNITY: ["community_staff", "party_secretary"],
    Level.SUBDISTRICT: ["subdistrict_officer", "department_officer"],
}


def sweep_overdue(*, now: dt.datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """Flag requests whose pending deadline has passed and walk each one up the ladder.

    One indexed range scan (`next_due < now`) finds the candidates; only they are touched."""
    now = now or timezone.now()
    stats = {"checked": 0, "flagged": 0, "escalated": 0}
    due = (Request.objects.filter(next_due__lt=now).exclude(state__in=[State.WAITING, *FINAL_STATES])
           .filter(Q(overdue=False) | Q(escalation__lt=Level.SUBDISTRICT))
           .order_by("next_due").values_list("pk", "next_due", "escalation", "overdue")[:limit])
    for pk, next_due, level, overdue in due:
        stats["checked"] += 1
        wanted = sla.escalation_level(now, next_due)
        if wanted <= level and overdue:
            continue
        with transaction.atomic():
            request = Request.objects.select_for_update().select_related("place").get(pk=pk)
            if not request.overdue:
                request.overdue = True
                stats["flagged"] += 1
            for rung in range(request.escalation + 1, wanted + 1):
                people = users_with_role(LADDER[Level(rung)], request.place, unit_id=request.unit_id)
                if rung == Level.SUBDISTRICT and request.category.department_id:
                    people += vendor_users(request.category.department_id)
                Escalation.objects.get_or_create(request=request, level=rung, defaults={"at": now,
                                                                                        "notified": len(people)})
                notify(recipients=people, kind="servicedesk.overdue",
                       title=Text(N_("Overdue request #%(n)d: %(t)s"), n=request.pk, t=request.title),
                       body=Text(N_("Escalated to: %(l)s"), l=Level(rung).label),
                       url=reverse("servicedesk:console_detail", args=[request.pk]))
                _event(request, Actor.system(), "escalate", note=str(Level(rung).label), public=False)
                stats["escalated"] += 1
            request.escalation = max(request.escalation, wanted)
            request.save(update_fields=["overdue", "escalation"])
            record(Actor.system(), "servicedesk.request.escalate", request,
                   changes={"escalation": [level, request.escalation]}, community_id=request.community_id)
    return stats
