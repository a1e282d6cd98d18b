"""Demo funds for 学道苑: six accounts, a city subsidy, a 5 yuan/m² levy mostly collected, a charger
PPP revenue share, canteen surplus, works payments with all three sign-offs, a 四议两公开 spend, one
request still waiting for the committee, a reviewed trust-property statement and a micro-grant call."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org.models import PartnerUnit, RoleGrant

from . import services
from .choices import Policy, Purpose
from .fee_demo import load_fees


def _user(role: str, unit):
    grant = (RoleGrant.objects.filter(role=role)
             .filter(Q(unit=unit) | Q(unit__isnull=True, path=unit.community.path))
             .select_related("user").order_by("pk").first())
    return grant.user if grant else None


@transaction.atomic
def load_demo(info, *, seed: int, stdout) -> None:
    unit = info["units"].get("xuedaoyuan")
    if unit is None:
        return
    rnd = random.Random(seed)
    who = {r: _user(r, unit) for r in ("community_staff", "finance_officer", "works_supervisor", "committee_member",
                                       "party_secretary", "representative")}
    if any(u is None for u in who.values()):
        stdout.write("funds demo: missing demo logins, skipped")
        return
    staff, fin, sup, com, sec, rep = (Actor(user=who[r]) for r in (
        "community_staff", "finance_officer", "works_supervisor", "committee_member", "party_secretary",
        "representative"))
    mk = services.create_account
    renovation = mk(by=staff, unit=unit, purpose=Purpose.RENOVATION, name="学道苑改造专项账户",
                    custodian="书院街街道财政所（专户）", policy=Policy.THREE_PARTY, opened_on=dt.date(2026, 3, 1))
    works = mk(by=staff, unit=unit, purpose=Purpose.WORKS, name="学道苑工程款共管账户",
               custodian="社区财务室与院委会共管", policy=Policy.THREE_PARTY, single_approver_below_fen=2_000_00,
               opened_on=dt.date(2026, 3, 1))
    fund = mk(by=staff, unit=unit, purpose=Purpose.SELF_GOVERNANCE, name="学道苑院落自治基金",
              custodian="学道苑院委会（社区代管）", policy=Policy.FOUR_TWO, opened_on=dt.date(2026, 4, 1))
    micro = mk(by=staff, unit=unit, purpose=Purpose.MICRO_FUND, name="社区微基金（学道苑）",
               custodian="社区财务室", policy=Policy.SINGLE, opened_on=dt.date(2026, 4, 1))
    trust = mk(by=staff, unit=unit, purpose=Purpose.TRUST_PROPERTY, name="学道苑信托物业账户",
               custodian="信托物业服务专户", policy=Policy.SINGLE, opened_on=dt.date(2026, 5, 1))
    trustee = PartnerUnit.objects.filter(community=unit.community, kind="trust_institution").order_by("pk").first()
    if trustee is not None:  # ORG-8: the trust institution's login sees this account and its ledger
        services.set_trustee(by=staff, account=trust, trustee=trustee)
    mk(by=staff, unit=unit, purpose=Purpose.MAINTENANCE, name="学道苑维修资金", custodian="社区财务室",
       policy=Policy.THREE_PARTY, opened_on=dt.date(2026, 6, 1))
    partner = PartnerUnit.objects.filter(community=unit.community).order_by("pk").first()
    inc = services.record_income
    inc(by=fin, account=renovation, amount_fen=1_200_000_00, basis="subsidy", counterparty_name="成都市住房和城乡建设局",
        counterparty_kind="government", booked_on=dt.date(2026, 4, 8), receipt_no="CZ-2026-0418",
        memo="老旧院落改造市级补助")
    inc(by=fin, account=works, amount_fen=680_000_00, basis="subsidy", counterparty_name="锦江区财政局",
        counterparty_kind="government", booked_on=dt.date(2026, 5, 12), receipt_no="CZ-2026-0522",
        memo="区级配套资金（工程款）")
    levy = services.create_levy(by=fin, account=renovation, name="改造居民自筹 5元/㎡（一次性）", rate_fen_per_m2=500,
                                due_on=dt.date(2026, 9, 30), resolution_ref="学道苑居民大会决议（2026-04）")
    n = 0
    for charge in levy.charges.select_related("dwelling").order_by("pk"):
        if rnd.random() < 0.86:
            n += 1
            services.record_levy_payment(by=fin, charge=charge, amount_fen=charge.amount_fen,
                                         receipt_no=f"GJ-2026-{n:04d}",
                                         booked_on=dt.date(2026, 5, 1) + dt.timedelta(days=rnd.randrange(120)))
    for month in range(6, 12):
        inc(by=fin, account=fund, amount_fen=rnd.randrange(1_500_00, 2_600_00), basis="ppp",
            counterparty_name="成都某新能源充电运营公司", counterparty_kind="organisation",
            booked_on=dt.date(2026, month, 5), receipt_no=f"PPP-2026-{month:02d}", memo="充电桩收益分成（院落 30%）")
        inc(by=fin, account=micro, amount_fen=rnd.randrange(600_00, 1_200_00), basis="canteen",
            counterparty_name="学道街长者食堂", counterparty_kind="organisation",
            booked_on=dt.date(2026, month, 10), receipt_no=f"ST-2026-{month:02d}", memo="食堂结余反哺微基金")
    if partner is not None:
        inc(by=fin, account=micro, amount_fen=5_000_00, basis="donation", counterparty_name=partner.name,
            counterparty_kind="organisation", partner=partner, booked_on=dt.date(2026, 7, 1), receipt_no="JZ-0701")
    for month in range(6, 12):
        inc(by=fin, account=trust, amount_fen=rnd.randrange(14_000_00, 16_000_00), basis="fee",
            counterparty_name="学道苑业主（物业费合计）", counterparty_kind="residents",
            booked_on=dt.date(2026, month, 28), receipt_no=f"WY-2026-{month:02d}")
    services.create_fee_plan(by=staff, account=trust, name="信托物业费 0.8元/㎡·月", rate_fen_per_m2_month=80,
                             starts_on=dt.date(2026, 6, 1), settlor="学道苑全体业主（委托人）",
                             trustee="成都某物业服务企业（受托人）", resolution_ref="业主大会决议（2026-05）")

    def three_party(account, title, fen, category, payee, day, receipt):
        req = services.create_request(by=staff, account=account, title=title, amount_fen=fen, category=category,
                                      payee_name=payee, payee_kind="organisation")
        for step, actor in (("supervisor", sup), ("finance", fin), ("committee", com)):
            services.sign(by=actor, request=req, step=step)
        services.pay(by=fin, request=req, booked_on=day, receipt_no=receipt)

    three_party(works, "雨污分流及管网改造（第一期进度款）", 236_400_00, "works", "成都某市政建设有限公司",
                dt.date(2026, 7, 20), "FP-44510")
    three_party(works, "消防通道拓宽与消防设施更新", 128_750_00, "safety", "四川某消防工程有限公司",
                dt.date(2026, 8, 26), "FP-45102")
    three_party(renovation, "院落绿化与花池改造", 86_320_00, "environment", "成都某园林绿化有限公司",
                dt.date(2026, 9, 18), "FP-46233")
    three_party(renovation, "文化墙与院落记忆展陈", 31_600_00, "culture", "成都某文化传播有限公司",
                dt.date(2026, 10, 15), "FP-47019")
    small = services.create_request(by=staff, account=works, title="院委会办公用品", amount_fen=1_280_00,
                                    category="office", payee_name="学道街文具店", payee_kind="organisation")
    services.sign(by=com, request=small, step="approve")
    services.pay(by=fin, request=small, booked_on=dt.date(2026, 10, 20), receipt_no="FP-47120")
    pending = services.create_request(by=staff, account=works, title="楼道照明改造（声控灯）", amount_fen=18_600_00,
                                      category="safety", payee_name="成都某电气工程有限公司", payee_kind="organisation")
    services.sign(by=sup, request=pending, step="supervisor")
    services.sign(by=fin, request=pending, step="finance")
    # 四议两公开 on the self-governance fund.
    req = services.create_request(by=sec, account=fund, title="坝坝会桌椅与遮阳棚", amount_fen=6_800_00,
                                  category="culture", payee_name="成都某家具有限公司", payee_kind="organisation",
                                  resolution_ref="学道苑居民议事会 2026年第3次")
    services.sign(by=com, request=req, step="discuss", note="院委会会议讨论通过")
    services.sign(by=rep, request=req, step="review", note="议事代表审议")
    services.sign(by=staff, request=req, step="resolve", resolution_ref="居民大会表决（2026-10-12）")
    services.sign(by=com, request=req, step="publish_decision", note="决议公示 7 天")
    services.pay(by=fin, request=req, booked_on=dt.date(2026, 10, 30), receipt_no="FP-47388")
    services.sign(by=staff, request=req, step="publish_result", note="实施结果公示")
    statement = services.generate_statement(by=fin, account=trust, month=dt.date(2026, 10, 1))
    services.review_statement(by=com, statement=statement, note="院委会审核无异议")
    # The call stays open two months from the day the demo is loaded (a fixed date closes it one day).
    closes_on = timezone.localdate() + dt.timedelta(days=60)
    call = services.open_call(by=staff, account=micro, title=f"{closes_on.year} 年学道苑微创投", budget_fen=10_000_00,
                              closes_on=closes_on)
    services.submit_proposal(by=rep, call=call, title="楼道图书角", applicant="学道苑读书会", requested_fen=3_000_00,
                             category="culture", summary="在 3 个单元设置共享书架")
    stdout.write(load_fees(unit=unit, fund=fund, staff=staff, fin=fin, rnd=rnd))
    stdout.write(f"funds demo: 6 accounts, levy on {levy.charges.count()} dwellings ({n} paid), "
                 f"{sum(a.head_seq for a in (renovation, works, fund, micro, trust))} ledger entries")
