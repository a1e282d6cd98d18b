"""Demo rows for 第8网格 / 学道苑 (relative dates only): check points with a twice-daily route and a
weekly fire-safety route, a week of patrols with late and missed rounds and anomalies turned into
hazards (one red hazard overdue and escalated, one awaiting re-inspection, one closed), a resident's
hazard report closed after re-inspection, a risk notice, and people in care with visits (one visit
lapsed with its warning, one visit reporting trouble). The elderly demo resident is in care and sees
the visits to them."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtyard.core.access import in_scope
from courtyard.core.audit import Actor
from courtyard.core.models import User
from courtyard.org.models import Person, RoleGrant

from . import permissions as P
from . import services
from .models import CheckPoint, PatrolTask

POINTS = [
    ("消防通道", "消防通道畅通\n灭火器压力 [正常/偏低!/失效!]\n应急照明 [完好/损坏!]\n其他情况…"),
    ("配电箱", "配电箱门关闭上锁\n线路老化或飞线 [无/有!]\n其他情况…"),
    ("电动车棚", "无电动车入户充电\n充电桩 [正常/故障!]\n其他情况…"),
    ("院坝", "地面无破损积水\n垃圾桶 [已清运/满溢!]\n其他情况…"),
    ("楼道", "楼道无杂物堆放\n楼道灯 [亮/不亮!]\n其他情况…"),
    ("化粪池井盖", "井盖完好盖严\n异味 [无/有!]\n其他情况…"),
]
OK = {"ok": "ok"}


def _answers(point: CheckPoint, bad: bool, rng: random.Random) -> dict:
    out = {}
    for n, it in enumerate(point.checklist):
        if it["kind"] == "ok":
            out[it["key"]] = "ok"
        elif it["kind"] == "choice":
            out[it["key"]] = it["bad"][0] if bad and n == 1 else it["choices"][0]
        else:
            out[it["key"]] = ""
    return out


def _user(role: str) -> User | None:
    grant = RoleGrant.objects.filter(role=role, title="演示账号").select_related("user").first()
    return grant.user if grant else None


@transaction.atomic
def load_demo(info: dict, *, seed: int, stdout) -> None:
    rng = random.Random(seed * 12)
    grid8 = next((g for g in info["grids"] if g.name == "第8网格"), info["grids"][-1])
    buildings = list(info["xdy_buildings"])[:6]
    staff, worker, mg_worker = _user("community_staff"), _user("grid_worker"), _user("microgrid_worker")
    if not (staff and worker and buildings):
        return
    by_staff, by_worker = Actor(user=staff), Actor(user=worker)
    now = timezone.now()
    today = timezone.localdate()

    # Kinds of hazard: fire safety answers to the fire department (a red hazard 2 days past its
    # deadline is escalated automatically); the others have no department (no automatic escalation).
    community = buildings[0].community
    department = _department(community)
    fire_kind = services.save_kind(by=by_staff, community=community, name="消防安全", department=department,
                                   whistle_after_days=2, respond_within_hours=24)
    services.save_kind(by=by_staff, community=community, name="设施设备")
    # The fire-safety points and the distribution box carry NFC tags beside their QR stickers.
    points = [services.save_point(by=by_staff, place=b, name=f"{b.name}{name}", checklist_text=text,
                                  nfc_tag=n < 2, hazard_kind=fire_kind if n == 0 else None)
              for n, (b, (name, text)) in enumerate(zip(buildings, POINTS, strict=False))]
    daily = services.save_route(by=by_staff, grid=grid8, name="第8网格一日双巡", points=points)
    fire = services.save_route(by=by_staff, grid=grid8, name="学道苑消防专项周巡", points=points[:2])
    workers = [w for w in (worker, mg_worker) if w and in_scope(w, P.PATROL, daily)]
    services.save_plan(by=by_staff, route=daily, frequency="twice_daily", first_start=dt.time(8, 30),
                       first_end=dt.time(10, 30), second_start=dt.time(16), second_end=dt.time(18), workers=workers,
                       starts=today - dt.timedelta(days=7))
    services.save_plan(by=by_staff, route=fire, frequency="weekly", weekday=today.weekday(), first_start=dt.time(14),
                       first_end=dt.time(17), workers=[worker], starts=today - dt.timedelta(days=7))

    # A week of rounds: mostly on time, some late, one missed; three anomalies.
    anomalies = {(6, 1, 0), (3, 2, 1), (1, 1, 3)}  # (days ago, round, point index)
    for ago in range(7, 0, -1):
        day = today - dt.timedelta(days=ago)
        services.generate_tasks(day)
        for task in PatrolTask.objects.filter(day=day, plan__route=daily).select_related("assignee", "plan"):
            if (ago, task.shift) == (4, 2):
                continue  # missed round
            late = rng.random() < 0.15
            when = task.window_start + dt.timedelta(minutes=20)
            for i, stop in enumerate(task.plan.route.stops.select_related("point__place")):
                if late and i >= 4:
                    when = task.window_end + dt.timedelta(minutes=40)
                bad = (ago, task.shift, i) in anomalies
                manual = (ago, task.shift, i) == (2, 1, 4)  # a torn sticker: chosen from the list
                services.check_in(by=Actor(user=task.assignee), task=task, point=stop.point,
                                  answers=_answers(stop.point, bad, rng), at=when,
                                  note="现场发现问题，已拍照留存" if bad else "",
                                  grade="red" if (ago, task.shift) == (6, 1) else "yellow",
                                  arrival="manual" if manual else "nfc" if stop.point.nfc_tag else "qr",
                                  manual_reason="sticker" if manual else "")
                when += dt.timedelta(minutes=rng.randint(4, 9))
    services.generate_tasks(today)
    services.close_rounds(now)

    # The anomalies' hazards: the red one stays open (overdue, escalated); one is rectified and
    # awaits re-inspection; one was rectified and closed after re-inspection by staff.
    from .models import Hazard

    hazards = list(Hazard.objects.filter(source="patrol").order_by("found_at"))
    if len(hazards) >= 3:
        red, fixed, closed = hazards[0], hazards[1], hazards[2]
        services.update_hazard(by=by_staff, hazard=red, grade="red", owner=worker, measures="设置警示标识，联系消防维保单位更换")
        services.update_hazard(by=by_staff, hazard=fixed, grade="yellow", owner=mg_worker or worker, measures="更换损坏部件")
        services.rectify(by=Actor(user=mg_worker or worker), hazard=fixed, note="已更换")
        services.rectify(by=by_worker, hazard=closed, note="已清理")
        services.reinspect(by=by_staff, hazard=closed, passed=True, note="复查合格")
        services.send_risk_notice(by=by_staff, hazard=red)
    resident = User.objects.filter(phone_hash__isnull=False, person__isnull=False, grants__isnull=True,
                                   person__unit=info["units"]["xuedaoyuan"]).select_related("person").order_by("pk").first()
    if resident is not None and resident.person.home_id:
        h = services.report_hazard(by=Actor(user=resident), place=resident.person.home.entrance, title="楼道电动车充电",
                                   description="晚上有人在楼道给电动车充电", source="resident",
                                   found_at=now - dt.timedelta(days=4))
        services.rectify(by=by_worker, hazard=h, note="已劝导并张贴禁止告示")
        services.reinspect(by=by_staff, hazard=h, passed=True, note="连续两晚复查无充电")
    services.report_hazard(by=by_staff, place=buildings[-1], title="外墙瓷砖空鼓有脱落风险", grade="blue",
                           source="inspection", measures="拉警戒线，报房屋安全鉴定")
    services.sweep_overdue(now)

    # People in care in 学道苑: the elderly demo resident among them.
    xdy = info["units"]["xuedaoyuan"]
    elderly = [p for p in Person.objects.filter(unit=xdy, active=True, birth_year__isnull=False,
                                                home__isnull=False).order_by("birth_year", "pk")[:6]]
    if resident is not None and resident.person not in elderly and resident.person.home_id:
        elderly = [resident.person, *elderly[:5]]
    plan = [("red", "elderly_alone", 0, "well"), ("orange", "disabled", 2, "needs_help"),
            ("yellow", "elderly_alone", 12, "well"), ("blue", "low_income", 10, "well"),
            ("yellow", "elderly_alone", 3, "well"), ("green", "other", 20, "well")]
    volunteer = _user("volunteer")
    for person, (colour, group, last, wellbeing) in zip(elderly, plan, strict=False):
        rec = services.enrol(by=by_staff, person=person, group=group, colour=colour, legal_basis="legal_duty",
                             basis_note="社区特殊群体台账（民政部门认定）", worker=worker,
                             at=now - dt.timedelta(days=40))
        for n in (3, 2, 1):
            when = now - dt.timedelta(days=last + 7 * (n - 1), hours=3)
            services.log_visit(by=by_worker, rec=rec, wellbeing=wellbeing if n == 1 else "well", at=when,
                               note="精神状态好，屋内整洁" if n > 1 or wellbeing == "well" else "腿脚不便，需要助餐",
                               follow_up="" if n > 1 or wellbeing == "well" else "联系助餐点每日送餐")
        if volunteer is not None and colour == "blue":
            services.update_record(by=by_staff, rec=rec, colour=colour, worker=worker, claimed_by=volunteer,
                                   needs="每月代购生活用品")
    _family(resident, by_staff)
    services.sweep_lapses(now)
    _mediation(info, by_staff, now)
    _emergency(info, by_staff, now)
    stdout.write("safety demo: 第8网格 patrol routes, a week of rounds, hazards and people in care")


def _mediation(info: dict, by_staff: Actor, now: dt.datetime) -> None:
    """Two cases: a neighbours' leak settled by a neighbour mediator in 6 days; a shared-wall repair
    across two courtyards that went through a professional to a multi-party consultation (24 days)."""
    buildings = list(info["xdy_buildings"])
    lawyer = _user("lawyer")
    one = services.open_case(by=by_staff, place=buildings[0], title="楼上漏水渗到楼下",
                             parties="3单元201住户\n3单元101住户", summary="卫生间防水层老化", opened_at=now - dt.timedelta(days=20))
    services.record_session(by=by_staff, case=one, attendees="双方住户、邻里和事佬", held_at=now - dt.timedelta(days=17),
                            minutes="双方同意请维修师傅查看防水层，费用由楼上承担。")
    services.close_case(by=by_staff, case=one, result="agreed", outcome="楼上住户重做防水，赔偿楼下墙面修补费用。",
                        published_outcome="邻里漏水纠纷经和事佬调解达成协议，防水已重做。", closed_at=now - dt.timedelta(days=14))
    two = services.open_case(by=by_staff, place=buildings[-1], title="两院共用围墙开裂维修分摊",
                             parties="学道苑院委会\n相邻院落住户代表\n产权单位", opened_at=now - dt.timedelta(days=40))
    services.record_session(by=by_staff, case=two, attendees="两院住户代表", held_at=now - dt.timedelta(days=38),
                            minutes="对分摊比例各执一词。")
    services.raise_tier(by=by_staff, case=two, reason="涉及产权单位，需要律师意见")
    services.record_session(by=Actor(user=lawyer) if lawyer else by_staff, case=two, attendees="律师、两院代表",
                            held_at=now - dt.timedelta(days=30), minutes="律师说明共有部分维修责任。")
    services.raise_tier(by=by_staff, case=two, reason="跨院落、多方，召开多方会诊")
    services.record_session(by=by_staff, case=two, attendees="社区、街道城管科、产权单位、两院代表",
                            held_at=now - dt.timedelta(days=20), minutes="三方按 4:3:3 分摊，社区协调施工。")
    services.close_case(by=by_staff, case=two, result="agreed", outcome="产权单位、两院按 4:3:3 分摊维修费用。",
                        published_outcome="共用围墙维修经多方会诊达成分摊协议。", closed_at=now - dt.timedelta(days=16))


def _department(community):
    from courtyard.org.choices import PartnerKind
    from courtyard.org.models import PartnerUnit

    return PartnerUnit.objects.filter(kind=PartnerKind.DEPARTMENT, community=community).first() \
        or PartnerUnit.objects.filter(kind=PartnerKind.DEPARTMENT).first()


def _emergency(info: dict, by_staff: Actor, now: dt.datetime) -> None:
    """A fire plan for 学道苑 with reserves (one check overdue) and a drill; a power cut reported up
    the ladder, its response log and review; escalations to a department: on time, late, unanswered."""

    from .models import Hazard

    buildings = list(info["xdy_buildings"])
    xdy_place = buildings[0]
    plan = services.save_emergency_plan(
        by=by_staff, place=xdy_place, kind="fire", title="学道苑消防应急预案",
        contacts="总指挥 社区书记\n现场联络 第8网格网格员\n消防维保 锦安消防 028-8000 0119",
        steps="1. 发现火情立即拨打 119，并报告网格员。\n2. 组织疏散至院坝集合点，清点人数。\n3. 志愿者使用灭火器初期扑救，切断电源。")
    r1 = services.add_reserve(by=by_staff, plan=plan, name="干粉灭火器", quantity=24, location="各楼道一层")
    services.add_reserve(by=by_staff, plan=plan, name="应急照明灯", quantity=10, location="院委会活动室",
                         check_every_days=90)
    services.check_reserve(by=by_staff, reserve=r1, quantity=24, at=now - dt.timedelta(days=45))  # overdue check
    services.record_drill(by=by_staff, plan=plan, held_on=(now - dt.timedelta(days=20)).date(), participants=56,
                          findings="疏散用时 6 分钟；3 单元楼道杂物影响通行，已列入隐患清单。")
    services.save_emergency_plan(by=by_staff, place=xdy_place, kind="flood", title="学道苑防汛应急预案",
                                 contacts="总指挥 社区书记\n现场联络 第8网格网格员",
                                 steps="1. 暴雨预警时检查排水沟。\n2. 低洼住户提前转移。")
    incident = services.report_incident(by=by_staff, place=buildings[1], kind="power", title="2栋突发停电",
                                        description="配电箱跳闸，电梯停运", at=now - dt.timedelta(days=5, hours=3))
    services.log_response(by=by_staff, incident=incident, text="网格员到场，确认无人被困电梯。",
                          at=now - dt.timedelta(days=5, hours=2, minutes=40))
    services.log_response(by=by_staff, incident=incident, text="供电所抢修恢复供电。", at=now - dt.timedelta(days=5, hours=1))
    services.close_incident(by=by_staff, incident=incident, at=now - dt.timedelta(days=4),
                            review="线路老化导致跳闸；已将配电箱更换列入整改，并在下次演练中加入电梯困人处置。")
    department = _department(xdy_place.community)
    officer = RoleGrant.objects.filter(role="department_officer", title="演示账号").select_related("user").first()
    if department is None:
        return
    if officer is not None and officer.partner_id != department.pk:
        officer.partner = department
        officer.save(update_fields=["partner"])
    red = Hazard.objects.filter(grade="red", state="open").first()
    # The rain-drain cover came in as a service request: escalated from the request's page.
    from courtyard.safety.services.escalations import service_request

    req = _a_request(xdy_place.community)
    calls = [("1栋消防通道灭火器失效，维保单位未到场", red, 6, None), ("院坝雨水井盖缺失", None, 10, 30),
             ("2栋外墙脱落物清理", None, 14, 3)]
    for subject, hazard, ago, answer_after in calls:
        number = req.pk if subject == "院坝雨水井盖缺失" and req is not None else None
        if number and service_request(by_staff.user, number) is None:
            number = None
        w = services.blow_whistle(by=by_staff, place=hazard.place if hazard else buildings[0], department=department,
                                  subject=subject, hazard=hazard, respond_within_hours=24, request_id=number,
                                  at=now - dt.timedelta(days=ago))
        if answer_after is not None and officer is not None:
            services.respond_whistle(by=Actor(user=officer.user), whistle=w, response="已安排人员到场处置",
                                     at=w.called_at + dt.timedelta(hours=answer_after))


def _a_request(community):
    """A service request of the community (read through the app registry; no import of the desk)."""
    from django.apps import apps

    try:
        model = apps.get_model("servicedesk", "Request")
    except LookupError:
        return None
    return model.objects.filter(community=community).order_by("pk").first()


def _family(resident, by_staff: Actor) -> None:
    """The tenant demo login is the elderly demo resident's family member: it sees the visits to them."""
    from courtyard.org.demo.logins import demo_phone

    from .models import CareRecord

    rec = CareRecord.objects.filter(person=getattr(resident, "person", None)).first()
    if rec is not None:
        with contextlib.suppress(ValidationError):  # no such login in this demo: nothing to link
            services.link_family(by=by_staff, rec=rec, phone=demo_phone(2))
