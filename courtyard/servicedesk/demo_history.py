"""Twelve months of closed service-desk requests for every unit of the demo community, so the
indicators (三率, on-time, disputes, participation) have a history to show (issue 13). Relative
dates only: the months before the current one. 学道苑's last month is deliberately poor on
satisfaction (1 of 4 ratings at 4–5 stars: red; 3 of 4 fixed: yellow), which the insight demo turns into a listed case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courtyard.core.indicators import Period
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Person, Place

from .choices import Kind, State
from .models import Category, Rating, Request

GOOD_STARS = [5, 5, 4, 3]
POOR_STARS = [1, 2, 5, 2]


def load_history(info: dict, *, months: int = 12) -> int:
    current = Period.containing(timezone.localdate())
    periods = current.back(months + 1)[:-1]
    leak = Category.objects.get(code="water-leak")
    noise = Category.objects.get(code="noise-neighbour")
    requests, ratings = [], []
    for slug, unit in sorted(info["units"].items()):
        entrance = Place.objects.filter(kind=PlaceKind.ENTRANCE, parent__courtyard__unit=unit).order_by("pk").first()
        people = list(Person.objects.filter(unit=unit, home__isnull=False).order_by("pk")[:200])
        if entrance is None or not people:
            continue
        for m, period in enumerate(periods):
            start, _end = period.bounds()
            last = m == len(periods) - 1
            for i in range(10):
                filed = start + dt.timedelta(days=2 + i * 2, hours=9)
                late_accept = i == 9 and m % 3 == 0
                late_fix = i == 8
                dispute = i >= 8
                requests.append(Request(
                    community_id=unit.community_id, unit=unit, place=entrance, path=entrance.path,
                    kind=Kind.DISPUTE if dispute else Kind.REPAIR, category=noise if dispute else leak,
                    title="邻里噪音纠纷调解" if dispute else "楼道水管渗漏", state=State.CLOSED,
                    reporter=people[(m * 10 + i * 7) % len(people)], channel="offline", source="staff",
                    created_at=filed, accept_due=filed + dt.timedelta(hours=2),
                    accepted_at=filed + dt.timedelta(hours=3 if late_accept else 1),
                    resolve_due=filed + dt.timedelta(days=3),
                    resolved_at=filed + dt.timedelta(days=4 if late_fix else 1),
                    closed_at=filed + dt.timedelta(days=5)))
            stars = POOR_STARS if (last and slug == "xuedaoyuan") else GOOD_STARS
            ratings.append((len(requests) - 10, stars, start))
    made = Request.objects.bulk_create(requests)
    rows = []
    for first, stars, _start in ratings:
        for k, s in enumerate(stars):
            req = made[first + k]
            req.stars = s
            rows.append(Rating(request=req, stars=s, fixed=s >= 2, at=req.created_at + dt.timedelta(days=2)))
    Rating.objects.bulk_create(rows)
    Request.objects.bulk_update([r for r in made if r.stars], ["stars"])
    return len(made)
