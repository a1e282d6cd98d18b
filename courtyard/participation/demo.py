"""Demo participation for 学道苑: published points rules, a points shop, four rotas with someone on duty
every day (the past month checked in and credited, the next two months planned), volunteer hours
confirmed by staff and a few redemptions. Dates are relative to the day the demo is loaded. The two
demo residents are on duty today (not yet checked in), so the check-in can be tried at once."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org.models import Person, RoleGrant

from . import services
from .choices import Act, ItemKind, RotaKind
from .models import Shift

PAST_DAYS = 30
AHEAD_DAYS = 60


def _staff(unit):
    grant = (RoleGrant.objects.filter(role="community_staff")
             .filter(Q(unit=unit) | Q(unit__isnull=True, path=unit.community.path))
             .select_related("user").order_by("pk").first())
    return grant.user if grant else None


@transaction.atomic
def load_demo(info, *, seed: int, stdout) -> None:
    unit = info["units"].get("xuedaoyuan")
    staff_user = _staff(unit) if unit is not None else None
    if unit is None or staff_user is None:
        stdout.write("participation demo: no 学道苑 or no staff login, skipped")
        return
    rnd = random.Random(seed)
    staff = Actor(user=staff_user)
    system = Actor.system()
    today = timezone.localdate()

    for act, points, daily, monthly, note in (
        (Act.ROTA_CHECKIN, 10, 20, 200, "在岗位扫码签到，每班一次"),
        (Act.EVENT_ATTENDANCE, 5, 10, 60, "活动现场扫码签到"),
        (Act.VOLUNTEER_HOURS, 5, 40, 200, "按组织者确认的服务小时计"),
        (Act.CLAIM_DONE, 20, 40, 100, "认领的微心愿完成并经许愿人确认"),
    ):
        services.save_rule(by=staff, unit=unit, act=act, points=points, daily_cap=daily, monthly_cap=monthly, note=note)
    items = [services.save_item(by=staff, unit=unit, name=name, kind=kind, cost=cost, stock=stock, description=desc)
             for name, kind, cost, stock, desc in (
                 ("环保购物袋", ItemKind.GOODS, 30, 40, "社区服务中心领取"),
                 ("绿植盆栽", ItemKind.GOODS, 40, 15, "院落花箱同款"),
                 ("上门理发一次", ItemKind.SERVICE, 50, 10, "爱心理发志愿队提供"),
                 ("保洁费抵扣10元", ItemKind.FEE_OFFSET, 100, 20, "抵扣当年院落保洁费"),
                 ("微项目实施权", ItemKind.MICRO_PROJECT, 300, 2, "自治基金支持的小型微更新项目"),
             )]

    demo_people = _demo_residents(unit)
    others = list(Person.objects.filter(unit=unit, active=True, user__isnull=True, birth_year__isnull=False,
                                        birth_year__lte=today.year - 18).order_by("pk")[:200])
    pool = rnd.sample(others, min(14, len(others)))
    if not pool and not demo_people:
        stdout.write("participation demo: nobody in 学道苑, skipped")
        return
    rotas = [services.create_rota(by=staff, unit=unit, name=name, kind=kind, post=post, daily=daily)
             for name, kind, post, daily in (
                 ("学道苑门岗值班", RotaKind.DUTY_DESK, "1号院大门值班台", True),
                 ("院落公共区域保洁", RotaKind.CLEANING, "三院合一中庭", True),
                 ("夜间安全巡查", RotaKind.PATROL, "2号院消防通道", True),
                 ("院委会接待日", RotaKind.RECEPTION, "合议轩居民议事厅", False),
             )]
    daily_rotas = rotas[:3]
    team = pool or demo_people
    # The past month: someone each day on each daily rota, most of them checked in and credited.
    for r_index, rota in enumerate(daily_rotas):
        for back in range(PAST_DAYS, 0, -1):
            day = today - dt.timedelta(days=back)
            who = team[(back + r_index * 5) % len(team)]
            shift = Shift.objects.create(rota=rota, day=day, person=who)
            if rnd.random() < 0.9:
                shift.checked_in_at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, rnd.randint(0, 40))))
                shift.save(update_fields=["checked_in_at"])
                services.credit(by=system, unit=unit, person=who, act=Act.ROTA_CHECKIN, source_id=shift.pk, day=day,
                                memo=rota.name)
    # Today and the next two months, planned in turn; the demo residents take today's first two rotas.
    for r_index, rota in enumerate(daily_rotas):
        if r_index < len(demo_people):
            services.assign_shift(by=staff, rota=rota, day=today, person=demo_people[r_index])
        services.fill_rota(by=staff, rota=rota, start=today, days=AHEAD_DAYS,
                           people=team[r_index:] + team[:r_index])
    reception_days = [today + dt.timedelta(days=i) for i in range(AHEAD_DAYS) if (today + dt.timedelta(days=i)).weekday() == 5]
    for i, day in enumerate(reception_days):
        services.assign_shift(by=staff, rota=rotas[3], day=day, person=team[(i * 3) % len(team)])
    # A demo resident's next shift on the cleaning rota next week, to offer a swap.
    if demo_people:
        services.assign_shift(by=staff, rota=rotas[1], day=today + dt.timedelta(days=3), person=demo_people[0])

    # Volunteer hours the organiser confirmed, and a few redemptions handed over or waiting.
    for i, p in enumerate(team[:8]):
        services.confirm_hours(by=staff, unit=unit, person=p, activity=rnd.choice(("楼道清扫", "助老送餐", "垃圾分类督导")),
                               day=today - dt.timedelta(days=3 + i), hours=rnd.randint(2, 4))
    for i, p in enumerate(demo_people[:2]):
        services.confirm_hours(by=staff, unit=unit, person=p, activity="院落绿植养护", day=today - dt.timedelta(days=2 + i),
                               hours=4 + i * 2)
    for i, p in enumerate(team[:6]):  # redeemed at the counter, on the resident's behalf
        r = services.redeem(by=staff, item=items[i % 2], person=p)
        if i % 3:
            services.hand_over(by=staff, redemption=r)
    stdout.write(f"participation demo: {len(rotas)} rotas, {len(items)} shop items, {len(team)} people on duty")




def _demo_residents(unit) -> list:
    """The demo resident logins (the elderly owner, the tenant) who live in the unit."""
    from courtyard.core import pii
    from courtyard.core.models import User
    from courtyard.org.demo.logins import demo_phone

    users = User.objects.filter(phone_hash__in=[pii.phone_index(demo_phone(n)) for n in (1, 2)]).select_related("person")
    return [u.person for u in sorted(users, key=lambda u: u.pk) if u.person is not None and u.person.unit_id == unit.pk]
