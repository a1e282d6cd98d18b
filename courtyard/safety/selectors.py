"""Reads of the safety app, each given the acting user."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone

from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from . import permissions as P
from .choices import Arrival, HazardState, Timeliness
from .models import CareRecord, CareVisit, CheckIn, Hazard, PatrolTask

HAZARD_RELATED = ("place__parent", "owner", "community", "kind__department")


def hazards_for(user):
    return Hazard.objects.visible_to(user, P.VIEW).select_related(*HAZARD_RELATED)


def overdue_q(now=None) -> Q:
    return Q(state=HazardState.OPEN, deadline__lt=now or timezone.now())


def my_reported_hazards(user):
    """A resident's own reports (the authorising rule is the reporter)."""
    return Hazard.objects.filter(reported_by=user, resident_report=True).select_related("place").order_by("-found_at")


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[:n]) + "." for n in range(1, len(parts) + 1)]


def notices_for(user):
    """Risk notices sent for places at or above the resident's home."""
    person = getattr(user, "person", None)
    if person is None or not person.path:
        return Hazard.objects.none()
    return Hazard.objects.filter(notice_sent_at__isnull=False, path__in=_prefixes(person.path)).exclude(
        state=HazardState.CLOSED).select_related("place").order_by("-notice_sent_at")


def tasks_of(user, day: dt.date):
    return PatrolTask.objects.filter(assignee=user, day=day).select_related("plan__route").order_by("shift", "pk")


def kinds_for(user, perm: str = P.HANDLE):
    """Kinds of hazard of the communities where `user` holds `perm` (form choices)."""
    from .models import HazardKind

    communities = Place.objects.visible_to(user, perm).values("community_id")
    return HazardKind.objects.filter(community_id__in=communities).select_related("department").order_by("name", "pk")


def whistles_about(user, *, hazard=None, request_id: int | None = None):
    """Escalations of one hazard or one service request (by number), as `user` may see them."""
    from .models import Whistle

    qs = Whistle.objects.visible_to(user, P.VIEW).select_related("department", "called_by")
    qs = qs.filter(hazard=hazard) if hazard is not None else qs.filter(request_id=request_id)
    now = timezone.now()
    rows = list(qs.order_by("called_at", "pk"))
    for w in rows:
        w.late = (w.responded_at or now) > w.due_at
    return rows


def places_for(user, perm: str):
    """Grids, micro-grids, buildings and entrances in `user`'s scope for `perm` (form choices)."""
    return Place.objects.visible_to(user, perm).filter(
        kind__in=(PlaceKind.GRID, PlaceKind.MICROGRID, PlaceKind.BUILDING, PlaceKind.ENTRANCE)
    ).select_related("parent").order_by("path")


def coverage(user, start: dt.date, end: dt.date) -> dict:
    """Points checked ÷ points due, and rounds on time ÷ rounds, per worker and per grid, exact; and
    how the points were reached (QR code, NFC tag, chosen from the list)."""
    tasks = PatrolTask.objects.visible_to(user, P.STATS).filter(day__gte=start, day__lte=end, window_end__lt=timezone.now())
    checkins = CheckIn.objects.filter(task__in=tasks.values("pk"))

    def rows(key, label, checkin_key):
        arrivals = {r[checkin_key]: r for r in checkins.values(checkin_key).annotate(
            qr=Count("pk", filter=Q(arrival=Arrival.QR)), nfc=Count("pk", filter=Q(arrival=Arrival.NFC)),
            manual=Count("pk", filter=Q(arrival=Arrival.MANUAL))).order_by()}
        out = []
        for r in tasks.values(key, label).annotate(
                due=Sum("points_due"), done=Sum("points_done"), rounds=Count("pk"),
                on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
                late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
                missed=Count("pk", filter=Q(timeliness=Timeliness.MISSED))).order_by(label):
            r["coverage"] = Fraction(r["done"], r["due"]) if r["due"] else None
            r["on_time_rate"] = Fraction(r["on_time"], r["rounds"]) if r["rounds"] else None
            r["name"] = r[label]
            a = arrivals.get(r[key], {})
            r["qr"], r["nfc"], r["manual"] = a.get("qr", 0), a.get("nfc", 0), a.get("manual", 0)
            out.append(r)
        return out

    return {"workers": rows("assignee", "assignee__display_name", "task__assignee"),
            "grids": rows("plan__route__place", "plan__route__place__name", "task__plan__route__place")}


def care_records_for(user):
    """The care register as `user` may read it: the narrow permission's scope, plus the people they
    visit or have claimed. Callers audit what they show (services.audit_list / audit_view)."""
    scoped = CareRecord.objects.visible_to(user, P.CARE).values("pk")
    return CareRecord.objects.filter(Q(pk__in=scoped) | Q(worker=user) | Q(claimed_by=user)).select_related(
        "person__home__courtyard", "person__home__building", "person__home__entrance", "grid", "worker", "claimed_by")


def own_visits(user):
    """Visits to the person logged in, or to people whose family list includes them."""
    q = Q(record__family=user)
    if user.person_id:
        q |= Q(record__person_id=user.person_id)
    return CareVisit.objects.filter(q).select_related("by", "record__person").order_by("-at").distinct()


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `day`'s quarter."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1) - dt.timedelta(days=1)
    return start, end


def risk_assessment(user, start: dt.date, end: dt.date) -> list[dict]:
    """季度风险评估: per self-governance unit (or community for rows outside a unit), the hazards
    found in the quarter by grade, how many are closed, open and overdue, and the incidents."""
    from .models import Incident

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    now = timezone.now()
    rows: dict = {}
    hazards = Hazard.objects.visible_to(user, P.VIEW).filter(found_at__gte=lo, found_at__lt=hi).values(
        "unit__name", "community__name").annotate(
        found=Count("pk"), red=Count("pk", filter=Q(grade="red")), yellow=Count("pk", filter=Q(grade="yellow")),
        blue=Count("pk", filter=Q(grade="blue")), closed=Count("pk", filter=Q(state=HazardState.CLOSED)),
        overdue=Count("pk", filter=Q(state=HazardState.OPEN, deadline__lt=now)),
        from_patrols=Count("pk", filter=Q(source="patrol")))
    for r in hazards:
        name = r["unit__name"] or r["community__name"]
        rows[name] = {"name": name, **{k: r[k] for k in ("found", "red", "yellow", "blue", "closed", "overdue",
                                                          "from_patrols")}, "incidents": 0}
    incidents = Incident.objects.visible_to(user, P.VIEW).filter(reported_at__gte=lo, reported_at__lt=hi).values(
        "unit__name", "community__name").annotate(n=Count("pk"))
    empty = {"found": 0, "red": 0, "yellow": 0, "blue": 0, "closed": 0, "overdue": 0, "from_patrols": 0}
    for r in incidents:
        name = r["unit__name"] or r["community__name"]
        rows.setdefault(name, {"name": name, **empty, "incidents": 0})["incidents"] = r["n"]
    out = sorted(rows.values(), key=lambda r: (-r["red"], -r["overdue"], r["name"]))
    for r in out:
        r["level"] = "red" if r["red"] or r["overdue"] else "yellow" if r["yellow"] or r["incidents"] else "blue"
        r["closed_rate"] = Fraction(r["closed"], r["found"]) if r["found"] else None
    return out
