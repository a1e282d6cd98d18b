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

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.org.models import Person, RoleGrant

from . import services
from .choices import (
    Act,
    ItemKind,
    MemoryKind,
    RotaKind,
    SignupState,
    TalentKind,
    TargetGroup,
    TeamKind,
    TeamState,
    TrainingLevel,
    ValueMethod,
    WishKind,
)
from .models import Shift, Signup

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
    from courtyard.funds.models import GrantCall

    call = GrantCall.objects.filter(account__unit=unit, state="open").order_by("-pk").first()
    items = [services.save_item(by=staff, unit=unit, name=name, kind=kind, cost=cost, stock=stock, description=desc,
                                grant_call=call if kind == ItemKind.MICRO_PROJECT else None)
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
    n_events = _events(unit, staff, rnd, today)
    value = _resources(unit, staff, rnd, today)
    _wishes(unit, staff, team, demo_people)
    _teams(unit, staff, team, demo_people, today)
    _memory(unit, staff, team)
    _honours(unit, staff, team, demo_people, today)
    _offset(unit, demo_people)
    stdout.write(f"participation demo: {len(rotas)} rotas, {len(items)} shop items, {len(team)} people on duty, "
                 f"{n_events} events, partner resources {value / 1_000_000:.2f} 万元")


# Last year's twelve events (seed 000 §4.2.2: 12 events, participation 85 %): places taken per event, and
# how many of those came. 204 of 240 = 85 % exactly.
EVENTS = (
    ("长者文体展演", TargetGroup.ELDERS, True, 18, 16), ("青年创客沙龙", TargetGroup.YOUTH, True, 22, 18),
    ("亲子手工坊", TargetGroup.CHILDREN, False, 20, 18), ("重阳敬老茶话会", TargetGroup.ELDERS, False, 25, 22),
    ("垃圾分类亲子课堂", TargetGroup.CHILDREN, True, 15, 12), ("三院邻里百家宴", TargetGroup.EVERYONE, True, 20, 17),
    ("青年志愿者培训", TargetGroup.YOUTH, False, 20, 16), ("长者智能手机课堂", TargetGroup.ELDERS, False, 24, 21),
    ("暑期儿童阅读会", TargetGroup.CHILDREN, False, 16, 14), ("院落文化故事会", TargetGroup.EVERYONE, True, 20, 17),
    ("青年篮球友谊赛", TargetGroup.YOUTH, True, 21, 17), ("新春写福送福", TargetGroup.EVERYONE, True, 19, 16),
)
UPCOMING = (("长者健康讲座", TargetGroup.ELDERS, False, 30, 9), ("亲子绿植认领日", TargetGroup.CHILDREN, True, 12, 16))


def _events(unit, staff: Actor, rnd: random.Random, today: dt.date) -> int:
    """Last calendar year's twelve events with their sign-up lists and attendance (recorded by staff from
    the paper lists), and two events coming up, one of them full with a waiting list."""
    from django.core.exceptions import ValidationError

    tz = timezone.get_current_timezone()
    unit_people = list(Person.objects.filter(unit=unit, active=True).order_by("pk")[:400])
    community_people = list(Person.objects.filter(community_id=unit.community_id, active=True)
                            .exclude(unit=unit).order_by("pk")[:200])
    year = today.year - 1
    for month, (title, group, cross, taken, came) in enumerate(EVENTS, start=1):
        start = dt.datetime(year, month, 10 + rnd.randint(0, 15), 9 + rnd.randint(0, 6), 30, tzinfo=tz)
        event = services.create_event(by=staff, unit=unit, title=title, target_group=group, starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), venue="合议轩居民议事厅",
                                      capacity=taken + rnd.randint(0, 6), cross_courtyard=cross)
        pool = unit_people + (community_people if cross else [])
        # Last year's paper sign-up and attendance lists, entered in one go (one audit event per list): the
        # demo loads in every browser test, and a service call per line cost a minute of CI each time.
        Signup.objects.bulk_create([
            Signup(event=event, person=p, state=SignupState.ATTENDED if i < came else SignupState.REGISTERED,
                   created_at=start - dt.timedelta(days=5), attended_at=start + dt.timedelta(minutes=5) if i < came
                   else None)
            for i, p in enumerate(rnd.sample(pool, min(taken, len(pool))))])
        audit.record(staff, "participation.attendance_recorded", event, community_id=unit.community_id,
                     unit_id=unit.pk, changes={"signed_up": [None, taken], "attended": [None, came]},
                     note="纸质签到表")
    demo = _demo_residents(unit)
    for title, group, cross, capacity, wanted in UPCOMING:
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=rnd.randint(4, 12)), dt.time(15)))
        event = services.create_event(by=staff, unit=unit, title=title, target_group=group, starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), venue="三院合一中庭", capacity=capacity,
                                      cross_courtyard=cross)
        others = [p for p in unit_people if p not in demo]
        for p in rnd.sample(others, min(wanted, len(others))):
            try:
                services.sign_up(by=staff, event=event, person=p)
            except ValidationError:
                continue
    return len(EVENTS) + len(UPCOMING)




def _demo_residents(unit) -> list:
    """The demo resident logins (the elderly owner, the tenant) who live in the unit."""
    from courtyard.core import pii
    from courtyard.core.models import User
    from courtyard.org.demo.logins import demo_phone

    users = User.objects.filter(phone_hash__in=[pii.phone_index(demo_phone(n)) for n in (1, 2)]).select_related("person")
    return [u.person for u in sorted(users, key=lambda u: u.pk) if u.person is not None and u.person.unit_id == unit.pk]


# Seed 004: 17 partner units, 42 service sessions (健康微站, 安全微网 …), resources valued at 62.74 万元.
PARTNERS, SESSIONS, TOTAL_FEN = 17, 42, 62_740_000
EXTRA_PARTNERS = ("锦江区人民医院", "成都银行锦官驿支行", "锦官驿消防救援站", "四川大学社会学系", "巷子口药房", "蓉城律师事务所")
SESSION_KINDS = (
    ("健康微站义诊", ValueMethod.SERVICE_HOURS, (6, 16), (150_00, 300_00), "三甲医院专家门诊市场价（元/小时）"),
    ("安全微网消防培训", ValueMethod.SERVICE_HOURS, (4, 10), (200_00, 400_00), "消防培训机构报价（元/小时）"),
    ("法律咨询进院落", ValueMethod.SERVICE_HOURS, (4, 12), (300_00, 500_00), "律师事务所公布的咨询费率"),
    ("爱心物资捐赠", ValueMethod.MARKET_PRICE, (50, 200), (30_00, 120_00), "电商平台同款售价"),
    ("活动场地借用", ValueMethod.VENUE_DAYS, (1, 5), (800_00, 2_000_00), "周边同类场地日租金"),
    ("便民服务免费", ValueMethod.FEES_WAIVED, (30, 120), (10_00, 40_00), "门店平时收费标准"),
)


def _resources(unit, staff: Actor, rnd: random.Random, today: dt.date) -> int:
    """42 contributions from 17 partner units over the past twelve months; the last one is the 健康微站's
    equipment, cash, so that the total is exactly 62.74 万元."""
    from courtyard.org import services as org_services
    from courtyard.org.choices import PartnerKind
    from courtyard.org.models import PartnerUnit

    community = unit.community
    partners = list(PartnerUnit.objects.filter(community=community).order_by("pk")[:PARTNERS])
    for name in EXTRA_PARTNERS[:max(0, PARTNERS - len(partners))]:
        partners.append(org_services.create_partner(by=staff, community=community, kind=PartnerKind.RESIDENT_UNIT,
                                                    name=name, alliance_member=True))
    total = 0
    for i in range(SESSIONS - 1):
        title, method, (qlo, qhi), (plo, phi), basis = SESSION_KINDS[i % len(SESSION_KINDS)]
        quantity, price = rnd.randint(qlo, qhi), rnd.randint(plo // 100, phi // 100) * 100
        day = today - dt.timedelta(days=rnd.randint(1, 360))
        services.record_contribution(by=staff, partner=partners[i % len(partners)], day=day, title=title,
                                     method=method, quantity=quantity, unit_price_fen=price, note=basis)
        total += quantity * price
    rest = TOTAL_FEN - total
    if rest <= 0:
        raise RuntimeError("partner demo values exceed the seed's total")
    services.record_contribution(by=staff, partner=partners[0], day=today - dt.timedelta(days=30),
                                 title="捐建健康微站设备", method=ValueMethod.CASH, quantity=1, unit_price_fen=rest,
                                 note="捐赠协议载明金额")
    return TOTAL_FEN


WISHES = (
    ("想请人帮忙修一下楼道的感应灯", WishKind.SMALL_WISH, "thanked"),
    ("想学用智能手机视频通话", WishKind.SMALL_WISH, "done"),
    ("希望有人陪我去医院复查", WishKind.SMALL_WISH, "claimed"),
    ("2号院闲置自行车棚改成共享工具间", WishKind.IDLE_SPACE, "posted"),
    ("中庭花箱认养", WishKind.GREEN_PLANT, "posted"),
    ("想要一副老花镜", WishKind.SMALL_WISH, "posted"),
)


def _wishes(unit, staff: Actor, team: list, demo_people: list) -> None:
    """Wishes in every state, posted by elders with the office's help: one claimed and done by the demo
    tenant and thanked (the tenant earned the points), one done by a partner unit, one claimed."""
    from courtyard.core.models import User
    from courtyard.org.models import PartnerUnit

    helper = User.objects.filter(person=demo_people[-1]).first() if demo_people else None
    partner = PartnerUnit.objects.filter(community_id=unit.community_id).order_by("pk").first()
    posters = team[6:] or team
    for i, (title, kind, state) in enumerate(WISHES):
        wish = services.post_wish(by=staff, title=title, kind=kind, person=posters[i % len(posters)])
        if state == "posted":
            continue
        by_partner = state == "done" or helper is None
        if by_partner:
            wish = services.claim_wish(by=staff, wish=wish, partner=partner, team="爱心志愿服务队")
        else:
            wish = services.claim_wish(by=Actor(user=helper), wish=wish)
        if state in ("done", "thanked"):
            wish = services.report_done(by=staff if by_partner else Actor(user=helper), wish=wish, note="已上门完成")
        if state == "thanked":
            services.thank(by=staff, wish=wish, thanks="谢谢你，灯亮了！")


TRAINING = (("基层治理能力提升班", TrainingLevel.DISTRICT, 16), ("居民议事规则实务", TrainingLevel.SUBDISTRICT, 12),
            ("老旧院落改造政策解读", TrainingLevel.SUBDISTRICT, 8), ("院落财务公开与阳光账本", TrainingLevel.COMMUNITY, 6))


def _teams(unit, staff: Actor, team: list, demo_people: list, today: dt.date) -> None:
    """Teams in each state, the talent pool, and last year's training: every committee member of the unit
    reaches the 40 hours (seed 003 §3.2: coverage 100 %)."""
    from courtyard.org.choices import BodyKind
    from courtyard.org.models import BodyMembership

    from .models import Team, TeamMember

    founders = team[:4]
    for i, (name, kind, state, size) in enumerate((("爱心志愿服务队", TeamKind.VOLUNTEER_TEAM, TeamState.ACTIVE, 6),
                                                  ("书法兴趣小组", TeamKind.INTEREST_GROUP, TeamState.INCUBATING, 3),
                                                  ("院落花友会", TeamKind.INTEREST_GROUP, TeamState.PROPOSED, 1))):
        t = Team.objects.create(unit=unit, community_id=unit.community_id, name=name, kind=kind,
                                purpose="助老、清洁、活动协助" if i == 0 else "每周活动，欢迎邻居加入",
                                started_by=founders[i % len(founders)])
        for j, p in enumerate(([founders[i % len(founders)]] + [x for x in team if x != founders[i % len(founders)]])[:size]):
            TeamMember.objects.create(team=t, person=p, leader=j == 0)
        for _step in range(0 if state == TeamState.PROPOSED else 1 if state == TeamState.INCUBATING else 2):
            services.advance_team(by=staff, team=t)
    for p, skills in zip(team[:5], ("水电维修", "书法", "中医推拿", "摄影", "电脑与手机教学"), strict=False):
        services.list_talent(by=staff, unit=unit, person=p, kind=TalentKind.LOCAL_TALENT, skills=skills, consent=True)
    last_year = today.year - 1
    committee = (BodyMembership.objects.filter(body__unit__community_id=unit.community_id, body__kind=BodyKind.COMMITTEE)
                 .select_related("person", "body__unit"))
    for m in committee:
        for k, (course, level, hours) in enumerate(TRAINING):
            services.record_training(by=staff, unit=m.body.unit, person=m.person, course=course, level=level,
                                     hours=hours, day=dt.date(last_year, 3 + k * 2, 15))


MEMORY = (
    (MemoryKind.ESSAY, "学道苑赋（演示稿）", "锦水之滨，学道之街；三院毗邻，百户相依。旧巷深深，曾闻书声；老井清清，共汲晨夕。"
     "岁月既久，屋老墙斑；邻里同心，议于合议之轩。三院合一，名曰学道；共商共建，其乐融融。愿斯苑也，"
     "老有所安，幼有所乐，邻有所亲，代代相传。", "学道苑居民共撰"),
    (MemoryKind.ORAL_HISTORY, "老井的故事", "上世纪八十年代，三个院子共用中庭的一口井。夏天大家把西瓜吊在井里冰着，"
     "谁家孩子放学早，就帮邻居把西瓜提上来。", "3号院 老住户口述"),
    (MemoryKind.OLD_PHOTO, "1988年建院合影", "建院那年，第一批住户在院门口的合影，照片由老住户提供，原件保存在社区。", ""),
    (MemoryKind.FAMILY_MOTTO, "勤俭持家，邻里相帮", "一户老党员家庭三代传下的家训。", "党员中心户"),
)


def _memory(unit, staff: Actor, team: list) -> None:
    """The courtyard's essay and a few collected memories, published on the unit's public page."""
    for i, (kind, title, text, credit) in enumerate(MEMORY):
        item = services.record_memory(by=staff, unit=unit, kind=kind, title=title, text=text, consent=True,
                                      contributor=team[i % len(team)] if credit else None, credit=credit,
                                      photo=_old_photo() if kind == MemoryKind.OLD_PHOTO else None)
        services.publish_memory(by=staff, item=item)


def _old_photo():
    """A small sepia stand-in for the scanned 1988 photo (generated, so the demo ships no picture of anyone)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 240), (196, 170, 130))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 140, 320, 210), fill=(150, 120, 85))  # the gate
    for x in range(60, 320, 36):  # people in a row
        draw.ellipse((x, 90, x + 20, 110), fill=(90, 70, 50))
        draw.rectangle((x + 2, 110, x + 18, 150), fill=(110, 85, 60))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile("1988-gate.jpg", buf.getvalue(), content_type="image/jpeg")


def _honours(unit, staff: Actor, team: list, demo_people: list, today: dt.date) -> None:
    """Last year's 书香家庭 and 优秀志愿者 decided by review (the committee's sign-offs kept), the first demo
    resident honoured and named on the public page with consent; this year's 优秀志愿者 on an open vote of the
    residents (deliberation's vote machinery, through the core extension point)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from courtyard.core.access import holders
    from courtyard.core.hooks import HookMissing

    from .models import HonourRound

    reviewers = list(holders("committee_member", unit).order_by("pk")[:2])
    last = today.year - 1
    for kind, seats in (("book_family", 3), ("volunteer", 3)):
        r = services.create_round(by=staff, unit=unit, kind=kind, year=last, seats=seats, method="review",
                                  signoffs_needed=max(1, len(reviewers)))
        people = [s["person"] for s in services.suggestions(r, limit=seats + 2)] or team[:seats + 2]
        if demo_people and demo_people[0] not in people:
            people = [demo_people[0], *people]
        nominations = [services.nominate(by=staff, honour_round=r, person=p, reason="活动记录") for p in people[:seats + 2]]
        if not reviewers:
            continue
        services.start_review(by=staff, honour_round=r, nominations=nominations[:seats])
        for user in reviewers:
            services.sign_off(by=Actor(user=user), honour_round=r, note="院委会评议同意")
        for n in nominations[:seats]:  # the demo residents decide themselves on 我的荣誉 (no name shown yet)
            if n.person not in demo_people and n.pk % 2:
                services.set_public_consent(by=staff, nomination=n, consent=True)
    try:
        r = services.create_round(by=staff, unit=unit, kind="volunteer", year=today.year, seats=2, method="vote")
        for s in services.suggestions(r, limit=4):
            services.nominate(by=staff, honour_round=r, person=s["person"], reason="本年服务时长")
        now = timezone.now()
        if HonourRound.objects.get(pk=r.pk).nominations.count() > r.seats:
            services.start_vote(by=staff, honour_round=r, opens_at=now, closes_at=now + dt.timedelta(days=14))
    except (ValidationError, PermissionDenied, HookMissing) as exc:  # the vote is optional in the demo
        print(f"participation demo: no honours vote ({exc})")


def _offset(unit, demo_people: list) -> None:
    """The tenant pays one yuan of an open cleaning bill with points (ADR 0028)."""
    from courtyard.core.models import User
    from courtyard.funds.fee_models import FeeBill
    from courtyard.funds.services import resident_dwellings

    if len(demo_people) < 2:
        return
    user = User.objects.filter(person=demo_people[1]).first()
    bills = FeeBill.objects.filter(dwelling__in=resident_dwellings(user), plan__points_per_yuan__gt=0).order_by("-pk")
    bill = next((b for b in bills.select_related("plan") if services.offset_offer(user, b)["most_yuan"] >= 1), None)
    if bill is not None:
        services.use_points_on_bill(by=Actor(user=user), bill=bill, yuan=1)
