"""The request map: a courtyard's uploaded site plan (Leaflet CRS.Simple), buildings placed by
staff, open requests at their buildings, a legend and filters (state, category)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from courtyard.core.permissions import require_perm
from courtyard.org import access as org_access
from courtyard.org.siteplans import courtyards_for

from . import maps
from . import permissions as P


def _selection(request):
    courtyards = list(courtyards_for(request.user).select_related("site_plan").order_by("name"))
    wanted = request.GET.get("courtyard", "")
    courtyard = next((c for c in courtyards if str(c.pk) == wanted), None)
    if courtyard is None:  # default: the first courtyard with a plan, else the first
        courtyard = next((c for c in courtyards if hasattr(c, "site_plan")), courtyards[0] if courtyards else None)
    state = request.GET.get("state", "")
    if state not in {s for s, _ in maps.state_choices()} | {maps.OVERDUE}:
        state = ""
    categories = list(maps.top_categories())
    category = next((c for c in categories if str(c.pk) == request.GET.get("category", "")), None)
    return courtyards, courtyard, state, categories, category


@require_perm(P.VIEW)
def map_page(request):
    courtyards, courtyard, state, categories, category = _selection(request)
    plan = getattr(courtyard, "site_plan", None) if courtyard else None
    pins = maps.building_pins(request.user, courtyard, state=state, category=category) if courtyard else []
    can_edit = bool(courtyard) and request.user.has_perm(org_access.CHANGE_REGISTRY, courtyard)
    data = None
    if plan is not None:
        data = {
            "plan": {"url": f"{reverse('org:site_plan_image', args=[courtyard.pk])}?v={plan.image_id}",
                     "width": plan.width, "height": plan.height},
            "buildings": [p.as_json() for p in pins],
            "placeUrl": reverse("org:building_place", args=[0]) if can_edit else "",
        }
    return render(request, "servicedesk/map.html", {
        "courtyards": courtyards, "courtyard": courtyard, "plan": plan, "pins": pins, "data": data,
        "state": state, "states": maps.state_choices(), "categories": categories, "category": category,
        "can_edit": can_edit, "unplaced": [p for p in pins if p.x is None],
        "total": sum(p.count for p in pins), "overdue": sum(p.overdue for p in pins),
    })


@require_perm(P.VIEW)
def map_data(request):
    """The same buildings and requests as JSON (for other clients; the page embeds its own)."""
    _courtyards, courtyard, state, _categories, category = _selection(request)
    pins = maps.building_pins(request.user, courtyard, state=state, category=category) if courtyard else []
    return JsonResponse({
        "courtyard": courtyard.pk if courtyard else None,
        "buildings": [p.as_json() for p in pins],
        "requests": [dict(r, building=p.id) for p in pins for r in p.requests],
    })
