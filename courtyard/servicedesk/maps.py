"""Read side of the request map: a courtyard's site plan, its buildings and the open requests at
each building, filtered by state and category. A fixed number of queries for any courtyard."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SitePlan

from . import permissions as P
from .choices import OPEN_STATES, State
from .models import Category, Request

# Requests listed per building in its pop-up (the count is always complete).
PER_BUILDING = 20
OVERDUE = "overdue"


@dataclass
class BuildingPin:
    id: int
    name: str
    x: float | None
    y: float | None
    count: int = 0
    overdue: int = 0
    requests: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "x": self.x, "y": self.y, "count": self.count,
                "overdue": self.overdue, "requests": self.requests}


def state_choices() -> list[tuple[str, str]]:
    return [(s, State(s).label) for s in OPEN_STATES]


def top_categories():
    return Category.objects.filter(parent__isnull=True, active=True).order_by("sort", "name")


def plan_of(courtyard) -> SitePlan | None:
    return SitePlan.objects.select_related("image").filter(courtyard=courtyard).first()


def building_pins(user, courtyard, *, state: str = "", category: Category | None = None) -> list[BuildingPin]:
    """Every building of the courtyard the user may see, with the open requests filed at it
    (the building, an entrance or a dwelling below it) that match the filters."""
    buildings = list(Place.objects.visible_to(user).filter(kind=PlaceKind.BUILDING, courtyard=courtyard)
                     .only("pk", "name", "path", "map_x", "map_y").order_by("name"))
    pins = {b.path: BuildingPin(b.pk, b.name, b.map_x, b.map_y) for b in buildings}
    if not pins:
        return []
    qs = Request.objects.visible_to(user, P.VIEW).filter(state__in=OPEN_STATES).filter(
        Q(*[Q(path__startswith=path) for path in pins], _connector=Q.OR))
    if state == OVERDUE:
        qs = qs.filter(overdue=True)
    elif state in OPEN_STATES:
        qs = qs.filter(state=state)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    rows = qs.order_by("-overdue", "next_due", "-id").values("pk", "title", "state", "overdue", "path")
    for row in rows:
        pin = next((p for path, p in pins.items() if row["path"].startswith(path)), None)
        if pin is None:
            continue
        pin.count += 1
        pin.overdue += row["overdue"]
        if len(pin.requests) < PER_BUILDING:
            pin.requests.append({"id": row["pk"], "title": row["title"], "state": str(State(row["state"]).label),
                                 "overdue": row["overdue"],
                                 "url": reverse("servicedesk:console_detail", args=[row["pk"]])})
    return list(pins.values())
