"""Works payments through funds' three-party sign-off within the contract amount minus the retention
(issue 10 item 5); results with the published evaluation (item 9); the owners' vote hand-over (item 3);
the rollout programme with extensions approved by the subdistrict party working committee (item 10)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courtyard.deliberation.models import Vote
from courtyard.funds import services as funds_services
from courtyard.funds.models import ApprovalStep, ExpenditureRequest
from courtyard.org.tests import factories as org
from courtyard.projects import services
from courtyard.projects.choices import Criterion, Party
from courtyard.projects.models import Contract, WorksPayment

from .factories import actor, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(tree):
    who = people(tree)
    who.rep = org.make_user("representative", tree.unit, display_name="居民代表")
    who.supervisor = org.make_user("works_supervisor", tree.unit, display_name="监理")
    who.contractor = org.make_user("contractor", tree.unit, display_name="施工方")
    who.project = services.create_project(by=actor(who.staff), unit=tree.unit, title="排水", category="basic",
                                          owner="街道", budget_fen=200_000_00)
    today = timezone.localdate()
    who.contract = services.record_contract(
        by=actor(who.staff), project=who.project, role="works", method="direct", reason="应急抢修", party="施工公司",
        number="SG-01", amount_fen=100_000_00, starts_on=today - dt.timedelta(days=30), ends_on=today,
        retention_percent=3, warranty_months=24)
    who.inspection = services.record_inspection(by=actor(who.supervisor), project=who.project, kind="materials",
                                                findings="材料合格")
    services.sign_inspection(by=actor(who.rep), inspection=who.inspection)
    who.account = funds_services.create_account(by=actor(who.staff), unit=tree.unit, purpose="works",
                                                name="工程款共管账户", custodian="社区财务室", policy="three_party")
    return who


def _pay(w, amount, **kw):
    args = {"pays_for": "inspection", "inspection": w.inspection, "account_id": w.account.pk}
    args.update(kw)
    return services.request_works_payment(by=actor(w.staff), contract=w.contract, amount_fen=amount, **args)


def _final(w, held_on=None):
    by = actor(w.staff)
    services.record_acceptance(by=actor(w.contractor), project=w.project, stage="self_check", passed=True)
    services.record_acceptance(by=actor(w.supervisor), project=w.project, stage="supervisor", passed=True)
    return services.record_acceptance(by=by, project=w.project, stage="joint_final", passed=True,
                                      parties=list(Party.values), criteria=dict.fromkeys(Criterion.values, True),
                                      held_on=held_on)


def test_payment_goes_to_the_three_party_sign_off_citing_what_it_pays_for(w):
    pay = _pay(w, 30_000_00)
    req = ExpenditureRequest.objects.get(pk=pay.funds_request_id)
    assert req.state == "pending" and req.policy == "three_party" and req.category == "works"
    assert "SG-01" in req.title and req.amount_fen == 30_000_00 and req.payee_name == "施工公司"
    assert not ApprovalStep.objects.filter(request=req).exists()  # nothing signed on the projects side
    unsigned = services.record_inspection(by=actor(w.supervisor), project=w.project, kind="biweekly", findings="正常")
    with pytest.raises(ValidationError) as err:
        _pay(w, 1_00, inspection=unsigned)
    assert "inspection" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.request_works_payment(by=actor(w.grid), contract=w.contract, pays_for="inspection",
                                       inspection=w.inspection, amount_fen=1_00, account_id=w.account.pk)


def test_retention_withheld_until_final_acceptance_and_warranty(w):
    _pay(w, 60_000_00)
    with pytest.raises(ValidationError) as err:
        _pay(w, 37_000_01)  # 97,000.00 is the limit before the retention is released
    assert "3,000.00" in err.value.message_dict["amount_fen"][0] and "37,000.00" in err.value.message_dict[
        "amount_fen"][0]
    _pay(w, 37_000_00)
    money = services.contract_money(Contract.objects.get(pk=w.contract.pk))
    assert (money.limit_fen, money.requested_fen, money.paid_fen, money.available_fen) == (
        97_000_00, 97_000_00, 0, 0)
    final = _final(w)
    with pytest.raises(ValidationError):  # joint final passed, warranty still running
        _pay(w, 1_00, pays_for="acceptance", inspection=None, acceptance=final)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2 * 366), tick=False):
        pay = _pay(w, 3_000_00, pays_for="acceptance", inspection=None, acceptance=final)
        assert pay.acceptance_id == final.pk
        with pytest.raises(ValidationError):
            _pay(w, 1, pays_for="acceptance", inspection=None, acceptance=final)


def test_a_rejected_request_frees_its_amount_and_paid_counts_to_date(w, client):
    pay = _pay(w, 97_000_00)
    ExpenditureRequest.objects.filter(pk=pay.funds_request_id).update(state="rejected")
    _pay(w, 50_000_00)
    second = WorksPayment.objects.order_by("-pk").first()
    ExpenditureRequest.objects.filter(pk=second.funds_request_id).update(state="paid")
    money = services.contract_money(w.contract)
    assert (money.requested_fen, money.paid_fen) == (50_000_00, 50_000_00)
    client.force_login(w.staff)
    page = client.get(reverse("projects:contract", args=[w.contract.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "50,000.00" in text and "3,000.00" in text
    bad = client.post(reverse("projects:contract", args=[w.contract.pk]),
                      {"pays_for": "inspection", "inspection": w.inspection.pk, "amount_fen": "47000.01",
                       "account_id": w.account.pk})
    assert bad.status_code == 400 and WorksPayment.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_never_pass_the_limit(w):
    errors, done = [], []

    def go():
        try:
            done.append(_pay(w, 60_000_00))
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(errors) == 1
    assert sum(p.amount_fen for p in WorksPayment.objects.all()) == 60_000_00


def test_contract_page_bounded_queries(w, client, django_assert_max_num_queries):
    client.force_login(w.staff)
    url = reverse("projects:contract", args=[w.contract.pk])
    client.get(url)
    for _n in range(3):
        _pay(w, 1_000_00)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200


# ---------------------------------------------------------------- results board (item 9)
def test_results_published_on_the_public_page_without_personal_data(w, tree, client):
    with pytest.raises(ValidationError):
        services.record_evaluation(by=actor(w.staff), project=w.project, goals_set=5, goals_met=4, surveyed=10,
                                   satisfied=9, spent_fen=1, summary="x")
    _final(w)
    services.set_result(by=actor(w.staff), project=w.project, kind="space_use", before=Decimal(50), after=Decimal(70))
    services.set_result(by=actor(w.staff), project=w.project, kind="hazards", before=Decimal(6), after=Decimal(0))
    with pytest.raises(ValidationError):
        services.record_evaluation(by=actor(w.staff), project=w.project, goals_set=5, goals_met=6, surveyed=10,
                                   satisfied=9, spent_fen=1, summary="x")
    ev = services.record_evaluation(by=actor(w.staff), project=w.project, goals_set=5, goals_met=4, surveyed=120,
                                    satisfied=113, spent_fen=172_640_00, summary="划定停车位42个",
                                    residents_said="王阿姨 13812345678 说：终于有地方停车了")
    assert "13812345678" not in ev.residents_said
    public = client.get(f"/u/{tree.unit.slug}/").content.decode()
    assert "划定停车位42个" not in public  # not published yet
    services.publish_evaluation(by=actor(w.staff), evaluation=ev)
    public = client.get(f"/u/{tree.unit.slug}/").content.decode()
    assert "划定停车位42个" in public and "94.2" in public and "80.0" in public and "86.3" in public
    assert "+40.0" in public and "-100.0" in public and "13812345678" not in public
    with pytest.raises(ValidationError):
        services.record_evaluation(by=actor(w.staff), project=w.project, goals_set=5, goals_met=5, surveyed=1,
                                   satisfied=1, spent_fen=1, summary="改")


# ---------------------------------------------------------------- owners' vote hand-over (item 3)
def test_lift_campaign_handed_over_to_a_draft_owners_vote(w, tree):
    c = services.create_campaign(by=actor(w.staff), unit=tree.unit, title="1栋加装电梯", target_percent=90)
    services.record_consent(by=actor(w.grid), campaign=c, dwelling=tree.dwelling1, answer="yes", channel="door")
    with pytest.raises(ValidationError):
        services.hand_over_to_vote(by=actor(w.staff), campaign=c, matter="")
    with pytest.raises(PermissionDenied):
        services.hand_over_to_vote(by=actor(w.grid), campaign=c, matter="lift")
    c = services.hand_over_to_vote(by=actor(w.staff), campaign=c, matter="lift")
    vote = Vote.objects.get(pk=c.vote_id)
    assert (vote.status, vote.rule, vote.electorate, vote.unit_id) == ("draft", "art278_major", "owners", tree.unit.pk)
    assert "1栋加装电梯" in vote.title and c.vote_url == vote.get_console_url()
    with pytest.raises(ValidationError):
        services.hand_over_to_vote(by=actor(w.staff), campaign=c, matter="lift")


# ---------------------------------------------------------------- rollout programme (item 10)
def test_rollout_board_and_extension_approved_by_the_party_working_committee(w, tree, client,
                                                                             django_assert_max_num_queries):
    officer = org.make_user("subdistrict_officer", tree.subdistrict, display_name="街道干部")
    committee = org.make_user("subdistrict_party_committee", tree.subdistrict, display_name="街道党工委")
    today = timezone.localdate()
    prog = services.create_programme(by=actor(officer), subdistrict=tree.subdistrict, title="挂图作战")
    services.add_programme_unit(by=actor(officer), programme=prog, unit=tree.unit, phase=1)
    m = services.add_milestone(by=actor(officer), programme=prog, phase=1, kind="convention", title="院落公约",
                               owner="院委会", due_on=today - dt.timedelta(days=1), standard="三分之二签字")
    with pytest.raises(PermissionDenied):
        services.create_programme(by=actor(w.staff), subdistrict=tree.subdistrict, title="x")
    ext = services.request_extension(by=actor(w.staff), milestone=m, unit=tree.unit,
                                     new_due=today + dt.timedelta(days=30), reason="住户在外")
    for who in (w.staff, officer):
        with pytest.raises(PermissionDenied):
            services.decide_extension(by=actor(who), extension=ext, approve=True)
    with pytest.raises(ValidationError):
        services.decide_extension(by=actor(committee), extension=ext, approve=False)  # refusing needs a note
    services.decide_extension(by=actor(committee), extension=ext, approve=True)
    client.force_login(officer)
    url = reverse("projects:programme", args=[prog.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["phases"][0]["rows"][0]["cells"][0]["state"] == "extended"
    services.record_progress(by=actor(w.staff), milestone=m, unit=tree.unit, done_on=today, evidence="签字表")
    for n in range(3):
        services.add_milestone(by=actor(officer), programme=prog, phase=1, kind="other", title=f"M{n}", owner="院委会",
                               due_on=today, standard="x")
        with django_assert_max_num_queries(30):
            page = client.get(url)
    assert page.context["phases"][0]["rows"][0]["cells"][0]["state"] == "done"


def test_results_page_bounded_queries(w, client, django_assert_max_num_queries):
    client.force_login(w.staff)
    url = reverse("projects:results", args=[w.project.pk])
    client.get(url)
    for kind in ("hazards", "green", "space_use"):
        services.set_result(by=actor(w.staff), project=w.project, kind=kind, before=Decimal(1), after=Decimal(2))
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_public_page_with_results_and_reports_is_bounded(w, tree, client, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/u/{tree.unit.slug}/"
    _final(w)
    client.get(url)

    def grow(n):
        project = services.create_project(by=actor(w.staff), unit=tree.unit, title=f"项目{n}", category="basic",
                                          owner="街道")
        services.publish_test_report(by=actor(w.staff), project=project, title=f"检测{n}", lab="检测公司",
                                     tested_on=timezone.localdate(), passed=True,
                                     report=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n",
                                                               content_type="application/pdf"))
        services.set_result(by=actor(w.staff), project=w.project, kind=["hazards", "green", "space_use"][n],
                            before=Decimal(1), after=Decimal(2))

    grow(0)
    ev = services.record_evaluation(by=actor(w.staff), project=w.project, goals_set=1, goals_met=1, surveyed=1,
                                    satisfied=1, spent_fen=1, summary="做了")
    services.publish_evaluation(by=actor(w.staff), evaluation=ev)
    cache.clear()  # cold renders: the public page's blocks are cached (ADR 0025)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(first.captured_queries) <= 30
    for n in (1, 2):
        grow(n)
    cache.clear()
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
