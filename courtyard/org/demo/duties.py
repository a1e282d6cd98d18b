"""Demo: 学道苑's four-party rights-and-duties list (权责清单, ORG-10), adopted, with 19 of its 20 duties
carried out (95 %, above the 90 % target) and a second version drafted."""

from __future__ import annotations

from django.utils import timezone

from courtyard.core.audit import Actor

from .. import duties
from ..choices import BodyKind, PlaceKind
from ..liaison import set_liaison_grids
from ..models import BodyMembership, Dwelling, Place

ITEMS = {
    "residents": (
        ["参与院落事务议事协商和表决", "知悉院落资金收支和公共收益情况", "监督院委会和物业服务"],
        [("遵守院落公约，爱护公共设施", "全体居民（楼栋长督促）"), ("按时缴纳保洁费、停车费", "各户"),
         ("垃圾分类、定时定点投放", "各户（环境监督小组巡查）"), ("参与轮值保洁和邻里互助", "志愿服务队"),
         ("不私搭乱建、不占用消防通道", "各户")]),
    "self_governance": (
        ["组织居民议事协商", "管理院落自治基金", "代表居民与物业、政府协调"],
        [("召开居民议事会并公示决议", "院委会主任"), ("每月公开院落收支", "院委会委员（财务）"),
         ("协调公共空间日常维护和报修", "院委会"), ("组织院落活动和功能小组", "文化活动小组"),
         ("接受监事会监督、每年述职", "院委会")]),
    "property": (
        ["按合同收取服务费用", "参与院落议事协调会"],
        [("公共区域保洁和垃圾清运", "成都某物业服务企业"), ("设施设备维护，普通报修48小时到场", "成都某物业服务企业"),
         ("紧急故障2小时响应", "成都某物业服务企业"), ("每季度公开服务记录和费用", "成都某物业服务企业"),
         ("配合消防安全检查", "成都某物业服务企业")]),
    "government": (
        ["对院落改造和治理进行指导监督"],
        [("统筹改造资金并及时拨付", "锦官驿街道城市更新科"), ("网格员每周下沉院落收集需求", "第8网格"),
         ("吹哨报到事项限时响应", "街道职能部门"), ("组织院委会成员培训", "社区党委"),
         ("每年开展一次居民满意度评估", "")]),
}


def load_liaison(unit, *, stdout) -> None:
    """ORG-8: 学道苑's committee members each liaise with grids (their own grid first, then neighbours)."""
    system = Actor.system()
    members = list(BodyMembership.objects.filter(body__unit=unit, body__kind=BodyKind.COMMITTEE,
                                                 end_date__isnull=True).select_related("body__unit").order_by("id"))
    grids = list(Place.objects.filter(kind=PlaceKind.GRID, community_id=unit.community_id).order_by("code", "id"))
    home = Place.objects.filter(kind=PlaceKind.GRID, pk__in=Dwelling.objects.filter(unit=unit).values(
        "entrance__parent__parent__parent")).first()
    if not grids or not members:
        return
    start = grids.index(home) if home in grids else 0
    for k, membership in enumerate(members):
        chosen = {grids[start], grids[(start + 1 + k) % len(grids)]}
        set_liaison_grids(by=system, membership=membership, grids=chosen)
    stdout.write(f"org: {len(members)} committee members of {unit.name} liaise with grids")


def load_duties(info: dict, *, stdout) -> None:
    unit = info["units"].get("xuedaoyuan")
    if unit is None:
        return
    load_liaison(unit, stdout=stdout)
    system = Actor.system()
    first = duties.new_version(by=system, unit=unit, title="学道苑四方权责清单")
    for party, (rights, duty_rows) in ITEMS.items():
        for text in rights:
            duties.add_item(by=system, duty_list=first, party=party, kind="right", text=text)
        for text, who in duty_rows:
            item = duties.add_item(by=system, duty_list=first, party=party, kind="duty", text=text)
            if who:
                duties.set_coverage(by=system, item=item, covered=True, covered_by=who,
                                    on=timezone.localdate())
    duties.adopt(by=system, duty_list=first, adopted_ref="学道苑居民议事会表决通过")
    duties.new_version(by=system, unit=unit)
    cov = duties.coverage(list(first.items.all()))
    stdout.write(f"duties: 学道苑 four-party list adopted, {cov['covered']}/{cov['duties']} duties covered "
                 f"({cov['percent']}); version 2 drafted")
