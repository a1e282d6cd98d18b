"""Twelve months of meetings for every unit of the demo community, with sign-ins from a growing
share of households, so meeting cadence and participation have a history (issue 13). Relative
dates only. 学道苑 skipped one leading-group meeting last month (2 of 3 held: yellow), which the
insight demo turns into a warning case led by the community."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courtyard.core.indicators import Period
from courtyard.org.models import Person

from .models import Attendance, Meeting


def load_history(info: dict, *, months: int = 12) -> int:
    current = Period.containing(timezone.localdate())
    periods = current.back(months + 1)[:-1]
    meetings = 0
    for slug, unit in sorted(info["units"].items()):
        homes: dict[int, Person] = {}
        for person in Person.objects.filter(unit=unit, home__isnull=False).order_by("pk"):
            homes.setdefault(person.home_id, person)
        heads = list(homes.values())
        for m, period in enumerate(periods):
            start, _end = period.bounds()
            last = m == len(periods) - 1
            plan = [("party_joint", "党组织联席会议", 4), ("leading_group", "院落自治领导小组例会", 2)]
            if not (last and slug == "xuedaoyuan"):
                plan.append(("leading_group", "院落自治领导小组例会", 16))
            share = 30 + 2 * m  # per cent of households signing in, rising over the year
            took = heads[: len(heads) * share // 100]
            for n, (kind, title, day) in enumerate(plan):
                when = start + dt.timedelta(days=day, hours=19)
                meeting = Meeting.objects.create(unit=unit, kind=kind, title=f"{title}（{period.key}）", starts_at=when,
                                                 location="院落活动室", minutes="按议程通报整改进度。",
                                                 minutes_at=when + dt.timedelta(hours=2),
                                                 signin_token=f"hist-{unit.pk}-{period.key}-{n}")
                meetings += 1
                chunk = took[n::len(plan)]
                Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p, method="desk", signed_at=when)
                                                for p in chunk])
    return meetings
