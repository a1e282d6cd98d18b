"""Checks run on the loaded demo by courtyard/org/tests/test_demo_data.py: the demo reproduces the seeds: 学道苑's survey figures (seed 000 §2.3), consent at 98 % (seed 000
abstract) and 五福苑's funnel 288 → 192 → 13 (seed 002)."""

from __future__ import annotations

from courtyard.core.models import AuditEvent
from courtyard.org.models import SelfGovernanceUnit
from courtyard.projects import selectors
from courtyard.projects.models import ConsentCampaign, Facility, Handover, Inspection, Opinion, PlanVersion, Survey


def check_demo_reproduces_the_seed_figures():
    """Called by org's demo test after its one load of the small demo (seed 1): loading is the slow part."""
    xdy = SelfGovernanceUnit.objects.get(slug="xuedaoyuan")
    wufu = SelfGovernanceUnit.objects.get(slug="wufuyuan")

    f = selectors.funnel(wufu)
    assert (f.suggestions, f.consensus, f.projects) == (288, 192, 13)
    assert f.merged == 288

    needs = Survey.objects.get(unit=xdy, title="学道苑老旧院落改造居民需求问卷")
    total, results = selectors.survey_results(needs, "age_band")
    assert total == 65
    urgency, leisure = results[0], results[1]
    assert [o.percent for o in urgency.options][3:] == ["13.8", "78.5"] and urgency.top2.percent == "92.3"
    assert leisure.options[0].percent == "84.6"
    old = next(g for g in leisure.groups if g["label"] == "65 and over")
    assert old["answered"] == 44 and old["cells"][0] == "93.2"
    assert AuditEvent.objects.filter(action="projects.survey.answer", on_behalf_of__isnull=False).count() == 65 + 25

    interviews = Survey.objects.get(unit=xdy, title="学道苑议事协商与文化需求深度访谈")
    _n, res = selectors.survey_results(interviews)
    assert res[0].options[0].percent == "76.0" and res[1].options[0].percent == "48.0"

    s = selectors.consent_summary(ConsentCampaign.objects.get(unit=xdy, title="学道苑综合改造居民意愿征询"))
    assert (s["rates"].yes, s["rates"].households, s["by_households"]) == (136, 139, "98")
    assert s["meets"]

    approved = PlanVersion.objects.get(project__unit=xdy, state="approved")
    assert set(Opinion.objects.filter(plan=approved).values_list("disposition", flat=True)) == {
        "adopted", "partly", "not_adopted"}
    assert PlanVersion.objects.filter(project__unit=xdy, state="published").exists()

    assert Inspection.objects.filter(project__unit=xdy, signed_by__isnull=False).count() == 4
    handover = Handover.objects.get(project__unit=xdy)
    assert handover.project.status == "done" and not handover.project.snags.filter(closed_on__isnull=True).exists()
    assert list(handover.project.acceptances.values_list("stage", flat=True)) == ["self_check", "supervisor",
                                                                                  "joint_final"]
    assert Facility.objects.filter(unit=xdy).count() == 5
    s = selectors.structure_summary(xdy)
    assert s["total"] == s["removed"] == s["self_removed"] == 4 and s["removed_percent"] == "100"
    contracts = {c.role: c for c in xdy_contracts(xdy).exclude(number__startswith="XDY-TC")}
    assert contracts["works"].method == "quotation" and len(contracts["works"].quotes) == 3
    assert contracts["works"].amount_fen == min(q["amount_fen"] for q in contracts["works"].quotes)

    # Issue 10 items 3, 5, 8–10 (demo_more.py).
    from courtyard.deliberation.models import Vote
    from courtyard.projects.models import Evaluation, ExtensionRequest, PreventiveOrder, RevenuePosting, WorksPayment
    from courtyard.servicedesk.models import Request

    orders = PreventiveOrder.objects.filter(facility__unit=xdy)
    assert orders.count() == 2
    assert set(Request.objects.filter(pk__in=orders.values("request_id")).values_list("state", flat=True)) == {
        "dispatched"}
    lift = ConsentCampaign.objects.get(unit=xdy, title="东南里7号1栋加装电梯意愿征询")
    assert Vote.objects.get(pk=lift.vote_id).rule == "art278_major"
    assert Evaluation.objects.get(project__unit=xdy).published_at is not None
    assert WorksPayment.objects.filter(contract__project__unit=xdy).count() == 3
    parking_contract = xdy_contracts(xdy).get(number__startswith="XDY-TC")
    from courtyard.projects import services

    money = services.contract_money(parking_contract)
    assert money.requested_fen == money.limit_fen == parking_contract.amount_fen - parking_contract.retention_fen
    assert RevenuePosting.objects.get(agreement__facility__unit=xdy).share_fen == 1_285_95  # 30 % of 4,286.50
    assert set(ExtensionRequest.objects.values_list("state", flat=True)) == {"approved", "pending"}


def xdy_contracts(unit):
    from courtyard.projects.models import Contract

    return Contract.objects.filter(project__unit=unit)
