"""Patrol pages: check points (with printable QR codes), routes, plans, tasks and coverage in the
console; on the phone, today's rounds and the page a point's QR code opens."""

from __future__ import annotations

import datetime as dt

import django_filters as df
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, form_page, save, service_form
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.org.choices import PlaceKind

from .. import checklist, selectors, services
from .. import permissions as P
from ..choices import Arrival, ManualReason, TaskState, Timeliness
from ..forms import CheckInForm, PlanForm, PointForm, RouteForm
from ..models import CheckIn, CheckPoint, PatrolPlan, PatrolTask, Route, RouteStop
from ._util import SafetyList, pct, staff_over


class PointList(SafetyList):
    title = gettext_lazy("Check points")
    permission = P.VIEW
    export_name = "check-points"
    ordering = ("path", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Check point"), link=lambda p: reverse("safety:point_edit", args=[p.pk])),
        Column("place.name", gettext_lazy("Where")),
        Column("items", gettext_lazy("Checklist"), value=lambda p: len(p.checklist), numeric=True),
        Column("nfc_tag", gettext_lazy("NFC tag"), value=lambda p: _("fitted") if p.nfc_tag else "—"),
        Column("hazard_kind.name", gettext_lazy("Kind of hazard found here")),
        Column("qr", gettext_lazy("Patrol QR code"), export=False,
               html=lambda p: _link(reverse("safety:point_qr", args=[p.pk]), _("Print"))),
    ]

    def get_queryset(self, user):
        return CheckPoint.objects.visible_to(user).select_related("place", "hazard_kind")

    def get_columns(self, request):
        if request.user.has_perm(P.CONFIGURE):
            return self.columns
        return [Column("name", gettext_lazy("Check point")), *self.columns[1:]]

    def extra_context(self, request):
        return {"actions": [(reverse("safety:point_new"), _("New check point"))]
                if request.user.has_perm(P.CONFIGURE) else []}


def _link(url: str, text: str):
    from django.utils.html import format_html

    return format_html('<a href="{}">{}</a>', url, text)


def _point_places(user):
    return selectors.places_for(user, P.CONFIGURE)


def _save_point(request, d, point=None):
    return services.save_point(by=Actor.from_request(request), place=d["place"], name=d["name"],
                               checklist_text=d["checklist"], active=d["active"], nfc_tag=d["nfc_tag"],
                               hazard_kind=d["hazard_kind"], point=point)


def nfc_url(request, point: CheckPoint) -> str:
    """What an NFC tag at the point holds: the QR code's check-in address, marked as read from a tag."""
    return request.build_absolute_uri(reverse("safety:scan", args=[point.code])) + "?via=nfc"


@require_perm(P.CONFIGURE)
def point_new(request):
    form = PointForm(request.POST or None, places=_point_places(request.user),
                     kinds=selectors.kinds_for(request.user, P.CONFIGURE))
    return service_form(request, form, title=_("New check point"), back_url=reverse("safety:points"),
                        write=lambda d: _save_point(request, d), success=_("Saved."), next=reverse("safety:points"))


@require_perm(P.CONFIGURE)
def point_edit(request, pk: int):
    point = get_object_or_404(CheckPoint.objects.visible_to(request.user, P.CONFIGURE), pk=pk)
    form = PointForm(request.POST or None, places=_point_places(request.user),
                     kinds=selectors.kinds_for(request.user, P.CONFIGURE), nfc_url=nfc_url(request, point), initial={
                         "place": point.place_id, "name": point.name, "checklist": checklist.unparse(point.checklist),
                         "active": point.active, "nfc_tag": point.nfc_tag, "hazard_kind": point.hazard_kind_id})
    return service_form(request, form, title=point.name, back_url=reverse("safety:points"),
                        write=lambda d: _save_point(request, d, point), success=_("Saved."),
                        next=reverse("safety:points"))


@require_perm(P.VIEW)
def point_qr(request, pk: int | None = None):
    """A4 sheet of QR stickers: one point, or every active point in scope."""
    points = CheckPoint.objects.visible_to(request.user).filter(active=True).select_related("place")
    if pk is not None:
        points = points.filter(pk=pk)
        if not points:
            raise Http404
    stickers = [{"qr": qr_svg(request.build_absolute_uri(reverse("safety:scan", args=[p.code]))), "point": p}
                for p in points[:200]]
    return pdf_response("safety/pdf/points_qr.html", {"stickers": stickers}, filename="巡查点位二维码.pdf",
                        request=request)


class RouteList(SafetyList):
    title = gettext_lazy("Patrol routes")
    permission = P.VIEW
    ordering = ("path", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Route")),
        Column("place.name", gettext_lazy("Grid")),
        Column("stops", gettext_lazy("Check points (in order)"),
               value=lambda r: " → ".join(s.point.name for s in r.stops.all())),
    ]

    def get_queryset(self, user):
        return Route.objects.visible_to(user).select_related("place").prefetch_related(
            Prefetch("stops", queryset=RouteStop.objects.select_related("point")))

    def extra_context(self, request):
        return {"actions": [(reverse("safety:route_new"), _("New route")), (reverse("safety:plan_new"), _("New plan"))]
                if request.user.has_perm(P.CONFIGURE) else []}


@require_perm(P.CONFIGURE)
def route_new(request):
    grids = selectors.places_for(request.user, P.CONFIGURE).filter(kind__in=(PlaceKind.GRID, PlaceKind.MICROGRID))
    points = CheckPoint.objects.visible_to(request.user, P.CONFIGURE).filter(active=True).select_related("place")
    form = RouteForm(request.POST or None, grids=grids, points=points)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        order = [int(x) for x in request.POST.getlist("points") if x.isdigit()]  # the order ticked
        chosen = sorted(d["points"], key=lambda p: order.index(p.pk) if p.pk in order else 0)
        if save(form, lambda: services.save_route(by=Actor.from_request(request), grid=d["grid"], name=d["name"],
                                                  points=chosen)):
            messages.success(request, _("Saved."))
            return redirect("safety:routes")
    return form_page(request, form, title=_("New route"), back_url=reverse("safety:routes"))


class PlanList(SafetyList):
    title = gettext_lazy("Patrol plans")
    permission = P.VIEW
    ordering = ("route__name", "pk")
    columns = [
        Column("route.name", gettext_lazy("Route")),
        Column("frequency", gettext_lazy("Frequency")),
        Column("windows", gettext_lazy("Rounds"), value=lambda p: "、".join(
            f"{a:%H:%M}–{b:%H:%M}" for a, b in ((p.first_start, p.first_end), (p.second_start, p.second_end)) if a)),
        Column("workers", gettext_lazy("Workers"), value=lambda p: "、".join(str(w) for w in p.workers.all())),
        Column("make_up", gettext_lazy("Make-up checks allowed"), value=lambda p: _("Yes") if p.make_up else _("No")),
    ]

    def get_queryset(self, user):
        return PatrolPlan.objects.visible_to(user).select_related("route").prefetch_related("workers")

    def extra_context(self, request):
        return {"actions": [(reverse("safety:plan_new"), _("New plan"))] if request.user.has_perm(P.CONFIGURE) else []}


@require_perm(P.CONFIGURE)
def plan_new(request):
    routes = Route.objects.visible_to(request.user, P.CONFIGURE).select_related("place")
    route = routes.filter(pk=request.POST.get("route") or 0).first() or routes.first()
    workers = staff_over(route, ("grid_worker", "microgrid_worker", "building_head")) if route else None
    form = PlanForm(request.POST or None, routes=routes, workers=workers if workers is not None else routes.none(),
                    initial={"starts": timezone.localdate()})
    return service_form(request, form, title=_("New patrol plan"), back_url=reverse("safety:plans"),
                        write=lambda d: services.save_plan(by=Actor.from_request(request), **d),
                        success=_("Saved. Tasks are generated every morning."), next=reverse("safety:plans"))


class TaskList(SafetyList):
    title = gettext_lazy("Patrol tasks")
    permission = P.VIEW
    export_name = "patrol-tasks"
    ordering = ("-day", "shift", "pk")
    columns = [
        Column("day", gettext_lazy("Day"), sort=("day",)),
        Column("shift", gettext_lazy("Round"), numeric=True),
        Column("plan.route.name", gettext_lazy("Route")),
        Column("assignee", gettext_lazy("Worker")),
        Column("progress", gettext_lazy("Points checked"), value=lambda t: f"{t.points_done}/{t.points_due}"),
        Column("state", gettext_lazy("State")),
        Column("timeliness", gettext_lazy("Timeliness")),
    ]

    def get_queryset(self, user):
        return PatrolTask.objects.visible_to(user).select_related("plan__route", "assignee")

    def extra_context(self, request):
        return {"actions": [(reverse("safety:coverage"), _("Coverage"))] if request.user.has_perm(P.STATS) else []}


def _arrival(c: CheckIn) -> str:
    text = _choice(Arrival, c.arrival)
    return f"{text}：{_choice(ManualReason, c.manual_reason)}" if c.manual_reason else text


def _choice(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else value


class CheckInFilter(df.FilterSet):
    arrival = df.ChoiceFilter(label=gettext_lazy("How the point was reached"), choices=Arrival.choices,
                              empty_label=gettext_lazy("All"))
    timeliness = df.ChoiceFilter(label=gettext_lazy("Timeliness"), choices=Timeliness.choices,
                                 empty_label=gettext_lazy("All"))
    abnormal = df.BooleanFilter(label=gettext_lazy("Abnormal"), widget=forms.Select(
        choices=[("", gettext_lazy("All")), ("true", gettext_lazy("Abnormal")), ("false", gettext_lazy("Normal"))]))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select form-select-sm")


class CheckInList(SafetyList):
    """巡查打卡台账: every check-in with how the worker reached the point (QR, NFC, or the list and why)."""
    title = gettext_lazy("Patrol check-ins")
    permission = P.VIEW
    export_name = "patrol-check-ins"
    filterset_class = CheckInFilter
    ordering = ("-at", "-pk")
    columns = [
        Column("at", gettext_lazy("Checked at"), value=lambda c: timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"),
               sort=("at",)),
        Column("point.name", gettext_lazy("Check point")),
        Column("by", gettext_lazy("Worker")),
        Column("task", gettext_lazy("Round"), value=lambda c: f"{c.task.plan.route.name} · {c.task.shift}"),
        Column("timeliness", gettext_lazy("Timeliness")),
        Column("arrival", gettext_lazy("How the point was reached"), value=_arrival),
        Column("abnormal", gettext_lazy("Abnormal"), value=lambda c: _("Abnormal") if c.abnormal else "—"),
        Column("note", gettext_lazy("Note")),
    ]

    def get_queryset(self, user):
        return CheckIn.objects.visible_to(user).select_related("point", "by", "task__plan__route")

    def extra_context(self, request):
        return {"actions": [(reverse("safety:coverage"), _("Coverage"))] if request.user.has_perm(P.STATS) else []}


@require_perm(P.STATS)
def coverage(request):
    days = 7
    end = timezone.localdate()
    start = end - dt.timedelta(days=days - 1)
    data = selectors.coverage(request.user, start, end)
    for rows in data.values():
        for r in rows:
            r["coverage_text"], r["on_time_text"] = pct(r["coverage"]), pct(r["on_time_rate"])
    return render(request, "safety/coverage.html", {"data": data, "start": start, "end": end,
                                                    "checkins_url": reverse("safety:checkins")})


# ---------------------------------------------------------------- phone
@login_required
def patrol(request):
    """Today's rounds of the logged-in worker, with the points still to check."""
    today = timezone.localdate()
    tasks = list(selectors.tasks_of(request.user, today).prefetch_related(
        Prefetch("plan__route__stops", queryset=RouteStop.objects.select_related("point__place")), "checkins"))
    for t in tasks:
        done = {c.point_id for c in t.checkins.all()}
        t.stops = [(s.point, s.point_id in done) for s in t.plan.route.stops.all()]
    return render(request, "safety/patrol.html", {"tasks": tasks, "today": today, **_nfc_context()})


def _nfc_context() -> dict:
    """What the Web NFC button (static/safety/nfc.js) needs: where a tag's code leads."""
    return {"scan_prefix": reverse("safety:scan", args=["CODE"]).replace("CODE/", "")}


def _arrival_of(request) -> str:
    via = (request.POST.get("arrival") if request.method == "POST" else None) or request.GET.get("via", "")
    return {"nfc": Arrival.NFC, "list": Arrival.MANUAL, "manual": Arrival.MANUAL}.get(via, Arrival.QR)


def _task_for(user, point: CheckPoint):
    """The worker's round that this point belongs to and still needs: today's first open round
    (or one past its time when make-ups are allowed)."""
    today = timezone.localdate()
    tasks = PatrolTask.objects.filter(assignee=user, day__gte=today - dt.timedelta(days=1), day__lte=today,
                                      plan__route__stops__point=point).exclude(checkins__point=point)
    tasks = tasks.select_related("plan__route").order_by("day", "shift")
    for t in tasks:
        if t.state == TaskState.OPEN or t.plan.make_up:
            return t
    return None


@login_required
def scan(request, code: str):
    point = get_object_or_404(CheckPoint.objects.select_related("place"), code=code, active=True)
    task = _task_for(request.user, point)
    if task is None:
        return render(request, "safety/scan.html", {"point": point, "task": None}, status=200)
    arrival = _arrival_of(request)
    form = CheckInForm(request.POST or None, request.FILES or None, items=point.checklist,
                       initial={"arrival": arrival})
    if arrival != Arrival.MANUAL:
        del form.fields["manual_reason"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = save(form, lambda: services.check_in(by=Actor.from_request(request), task=task, point=point,
                                                     answers=form.answers(), note=d["note"], photo=d["photo"],
                                                     arrival=arrival, manual_reason=d.get("manual_reason", "")))
        if saved:
            ci = saved.result
            if ci.abnormal:
                messages.warning(request, _("Anomaly recorded: a hazard is in the register."))
            else:
                messages.success(request, _("Checked: %(point)s (%(when)s).") % {
                    "point": point.name, "when": ci.get_timeliness_display()})
            return redirect("safety:patrol")
    return render(request, "safety/scan.html", {"point": point, "task": task, "form": form, "arrival": arrival,
                                                "manual": arrival == Arrival.MANUAL, **_nfc_context()},
                  status=400 if form.errors else 200)
