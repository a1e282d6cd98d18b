"""Expenditure requests and their sign-offs, and payments (FND-3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import audit
from courtyard.core.access import holders
from courtyard.core.audit import Actor
from courtyard.core.notify import Text, notify

from .. import rules
from ..choices import (
    Basis,
    Decision,
    Kind,
    Policy,
    ProposalState,
    RequestState,
    Step,
)
from ..models import (
    Account,
    ApprovalStep,
    ExpenditureRequest,
    GrantProposal,
    LedgerAnchor,
    LedgerEntry,
)
from ._ledger import _check, _resolution_fields, _store_files, append_entry

# --- expenditure requests and sign-offs (FND-3) -------------------------------------------------------

@transaction.atomic
def create_request(*, by: Actor, account: Account, title: str, amount_fen: int, category: str, payee_name: str,
                   payee_kind: str, partner=None, resolution=None, resolution_ref: str = "") -> ExpenditureRequest:
    from ..permissions import REQUEST_PAYMENT

    _check(by.user, REQUEST_PAYMENT, account)
    if amount_fen <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    policy = rules.policy_for(account, amount_fen)
    proposer_role = None
    if policy == Policy.FOUR_TWO:
        proposer_role = rules.signing_role(by.user, account, Step.PROPOSE)
        if proposer_role is None:
            raise ValidationError(_("Spending from this fund is proposed by the party branch (四议两公开)."))
    req = ExpenditureRequest.objects.create(
        account=account, title=title, amount_fen=amount_fen, category=category, payee_name=payee_name,
        payee_kind=payee_kind, partner=partner, policy=policy, required_steps=len(rules.POLICY_STEPS[policy]),
        required_people=rules.POLICY_PEOPLE[policy], requested_by=by.user, resolution_ref=resolution_ref,
        **_resolution_fields(resolution))
    audit.record(by, "funds.request_created", req, community_id=account.community_id,
                 changes=audit.diff(None, audit.snapshot(req)))
    if proposer_role:
        ApprovalStep.objects.create(request=req, step=Step.PROPOSE, decision=Decision.APPROVE, decided_by=by.user,
                                    role=proposer_role)
    _notify_signers(req)
    return req


def _notify_signers(req: ExpenditureRequest) -> None:
    done = set(req.steps.values_list("step", flat=True))
    users = []
    for step in rules.open_steps(req, done):
        users += [u for u in holders(rules.STEP_ROLES[step], req.account).exclude(pk=req.requested_by_id)
                  if u not in users]
    if users:
        notify(recipients=users, kind="funds.sign", title=Text(N_("A payment request waits for your sign-off")),
               body=f"{req.title} · {req.account.name}", url=req.get_console_url())


@transaction.atomic
def sign(*, by: Actor, request: ExpenditureRequest, step: str, approve: bool = True, note: str = "",
         resolution=None, resolution_ref: str = "") -> ApprovalStep:
    """Record one sign-off. Refuses: the requester, a second signature by someone who already signed
    (three-party), a signer without the step's role in scope, a step out of order, a closed request."""
    req = ExpenditureRequest.objects.select_for_update().select_related("account__community").get(pk=request.pk)
    user = by.user
    done = {s.step: s for s in req.steps.all()}
    refusal = rules.sign_refusal(user, req, step, done)  # the rule behind `funds.sign_step`
    if refusal is not None:
        raise refusal
    role = rules.signing_role(user, req.account, step)
    if step == Step.RESOLVE and resolution is None and not resolution_ref.strip():
        raise ValidationError(_("Link the assembly's resolution or vote."))
    decision = Decision.DONE if step == Step.PUBLISH_RESULT else (Decision.APPROVE if approve else Decision.REJECT)
    entry = ApprovalStep.objects.create(request=req, step=step, decision=decision, decided_by=user, role=role,
                                        note=note[:300], resolution_ref=resolution_ref[:200],
                                        **_resolution_fields(resolution))
    before = req.state
    if decision == Decision.REJECT:
        req.state = RequestState.REJECTED
    elif step == Step.PUBLISH_RESULT:
        req.state = RequestState.CLOSED
    elif not rules.open_steps(req, set(done) | {step}):
        req.state, req.approved_at = RequestState.APPROVED, timezone.now()
    if req.state != before:
        req.save(update_fields=["state", "approved_at"])
    audit.record(by, f"funds.sign_{step}", req, community_id=req.account.community_id,
                 changes={"state": [before, req.state], "decision": [None, decision]}, note=note)
    if step == Step.PUBLISH_RESULT:  # the notice shows the payment's entry: remember it as printed
        from ..anchors import record_printed_heads

        paid = req.entries.filter(kind=Kind.PAYMENT).values_list("seq", "hash").first()
        if paid:
            record_printed_heads(by=by, heads=[(req.account, *paid)], source=LedgerAnchor.Source.RESULT_NOTICE,
                                 reference=f"#{req.pk} {req.title}")
    request.state = req.state
    if req.state == RequestState.PENDING:
        transaction.on_commit(lambda: _notify_signers(req))
    elif req.state in (RequestState.APPROVED, RequestState.REJECTED):
        notify(recipients=[req.requested_by], kind="funds.request", title=Text(N_("Your payment request is %(state)s"), state=RequestState(req.state).label), body=req.title,
               url=req.get_console_url())
    return entry


@transaction.atomic
def pay(*, by: Actor, request: ExpenditureRequest, booked_on=None, receipt_no: str = "", memo: str = "",
        uploads=()) -> LedgerEntry:
    """Pay an approved request: one ledger entry, once. Locks the account then the request."""
    from ..permissions import PAY

    _check(by.user, PAY, request.account)
    Account.objects.select_for_update().filter(pk=request.account_id).first()
    req = ExpenditureRequest.objects.select_for_update().select_related("account").get(pk=request.pk)
    refusal = rules.pay_refusal(by.user, req)  # the rule behind `funds.pay`
    if refusal is not None:
        raise refusal
    if req.account.balance_fen < req.amount_fen:
        raise ValidationError(_("The account does not hold enough money for this payment."))
    entry = append_entry(
        by=by, account=req.account, kind=Kind.PAYMENT, amount_fen=-req.amount_fen, basis=Basis.EXPENDITURE,
        category=req.category, counterparty_name=req.payee_name, counterparty_kind=req.payee_kind,
        partner=req.partner, request=req, booked_on=booked_on, receipt_no=receipt_no, memo=memo or req.title,
        resolution_ref=req.resolution_ref, attachments=_store_files(by, uploads))
    req.state = RequestState.PAID
    req.save(update_fields=["state"])
    request.state = req.state
    GrantProposal.objects.filter(request=req, state=ProposalState.AWARDED).update(state=ProposalState.DISBURSED)
    audit.record(by, "funds.request_paid", req, community_id=req.account.community_id,
                 changes={"state": [RequestState.APPROVED, RequestState.PAID]})
    return entry
