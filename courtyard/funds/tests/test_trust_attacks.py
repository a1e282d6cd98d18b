"""Issue 8's attacks on the money path, through the services and the console (items 2 and 9).

The money path is request → three distinct signers → payment. An insider (the community party
secretary, community staff) tries every combination of the offices that sign or pay, plus
platform administrator, granted to themselves; every grant is refused, the insider can then
neither sign a step nor pay, and no money leaves the account.
"""

from __future__ import annotations

import itertools

import pytest
import rules as django_rules
from django.core.exceptions import PermissionDenied, ValidationError

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.funds import rules, services
from courtyard.funds.choices import RequestState, Step
from courtyard.funds.models import ApprovalStep, LedgerEntry
from courtyard.org import services as org_services
from courtyard.org.models import RoleGrant
from courtyard.org.tests import factories as org

from .factories import account, actor, signers, three_party_approved

pytestmark = pytest.mark.django_db

OFFICES = ("works_supervisor", "finance_officer", "committee_member", "platform_admin")
COMBOS = [c for n in range(1, len(OFFICES) + 1) for c in itertools.combinations(OFFICES, n)]


@pytest.fixture
def people(tree):
    return signers(tree)


def _scope(tree, role):
    return {"works_supervisor": tree.unit, "committee_member": tree.unit, "finance_officer": tree.community_a,
            "platform_admin": tree.district}[role]


def _try_grant(by, user, role, scope):
    kw = {"unit": scope} if scope.__class__.__name__ == "SelfGovernanceUnit" else {"place": scope}
    org_services.grant_role(by=Actor(user=by), user=user, role=role, **kw)


@pytest.mark.parametrize("attacker", ["secretary", "staff"])
@pytest.mark.parametrize("combo", COMBOS, ids=["+".join(c) for c in COMBOS])
def test_self_granted_offices_never_move_money(tree, people, attacker, combo):
    insider = people[attacker]
    acc = account(tree, people)
    grants_before = RoleGrant.objects.count()
    for role in combo:
        for scope in {_scope(tree, role), tree.community_a}:
            with pytest.raises((PermissionDenied, ValidationError)):
                _try_grant(insider, insider, role, scope)
    assert RoleGrant.objects.count() == grants_before
    assert not AuditEvent.objects.filter(action="org.role.grant", actor=insider).exists()

    # The insider asks for money and tries to sign every step and pay: all refused.
    req = services.create_request(by=actor(insider), account=acc, title="假工程", amount_fen=300_000_00,
                                  category="works", payee_name="亲戚的公司", payee_kind="organisation")
    for step in (Step.SUPERVISOR, Step.FINANCE, Step.COMMITTEE):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.sign(by=actor(insider), request=req, step=step)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.pay(by=actor(insider), request=req)
    assert not ApprovalStep.objects.filter(request=req).exists()
    assert not LedgerEntry.objects.filter(request=req).exists()


@pytest.mark.parametrize("combo", COMBOS, ids=["+".join(c) for c in COMBOS])
def test_an_insider_cannot_make_an_accomplice_a_signer(tree, people, combo):
    """Granting the offices to a second person (an accomplice) is refused too: the roles carry
    permissions (signing a step, paying) the secretary does not hold."""
    accomplice = org.make_user(display_name="同伙")
    for role in combo:
        with pytest.raises(PermissionDenied):
            _try_grant(people["secretary"], accomplice, role, _scope(tree, role))
    assert not RoleGrant.objects.filter(user=accomplice).exists()


def test_the_honest_path_still_pays(tree, people):
    acc = account(tree, people)
    req = three_party_approved(tree, people, acc)
    signers_ = set(ApprovalStep.objects.filter(request=req).values_list("decided_by", flat=True))
    assert len(signers_) == 3
    services.pay(by=actor(people["finance"]), request=req)
    assert LedgerEntry.objects.filter(request=req, amount_fen=-req.amount_fen).count() == 1


# ---------------------------------------------------------------- mutations that must be caught (item 9)
def test_a_superuser_has_no_signing_or_paying_shortcut(tree, people):
    su = org.make_superuser()
    acc = account(tree, people)
    req = services.create_request(by=actor(people["staff"]), account=acc, title="雨污分流", amount_fen=10_000_00,
                                  category="works", payee_name="某公司", payee_kind="organisation")
    for step in (Step.SUPERVISOR, Step.FINANCE, Step.COMMITTEE):
        assert rules.signing_role(su, acc, step) is None
        assert not django_rules.has_perm("funds.sign_step", su, rules.SignTarget(req, step))
        with pytest.raises(PermissionDenied):
            services.sign(by=actor(su), request=req, step=step)
    approved = three_party_approved(tree, people, acc, amount=1_000_00)
    assert not django_rules.has_perm("funds.pay", su, approved)
    with pytest.raises(PermissionDenied):
        services.pay(by=actor(su), request=approved)
    assert approved.state == RequestState.APPROVED


def test_a_committee_member_cannot_sign_the_finance_step(tree, people, login):
    acc = account(tree, people)
    req = services.create_request(by=actor(people["staff"]), account=acc, title="屋面防水", amount_fen=20_000_00,
                                  category="works", payee_name="某公司", payee_kind="organisation")
    member = people["committee"]
    assert rules.signing_role(member, acc, Step.FINANCE) is None
    assert not django_rules.has_perm("funds.sign_step", member, rules.SignTarget(req, Step.FINANCE))
    assert django_rules.has_perm("funds.sign_step", member, rules.SignTarget(req, Step.COMMITTEE))
    with pytest.raises(PermissionDenied):
        services.sign(by=actor(member), request=req, step=Step.FINANCE)
    # nor through the console: the step is not offered and a forged POST is refused
    page = login(member).post(req.get_console_url(), {"action": "sign", "step": Step.FINANCE, "decision": "approve"})
    assert page.status_code in (200, 400, 403)
    assert not ApprovalStep.objects.filter(request=req, step=Step.FINANCE).exists()
    # the committee step is theirs
    services.sign(by=actor(member), request=req, step=Step.COMMITTEE)


def test_unit_less_account_is_not_signed_from_another_community(tree, people):
    """A finance officer of community B holds no office over A's accounts (kernel scope, not role name)."""
    acc = account(tree, people)
    assert rules.signing_role(people["outsider"], acc, Step.FINANCE) is None
