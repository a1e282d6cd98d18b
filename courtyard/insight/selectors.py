"""Reads for insight's pages. Dashboards read snapshots only — the period asked for, the twelve
months before it and the children one level down — so a page costs a fixed number of queries
whatever the size of the tree or of the data underneath (the nightly job keeps the running
period's snapshot fresh; see docs/insight.md)."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from django.db.models import Count, Q

from courtyard.core.access import current_grants, in_scope
from courtyard.core.indicators import MONTH, Period, Reading, Scope, catalogue, decimal_str, percent_str
from courtyard.org.models import Place

from . import permissions as P
from . import scopes as sc
from .models import CaseStatus, Snapshot, WarningCase

HOTLINE = ("response_rate", "resolution_rate", "satisfaction_rate")


class _At:
    """An object at a scope, for the access kernel's object checks."""

    scope_lookups = {"path": "path", "unit": "unit"}

    def __init__(self, scope: Scope):
        self.scope_path, self.scope_unit_id = scope.path, scope.unit_id


def may_view(user, scope: Scope, perm: str = P.VIEW) -> bool:
    return in_scope(user, perm, _At(scope))


def home_scope(user, perm: str = P.VIEW) -> Scope | None:
    """Where the user's dashboard opens: the widest node of the tree their grants cover."""
    if getattr(user, "is_superuser", False):
        top = Place.objects.filter(kind__in=sc.LEVELS).order_by("depth", "pk").first()
        return sc.of_place(top) if top else None
    grants = [g for g in current_grants(user) if perm in _perms(g.role)]
    if not grants:
        return None
    unit_grants = [g for g in grants if g.unit_id is not None]
    place_grants = sorted((g for g in grants if g.unit_id is None), key=lambda g: g.path.count("."))
    if place_grants:
        ids = [int(x) for x in place_grants[0].path.split(".") if x]
        places = {p.pk: p for p in Place.objects.filter(pk__in=ids, kind__in=sc.LEVELS)}
        for pk in reversed(ids):  # the grant's own place, or the nearest level above it (a grid → its community)
            if pk in places:
                return sc.of_place(places[pk], started=False)
    if unit_grants:
        return sc.get(sc.UNIT, unit_grants[0].unit_id)
    return None


def _perms(role: str) -> frozenset:
    from courtyard.core.access import ROLES

    return ROLES[role].perms if role in ROLES else frozenset()


def _reading(snap: Snapshot) -> Reading | None:
    ind = catalogue().get(snap.code)
    return Reading(ind, snap.numerator, snap.denominator, snap.stage) if ind else None


def tiles(scope: Scope, period: Period) -> tuple[list[dict], object]:
    """One tile per indicator of the catalogue: the snapshot's reading, or "no data"."""
    snaps = {s.code: s for s in Snapshot.objects.filter(scope_key=scope.key, period_kind=period.kind,
                                                          period_start=period.start)}
    out, computed = [], None
    for code, ind in catalogue().items():
        snap = snaps.get(code)
        reading = _reading(snap) if snap else None
        computed = max(computed, snap.computed_at) if computed and snap else (computed or (snap and snap.computed_at))
        out.append({"ind": ind, "r": reading, "target": decimal_target(reading)})
    return out, computed


def decimal_target(reading: Reading | None) -> str:
    if reading is None or reading.target is None:
        return "—"
    return decimal_str(reading.target * 100, 0) + " %" if not reading.indicator.score else decimal_str(reading.target, 0)


def series(scope: Scope, period: Period, months: int = 12) -> dict:
    """Monthly values of every indicator over the months up to the period's last (for the trend chart)."""
    last = Period.containing(period.last_day, MONTH)
    window = last.back(months)
    rows = Snapshot.objects.filter(scope_key=scope.key, period_kind=MONTH, period_start__gte=window[0].start,
                                   period_start__lte=window[-1].start).values_list("code", "period_start",
                                                                                   "numerator", "denominator")
    by = defaultdict(dict)
    for code, start, num, den in rows:
        by[code][start] = (num, den)
    cat = catalogue()
    return {
        "months": [p.key for p in window],
        "indicators": [
            {"code": code, "label": str(ind.label), "score": ind.score,
             "values": [_pct(by[code].get(p.start), ind.score) for p in window],
             "fractions": [_frac(by[code].get(p.start)) for p in window]}
            for code, ind in cat.items()
        ],
    }


def _pct(pair, score: bool):
    if not pair or not pair[1]:
        return None
    value = Fraction(pair[0], pair[1])
    return float(decimal_str(value if score else value * 100, 1))  # chart coordinates only; tables show exact text


def _frac(pair) -> str:
    return f"{pair[0]}/{pair[1]}" if pair and pair[1] else "—"


def children_table(scope: Scope, period: Period) -> dict:
    """The next level down with every indicator's reading for the period (drill-down)."""
    kids = sc.children(scope, with_start=False)
    snaps = Snapshot.objects.filter(scope_key__in=[k.key for k in kids], period_kind=period.kind,
                                    period_start=period.start)
    by = defaultdict(dict)
    for s in snaps:
        by[s.scope_key][s.code] = _reading(s)
    codes = list(catalogue())
    return {"codes": codes, "labels": [catalogue()[c].label for c in codes],
            "rows": [{"scope": k, "cells": [by[k.key].get(c) for c in codes]} for k in kids]}


def cases_in(user, scope: Scope):
    qs = WarningCase.objects.visible_to(user).filter(**scope.lookup())
    return qs.filter(status=CaseStatus.OPEN).select_related("owner", "lead_place")


def performance_review(user, scope: Scope, period: Period) -> list[dict]:
    """Per community under `scope` (a subdistrict or district): the 三率 and on-time rate from the
    snapshots, warning cases opened, closed, overdue and red; ranked by the 三率 (sum of the three
    exact rates, no data counting as zero), then by fewer red cases."""
    communities = list(Place.objects.filter(path__startswith=scope.path, kind="community").order_by("name"))
    keys = {f"community:{c.pk}": c for c in communities}
    codes = (*HOTLINE, "on_time_rate")
    snaps = Snapshot.objects.filter(scope_key__in=list(keys), period_kind=period.kind, period_start=period.start,
                                    code__in=codes)
    by = defaultdict(dict)
    for s in snaps:
        by[s.scope_key][s.code] = _reading(s)
    from django.utils import timezone

    today = timezone.localdate()
    counts = {row["place_id"]: row for row in WarningCase.objects.visible_to(user).filter(
        path__startswith=scope.path, scope_kind__in=("unit", "community")).values("place_id").annotate(
        total=Count("pk"), open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        closed=Count("pk", filter=Q(status=CaseStatus.CLOSED)), red=Count("pk", filter=Q(level="red")),
        overdue=Count("pk", filter=Q(status=CaseStatus.OPEN, deadline__lt=today)))}
    rows = []
    for key, c in keys.items():
        cells = [by[key].get(code) for code in codes]
        score = sum(((r.value or Fraction(0)) for r in cells[:3] if r), Fraction(0))
        rows.append({"community": c, "cells": cells, "score": score, "score_shown": percent_str(score / 3),
                     "cases": counts.get(c.pk, {"total": 0, "open": 0, "closed": 0, "red": 0, "overdue": 0})})
    rows.sort(key=lambda r: (-r["score"], r["cases"]["red"], r["community"].name))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def public_results(unit) -> dict:
    """The unit's results section: last month's indicators (aggregates only, no persons). Other apps'
    boards (the projects' 项目成果展示栏) are their own sections of the public page (`PUBLIC_SECTIONS`)."""
    scope = sc.of_unit(unit)
    from django.utils import timezone

    month = Period.containing(timezone.localdate(), MONTH).previous()
    shown, _computed = tiles(scope, month)
    return {"period": month, "tiles": [t for t in shown if t["r"] is not None and t["r"].denominator]}


def governance_map(scope: Scope, period: Period, code: str) -> dict:
    """治理成效地图 (schematic): every courtyard of a community as a tile coloured by its unit's reading
    of one indicator; courtyards not yet in a unit are grey. Two queries whatever the size."""
    from courtyard.org.models import Courtyard

    yards = list(Courtyard.objects.filter(community_id=scope.pk).select_related("unit").order_by("name"))
    keys = {f"unit:{y.unit_id}" for y in yards if y.unit_id}
    readings = {s.scope_key: _reading(s) for s in Snapshot.objects.filter(
        scope_key__in=keys, period_kind=period.kind, period_start=period.start, code=code)}
    cols, w, h, gap = 6, 150, 64, 8
    tiles = []
    for i, y in enumerate(yards):
        r = readings.get(f"unit:{y.unit_id}") if y.unit_id else None
        tiles.append({"name": y.name, "unit": y.unit.name if y.unit_id else "", "reading": r,
                      "colour": r.colour if r else "grey", "x": (i % cols) * (w + gap), "y": (i // cols) * (h + gap),
                      "w": w, "h": h})
    rows = (len(yards) + cols - 1) // cols
    return {"tiles": tiles, "width": cols * (w + gap), "height": max(rows, 1) * (h + gap)}


def progress_board(user, scope: Scope, period: Period) -> dict:
    """自治进度看板: every unit under `scope` with when self-governance began, its stage of the
    programme (year 1, years 2–3, year 5 on; seed 003 §8.1–8.2), each indicator's colour for the
    period and its open warning cases. Three queries whatever the number of units."""
    from courtyard.core.indicators import YEAR1, YEARS2_3, stage_for
    from courtyard.org.models import SelfGovernanceUnit

    units = list(SelfGovernanceUnit.objects.filter(**({"pk": scope.unit_id} if scope.unit_id else
                                                      {"community__path__startswith": scope.path}))
                 .select_related("community").order_by("community__name", "name"))
    keys = [f"unit:{u.pk}" for u in units]
    by = defaultdict(dict)
    for s in Snapshot.objects.filter(scope_key__in=keys, period_kind=period.kind, period_start=period.start):
        by[s.scope_key][s.code] = _reading(s)
    open_cases = dict(WarningCase.objects.visible_to(user).filter(scope_key__in=keys, status=CaseStatus.OPEN)
                      .values_list("scope_key").annotate(n=Count("pk")))
    codes = list(catalogue())
    rows = []
    for u in units:
        stage = stage_for(u.established, period)
        months = None
        if u.established:
            months = (period.start.year - u.established.year) * 12 + period.start.month - u.established.month
        rows.append({"unit": u, "key": f"unit:{u.pk}", "stage": stage, "months": months,
                     "stage_no": {YEAR1: 1, YEARS2_3: 2}.get(stage, 3),
                     "cells": [by[f"unit:{u.pk}"].get(c) for c in codes], "open": open_cases.get(f"unit:{u.pk}", 0)})
    return {"rows": rows, "labels": [catalogue()[c].label for c in codes]}
