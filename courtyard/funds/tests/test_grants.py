"""Micro-grants (FND-6): proposals by residents or groups, scored review per criterion with exact
averages, awards (optionally by vote) that become payment requests, disbursement through the
account's approvals, the final report with attachments; and fee plans (FND-5)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courtyard.core.models import Attachment
from courtyard.funds import selectors, services
from courtyard.funds.choices import Policy, Purpose
from courtyard.funds.models import ExpenditureRequest, GrantProposal, ProposalScore
from courtyard.org.tests import factories as org

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FULL = {"need": 30, "feasibility": 25, "participation": 25, "value": 20}


@pytest.fixture
def grants(tree):
    people = signers(tree)
    people["resident"] = org.make_user(person=org.person(tree.community_a, "李桂兰", home=tree.dwelling1),
                                       display_name="李桂兰")
    acc = account(tree, people, purpose=Purpose.MICRO_FUND, policy=Policy.SINGLE, name="微基金", funded=50_000_00)
    call = services.open_call(by=actor(people["staff"]), account=acc, title="2026 微创投", budget_fen=20_000_00,
                              closes_on=dt.date(2099, 1, 1))
    return tree, people, acc, call


def _propose(people, call, who="resident", fen=5_000_00, title="楼道书角"):
    return services.submit_proposal(by=actor(people[who]), call=call, title=title, applicant="读书会",
                                    requested_fen=fen, category="culture")


def test_resident_of_the_unit_proposes_outsider_cannot(grants, tree):
    _tree, people, _acc, call = grants
    assert _propose(people, call).submitted_by == people["resident"]
    stranger = org.make_user(person=org.person(tree.community_a, "张三", home=tree.dwelling_g1))  # not in the unit
    with pytest.raises(PermissionDenied):
        _propose({"x": stranger}, call, who="x")


def test_scores_per_criterion_exact_average_and_never_own(grants):
    _tree, people, _acc, call = grants
    p = _propose(people, call, who="committee2")
    with pytest.raises(ValidationError):
        services.score_proposal(by=actor(people["committee2"]), proposal=p, criteria=FULL)
    with pytest.raises(ValidationError):  # a criterion over its maximum
        services.score_proposal(by=actor(people["committee"]), proposal=p, criteria=FULL | {"value": 21})
    with pytest.raises(ValidationError):  # a criterion missing
        services.score_proposal(by=actor(people["committee"]), proposal=p, criteria={"need": 10})
    services.score_proposal(by=actor(people["committee"]), proposal=p,
                            criteria={"need": 30, "feasibility": 25, "participation": 25, "value": 20})
    services.score_proposal(by=actor(people["staff"]), proposal=p,
                            criteria={"need": 20, "feasibility": 20, "participation": 20, "value": 20})
    services.score_proposal(by=actor(people["secretary"]), proposal=p,
                            criteria={"need": 10, "feasibility": 10, "participation": 10, "value": 10})
    with pytest.raises(ValidationError):
        services.score_proposal(by=actor(people["staff"]), proposal=p, criteria=FULL)
    (row,) = selectors.proposal_rows(GrantProposal.objects.filter(pk=p.pk).prefetch_related("scores"))
    assert row["avg"] == Fraction(100 + 80 + 40, 3) and row["avg_text"] == "73.33"
    assert row["criteria"][0][1] == "20.00" and row["criteria"][3][1] == "16.67"
    assert ProposalScore.objects.get(proposal=p, reviewer=people["committee"]).score == 100


def test_ranking_compares_exact_values():
    class P:
        def __init__(self, pk, scores):
            self.pk, self.created_at = pk, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            self._s = [type("S", (), {"score": s, "criteria": {}}) for s in scores]
            self.scores = self

        def all(self):
            return self._s

    rows = selectors.proposal_rows([P(1, [66, 67, 67]), P(2, [67, 67, 66, 67]), P(3, [])])
    # 200/3 = 66.666… < 267/4 = 66.75; both round to 66.67 / 66.75; unscored last
    assert [r["p"].pk for r in rows] == [2, 1, 3]


def test_award_is_all_or_nothing(grants):
    _tree, people, _acc, call = grants
    a = _propose(people, call)
    b = _propose(people, call, title="花池认养", fen=8_000_00)
    services.score_proposal(by=actor(people["committee"]), proposal=a, criteria=FULL)
    for bad in ({a.pk: 6_000_00},  # more than asked for
                {a.pk: 5_000_00, b.pk: 1_00},  # b was never scored
                {a.pk: 0},  # nothing awarded
                {a.pk: 5_000_00, 999999: 1}):  # not a proposal of this call
        with pytest.raises(ValidationError):
            services.award(by=actor(people["staff"]), call=call, awards=bad)
    assert not ExpenditureRequest.objects.exists()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == b.state == "submitted"


def test_cycle_award_by_vote_disburse_report(grants, tree):
    from courtyard.deliberation.models import Vote

    _tree, people, acc, call = grants
    a = _propose(people, call)
    b = _propose(people, call, title="花池认养", fen=8_000_00)
    services.score_proposal(by=actor(people["committee"]), proposal=a, criteria=FULL)
    services.close_call(by=actor(people["staff"]), call=call)
    with pytest.raises(ValidationError):
        _propose(people, call, title="迟到的提案")
    vote = Vote.objects.create(unit=tree.unit, community=tree.community_a, title="微创投立项表决",
                               opens_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                               closes_at=dt.datetime(2026, 11, 8, tzinfo=dt.UTC))
    (req,) = services.award(by=actor(people["staff"]), call=call, awards={a.pk: 4_500_00}, vote=vote)
    assert req.resolution == vote and req.resolution_ref == str(vote) and req.amount_fen == 4_500_00
    b.refresh_from_db()
    assert b.state == "declined"
    with pytest.raises(ValidationError):  # report before the money moved
        services.final_report(by=actor(people["resident"]), proposal=a, report="完成")
    services.sign(by=actor(people["committee"]), request=req, step="approve")
    services.pay(by=actor(people["finance"]), request=req, receipt_no="FP-1")
    a.refresh_from_db()
    assert a.state == "disbursed"
    with pytest.raises(PermissionDenied):
        services.final_report(by=actor(people["representative"]), proposal=a, report="x")
    with pytest.raises(ValidationError):
        services.final_report(by=actor(people["resident"]), proposal=a, report="  ")
    services.final_report(by=actor(people["resident"]), proposal=a, report="书角已建成，借阅 120 人次",
                          uploads=[SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")])
    a.refresh_from_db()
    assert a.state == "reported"
    assert Attachment.objects.filter(owner_id=str(a.pk), original_name="report.pdf").exists()


def test_console_pages_and_errors(grants, tree):
    _tree, people, _acc, call = grants
    a = _propose(people, call)
    c = Client()
    c.force_login(people["committee"])
    url = reverse("funds:proposal", args=[a.pk])
    r = c.post(url, {"action": "score", "sc-c_need": "31", "sc-c_feasibility": "1", "sc-c_participation": "1",
                     "sc-c_value": "1"})
    assert r.status_code == 200 and not ProposalScore.objects.exists()
    assert "Ensure this value is less than or equal to 30" in r.content.decode()
    r = c.post(url, {"action": "score", "sc-c_need": "30", "sc-c_feasibility": "25", "sc-c_participation": "20",
                     "sc-c_value": "10"})
    assert r.status_code == 302 and ProposalScore.objects.get().score == 85
    c.force_login(people["staff"])
    call_url = reverse("funds:call", args=[call.pk])
    html = c.get(call_url).content.decode()
    assert "85.00" in html and "楼道书角" in html
    r = c.post(call_url, {"action": "award", f"aw-p_{a.pk}": "99999", "aw-award_ref": ""}, follow=True)
    assert "within the call" in r.content.decode() or "exceed" in r.content.decode()
    assert not ExpenditureRequest.objects.exists()
    r = c.post(call_url, {"action": "award", f"aw-p_{a.pk}": "5000", "aw-award_ref": "院委会 2026-11"})
    assert r.status_code == 302 and ExpenditureRequest.objects.get().amount_fen == 5_000_00


def test_resident_proposal_form(grants):
    _tree, people, _acc, call = grants
    c = Client()
    c.force_login(people["resident"])
    assert call.title in c.get(reverse("funds:resident_grants")).content.decode()
    url = reverse("funds:resident_propose", args=[call.pk])
    r = c.post(url, {"title": "楼道书角", "applicant": "读书会", "requested": "50000", "category": "culture"})
    assert r.status_code == 200 and "budget" in r.content.decode()  # over the call's budget, translated error
    assert not GrantProposal.objects.exists()
    r = c.post(url, {"title": "楼道书角", "applicant": "读书会", "requested": "3000.50", "category": "culture",
                     "summary": "三个单元"})
    p = GrantProposal.objects.get()
    assert r.status_code == 302 and p.requested_fen == 3_000_50 and p.submitted_by == people["resident"]
    assert "楼道书角" in c.get(reverse("funds:resident_proposal", args=[p.pk])).content.decode()
    other = org.make_user()
    c.force_login(other)
    assert c.get(reverse("funds:resident_proposal", args=[p.pk])).status_code == 404
    assert c.get(url).status_code == 404


def test_fee_plan_console_form(tree):
    people = signers(tree)
    trust = account(tree, people, purpose=Purpose.TRUST_PROPERTY, policy=Policy.SINGLE, name="信托物业账户", funded=0)
    works = account(tree, people, name="共管账户2", funded=0)
    c = Client()
    c.force_login(people["staff"])
    url = reverse("funds:fee_plan_create", args=[trust.pk])
    data = {"fp-name": "信托物业费", "fp-rate": "0.80", "fp-starts_on": "2026-12-01", "fp-ends_on": "2026-01-01",
            "fp-settlor": "学道苑全体业主", "fp-trustee": "成都某物业服务公司"}
    c.post(url, data)
    assert not trust.fee_plans.exists()  # end before start
    c.post(url, data | {"fp-ends_on": ""})
    plan = trust.fee_plans.get()
    assert plan.rate_fen_per_m2_month == 80 and plan.trustee == "成都某物业服务公司"
    assert "信托物业费" in c.get(trust.get_console_url()).content.decode()
    c.post(reverse("funds:fee_plan_create", args=[works.pk]), data | {"fp-ends_on": ""})
    assert not works.fee_plans.exists()  # not a trust-property account
    with pytest.raises(ValidationError):
        services.create_fee_plan(by=actor(people["staff"]), account=trust, name="x", rate_fen_per_m2_month="0.001",
                                 starts_on=dt.date(2026, 1, 1), settlor="a", trustee="b")
