"""Demo rows of issue 10 items 3, 5, 8–10 for 学道苑 (called from demo.py): facility owners and preventive
work orders in the service desk, a lift campaign handed over to an owners' vote, the parking project's
results on the public page, and the subdistrict's rollout programme. `load_late` runs after every app's
demo (funds' accounts exist then): works payments sent to the three-party sign-off and a charger's
revenue share on the ledger. Dates relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org import services as org_services
from courtyard.org.choices import PartnerKind
from courtyard.org.models import Dwelling, PartnerUnit, RoleGrant, SelfGovernanceUnit

from . import services
from .choices import ConsentChannel
from .models import Contract, Facility, Inspection, Project


def _partner(community, name: str, kind=PartnerKind.MERCHANT) -> PartnerUnit:
    found = PartnerUnit.objects.filter(community=community, name=name).first()
    return found or org_services.create_partner(by=Actor.system(), community=community, kind=kind, name=name)


def facilities(staff: Actor, unit, today: dt.date) -> None:
    """Owners as partner units; lights and fire equipment last maintained long enough ago that the
    scheduler files their preventive work orders (the lights due in five days, the fire check overdue)."""
    charger_co = _partner(unit.community, "成都某新能源充电运营公司")
    Facility.objects.filter(unit=unit, kind="charger").update(owner_partner=charger_co)
    property_co = _partner(unit.community, "学道苑物业服务站")
    Facility.objects.filter(unit=unit, kind__in=["lights", "fire", "pipes"]).update(owner_partner=property_co)
    for kind, days_ago in (("lights", 25), ("fire", 33)):
        f = Facility.objects.filter(unit=unit, kind=kind).first()
        if f is not None:
            services.record_maintenance(by=staff, facility=f, on=today - dt.timedelta(days=days_ago))
    services.file_preventive_orders(today=today)


def lift_campaign(staff: Actor, grid: Actor, unit) -> None:
    """东南里7号1栋: households asked about adding a lift, then handed over to the owners' vote."""
    project = Project.objects.filter(unit=unit, category="upgrade").first()
    c = services.create_campaign(by=staff, unit=unit, title="东南里7号1栋加装电梯意愿征询", target_percent=90,
                                 project=project)
    building = (Dwelling.objects.filter(unit=unit).order_by("building__name").values_list("building_id", flat=True)
                .first())
    for i, d in enumerate(Dwelling.objects.filter(unit=unit, building_id=building).order_by("pk")[:12]):
        services.record_consent(by=grid, campaign=c, dwelling=d, answer="no" if i == 5 else "yes",
                                channel=ConsentChannel.DOOR, helper="楼栋长")
    services.hand_over_to_vote(by=staff, campaign=c, matter="lift")


def results(staff: Actor, parking: Project) -> None:
    for kind, before, after in (("hazards", 6, 0), ("public_space", 120, 320), ("green", "18.5", "26"),
                                ("space_use", 50, 70), ("consent", 0, "97.8")):
        services.set_result(by=staff, project=parking, kind=kind, before=Decimal(before), after=Decimal(after))
    ev = services.record_evaluation(
        by=staff, project=parking, goals_set=5, goals_met=5, surveyed=120, satisfied=113, spent_fen=172_640_00,
        summary="划定停车位42个，设置分类收集点2处并加装防雨棚；车辆乱停占道和垃圾外溢基本消除。",
        residents_said="“晚上回来终于有地方停车了。”\n“收集点有棚子，下雨天倒垃圾也方便。”")
    services.publish_evaluation(by=staff, evaluation=ev)


def _holder(role: str):
    grant = RoleGrant.objects.filter(role=role, title="演示账号").select_related("user").first()
    return grant.user if grant else None


def rollout(staff: Actor, unit, subdistrict, today: dt.date) -> None:
    """合江亭's subdistrict programme: two phases, five milestones in phase 1, one extension approved by the
    subdistrict party working committee and one waiting."""
    officer = _holder("subdistrict_party_committee")
    if officer is None:
        return
    committee = Actor(user=officer)
    prog = services.create_programme(by=committee, subdistrict=subdistrict,
                                     title=f"{subdistrict.name}老旧院落改造挂图作战（{today.year}）",
                                     starts_on=today - dt.timedelta(days=120))
    others = list(SelfGovernanceUnit.objects.filter(community__path__startswith=subdistrict.path)
                  .exclude(pk=unit.pk).order_by("name")[:5])
    phase1, phase2 = [unit, *others[:1]], others[1:]
    for u in phase1:
        services.add_programme_unit(by=committee, programme=prog, unit=u, phase=1)
    for u in phase2:
        services.add_programme_unit(by=committee, programme=prog, unit=u, phase=2)
    rows = [("committee", "院委会选举产生", "社区党委", -60, "依法选举，结果公示7天无异议"),
            ("rights_list", "四方权责清单通过", "院委会", -30, "院民大会通过并上墙公示"),
            ("convention", "院落公约通过", "院委会", 20, "三分之二以上住户签字同意"),
            ("platform", "智慧小院平台上线", "社区居委会", 45, "住户注册率不低于60%"),
            ("first_project", "首个改造项目完工", "街道办事处", 120, "通过联合竣工验收并移交档案")]
    ms = {kind: services.add_milestone(by=committee, programme=prog, phase=1, kind=kind, title=title, owner=owner,
                                       due_on=today + dt.timedelta(days=days), standard=standard)
          for kind, title, owner, days, standard in rows}
    services.add_milestone(by=committee, programme=prog, phase=2, kind="committee", title="院委会选举产生",
                           owner="社区党委", due_on=today + dt.timedelta(days=90), standard="依法选举，结果公示7天无异议")
    for u in phase1:
        services.record_progress(by=committee, milestone=ms["committee"], unit=u,
                                 done_on=today - dt.timedelta(days=70), evidence="选举结果公告")
    services.record_progress(by=committee, milestone=ms["rights_list"], unit=unit,
                             done_on=today - dt.timedelta(days=40), evidence="院民大会决议及公示照片")
    services.record_progress(by=committee, milestone=ms["first_project"], unit=unit,
                             done_on=today - dt.timedelta(days=1), evidence="停车与分类收集点项目联合竣工验收记录")
    ext = services.request_extension(by=staff, milestone=ms["convention"], unit=unit,
                                     new_due=today + dt.timedelta(days=50), reason="部分住户长期在外，签字需延后")
    services.decide_extension(by=committee, extension=ext, approve=True, note="同意，请按月报告进度")
    if len(phase1) > 1:  # the other courtyard is late on its rights list and asks for more time
        services.request_extension(by=staff, milestone=ms["rights_list"], unit=phase1[1],
                                   new_due=today + dt.timedelta(days=20), reason="院委会补选后再提交院民大会")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def construction(staff: Actor, unit, works: Project, info, today: dt.date) -> None:
    """The works contractor as a partner unit, a published water-pressure test report, and a resident's
    concern sent to the contractor with the 24-hour clock."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    contractor = _partner(unit.community, "成都某市政建设公司")
    Contract.objects.filter(project=works, role="works").update(partner=contractor)
    services.publish_test_report(
        by=staff, project=works, title="给水管道水压试验报告", lab="四川某建设工程质量检测有限公司",
        tested_on=today - dt.timedelta(days=20), passed=True,
        report=SimpleUploadedFile("给水管道水压试验报告.pdf", PDF, content_type="application/pdf"))
    person = info["picks"].get("elderly_owner")
    user = getattr(person, "user", None) if person is not None else None
    if works.status == "works" and user is not None:
        services.raise_concern(by=Actor(user=user), project=works, text="夜间施工噪音影响休息，希望晚上十点后停工。")


def load_more(*, staff: Actor, grid: Actor, unit, projects, info) -> None:
    today = timezone.localdate()
    facilities(staff, unit, today)
    construction(staff, unit, projects[0], info, today)
    lift_campaign(staff, grid, unit)
    results(staff, projects[1])
    if info.get("subdistrict") is not None:
        rollout(staff, unit, info["subdistrict"], today)


def load_late(info, *, seed: int, stdout) -> None:
    """After funds' demo: works payments citing what they pay for, and a month of charger revenue share."""
    from courtyard.core import hooks

    from .demo import _user

    unit = info["units"].get("xuedaoyuan")
    staff_user = _user("community_staff", unit) if unit is not None else None
    if staff_user is None:
        return
    staff = Actor(user=staff_user)
    accounts = hooks.ask("funds.payment_accounts", [], user=staff_user, unit_id=unit.pk)
    works_account = next((pk for pk, name in accounts if "工程款" in name), None)
    today = timezone.localdate()
    contract = Contract.objects.filter(project__unit=unit, role="works").order_by("pk").first()
    if works_account and contract is not None:
        for kind, share in (("materials", 30), ("concealed", 20)):
            ins = Inspection.objects.filter(project=contract.project, kind=kind, signed_by__isnull=False).first()
            if ins is not None:
                services.request_works_payment(by=staff, contract=contract, pays_for="inspection", inspection=ins,
                                               amount_fen=contract.amount_fen * share // 100, account_id=works_account)
    parking = Project.objects.filter(unit=unit, status="done").order_by("pk").first()
    if works_account and parking is not None:
        c = services.record_contract(by=staff, project=parking, role="works", method="direct", party="学道苑物业服务站",
                                     number=f"XDY-TC-{today.year}-01", amount_fen=172_640_00,
                                     starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=10),
                                     retention_percent=3, warranty_months=24, reason="小额零星工程，院民大会同意直接委托",
                                     partner=_partner(unit.community, "学道苑物业服务站"))
        final = parking.acceptances.filter(stage="joint_final", passed=True).first()
        services.request_works_payment(by=staff, contract=c, pays_for="acceptance", acceptance=final,
                                       amount_fen=c.amount_fen - c.retention_fen, account_id=works_account)
    income = hooks.ask("funds.income_accounts", [], user=staff_user, unit_id=unit.pk)
    fund = next((pk for pk, name in income if "自治基金" in name), None)
    charger = Facility.objects.filter(unit=unit, kind="charger").select_related("owner_partner").first()
    if fund and charger is not None and charger.owner_partner is not None:
        a = services.add_revenue_agreement(by=staff, facility=charger, partner=charger.owner_partner,
                                           share_percent=Decimal("30"), account_id=fund,
                                           starts_on=(today - dt.timedelta(days=62)).replace(day=1),
                                           reference=f"XDY-CD-{today.year}-01")
        month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        services.post_revenue_share(by=staff, agreement=a, month=month, gross_fen=4_286_50)
    stdout.write("projects demo (late): works payments awaiting sign-off, charger revenue share posted")
