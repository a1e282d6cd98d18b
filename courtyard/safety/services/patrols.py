"""Patrol writes: check points, routes, plans; the daily task generation (idempotent); check-ins
graded on time / late / missed, make-up checks, abnormal answers becoming hazards."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.text import within

from .. import checklist, domain, rules
from .. import permissions as P
from ..choices import Arrival, Frequency, Grade, HazardSource, ManualReason, TaskState, Timeliness
from ..models import CheckIn, CheckPoint, PatrolPlan, PatrolTask, Route, RouteStop
from ._common import refuse
from .hazards import report_hazard

POINT_FIELDS = ["name", "place", "checklist", "active", "nfc_tag", "hazard_kind"]


@transaction.atomic
def save_point(*, by: Actor, place, name: str, checklist_text: str, point: CheckPoint | None = None,
               active: bool = True, nfc_tag: bool = False, hazard_kind=None) -> CheckPoint:
    refuse(in_scope(by.user, P.CONFIGURE, place))
    name = within((name or "").strip(), limit=80, what=_("Name"))
    if not name:
        raise ValidationError(_("Give the check point a name."), code="name")
    items = checklist.parse(checklist_text)
    if hazard_kind is not None and hazard_kind.community_id != (place.community_id or place.pk):
        raise ValidationError(_("Choose a kind of hazard of this community."), code="hazard_kind")
    before = snapshot(point, POINT_FIELDS) if point else None
    point = point or CheckPoint()
    if point.pk:
        refuse(in_scope(by.user, P.CONFIGURE, point))
    point.name, point.checklist, point.active = name, items, active
    point.nfc_tag, point.hazard_kind = nfc_tag, hazard_kind
    point.locate(place)
    point.save()
    record(by, "safety.point.update" if before else "safety.point.create", point,
           changes=diff(before, snapshot(point, POINT_FIELDS)))
    return point


@transaction.atomic
def save_route(*, by: Actor, grid, name: str, points: list[CheckPoint], route: Route | None = None) -> Route:
    refuse(in_scope(by.user, P.CONFIGURE, grid))
    name = within((name or "").strip(), limit=80, what=_("Name"))
    if not name:
        raise ValidationError(_("Give the route a name."), code="name")
    if not points:
        raise ValidationError(_("Choose the check points of the route, in walking order."), code="points")
    outside = [p.name for p in points if not p.path.startswith(grid.path)]
    if outside:
        raise ValidationError(_("These points are not in the grid: %(names)s.") % {"names": "、".join(outside)},
                              code="points")
    route = route or Route()
    before = snapshot(route, ["name", "place"]) if route.pk else None
    route.name = name
    route.locate(grid)
    route.save()
    route.stops.all().delete()
    RouteStop.objects.bulk_create([RouteStop(route=route, point=p, order=n) for n, p in enumerate(points, start=1)])
    after = snapshot(route, ["name", "place"]) | {"points": [p.pk for p in points]}
    record(by, "safety.route.update" if before else "safety.route.create", route, changes=diff(before, after))
    return route


@transaction.atomic
def save_plan(*, by: Actor, route: Route, frequency: str, first_start: dt.time, first_end: dt.time,
              workers: list, starts: dt.date, weekday: int = 0, second_start: dt.time | None = None,
              second_end: dt.time | None = None, grace_minutes: int = 120, make_up: bool = True,
              plan: PatrolPlan | None = None) -> PatrolPlan:
    refuse(in_scope(by.user, P.CONFIGURE, route))
    if first_end <= first_start:
        raise ValidationError(_("A round must end after it starts."), code="first_end")
    if frequency == Frequency.TWICE_DAILY:
        if second_start is None or second_end is None:
            raise ValidationError(_("A twice-daily plan needs the second round's times."), code="second_start")
        if second_end <= second_start or second_start < first_end:
            raise ValidationError(_("The second round must come after the first and end after it starts."),
                                  code="second_end")
    if not workers:
        raise ValidationError(_("Assign at least one worker."), code="workers")
    unfit = [str(w) for w in workers if not in_scope(w, P.PATROL, route)]
    if unfit:
        raise ValidationError(_("These people cannot patrol this route: %(names)s.") % {"names": "、".join(unfit)},
                              code="workers")
    plan = plan or PatrolPlan(route=route)
    before = _plan_snapshot(plan) if plan.pk else None
    plan.frequency, plan.weekday, plan.starts = frequency, weekday, starts
    plan.first_start, plan.first_end = first_start, first_end
    if frequency == Frequency.TWICE_DAILY:
        plan.second_start, plan.second_end = second_start, second_end
    else:
        plan.second_start = plan.second_end = None
    plan.grace_minutes, plan.make_up = grace_minutes, make_up
    plan.save()
    plan.workers.set(workers)
    after = _plan_snapshot(plan)
    record(by, "safety.plan.update" if before else "safety.plan.create", plan,
           changes=diff(before, after | {"workers": [w.pk for w in workers]}), community_id=route.community_id)
    return plan


def _plan_snapshot(plan: PatrolPlan) -> dict:
    snap = snapshot(plan, ["frequency", "weekday", "first_start", "first_end", "second_start", "second_end",
                           "grace_minutes", "make_up"])
    return {k: v.strftime("%H:%M") if isinstance(v, dt.time) else v for k, v in snap.items()}


def is_workday(day: dt.date) -> bool | None:
    """The shared working-day calendar (holidays and make-up days), read through the app registry
    so that this app does not import the service desk; None when no calendar is installed."""
    try:
        model = apps.get_model("servicedesk", "CalendarDay")
    except LookupError:
        return None
    row = model.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return row if row is not None else day.weekday() < 5


def _aware(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def generate_tasks(day: dt.date | None = None) -> int:
    """Creates the day's tasks of every active plan; running it again adds nothing."""
    day = day or timezone.localdate()
    workday = is_workday(day)
    made = 0
    plans = PatrolPlan.objects.filter(active=True, starts__lte=day).select_related("route").prefetch_related(
        "workers", "route__stops")
    for plan in plans:
        if not domain.runs_on(plan.frequency, day, weekday=plan.weekday, workday=workday):
            continue
        workers = sorted(plan.workers.all(), key=lambda u: u.pk)
        due = len(plan.route.stops.all())
        if not workers or not due:
            continue
        for shift in domain.shifts(plan.frequency):
            start, end = (plan.first_start, plan.first_end) if shift == 1 else (plan.second_start, plan.second_end)
            worker = workers[(day.toordinal() + shift) % len(workers)]  # a fair rotation
            try:
                with transaction.atomic():
                    task, created = PatrolTask.objects.get_or_create(
                        plan=plan, day=day, shift=shift,
                        defaults={"window_start": _aware(day, start), "window_end": _aware(day, end),
                                  "assignee": worker, "points_due": due})
            except IntegrityError:  # a concurrent run made it first
                continue
            if created:
                record(Actor.system(), "safety.task.create", task, community_id=plan.route.community_id)
                made += 1
    return made


def _grace(plan: PatrolPlan) -> dt.timedelta:
    return dt.timedelta(minutes=plan.grace_minutes)


@transaction.atomic
def check_in(*, by: Actor, task: PatrolTask, point: CheckPoint, answers: dict, note: str = "", photo=None,
             at: dt.datetime | None = None, grade: str = Grade.YELLOW, arrival: str = Arrival.QR,
             manual_reason: str = "") -> CheckIn:
    """`arrival`: how the worker reached the point (QR scan, NFC tap, or chosen from the list, which
    needs a reason; ADR 0030)."""
    task = PatrolTask.objects.select_for_update().select_related("plan__route").get(pk=task.pk)
    refuse(rules.may_check_in(by.user, task), _("This patrol task is not yours."))
    if not task.plan.route.stops.filter(point=point).exists():
        raise ValidationError(_("This check point is not on the task's route."), code="point")
    if task.checkins.filter(point=point).exists():
        raise ValidationError(_("This check point is already checked in this round."), code="point")
    at = at or timezone.now()
    if at < task.window_start - dt.timedelta(hours=1):
        raise ValidationError(_("This round starts at %(time)s.") % {
            "time": timezone.localtime(task.window_start).strftime("%H:%M")}, code="point")
    timeliness = domain.grade_check(task.window_start, task.window_end, at, _grace(task.plan))
    if timeliness == Timeliness.MISSED and not task.plan.make_up:
        raise ValidationError(_("The time for this round is over and this plan allows no make-up checks."),
                              code="point")
    clean, abnormal, bad = checklist.judge(point.checklist, answers)
    note = within((note or "").strip(), limit=500, what=_("Note"))
    if arrival not in Arrival.values:
        arrival = Arrival.QR
    if arrival == Arrival.MANUAL:
        if manual_reason not in ManualReason.values:
            raise ValidationError(_("Say why the point was not scanned."), code="manual_reason")
        if manual_reason == ManualReason.OTHER and not note:
            raise ValidationError(_("Say in the note why the point was not scanned."), code="note")
    else:
        manual_reason = ""
    if abnormal and not note and photo is None:
        raise ValidationError(_("Describe the anomaly or add a photo."), code="note")
    ci = CheckIn.objects.create(task=task, point=point, by=by.user, at=at, timeliness=timeliness,
                                make_up=timeliness == Timeliness.MISSED, answers=clean, abnormal=abnormal, note=note,
                                arrival=arrival, manual_reason=manual_reason)
    if photo is not None:
        store_upload(by=by, upload=photo, owner=ci)
    record(by, "safety.checkin.create", ci, community_id=task.plan.route.community_id,
           changes={"point": [None, point.pk], "timeliness": [None, timeliness], "abnormal": [None, abnormal],
                    "arrival": [None, arrival], "manual_reason": [None, manual_reason]})
    if abnormal:
        report_hazard(by=by, place=point.place, title=f"{point.name}：{'；'.join(bad)}"[:120], grade=grade,
                      source=HazardSource.PATROL, description=note, check_in=ci, found_at=at,
                      kind=point.hazard_kind)
    _settle(task)
    return ci


def _settle(task: PatrolTask) -> None:
    grades = list(task.checkins.values_list("timeliness", flat=True))
    task.points_done = len(grades)
    if task.points_done >= task.points_due:
        task.state = TaskState.DONE
        task.timeliness = domain.worst(grades)
    task.save(update_fields=["points_done", "state", "timeliness"])


def close_rounds(now: dt.datetime | None = None) -> int:
    """Marks rounds missed once their late time is over with points left (make-ups may still
    complete them, graded missed)."""
    now = now or timezone.now()
    closed = 0
    for task in PatrolTask.objects.filter(state=TaskState.OPEN, window_end__lt=now).select_related("plan"):
        if task.window_end + _grace(task.plan) >= now:
            continue
        task.state, task.timeliness = TaskState.MISSED, Timeliness.MISSED
        task.save(update_fields=["state", "timeliness"])
        record(Actor.system(), "safety.task.missed", task, community_id=task.plan.route.community_id)
        closed += 1
    return closed
