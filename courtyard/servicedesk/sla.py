"""SLA clocks — the one place that turns promised times into deadlines. Pure functions only:
no database, no `now()`; callers pass the calendar overrides and the instants.

* Clock hours: the deadline is the start plus the hours, plus any time the clock was paused.
* Working days: Monday–Friday are working days unless the calendar says otherwise (public
  holidays are off, make-up days 调休 on a weekend are on). A request filed on a working day
  is due N working days later at the same local time; one filed on a day off counts as filed
  at 09:00 on the next working day. Paused time is added on top as clock time.
* Escalation: once the pending deadline has passed, the request climbs one rung of the ladder
  (micro-grid worker → committee → community → subdistrict/departments) per `step` overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
DAY_START = dt.time(9, 0)
ESCALATION_STEP = dt.timedelta(hours=24)
MAX_LEVEL = 4
MEETING_WITHIN = dt.timedelta(hours=48)

Overrides = Mapping[dt.date, bool]  # date -> is a working day (holidays False, make-up days True)


@dataclass(frozen=True)
class Terms:
    unit: str  # "hours" or "workdays"
    accept: int
    onsite: int
    resolve: int


@dataclass(frozen=True)
class Deadlines:
    accept: dt.datetime
    onsite: dt.datetime
    resolve: dt.datetime


def is_workday(day: dt.date, overrides: Overrides) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def next_workday(day: dt.date, overrides: Overrides) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_workday(day, overrides):
        day += dt.timedelta(days=1)
    return day


def add_workdays(start: dt.datetime, days: int, overrides: Overrides) -> dt.datetime:
    """`days` working days after `start` (aware), at the same local time of day."""
    if start.tzinfo is None:
        raise ValueError("start must be aware")
    local = start.astimezone(LOCAL)
    day, at = local.date(), local.time()
    if not is_workday(day, overrides):  # filed on a day off: as if filed at 09:00 on the next working day
        day, at = next_workday(day, overrides), DAY_START
    for _ in range(days):
        day = next_workday(day, overrides)
    return dt.datetime.combine(day, at, LOCAL)


def due(start: dt.datetime, amount: int, unit: str, overrides: Overrides,
        paused: dt.timedelta = dt.timedelta(0)) -> dt.datetime:
    if unit == "hours":
        end = start + dt.timedelta(hours=amount)
    elif unit == "workdays":
        end = add_workdays(start, amount, overrides)
    else:
        raise ValueError(f"unknown clock unit {unit!r}")
    return end + paused


def deadlines(start: dt.datetime, terms: Terms, overrides: Overrides,
              paused: dt.timedelta = dt.timedelta(0)) -> Deadlines:
    return Deadlines(
        accept=due(start, terms.accept, terms.unit, overrides, paused),
        onsite=due(start, terms.onsite, terms.unit, overrides, paused),
        resolve=due(start, terms.resolve, terms.unit, overrides, paused),
    )


def tighten(terms: Terms, *, onsite_hours: int | None) -> Terms:
    """A vendor's agreement can only shorten the on-site promise (counted in hours)."""
    if onsite_hours is None or terms.unit != "hours":
        return terms
    onsite = min(terms.onsite, onsite_hours)
    return Terms(terms.unit, min(terms.accept, onsite), onsite, max(terms.resolve, onsite))


def pending_deadline(state: str, d: Deadlines | None, *, accepted: bool, onsite: bool) -> dt.datetime | None:
    """The deadline the request is racing now, or None when no clock runs (paused, resolved, final)."""
    if d is None or state in ("waiting", "resolved", "confirmed", "closed", "merged", "referred"):
        return None
    if not accepted and state in ("submitted", "reopened"):
        return d.accept
    if not onsite and state in ("submitted", "accepted", "dispatched", "reopened"):
        return d.onsite
    return d.resolve


def escalation_level(now: dt.datetime, deadline: dt.datetime | None, step: dt.timedelta = ESCALATION_STEP) -> int:
    """0 while on time; 1 as soon as it is late; one rung more per `step` late; at most 4."""
    if deadline is None or now <= deadline:
        return 0
    return min(MAX_LEVEL, 1 + int((now - deadline) // step))


def paused_total(paused_seconds: int, paused_since: dt.datetime | None, now: dt.datetime) -> dt.timedelta:
    extra = (now - paused_since) if paused_since else dt.timedelta(0)
    return dt.timedelta(seconds=paused_seconds) + extra


def on_time(finished: dt.datetime | None, deadline: dt.datetime | None) -> bool | None:
    if finished is None or deadline is None:
        return None
    return finished <= deadline
