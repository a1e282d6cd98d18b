"""Participation's indicators (INS-1): rota coverage, event participation, youth participation and
idle-space use, and the acts that count a household as taking part — a rota shift checked in, an
event attended.
See courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import STOCK, Act, Indicator, Period, Scope, Targets, Thresholds, acts
from courtyard.org.models import Person

from .choices import TAKING_PLACE, SignupState, WishKind, WishState
from .models import Rota, Shift, Signup, Wish

YOUTH_AGES = (14, 35)  # 青年: the age band the Communist Youth League and youth work use


def _elapsed(period: Period) -> tuple[dt.date, dt.date]:
    """The period's days up to today ([first, last + 1)), so a running month owes only its past days."""
    return period.start, min(period.end, timezone.localdate() + dt.timedelta(days=1))


def rota_coverage(scope: Scope, period: Period) -> tuple[int, int]:
    """Σ over daily rotas of the days someone was on the rota ÷ Σ the days a rota needed someone
    (from the day the rota was set up, within the period, up to today)."""
    first, end = _elapsed(period)
    rotas = list(Rota.objects.filter(daily=True, active=True, **scope.lookup("community__path"))
                 .values_list("pk", "created_at"))
    due = covered = 0
    for pk, created in rotas:
        start = max(first, timezone.localdate(created))
        if start >= end:
            continue
        due += (end - start).days
        covered += (Shift.objects.filter(rota_id=pk, day__gte=start, day__lt=end)
                    .values("day").distinct().count())
    return covered, due


def event_participation(scope: Scope, period: Period) -> tuple[int, int]:
    """Places attended ÷ places taken, over the events that ended in the period."""
    start, end = period.bounds()
    end = min(end, timezone.now())
    taken = Signup.objects.filter(event__ends_at__gte=start, event__ends_at__lt=end, state__in=TAKING_PLACE,
                                  **scope.lookup("event__community__path", "event__unit_id"))
    return taken.filter(state=SignupState.ATTENDED).count(), taken.count()


def youth_participation(scope: Scope, period: Period) -> tuple[int, int]:
    """Young residents (14–35) who took part in anything ÷ young residents — people, not households."""
    year = period.last_day.year
    young = Person.objects.filter(active=True, birth_year__gte=year - YOUTH_AGES[1],
                                  birth_year__lte=year - YOUTH_AGES[0], **scope.lookup("community__path"))
    den = young.count()
    parts = [Q(pk__in=act.people(scope, period)) for act in acts()]
    if not parts or not den:
        return 0, den
    took_part = Q()
    for part in parts:
        took_part |= part
    return young.filter(took_part).count(), den


def idle_space_use(scope: Scope, period: Period) -> tuple[int, int]:
    """Idle spaces put to use ÷ idle spaces identified (seed 003 §3.4), up to the end of the period:
    idle-space claims posted before its end and not withdrawn; of those, the ones whose claimer
    reported the space in use (done, whether or not thanked yet) before its end."""
    _start, end = period.bounds()
    spaces = (Wish.objects.filter(kind=WishKind.IDLE_SPACE, created_at__lt=end, **scope.lookup("community__path"))
              .exclude(state=WishState.WITHDRAWN))
    return spaces.filter(done_at__lt=end).count(), spaces.count()


def on_duty(scope: Scope, period: Period):
    first, end = period.bounds()
    return Shift.objects.filter(checked_in_at__gte=first, checked_in_at__lt=end,
                                **scope.lookup("rota__community__path", "rota__unit_id")).values("person_id")


def attendees(scope: Scope, period: Period):
    first, end = period.bounds()
    return Signup.objects.filter(attended_at__gte=first, attended_at__lt=end,
                                 **scope.lookup("event__community__path", "event__unit_id")).values("person_id")


INDICATORS = [
    Indicator(
        code="rota_coverage", app="participation", label=_("Rota coverage"),
        formula=_("days someone was on duty ÷ days a rota needed someone"),
        numerator=_("days of the period (up to today) with at least one person on a daily rota"),
        denominator=_("days of the period (up to today) each daily rota was in use"),
        source=_("Participation: rotas and shifts"), compute=rota_coverage,
        targets=Targets(F(90, 100), F(95, 100), F(1)), thresholds=Thresholds(F(90, 100), F(70, 100)),
        references="000 §4.2.3, §5.4",
    ),
    Indicator(
        code="event_participation", app="participation", label=_("Event participation"),
        formula=_("places attended ÷ places taken"),
        numerator=_("sign-ups checked in at events that ended in the period"),
        denominator=_("places taken (signed up, not cancelled, not on the waiting list) at those events"),
        source=_("Participation: events and sign-ups"), compute=event_participation,
        targets=Targets(F(80, 100), F(85, 100), F(85, 100)), thresholds=Thresholds(F(80, 100), F(60, 100)),
        references="000 §4.2.2",
    ),
    Indicator(
        code="youth_participation", app="participation", label=_("Youth participation"),
        formula=_("young residents who took part ÷ young residents"),
        numerator=_("residents aged 14–35 who voted, raised or commented on a topic, attended a meeting or an "
                    "event, filed a request, answered a survey or did a rota shift in the period"),
        denominator=_("residents aged 14–35"),
        source=_("The register of people; the acts every app records"), compute=youth_participation,
        targets=Targets(None, F(20, 100), F(30, 100)), thresholds=Thresholds(F(20, 100), F(10, 100)),
        references="003 §3.3, §9.2",
    ),
    Indicator(
        code="idle_space_use", app="participation", label=_("Idle-space use"),
        formula=_("idle spaces put to use ÷ idle spaces identified"),
        numerator=_("idle-space claims whose claimer reported the space in use by the end of the period (done or "
                    "thanked)"),
        denominator=_("idle spaces identified: idle-space claims posted by the end of the period, not withdrawn"),
        source=_("Participation: claims of the kind “idle space”"), compute=idle_space_use, period=STOCK,
        targets=Targets(None, F(70, 100), F(70, 100)), thresholds=Thresholds(F(70, 100), F(50, 100)),
        references="003 §2.2, §3.2, §3.4, §9.3",
    ),
]

# The demo's idle spaces (seed 003 §2.2, §9.3: spaces identified, then brought into use), written by
# insight's demo before it takes its snapshots — relative dates: (title, posted, in use) as (month of
# the twelve complete months before this one, day). 学道苑: 2 of 4 in use in the first month (50 %,
# yellow), 3 of 4 in the fourth, 3 of 5 in the fifth (yellow again), 4 of 5 from the seventh on.
IDLE_DEMO = (
    ("1号院废弃锅炉房改作院落议事厅", (0, 1), (0, 3)),
    ("东南里7号楼道拐角改作图书角", (0, 2), (0, 20)),
    ("3号楼屋顶平台改作共享晾晒区", (0, 5), (3, 10)),
    ("拱背桥25号闲置门卫室改作助老服务点", (0, 8), (6, 15)),
    ("2号院地下储藏室", (4, 4), None),
)


def demo_history(info: dict) -> int:
    """Idle spaces for the demo's units (学道苑's story above; every other unit: two spaces, both in use
    in the first month). Returns the rows written."""
    months = Period.containing(timezone.localdate()).back(13)[:-1]
    rows = []
    for slug, unit in sorted(info["units"].items()):
        people = list(Person.objects.filter(unit=unit, home__isnull=False, active=True).order_by("pk")[:2])
        if len(people) < 2:
            continue
        spaces = IDLE_DEMO if slug == "xuedaoyuan" else (("闲置车棚改作共享工具间", (0, 1), (0, 5)),
                                                        ("楼道拐角改作休憩角", (0, 2), (0, 6)))
        for title, (pm, pd), done in spaces:
            posted = months[pm].bounds()[0] + dt.timedelta(days=pd, hours=10)
            in_use = months[done[0]].bounds()[0] + dt.timedelta(days=done[1], hours=16) if done else None
            rows.append(Wish(unit=unit, community_id=unit.community_id, kind=WishKind.IDLE_SPACE, title=title,
                             posted_by=people[0], created_at=posted, claimed_by=people[1], team="爱心志愿服务队",
                             claimed_at=posted + dt.timedelta(days=1),
                             state=WishState.THANKED if in_use else WishState.CLAIMED, done_at=in_use,
                             done_note="已清理改造，投入使用" if in_use else "",
                             thanks="谢谢大家，空间用起来了！" if in_use else "",
                             thanked_at=in_use + dt.timedelta(days=1) if in_use else None))
    Wish.objects.bulk_create(rows)
    return len(rows)


ACTS = [
    Act("rota", _("did a rota shift"), on_duty),
    Act("event", _("attended an event"), attendees),
]
