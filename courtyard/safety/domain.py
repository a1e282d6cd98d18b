"""Pure rules of the safety app (no database): rectification deadlines and escalation by grade,
patrol timeliness, which days a plan runs, care-visit intervals and warning grades, and exact
rates. Property-tested in tests/test_domain.py."""

from __future__ import annotations

import datetime as dt

from courtyard.core.indicators import ratio

from .choices import Frequency, Grade, Timeliness, Wellbeing

# Rectification deadline by grade: red within a day, yellow within three, blue within a week.
RECTIFY_DAYS = {Grade.RED: 1, Grade.YELLOW: 3, Grade.BLUE: 7}


def rectification_deadline(grade: str, found_at: dt.datetime) -> dt.datetime:
    return found_at + dt.timedelta(days=RECTIFY_DAYS[Grade(grade)])


def escalation_level(grade: str, deadline: dt.datetime, now: dt.datetime) -> int:
    """0 before the deadline; then 1 (grid chief), 2 (community) after one more grade period,
    3 (subdistrict) after two more. Never decreases as time passes."""
    if now <= deadline:
        return 0
    period = dt.timedelta(days=RECTIFY_DAYS[Grade(grade)])
    late = now - deadline
    return min(3, 1 + int(late / period))


def runs_on(frequency: str, day: dt.date, *, weekday: int = 0, workday: bool | None = None) -> bool:
    """Does a plan of `frequency` run on `day`? `workday` (from the working-day calendar) decides
    for working-day plans; without it Monday–Friday count."""
    if frequency in (Frequency.TWICE_DAILY, Frequency.DAILY):
        return True
    if frequency == Frequency.WEEKLY:
        return day.weekday() == weekday
    if frequency == Frequency.WORKDAYS:
        return workday if workday is not None else day.weekday() < 5
    raise ValueError(frequency)


def shifts(frequency: str) -> tuple[int, ...]:
    return (1, 2) if frequency == Frequency.TWICE_DAILY else (1,)


def grade_check(window_start: dt.datetime, window_end: dt.datetime, at: dt.datetime,
                grace: dt.timedelta) -> str:
    """On time inside the window (an early check counts as on time), late within the grace after
    it, missed beyond (a make-up check may still be recorded, graded missed)."""
    if at <= window_end:
        return Timeliness.ON_TIME
    if at <= window_end + grace:
        return Timeliness.LATE
    return Timeliness.MISSED


TIMELINESS_ORDER = {Timeliness.ON_TIME: 0, Timeliness.LATE: 1, Timeliness.MISSED: 2}


def worst(grades) -> str:
    """A task's timeliness: the worst of its points' (no points checked: missed)."""
    grades = list(grades)
    if not grades:
        return Timeliness.MISSED
    return max(grades, key=lambda g: TIMELINESS_ORDER[Timeliness(g)])


# Visit interval by care colour (五色管理, org.choices.CareLevel): red daily watch, orange twice a
# week, yellow weekly, blue monthly, green quarterly.
VISIT_DAYS = {"red": 1, "orange": 3, "yellow": 7, "blue": 30, "green": 90}


def visit_due(colour: str, last_visit: dt.datetime | None, since: dt.datetime) -> dt.datetime:
    """When the next visit is due: one interval after the last visit (or after enrolment)."""
    return (last_visit or since) + dt.timedelta(days=VISIT_DAYS[colour])


def lapse_grade(colour: str, last_visit: dt.datetime | None, since: dt.datetime, now: dt.datetime) -> int:
    """0 while a visit is not overdue; 1 (the visiting worker) once overdue; 2 (grid chief) once
    overdue by another interval; 3 (community) by two more."""
    due = visit_due(colour, last_visit, since)
    if now <= due:
        return 0
    late = now - due
    return min(3, 1 + int(late / dt.timedelta(days=VISIT_DAYS[colour])))


def trouble_grade(wellbeing: str) -> int:
    """A visit reporting trouble: needs help → grid chief (2), unwell or not found → community (3)."""
    return {Wellbeing.WELL: 0, Wellbeing.NEEDS_HELP: 2, Wellbeing.UNWELL: 3, Wellbeing.NOT_SEEN: 3}[Wellbeing(wellbeing)]


# An exact ratio (None when there is nothing to divide by): the one the indicators use.
rate = ratio

