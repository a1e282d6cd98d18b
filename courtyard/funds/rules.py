"""Who may sign which step and who may pay: composed django-rules predicates (object state + the
signer's office over the account), registered as `funds.sign_step` and `funds.pay`.

A step needs a *role* held over the account (a community grant covering the unit's community,
or a grant on the unit itself), read through the access kernel (`roles_over`), and that role
must carry the step's permission. Superusers get no shortcut here: a signature stands for a
real person in a real office. Views ask the same rules to decide what to show; services ask
them again before writing and raise PermissionDenied (or ValidationError for a state that no
longer allows the step), writing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules this module refines)
from courtyard.core.access import ROLES, in_scope, roles_over

from .choices import Policy, RequestState, Step
from .permissions import PAY, PAY_ROLES, SIGN_STEP, STEP_ROLES

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

__all__ = ["AFTER_PAYMENT", "POLICY_PEOPLE", "POLICY_STEPS", "STEP_ROLES", "SignTarget", "open_steps", "pay_refusal",
           "policy_for", "sign_refusal", "signing_role"]


def policy_for(account, amount_fen: int) -> str:
    if account.single_approver_below_fen and amount_fen < account.single_approver_below_fen:
        return Policy.SINGLE
    return account.policy


def signing_role(user, account, step: str) -> str | None:
    """The office under which `user` may sign `step` on `account`, or None (never for a superuser
    as such: only grants count)."""
    held = roles_over(user, account)
    perm = SIGN_STEP[str(step)]
    return next((r for r in STEP_ROLES[step] if r in held and perm in ROLES[r].perms), None)


def open_steps(request, done: set[str]) -> list[str]:
    """Steps still to sign before payment, in order (four-two steps are sequential)."""
    steps = POLICY_STEPS[request.policy]
    todo = [s for s in steps if s not in done]
    if request.policy == Policy.FOUR_TWO:
        return todo[:1]
    return todo


@dataclass(frozen=True)
class SignTarget:
    """The object of `funds.sign_step`: one step of one expenditure request."""

    request: object
    step: str
    done: dict | None = None  # the steps already signed, when the caller has them (saves a query)


def sign_refusal(user, req, step: str, done: dict | None = None) -> Exception | None:
    """Why `user` may not sign `step` of `req` now (an exception to raise), or None. `done` maps the
    steps already signed to their ApprovalStep (read from the database when not given)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PermissionDenied()
    if step not in STEP_ROLES:
        return ValidationError(_("This step is not open for sign-off."))
    if user.pk == req.requested_by_id:
        return ValidationError(_("Nobody can approve their own request."))
    if done is None:
        done = {s.step: s for s in req.steps.all()}
    if step == Step.PUBLISH_RESULT:
        if req.policy != Policy.FOUR_TWO or req.state != RequestState.PAID:
            return ValidationError(_("The result is published after the payment."))
    else:
        if req.state != RequestState.PENDING:
            return ValidationError(_("This request is no longer waiting for sign-off."))
        if step not in open_steps(req, set(done)):
            return ValidationError(_("This step is not open for sign-off."))
    if signing_role(user, req.account, step) is None:
        return PermissionDenied(_("You do not hold the role this step needs."))
    if req.policy == Policy.THREE_PARTY and any(s.decided_by_id == user.pk for s in done.values()):
        return ValidationError(_("The three signatures must come from three different people."))
    return None


def pay_refusal(user, req) -> Exception | None:
    """Why `user` may not pay `req` now, or None: it must be fully approved, and the payer must hold
    a paying office (community finance) over its account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PermissionDenied()
    if not _may_pay_account(user, req.account):
        return PermissionDenied(_("Only community finance pays a request."))
    if req.state != RequestState.APPROVED:
        return ValidationError(_("Only a fully approved request can be paid."))
    return None


def _may_pay_account(user, account) -> bool:
    held = roles_over(user, account)
    return in_scope(user, PAY, account) and any(r in held and PAY in ROLES[r].perms for r in PAY_ROLES)


@rules.predicate
def may_sign_step(user, target: SignTarget) -> bool:
    return isinstance(target, SignTarget) and sign_refusal(user, target.request, target.step, target.done) is None


@rules.predicate
def may_pay(user, obj=None) -> bool:
    """Without an object: the page may show payments (some grant carries the permission). With an
    account: the user holds a paying office over it. With a request: and it is fully approved."""
    if obj is None:
        return in_scope(user, PAY, None)
    if hasattr(obj, "requested_by_id"):
        return pay_refusal(user, obj) is None
    return _may_pay_account(user, obj)


rules.add_perm("funds.sign_step", may_sign_step)
rules.set_perm(PAY, may_pay)
