"""The nightly job: refresh the running and just-ended periods' snapshots at every node, then open
or raise warning cases for the month just ended."""

from __future__ import annotations

from django.utils import timezone

from courtyard.core.indicators import MONTH, Period

from .cases import open_cases_for
from .snapshots import periods_to_refresh, take_snapshots


def nightly(*, today=None) -> dict:
    today = today or timezone.localdate()
    rows = sum(take_snapshots(period=p) for p in periods_to_refresh(today))
    cases = open_cases_for(Period.containing(today, MONTH).previous())
    return {"rows": rows, **cases}
