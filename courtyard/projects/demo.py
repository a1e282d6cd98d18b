"""Demo renovation projects.

学道苑 (seed 000): a project library from residents' suggestions; the needs survey whose results
reproduce §2.3 exactly (65 questionnaires: 92.3 % rate water/power/drainage renewal most urgent —
78.5 % "very", 13.8 % "fairly"; 84.6 % want more leisure space, 93.2 % of the 44 respondents aged
65+); the interviews (25: 76 % want more transparent deliberation, 48 % want 书香 culture); the
consent campaign at 98 % of households (136 of 139); a plan with residents' opinions, the expert
panel's dispositions and the leading group's approval, and a second plan open for opinions.

五福苑 (seed 002, 沙河街道沙河社区): the funnel 288 suggestions → 192 consensus items → 13 key projects.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org import services as org_services
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Dwelling, Person, Place, RoleGrant, SelfGovernanceUnit

from . import demo_more, services
from .choices import (
    ArchiveItem,
    ConsentChannel,
    Criterion,
    Party,
    QuestionKind,
    ResponseChannel,
    Source,
    SurveyPer,
    SurveyState,
)

WUFU_PROJECTS = [
    ("雨污管网改造（解决雨季内涝）", "basic"), ("外墙防水修缮", "basic"), ("小区道路平整", "basic"),
    ("停车位规划与电瓶车智能停车棚", "basic"), ("强弱电管线规整入地", "basic"), ("消防设施更新", "basic"),
    ("自来水一户一表改造", "basic"), ("便民菜市建设", "improve"), ("知福堂党群服务阵地", "improve"),
    ("楼道照明与安防监控", "improve"), ("居民活动场地打造", "upgrade"), ("小区绿化景观提升", "upgrade"),
    ("“五福”文化景观墙", "upgrade"),
]
# 288 suggestions from 坝坝会, door-to-door visits, phone calls and questionnaires (五福夜话).
WUFU_SOURCES = [(Source.SURVEY, 96, "五福苑居民需求问卷"), (Source.OTHER, 70, "五福夜话 坝坝会"),
                (Source.REQUEST, 52, "居民来电"), (Source.PATROL, 40, "入户走访"), (Source.TOPIC, 30, "五福夜话议题")]
WUFU_TOPICS = ["道路平整", "管线改造", "雨季积水", "停车", "外墙漏水", "买菜难", "路灯", "消防通道", "绿化", "活动场地",
               "楼道杂物", "电瓶车充电"]

XDY_PROJECTS = [
    ("水电线路及排水系统更新改造", "basic", "锦官驿街道办事处", 1_450_000_00,
     ["更换老化电线及配电箱", "更换锈蚀给水管及阀门", "更新破损排水管道，消除雨季积水"]),
    ("车辆有序停放与垃圾分类收集点", "basic", "学道苑院委会", 180_000_00, ["划定停车位", "设置分类收集点"]),
    ("休闲活动空间与健身步道", "improve", "合江亭社区居委会", 420_000_00, ["增加绿化面积", "铺设健身步道", "增设休憩座椅"]),
    ("合议轩议事空间", "improve", "学道苑院委会", 60_000_00, ["整理闲置用房", "配置议事桌椅与公示栏"]),
    ("书香文化长廊与读书角", "upgrade", "合江亭社区居委会", 90_000_00, ["打造院落历史文化墙", "设立小型读书角"]),
]
XDY_SUGGESTIONS = [
    (Source.SURVEY, "问卷：水电线路老化经常断电", 0), (Source.SURVEY, "问卷：水管破裂漏水", 0),
    (Source.REQUEST, "诉求：雨季院内积水", 0), (Source.PATROL, "巡查：配电箱外壳破损", 0),
    (Source.TOPIC, "议题：排水管道更新", 0), (Source.REQUEST, "诉求：车辆乱停占道", 1),
    (Source.SURVEY, "问卷：垃圾清运不及时", 1), (Source.PATROL, "巡查：消防通道被占", 1),
    (Source.SURVEY, "问卷：缺少健身器材", 2), (Source.TOPIC, "议题：增设休憩座椅", 2),
    (Source.SURVEY, "问卷：绿化面积太小", 2), (Source.OTHER, "坝坝会：老人需要散步的地方", 2),
    (Source.TOPIC, "议题：议事没有固定场所", 3), (Source.OTHER, "坝坝会：议事结果要公示", 3),
    (Source.OTHER, "访谈：希望设立读书角", 4), (Source.OTHER, "访谈：打造文化墙展示院落历史", 4),
    (Source.REQUEST, "诉求：楼道灯不亮", None), (Source.OTHER, "访谈：新老居民缺少交流活动", None),
]


def _user(role: str, unit):
    grant = (RoleGrant.objects.filter(role=role)
             .filter(Q(unit=unit) | Q(unit__isnull=True, path=unit.community.path) | Q(unit__isnull=True))
             .select_related("user").order_by("pk").first())
    return grant.user if grant else None


def _drawing() -> SimpleUploadedFile:
    """A small site sketch (PNG) drawn here, so the demo needs no binary files."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 400), "white")
    d = ImageDraw.Draw(img)
    for x, y, w, h in ((40, 40, 160, 120), (240, 40, 160, 120), (440, 40, 160, 120), (40, 220, 560, 140)):
        d.rectangle((x, y, x + w, y + h), outline="black", width=3)
    d.line((40, 200, 600, 200), fill="blue", width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return SimpleUploadedFile("排水管网平面示意.png", buf.getvalue(), content_type="image/png")


@transaction.atomic
def load_demo(info, *, seed: int, stdout) -> None:
    unit = info["units"].get("xuedaoyuan")
    if unit is None:
        return
    rnd = random.Random(seed)
    who = {r: _user(r, unit) for r in ("community_staff", "grid_worker", "planner", "engineer", "committee_member")}
    if any(u is None for u in who.values()):
        stdout.write("projects demo: missing demo logins, skipped")
        return
    staff, grid, planner, engineer, committee = (Actor(user=who[r]) for r in (
        "community_staff", "grid_worker", "planner", "engineer", "committee_member"))
    projects = _library(staff, unit)
    _surveys(staff, grid, unit, projects[0], info)
    _consent(staff, grid, unit, projects[0], info, rnd)
    _plans(staff, planner, engineer, committee, projects, info)
    _works(unit, projects)
    demo_more.load_more(staff=staff, grid=grid, unit=unit, projects=projects, info=info)
    _wufuyuan(info, rnd)
    stdout.write("projects demo: 学道苑 library, survey, consent, plans; 五福苑 funnel 288 → 192 → 13")


def _library(staff, unit):
    projects = []
    for title, category, owner, budget, items in XDY_PROJECTS:
        projects.append((title, category, owner, budget, items))
    suggestions = [services.add_suggestion(by=staff, unit=unit, source=src, text=text, reference=text.split("：")[0])
                   for src, text, _i in XDY_SUGGESTIONS]
    made = []
    for i, (title, category, owner, budget, items) in enumerate(XDY_PROJECTS):
        mine = [s for s, (_src, _t, idx) in zip(suggestions, XDY_SUGGESTIONS, strict=True) if idx == i]
        consensus = [services.merge_suggestions(by=staff, unit=unit, title=f"{title}：{s.text.split('：')[1]}",
                                                suggestions=[s]) for s in mine[:2]]
        if len(mine) > 2:
            consensus.append(services.merge_suggestions(by=staff, unit=unit, title=f"{title}（其他意见）",
                                                        suggestions=mine[2:]))
        project = services.create_project(by=staff, unit=unit, title=title, category=category, owner=owner,
                                          budget_fen=budget, consensus_items=consensus)
        for n, text in enumerate(items):
            item = services.add_rectification(by=staff, project=project, text=text)
            if i == 0 and n == 0:
                services.complete_rectification(by=staff, item=item)
        made.append(project)
    services.set_status(by=staff, project=made[0], status="works")
    services.set_status(by=staff, project=made[2], status="planning")
    return made


def _pick_respondents(unit, n_old: int, n_young: int, *, skip=()):
    year = timezone.localdate().year
    people = list(Person.objects.filter(unit=unit, active=True, birth_year__isnull=False, home__isnull=False)
                  .exclude(pk__in=skip).exclude(user__isnull=False).select_related("home").order_by("pk"))
    old = [p for p in people if year - p.birth_year >= 65][:n_old]
    young = [p for p in people if 18 <= year - p.birth_year < 65][:n_young]
    return old, young


def _surveys(staff, grid, unit, project, info):
    s = services.create_survey(by=staff, unit=unit, title="学道苑老旧院落改造居民需求问卷", per=SurveyPer.RESIDENT,
                               project=project, intro="东南里7号、拱背桥25号1栋与2栋居民需求与参与意愿调查。")
    q1 = services.add_question(by=staff, survey=s, kind=QuestionKind.SCALE,
                               text="“水电线路及排水系统更新改造”对您来说有多迫切？",
                               options=["很不迫切", "不太迫切", "一般", "比较迫切", "非常迫切"])
    q2 = services.add_question(by=staff, survey=s, kind=QuestionKind.SINGLE,
                               text="您是否希望增加绿化面积、健身步道及休憩座椅等休闲活动空间？",
                               options=["希望", "无所谓", "不希望"])
    q3 = services.add_question(by=staff, survey=s, kind=QuestionKind.MATRIX, text="您对院落现状的满意程度",
                               options=["很不满意", "不太满意", "一般", "比较满意", "非常满意"],
                               rows=["照明", "排水", "绿化", "停车"])
    q4 = services.add_question(by=staff, survey=s, kind=QuestionKind.MULTIPLE, text="您愿意参加哪些社区活动？",
                               options=["节庆活动", "兴趣小组", "志愿服务", "议事协商"])
    q5 = services.add_question(by=staff, survey=s, kind=QuestionKind.TEXT, text="您对院落改造还有什么建议？")
    s = services.set_state(by=staff, survey=s, state=SurveyState.OPEN)
    old, young = _pick_respondents(unit, 44, 21)
    # Q1: 51 very urgent, 9 fairly, 3 neutral, 2 not very (65): 60/65 = 92.3 %, 51/65 = 78.5 %, 9/65 = 13.8 %.
    urgency = [4] * 51 + [3] * 9 + [2] * 3 + [1] * 2
    # Q2: 41 of the 44 aged 65+ and 14 of the 21 younger want leisure space: 55/65 = 84.6 %, 41/44 = 93.2 %.
    leisure = [0] * 41 + [1] * 2 + [2] * 1 + [0] * 14 + [1] * 5 + [2] * 2
    texts = ["希望施工期间保证老人出行安全", "排水改造请先做", "希望多些座椅", "", "停车位要公平分配"]
    for i, person in enumerate(old + young):
        answers = {q1.pk: [urgency[i]], q2.pk: [leisure[i]],
                   q3.pk: {0: 1 + i % 3, 1: i % 2, 2: 1 + i % 2, 3: i % 4},
                   q4.pk: sorted({i % 4, (i * 3) % 4})}
        if texts[i % 5] and i % 3 == 0:
            answers[q5.pk] = texts[i % 5]
        services.submit_response(by=grid, survey=s, answers=answers, channel=ResponseChannel.PAPER, person=person)
    services.set_state(by=staff, survey=s, state=SurveyState.CLOSED)

    iv = services.create_survey(by=staff, unit=unit, title="学道苑议事协商与文化需求深度访谈", per=SurveyPer.RESIDENT,
                                project=project)
    a1 = services.add_question(by=staff, survey=iv, kind=QuestionKind.SINGLE,
                               text="是否期望建立“更透明、更规范、更有代表性”的议事协商机制？", options=["是", "否"])
    a2 = services.add_question(by=staff, survey=iv, kind=QuestionKind.SINGLE,
                               text="是否希望院落融入“书香文化”元素（读书角、文化墙）？", options=["是", "否"])
    iv = services.set_state(by=staff, survey=iv, state=SurveyState.OPEN)
    o2, y2 = _pick_respondents(unit, 12, 13)
    for i, person in enumerate(o2 + y2):  # 19/25 = 76 %, 12/25 = 48 %
        services.submit_response(by=grid, survey=iv, channel=ResponseChannel.INTERVIEW, person=person,
                                 answers={a1.pk: [0 if i < 19 else 1], a2.pk: [0 if i % 2 == 1 else 1]})
    services.set_state(by=staff, survey=iv, state=SurveyState.CLOSED)

    live = services.create_survey(by=staff, unit=unit, title="合议轩开放时段意见征集", per=SurveyPer.HOUSEHOLD,
                                  intro="合议轩改造完成后，请告诉我们您家希望的开放时段。")
    services.add_question(by=staff, survey=live, kind=QuestionKind.SINGLE, text="您家最方便使用合议轩的时段",
                          options=["工作日上午", "工作日晚上", "周末全天"])
    services.add_question(by=staff, survey=live, kind=QuestionKind.SCALE, text="您对设立合议轩的支持程度",
                          options=["很不支持", "不太支持", "一般", "比较支持", "非常支持"])
    services.add_question(by=staff, survey=live, kind=QuestionKind.TEXT, text="其他建议")
    services.set_state(by=staff, survey=live, state=SurveyState.OPEN)


def _consent(staff, grid, unit, project, info, rnd):
    c = services.create_campaign(by=staff, unit=unit, title="学道苑综合改造居民意愿征询", target_percent=90,
                                 project=project)
    dwellings = list(Dwelling.objects.filter(unit=unit).order_by("pk"))
    resident = info["picks"].get("elderly_owner")
    left = resident.home_id if resident is not None and resident.home_id else dwellings[-1].pk
    helpers = ["网格员", "楼栋长", "志愿者"]
    others = [d for d in dwellings if d.pk != left]
    # 136 of 139 agree (97.8 % → 98 %); one disagrees, one is undecided, one household is still to visit.
    for i, d in enumerate(others):
        answer = "no" if i == len(others) - 2 else "undecided" if i == len(others) - 1 else "yes"
        channel = ConsentChannel.MEETING if i % 5 == 0 else ConsentChannel.DOOR
        services.record_consent(by=grid, campaign=c, dwelling=d, answer=answer, channel=channel,
                                helper=helpers[rnd.randrange(3)])


def _plans(staff, planner, engineer, committee, projects, info):
    residents = [u for u in (_login(info["picks"].get("elderly_owner")), _login(info["picks"].get("tenant"))) if u]
    plan = services.add_plan(by=staff, project=projects[0], title="学道苑水电排水改造方案",
                             summary="更换老化电线、水管及阀门；新建雨污分流管网；施工分三段进行，保障居民出行。",
                             drawings=[_drawing()])
    plan = services.publish_plan(by=staff, plan=plan)
    texts = ["施工期间请保证老人每天有水用", "希望排水管道加大管径", "配电箱能否移到楼道外", "请提前公示停水时间"]
    opinions = [services.give_opinion(by=Actor(user=residents[i % len(residents)]), plan=plan, text=t)
                for i, t in enumerate(texts)] if residents else []
    dispositions = [("adopted", ""), ("partly", "主管管径加大，支管维持原设计（排水量核算足够）"),
                    ("not_adopted", "配电箱位置受供电公司规范限制，不能移出楼道"), ("adopted", "")]
    for i, (op, (disp, reason)) in enumerate(zip(opinions, dispositions, strict=False)):
        services.dispose_opinion(by=planner if i % 2 == 0 else engineer, opinion=op, disposition=disp, reason=reason)
    services.approve_plan(by=committee, plan=plan)
    second = services.add_plan(by=staff, project=projects[2], title="学道苑休闲活动空间方案（征求意见稿）",
                               summary="拆除违建后腾出空地约120平方米：铺设健身步道，增设休憩座椅和绿化。")
    services.publish_plan(by=staff, plan=second)


def _works(unit, projects):
    """Inspections on the water/power/drainage works; the parking project accepted in three stages, its
    snags closed and the archive handed over; the facility register."""
    import datetime as dt

    who = {r: _user(r, unit) for r in ("community_staff", "contractor", "works_supervisor", "representative")}
    if any(u is None for u in who.values()):
        return
    staff, contractor, supervisor, rep = (Actor(user=who[r]) for r in (
        "community_staff", "contractor", "works_supervisor", "representative"))
    today = timezone.localdate()
    works, parking = projects[0], projects[1]
    year = today.year
    services.record_contract(
        by=staff, project=works, role="works", method="quotation", party="成都某市政建设公司",
        number=f"XDY-SG-{year}-01", amount_fen=1_268_000_00, starts_on=today - dt.timedelta(days=50),
        ends_on=today + dt.timedelta(days=70), retention_percent=3,
        quotes=[{"party": "成都某市政建设公司", "amount_fen": 1_268_000_00},
                {"party": "四川某建工集团", "amount_fen": 1_315_000_00},
                {"party": "锦江某工程公司", "amount_fen": 1_342_500_00}])
    services.record_contract(
        by=staff, project=works, role="supervision", method="framework", party="成都某工程监理公司",
        number=f"XDY-JL-{year}-01", amount_fen=38_000_00, starts_on=today - dt.timedelta(days=50),
        ends_on=today + dt.timedelta(days=100), retention_percent=0)
    photo = _drawing()
    photo.name = "隐蔽工程-排水管沟.png"
    for days, kind, text, ok, photos in (
            (42, "materials", "聚乙烯给水管、阀门到场，合格证齐全，抽检合格", True, []),
            (35, "concealed", "排水管沟开挖深度、坡度符合设计，覆土前拍照留存", True, [photo]),
            (28, "biweekly", "施工围挡完好，夜间未施工；1处管沟未及时回填", False, []),
            (14, "biweekly", "上次问题已整改，文明施工良好", True, [])):
        ins = services.record_inspection(by=supervisor, project=works, kind=kind, findings=text, satisfactory=ok,
                                         inspected_on=today - dt.timedelta(days=days), photos=photos)
        services.sign_inspection(by=rep, inspection=ins)
    services.record_inspection(by=staff, project=parking, kind="subitem", findings="停车位划线、分类收集点基础验收合格",
                               inspected_on=today - dt.timedelta(days=20))
    services.record_acceptance(by=contractor, project=parking, stage="self_check", passed=True, note="自检合格")
    services.record_acceptance(by=supervisor, project=parking, stage="supervisor", passed=True,
                               snags=["2号停车位标线不清", "收集点缺防雨棚"])
    for snag in parking.snags.order_by("pk"):
        services.close_snag(by=staff, snag=snag)
    services.record_acceptance(by=staff, project=parking, stage="joint_final", passed=True,
                               parties=list(Party.values), criteria=dict.fromkeys(Criterion.values, True),
                               note="街道、规划、住建、消防、社区、院委会及居民代表联合验收")
    receipt = _drawing()
    receipt.name = "档案移交签收单.png"
    services.hand_over(by=staff, project=parking, items=list(ArchiveItem.values), received_by="学道苑院委会主任",
                       receipt=receipt)
    services.set_status(by=staff, project=parking, status="done")
    # Seed 000: 历史违建实现100%自主拆除.
    for text, where, area in (("一楼私搭彩钢棚", "东南里7号 1栋", "12.50"), ("楼顶加盖储物间", "拱背桥25号1栋", "18.00"),
                              ("院内圈占花台", "拱背桥25号2栋", "6.00"), ("楼道口自建鸡棚", "东南里7号 3栋", "4.20")):
        st = services.register_structure(by=staff, unit=unit, description=text, location=where, area_m2=Decimal(area),
                                         demolition_plan="党员中心户入户动员，业主自行拆除，社区协助清运")
        st = services.update_structure(by=staff, structure=st, status="plan_agreed")
        services.update_structure(by=staff, structure=st, status="removed", self_removed=True,
                                  removed_on=today - dt.timedelta(days=60))
    for name, kind, owner, standard, funding, every, project in (
            ("东南里7号雨污管网", "pipes", "学道苑院委会", "每季度疏通检查，汛期前加查", "市区改造补助", 90, works),
            ("院内庭院灯（12盏）", "lights", "学道苑院委会", "每月巡查，坏灯7日内更换", "院落自治基金", 30, works),
            ("电动自行车充电桩（20口）", "charger", "成都某新能源充电运营公司", "运营方每月检测，收益30%归院落", "社会资本（PPP）",
             30, parking),
            ("消防器材（灭火器18具）", "fire", "学道苑院委会", "每月检查压力，年检一次", "维修资金", 30, None),
            ("合议轩休憩座椅", "bench", "学道苑院委会", "每半年检查紧固与防腐", "院落自治基金", 180, None)):
        services.create_facility(by=staff, unit=unit, name=name, kind=kind, owner=owner,
                                 maintenance_standard=standard, funding_source=funding, maintenance_every_days=every,
                                 project=project, warranty_ends=today + dt.timedelta(days=730))


def load_demo_late(info, *, seed: int, stdout) -> None:
    """Rows that need the other apps' demos (funds' accounts): see demo_more.load_late."""
    demo_more.load_late(info, seed=seed, stdout=stdout)


def _login(person):
    return getattr(person, "user", None) if person is not None else None


def _wufuyuan(info, rnd):
    system = Actor.system()
    district = info["district"]
    sub = Place.objects.filter(parent=district, kind=PlaceKind.SUBDISTRICT, name="沙河街道").first() or \
        org_services.create_place(by=system, kind=PlaceKind.SUBDISTRICT, name="沙河街道", parent=district)
    community = org_services.create_place(by=system, kind=PlaceKind.COMMUNITY, name="沙河社区", parent=sub)
    unit = SelfGovernanceUnit.objects.filter(slug="wufuyuan").first() or org_services.create_unit(
        by=system, community=community, name="五福苑", slug="wufuyuan",
        intro="马家沟1号，上世纪90年代建成的解困房小区：9栋，497户，约1500名居民。")
    suggestions = []
    n = 0
    for source, count, ref in WUFU_SOURCES:
        for _i in range(count):
            topic = WUFU_TOPICS[n % len(WUFU_TOPICS)]
            suggestions.append(services.add_suggestion(by=system, unit=unit, source=source, reference=ref,
                                                       text=f"{topic}：居民意见第{n + 1}条"))
            n += 1
    rnd.shuffle(suggestions)
    # 288 suggestions → 192 consensus items (96 of two suggestions, 96 of one).
    consensus = []
    i = 0
    for k in range(192):
        size = 2 if k < 96 else 1
        group = suggestions[i:i + size]
        i += size
        consensus.append(services.merge_suggestions(by=system, unit=unit, title=f"改造共识第{k + 1}项",
                                                    suggestions=group))
    for j, (title, category) in enumerate(WUFU_PROJECTS):
        services.create_project(by=system, unit=unit, title=title, category=category,
                                owner="沙河街道办事处" if category == "basic" else "沙河社区居委会",
                                consensus_items=consensus[j::len(WUFU_PROJECTS)])
