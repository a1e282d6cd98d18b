"""FND-3: the approvals matrix, self-approval, distinct people, and the database backstop."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from courtyard.funds import services
from courtyard.funds.choices import Policy, Purpose, RequestState
from courtyard.funds.models import ApprovalStep, ExpenditureRequest, LedgerEntry

from .factories import account, actor, signers, three_party_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return signers(tree)


def _request(acc, people, amount=50_000_00, who="staff"):
    return services.create_request(by=actor(people[who]), account=acc, title="消防通道整治", amount_fen=amount,
                                   category="safety", payee_name="成都某消防公司", payee_kind="organisation")


def test_three_party_then_payment(tree, people):
    acc = account(tree, people)
    req = three_party_approved(tree, people, acc)
    assert req.state == RequestState.APPROVED
    entry = services.pay(by=actor(people["finance"]), request=req, receipt_no="FP-001")
    assert entry.amount_fen == -req.amount_fen and entry.request == req
    req.refresh_from_db()
    assert req.state == RequestState.PAID
    with pytest.raises(ValidationError):
        services.pay(by=actor(people["finance"]), request=req)


@pytest.mark.parametrize(("step", "who", "ok"), [
    ("supervisor", "supervisor", True), ("supervisor", "finance", False), ("supervisor", "committee", False),
    ("finance", "finance", True), ("finance", "supervisor", False), ("finance", "outsider", False),
    ("committee", "committee", True), ("committee", "representative", False), ("committee", "secretary", False),
])
def test_matrix_three_party(tree, people, step, who, ok):
    req = _request(account(tree, people), people)
    if ok:
        services.sign(by=actor(people[who]), request=req, step=step)
        assert ApprovalStep.objects.filter(request=req, step=step).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.sign(by=actor(people[who]), request=req, step=step)


def test_nobody_approves_their_own_request(tree, people):
    acc = account(tree, people)
    req = _request(acc, people, who="finance")
    with pytest.raises(ValidationError, match="own request"):
        services.sign(by=actor(people["finance"]), request=req, step="finance")


def test_three_signatures_need_three_people(tree, people):
    """One person holding two of the roles cannot sign twice."""
    from courtyard.org.tests.factories import grant_role

    acc = account(tree, people)
    grant_role(people["supervisor"], "committee_member", tree.unit)
    req = _request(acc, people)
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor")
    with pytest.raises(ValidationError, match="three different people"):
        services.sign(by=actor(people["supervisor"]), request=req, step="committee")


def test_no_payment_before_all_signatures(tree, people):
    acc = account(tree, people)
    req = _request(acc, people)
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor")
    services.sign(by=actor(people["finance"]), request=req, step="finance")
    with pytest.raises(ValidationError, match="fully approved"):
        services.pay(by=actor(people["finance"]), request=req)


def test_rejection_stops_the_request(tree, people):
    req = _request(account(tree, people), people)
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor", approve=False, note="图纸不符")
    req.refresh_from_db()
    assert req.state == RequestState.REJECTED
    with pytest.raises(ValidationError):
        services.sign(by=actor(people["finance"]), request=req, step="finance")


def test_single_approver_below_the_limit(tree, people):
    acc = account(tree, people, below=1_000_00)
    small = _request(acc, people, amount=999_99)
    big = _request(acc, people, amount=1_000_00)
    assert small.policy == Policy.SINGLE and big.policy == Policy.THREE_PARTY
    services.sign(by=actor(people["committee"]), request=small, step="approve")
    small.refresh_from_db()
    assert small.state == RequestState.APPROVED
    services.pay(by=actor(people["finance"]), request=small)


def test_four_two_for_the_self_governance_fund(tree, people):
    acc = account(tree, people, purpose=Purpose.SELF_GOVERNANCE, policy=Policy.FOUR_TWO, name="自治基金")
    with pytest.raises(ValidationError, match="party branch"):
        _request(acc, people, who="staff")
    req = _request(acc, people, who="secretary")
    assert list(req.steps.values_list("step", flat=True)) == ["propose"]
    with pytest.raises(ValidationError, match="not open"):  # out of order
        services.sign(by=actor(people["representative"]), request=req, step="review")
    services.sign(by=actor(people["committee"]), request=req, step="discuss")
    services.sign(by=actor(people["representative"]), request=req, step="review")
    with pytest.raises(ValidationError, match="resolution or vote"):
        services.sign(by=actor(people["committee2"]), request=req, step="resolve")
    services.sign(by=actor(people["committee2"]), request=req, step="resolve", resolution_ref="居民议事会决议 2026-07")
    with pytest.raises(ValidationError, match="fully approved"):
        services.pay(by=actor(people["finance"]), request=req)
    services.sign(by=actor(people["staff"]), request=req, step="publish_decision")
    req.refresh_from_db()
    assert req.state == RequestState.APPROVED
    services.pay(by=actor(people["finance"]), request=req)
    services.sign(by=actor(people["staff"]), request=req, step="publish_result")
    req.refresh_from_db()
    assert req.state == RequestState.CLOSED


def test_resolve_step_links_a_vote_generically(tree, people):
    """The link is a GenericForeignKey: any model (deliberation.Vote later) can be the resolution."""
    acc = account(tree, people, purpose=Purpose.SELF_GOVERNANCE, policy=Policy.FOUR_TWO, name="自治基金")
    req = _request(acc, people, who="secretary")
    services.sign(by=actor(people["committee"]), request=req, step="discuss")
    services.sign(by=actor(people["representative"]), request=req, step="review")
    step = services.sign(by=actor(people["committee2"]), request=req, step="resolve", resolution=tree.committee)
    assert step.resolution == tree.committee


def _insert_payment(req):
    acc = req.account
    acc.refresh_from_db()
    LedgerEntry(account=acc, seq=acc.head_seq + 1, booked_on=timezone.localdate(), kind="payment",
                amount_fen=-req.amount_fen, basis="expenditure", category="safety", counterparty_kind="organisation",
                counterparty_name="x", request=req, prev_hash=acc.head_hash, hash="f" * 64).save()


def test_database_refuses_payment_for_unapproved_request(tree, people):
    """Bypass the service: the trigger still refuses the row."""
    req = _request(account(tree, people), people)
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor")
    with pytest.raises(DatabaseError, match="not fully approved"), transaction.atomic():
        _insert_payment(req)


def test_database_refuses_payment_when_state_is_forged(tree, people):
    """Even with the state column set to 'approved' by hand, missing signatures are refused."""
    req = _request(account(tree, people), people)
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor")
    ExpenditureRequest.objects.filter(pk=req.pk).update(state="approved")
    with pytest.raises(DatabaseError, match="not fully approved"), transaction.atomic():
        _insert_payment(req)


def test_database_refuses_a_second_payment(tree, people):
    acc = account(tree, people)
    req = three_party_approved(tree, people, acc)
    services.pay(by=actor(people["finance"]), request=req)
    ExpenditureRequest.objects.filter(pk=req.pk).update(state="approved")  # forged back
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _insert_payment(req)


def test_database_refuses_self_approval(tree, people):
    req = _request(account(tree, people), people)
    with pytest.raises(DatabaseError, match="own request"), transaction.atomic():
        ApprovalStep.objects.create(request=req, step="supervisor", decision="approve",
                                    decided_by=people["staff"], role="works_supervisor")


def test_payment_needs_the_money(tree, people):
    acc = account(tree, people, funded=100_00)
    req = three_party_approved(tree, people, acc, amount=200_00)
    with pytest.raises(ValidationError, match="enough money"):
        services.pay(by=actor(people["finance"]), request=req)


def test_only_finance_pays(tree, people):
    req = three_party_approved(tree, people, account(tree, people))
    with pytest.raises(PermissionDenied):
        services.pay(by=actor(people["committee"]), request=req)
