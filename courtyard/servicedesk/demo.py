"""Demo rows for 学道苑: a vendor with a framework agreement (its demo login linked to it), a few
dozen requests in every state with their timelines, a service menu with orders, demand and
resource lists, and an Open311 API key printed as `Open311 API key: <key>`."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import Channel, User
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit, Person, RoleGrant

from . import services
from .choices import Kind, Menu, OfferKind, Urgency
from .models import Agreement, Category, Demand, Offer, Request, ServiceItem
from .seed import seed as seed_reference_data

TITLES = {
    "water-leak": "厨房水管漏水", "power-outage": "楼道跳闸停电", "drain-blocked": "下水道堵塞返味",
    "fire-passage": "消防通道被杂物堵住", "light-street": "3单元楼道灯不亮", "path-damage": "院坝路面破损",
    "rubbish-overflow": "垃圾桶满溢未清运", "clean-stairs": "楼道小广告", "ebike-indoor": "电动车在楼道充电",
    "charge-broken": "充电桩不能扫码", "green-trim": "树枝挡住窗户", "noise-neighbour": "楼上夜间噪音",
    "neigh-leak": "楼上漏水到我家", "bld-door": "单元门禁坏了", "svc-consult": "咨询加装电梯政策",
    "svc-suggest": "建议院坝增设座椅",
}


@transaction.atomic
def load_demo(info: dict, *, seed: int, stdout) -> None:
    rng = random.Random(seed * 311)
    by = Actor.system()
    # Categories, SLA policies and the holiday calendar come from a data migration, but a
    # test database flushed between transactional tests has lost them: make sure they exist.
    seed_reference_data()
    xdy = info["units"]["xuedaoyuan"]
    community = xdy.community
    buildings = info["xdy_buildings"]
    vendor = PartnerUnit.objects.create(community=community, kind=PartnerKind.MERCHANT, name="锦安物业维修服务部",
                                        contact_name="周师傅", address="学道街 12 号")
    grant = RoleGrant.objects.filter(role="vendor", title="演示账号").first()
    if grant is not None:
        grant.partner = vendor
        grant.save(update_fields=["partner"])
    year = timezone.localdate().year  # in force the year the demo is loaded, whenever that is
    agreement = Agreement.objects.create(community=community, vendor=vendor, title=f"{year} 年度小修框架协议",
                                         onsite_hours=48, emergency_hours=2, starts=dt.date(year, 1, 1),
                                         ends=dt.date(year, 12, 31), max_open=30)
    agreement.categories.set(Category.objects.filter(code__in=["water", "power", "drainage", "lighting", "building"]))
    key, _obj = services.create_api_key(by=by, community=community, name="演示 Open311")

    resident = User.objects.filter(phone_hash__isnull=False, person__isnull=False,
                                   grants__isnull=True).select_related("person").order_by("pk").first()
    staff = RoleGrant.objects.filter(role="community_staff", title="演示账号").select_related("user").first()
    staff_actor = Actor(user=staff.user) if staff else by
    vendor_user = grant.user if grant else None
    # ORG-8: the courtyards' property company (an org party) takes every other contracted repair, worked by its
    # own login; it sees only the work orders dispatched to it.
    company = PartnerUnit.objects.filter(community=community, kind="property_company").order_by("pk").first()
    company_grant = RoleGrant.objects.filter(role="property_company", title="演示账号").first()
    if company is not None:
        company_agreement = Agreement.objects.create(
            community=community, vendor=company, title=f"{year} 年度物业服务合同（公共部位维修）", onsite_hours=24,
            emergency_hours=2, starts=dt.date(year, 1, 1), ends=dt.date(year, 12, 31), max_open=30)
        company_agreement.categories.set(Category.objects.filter(code__in=["power", "lighting", "building"]))
    contracted_n = 0
    people = list(Person.objects.filter(unit=xdy).order_by("pk")[:60])
    leaves = {c.code: c for c in Category.objects.filter(code__in=TITLES)}
    now = timezone.now()
    plan = (["submitted"] * 5 + ["accepted"] * 4 + ["dispatched"] * 5 + ["in_progress"] * 4 + ["waiting"] * 2
            + ["resolved"] * 4 + ["closed"] * 8 + ["reopened"] * 2 + ["merged", "referred", "low"])
    made: list[Request] = []
    for i, target in enumerate(plan):
        code = rng.choice(sorted(TITLES))
        building = rng.choice(buildings)
        entrance = building.children.first() or building
        reporter_user = resident if i % 4 == 0 else None
        person = reporter_user.person if reporter_user else (rng.choice(people) if people else None)
        filed = now - dt.timedelta(hours=rng.randint(2, 24 * 20))
        kind = Kind.EMERGENCY if code == "water-leak" and i % 5 == 0 else leaves[code].default_kind
        req = services.file_request(
            by=Actor(user=None, on_behalf_of=person, channel=Channel.OFFLINE) if not reporter_user else Actor(
                user=reporter_user), place=entrance, category=leaves[code], title=TITLES[code], kind=kind,
            urgency=Urgency.EMERGENCY if kind == Kind.EMERGENCY else Urgency.NORMAL, reporter=person,
            reporter_user=reporter_user, public_anonymous=i % 7 == 0, source="resident" if reporter_user else "staff",
            now=filed, group_matter=code == "neigh-leak")
        clock = {"t": filed, "step": dt.timedelta(hours=rng.randint(1, 30))}

        def go(action, note="", *, _req=req, _clock=clock, who=staff_actor):
            _clock["t"] += _clock["step"]
            return services.transition(by=who, request=_req, action=action, note=note, now=min(_clock["t"], now),
                                       check=False)

        if target == "submitted":
            made.append(req)
            continue
        if target == "merged" and made:
            services.transition(by=staff_actor, request=req, action="merge", duplicate_of=made[0], check=False)
            continue
        if target == "referred":
            services.transition(by=staff_actor, request=req, action="refer", referred_to="锦江区城市管理局（12319）",
                                check=False)
            continue
        go("accept")
        if target == "accepted":
            continue
        contracted = leaves[code].parent.code in ("water", "power", "drainage", "lighting", "building")
        to = f"partner:{vendor.pk}" if contracted else (f"user:{staff.user_id}" if staff else "")
        by_company = contracted and company is not None and company_grant is not None and contracted_n % 2 == 1
        contracted_n += contracted
        if by_company:
            to = f"partner:{company.pk}"
        if to:
            req.refresh_from_db()
            services.dispatch(by=staff_actor, request=req, to=to, reason="演示派单", now=min(clock["t"], now),
                              check=False)
        if target == "dispatched":
            continue
        worker = Actor(user=vendor_user) if contracted and vendor_user else staff_actor
        if by_company:
            worker = Actor(user=company_grant.user)
        go("start", "已到现场", who=worker)
        if target == "in_progress":
            continue
        if target == "waiting":
            go("wait", "等待住户在家时上门", who=worker)
            continue
        go("resolve", "已处理完毕，附完工照片", who=worker)
        if target == "resolved":
            continue
        if target in ("closed", "reopened", "low") and req.reporter_user_id:
            stars = 2 if target == "low" else rng.choice([4, 5, 5])
            services.rate(by=Actor(user=req.reporter_user), request=req, stars=stars, fixed=target != "reopened",
                          comment="" if stars > 2 else "师傅来得太晚")
        elif target == "reopened":
            go("reopen", "住户反映仍未修好")
        else:
            go("close", "电话回访：住户满意")
        made.append(req)
    services.sweep_overdue(now=now)

    basic = [("楼道清扫", 0), ("代收快递", 0), ("助老陪诊", 0)]
    extra = [("家电清洗", 8000), ("上门理发（长者）", 1000), ("管道疏通", 5000)]
    for name, fen in basic:
        ServiceItem.objects.create(community=community, menu=Menu.BASIC, name=name, price_fen=fen)
    items = [ServiceItem.objects.create(community=community, menu=Menu.VALUE_ADDED, name=name, price_fen=fen,
                                        provider=vendor) for name, fen in extra]
    if resident is not None and resident.person and resident.person.home_id:
        services.place_order(by=Actor(user=resident), item=items[1], place=resident.person.home.entrance,
                             detail="周三上午在家")
    offers = [
        Offer.objects.create(community=community, kind=OfferKind.SPACE, title="茶铺午后闲置空间",
                             partner=info["picks"].get("merchant"), availability="工作日 14:00–17:00"),
        Offer.objects.create(community=community, kind=OfferKind.SKILL, title="退休电工义务检修",
                             person=people[0] if people else None, availability="周末"),
        Offer.objects.create(community=community, kind=OfferKind.GOODS, title="捐赠灭火器 20 具", partner=vendor,
                             value_fen=20 * 9000),
    ]
    demands = [
        Demand.objects.create(community=community, title="老年人活动场地", kind=OfferKind.SPACE),
        Demand.objects.create(community=community, title="楼道老旧线路排查", kind=OfferKind.SKILL, urgency=Urgency.URGENT),
        Demand.objects.create(community=community, title="每栋楼配灭火器", kind=OfferKind.GOODS, urgency=Urgency.URGENT),
    ]
    for d in demands:
        d.supporters.set(people[: rng.randint(2, 12)])
    del offers
    stdout.write(f"Service desk: {len(plan)} requests, 1 vendor agreement, {len(basic) + len(extra)} menu items")
    stdout.write(f"Open311 API key: {key}")
    from .demo_history import load_history

    stdout.write(f"Service desk history: {load_history(info)} closed requests over 12 months")
