"""What the service desk offers its sibling apps through named hooks (courtyard.core.hooks, ADR 0026):
filing a work order through the ordinary filing service (clocks, audit, notifications, dispatch), and
reading back the state of requests. Plain values in, plain values out."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.hooks import provides
from courtyard.core.models import User
from courtyard.org.models import Place

from . import services
from .choices import Kind, State, Urgency
from .models import Category, Request

FALLBACK_CATEGORY = "bld-door"  # 房屋与公共设施 when the caller's category is unknown


def _category(code: str) -> Category:
    found = {c.code: c for c in Category.objects.filter(code__in=[code or "", FALLBACK_CATEGORY], active=True)}
    category = found.get(code) or found.get(FALLBACK_CATEGORY)
    if category is None:
        category = Category.objects.filter(active=True, parent__isnull=False).order_by("pk").first()
    if category is None:
        raise ValidationError(_("The service desk has no request categories yet."))
    return category


@provides("servicedesk.file_work_order")
def file_work_order(*, by, place_id: int, title: str, description: str = "", facility: str = "",
                    category_code: str = "", kind: str = Kind.REPAIR, source: str = "", urgency: str = Urgency.NORMAL,
                    dispatch_to_partner_id: int | None = None, reason: str = "",
                    reporter_user_id: int | None = None) -> dict:
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise ValidationError(_("Choose a building, an entrance or the community as the location."))
    request = services.file_request(by=by, place=place, category=_category(category_code), title=title,
                                    description=description, kind=kind if kind in Kind.values else Kind.REPAIR,
                                    urgency=urgency if urgency in Urgency.values else Urgency.NORMAL,
                                    facility=facility, source=(source or "staff")[:16],
                                    reporter_user=User.objects.filter(pk=reporter_user_id).first()
                                    if reporter_user_id else None)
    if dispatch_to_partner_id:  # sent by rule, so the system dispatches (the timeline says so)
        services.dispatch(by=Actor.system(), request=request, to=f"partner:{int(dispatch_to_partner_id)}",
                          reason=reason or _("Owner of the facility."), check=False)
    return {"id": request.pk, "url": reverse("servicedesk:console_detail", args=[request.pk])}


def _row(r: Request) -> dict:
    return {"id": r.pk, "title": r.title, "state": r.state, "state_label": State(r.state).label,
            "created_at": r.created_at, "overdue": r.overdue, "escalation": r.escalation,
            "url": reverse("servicedesk:console_detail", args=[r.pk])}


@provides("servicedesk.requests_for_facility")
def requests_for_facility(*, community_id: int, marker: str, limit: int = 10) -> list[dict]:
    if not marker:
        return []
    rows = (Request.objects.filter(community_id=community_id, facility__contains=marker)
            .only("pk", "title", "state", "created_at", "overdue", "escalation").order_by("-created_at", "-pk"))
    return [_row(r) for r in rows[:limit]]


@provides("servicedesk.request_states")
def request_states(*, ids) -> dict[int, dict]:
    rows = Request.objects.filter(pk__in=list(ids)).only("pk", "title", "state", "created_at", "overdue",
                                                          "escalation")
    return {r.pk: _row(r) for r in rows}
