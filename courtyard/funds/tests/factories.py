"""Funds test helpers on top of the org `tree` fixture."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from courtyard.core.audit import Actor
from courtyard.org.tests import factories as org

from .. import services
from ..choices import Basis, Policy, Purpose


def actor(user) -> Actor:
    return Actor(user=user)


def signers(tree) -> dict:
    """Users holding the roles the sign-off steps need, in the tree's unit 学道苑."""
    return {
        "staff": org.make_user("community_staff", tree.community_a, display_name="社工"),
        "finance": org.make_user("finance_officer", tree.community_a, display_name="财务"),
        "supervisor": org.make_user("works_supervisor", tree.unit, display_name="监理"),
        "committee": org.make_user("committee_member", tree.unit, display_name="院委会委员"),
        "committee2": org.make_user("committee_member", tree.unit, display_name="院委会委员二"),
        "secretary": org.make_user("party_secretary", tree.community_a, display_name="书记"),
        "representative": org.make_user("representative", tree.unit, display_name="议事代表"),
        "outsider": org.make_user("finance_officer", tree.community_b, display_name="外社区财务"),
    }


def account(tree, people, *, purpose=Purpose.WORKS, policy=Policy.THREE_PARTY, name="共管账户", below=0,
            funded=1_000_000_00):
    acc = services.create_account(by=actor(people["staff"]), unit=tree.unit, purpose=purpose, name=name,
                                  custodian="社区财务室", policy=policy, single_approver_below_fen=below)
    if funded:
        services.record_income(by=actor(people["finance"]), account=acc, amount_fen=funded, basis=Basis.SUBSIDY,
                               counterparty_name="锦江区住建局", counterparty_kind="government",
                               receipt_no="SUB-1")
    return acc


def three_party_approved(tree, people, acc, amount=120_000_00):
    req = services.create_request(by=actor(people["staff"]), account=acc, title="雨污分流一期", amount_fen=amount,
                                  category="works", payee_name="成都某建筑公司", payee_kind="organisation")
    for step, who in (("supervisor", "supervisor"), ("finance", "finance"), ("committee", "committee")):
        services.sign(by=actor(people[who]), request=req, step=step)
    req.refresh_from_db()
    return req


def api_rows(tree) -> SimpleNamespace:
    """One row of every funds API list (for the API fuzz test in courtyard/web/tests): a household fee
    plan on the unit's self-governance account and its bills for one month."""
    staff = org.make_user("community_staff", tree.community_a, display_name="社工")
    acc = account(tree, {"staff": staff}, name="自治基金", purpose=Purpose.SELF_GOVERNANCE, policy=Policy.SINGLE,
                  funded=0)
    plan = services.create_household_fee(
        by=actor(staff), account=acc, kind="cleaning", name="保洁费", basis="household", rate_fen=1000,
        period="monthly", uses="公共区域保洁、垃圾清运", starts_on=dt.date(2020, 1, 1), resolution_ref="2024年院落公约")
    services.issue_bills(by=actor(staff), plan=plan, day=dt.date(2026, 3, 15))
    return SimpleNamespace(staff=staff, account=acc, plan=plan)
