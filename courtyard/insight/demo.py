"""Insight's demo: snapshots of the demo community's last twelve months (monthly, quarterly, the
year) and the running month, at every node from its units up to the district, built from the
history the other apps' demos recorded (and the history an indicator plug-in writes for the demo:
`demo_history(info)` in an app's indicators.py — participation's idle spaces, projects' quarterly
satisfaction surveys); then the warning cases of the month just ended (学道苑:
a red listed case on satisfaction and a yellow one on meeting cadence, among whatever else the
numbers show), and one earlier case worked through to its closure. Relative dates only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.extensions import app_modules
from courtyard.core.indicators import MONTH, QUARTER, YEAR, Period
from courtyard.org.models import RoleGrant

from . import scopes as sc
from .models import WarningCase
from .services import add_action, close_case, open_cases_for, set_owner, take_snapshots


def demo_scopes(info: dict) -> list:
    community = next(iter(info["units"].values())).community
    units = [sc.of_unit(u) for u in sorted(info["units"].values(), key=lambda u: u.pk)]
    places = [sc.of_place(p) for p in community.ancestors()] + [sc.of_place(community)]
    return units + places


@transaction.atomic
def load_demo(info: dict, *, seed: int, stdout) -> None:
    """Snapshots of the twelve complete months before the running one, with the quarters and the year."""
    today = timezone.localdate()
    histories = {m.__name__: m.demo_history(info) for m in app_modules("indicators") if hasattr(m, "demo_history")}
    scopes = demo_scopes(info)
    months = Period.containing(today, MONTH).back(13)
    periods = months + [Period.containing(today, QUARTER).previous(), Period.containing(today, QUARTER),
               Period.containing(today, YEAR)]
    rows = sum(take_snapshots(period=p, scopes=scopes) for p in periods)
    # The first month's cases (participation was still low), the yellow ones worked through and closed.
    early = open_cases_for(months[0])
    staff = RoleGrant.objects.filter(role="community_staff", title="演示账号").select_related("user").first()
    closed = 0
    if staff is not None:
        by = Actor(user=staff.user)
        for case in WarningCase.objects.filter(level="yellow", status="open").order_by("pk"):
            set_owner(by=by, case=case, owner=staff.user, deadline=today + dt.timedelta(days=10))
            add_action(by=by, case=case, note="召开院落议事会分析原因，调整例会时间到周六上午，楼栋长逐户邀请。")
            close_case(by=by, case=case, closure="此后各月指标回到绿色，整改完成。")
            closed += 1
    late = open_cases_for(months[-2])
    stdout.write(f"insight: history {histories}; {rows} snapshot rows at {len(scopes)} nodes; cases {early['opened']} + {late['opened']} "
                 f"opened ({late['raised']} raised to red), {closed} closed")
