"""Snapshots (INS-2): every indicator at every node of the place tree for a period, stored so
dashboards and reports read a fixed number of rows whatever the data size. Idempotent: running
again for the same period replaces the same rows (one row per node, period and code)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from courtyard.core.indicators import Period, Scope, catalogue

from .. import scopes as sc
from ..models import Snapshot


def place_id_of(scope: Scope) -> int:
    """The place a row at `scope` hangs on: the place itself, or a unit's community."""
    return scope.pk if scope.unit_id is None else _community_id(scope)


def row_for(scope: Scope, period: Period, reading, now) -> Snapshot:
    return Snapshot(scope_kind=scope.kind, scope_key=scope.key, scope_name=scope.name[:100],
                    place_id=place_id_of(scope),
                    unit_id=scope.unit_id, path=scope.path, period_kind=period.kind, period_start=period.start,
                    period_key=period.key, code=reading.code, numerator=reading.numerator,
                    denominator=reading.denominator, stage=reading.stage, colour=reading.colour, computed_at=now)


def _community_id(scope: Scope) -> int:
    return int(scope.path.rstrip(".").rsplit(".", 1)[-1])


FIELDS = ["scope_kind", "scope_name", "place", "unit", "path", "period_key", "numerator", "denominator", "stage",
          "colour", "computed_at"]


def take_snapshots(*, period: Period, scopes: list[Scope] | None = None, codes: list[str] | None = None) -> int:
    """Compute and store the period's snapshot at every node (or the given ones). Returns the rows written."""
    cat = catalogue()
    chosen = [cat[c] for c in (codes or list(cat))]
    now = timezone.now()
    written = 0
    for scope in scopes if scopes is not None else sc.all_scopes():
        written += store_readings(scope, period, [ind.reading(scope, period) for ind in chosen], now=now)
    return written


def store_readings(scope: Scope, period: Period, readings: list, *, now=None) -> int:
    """Store readings already computed (a report's, read from the replica) as the period's snapshots."""
    now = now or timezone.now()
    rows = [row_for(scope, period, reading, now) for reading in readings]
    with transaction.atomic():
        Snapshot.objects.bulk_create(rows, update_conflicts=True,
                                     unique_fields=["scope_key", "period_kind", "period_start", "code"],
                                     update_fields=FIELDS)
    return len(rows)


def periods_to_refresh(today) -> list[Period]:
    """What the nightly job refreshes: this month, quarter and year (running), and the month,
    quarter and year just ended (late entries still land in them for a while)."""
    out = []
    for kind in ("month", "quarter", "year"):
        current = Period.containing(today, kind)
        out += [current.previous(), current]
    return out
