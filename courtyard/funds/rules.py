"""Who may sign which step, as pure checks over the signer's current grants.

A step needs a *role* held in the account's scope (a community grant covering the unit's
community, or a grant on the unit itself). Superusers get no shortcut here: a signature
stands for a real person in a real office.
"""

from __future__ import annotations

from courtyard.core.access import current_grants

from .choices import Policy, Step

# The steps that must be complete before the database accepts a payment, in order.
POLICY_STEPS = {
    Policy.THREE_PARTY: (Step.SUPERVISOR, Step.FINANCE, Step.COMMITTEE),
    Policy.FOUR_TWO: (Step.PROPOSE, Step.DISCUSS, Step.REVIEW, Step.RESOLVE, Step.PUBLISH_DECISION),
    Policy.SINGLE: (Step.APPROVE,),
}
# How many distinct people must have signed those steps (the database checks it too).
POLICY_PEOPLE = {Policy.THREE_PARTY: 3, Policy.FOUR_TWO: 2, Policy.SINGLE: 1}
# Four-two's last step comes after the payment.
AFTER_PAYMENT = {Policy.FOUR_TWO: (Step.PUBLISH_RESULT,)}

STEP_ROLES = {
    Step.SUPERVISOR: ("works_supervisor",),
    Step.FINANCE: ("finance_officer",),
    Step.COMMITTEE: ("committee_member",),
    Step.PROPOSE: ("party_secretary", "party_member"),
    Step.DISCUSS: ("committee_member",),
    Step.REVIEW: ("representative",),
    Step.RESOLVE: ("committee_member", "community_staff"),
    Step.PUBLISH_DECISION: ("community_staff", "committee_member"),
    Step.PUBLISH_RESULT: ("community_staff", "committee_member"),
    Step.APPROVE: ("finance_officer", "committee_member"),
}


def roles_in_scope(user, account) -> set[str]:
    """The role codes `user` holds today whose scope covers `account`."""
    path = account.community.path
    out = set()
    for g in current_grants(user):
        if (g.unit_id is None and path.startswith(g.path)) or g.unit_id == account.unit_id:
            out.add(g.role)
    return out


def policy_for(account, amount_fen: int) -> str:
    if account.single_approver_below_fen and amount_fen < account.single_approver_below_fen:
        return Policy.SINGLE
    return account.policy


def signing_role(user, account, step: str) -> str | None:
    """The role under which `user` may sign `step` on `account`, or None."""
    held = roles_in_scope(user, account)
    return next((r for r in STEP_ROLES[step] if r in held), None)


def open_steps(request, done: set[str]) -> list[str]:
    """Steps still to sign before payment, in order (four-two steps are sequential)."""
    steps = POLICY_STEPS[request.policy]
    todo = [s for s in steps if s not in done]
    if request.policy == Policy.FOUR_TWO:
        return todo[:1]
    return todo
