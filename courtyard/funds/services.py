"""Every write in the funds app. Keyword-only arguments, one transaction, one audit event each.

The ledger's integrity rests on `append_entry`: it locks the account row (SELECT … FOR UPDATE),
so appends to one account are serialised and the hash chain cannot fork; the database then
refuses UPDATE/DELETE of entries and any payment row whose request is not fully signed off.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import audit, file_access
from courtyard.core.access import holders
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.core.notify import Text, notify
from courtyard.org.models import Dwelling

from . import chain, rules
from .choices import (
    CRITERIA_MAX,
    GOVERNMENT_BASES,
    Basis,
    CallState,
    Criterion,
    Decision,
    Kind,
    Policy,
    ProposalState,
    Purpose,
    RequestState,
    StatementState,
    Step,
)
from .models import (
    Account,
    ApprovalStep,
    ExpenditureRequest,
    FeePlan,
    GrantCall,
    GrantProposal,
    LedgerAnchor,
    LedgerEntry,
    Levy,
    LevyCharge,
    MonthlyStatement,
    ProposalScore,
)
from .money import MAX_FEN, levy_parts


def _resolution_fields(resolution) -> dict:
    if resolution is None:
        return {}
    from django.contrib.contenttypes.models import ContentType

    return {"resolution_type": ContentType.objects.get_for_model(resolution), "resolution_id": str(resolution.pk)}


@transaction.atomic
def create_account(*, by: Actor, unit, purpose: str, name: str, custodian: str, policy: str,
                   single_approver_below_fen: int = 0, bank_account: str = "", opened_on=None) -> Account:
    account = Account.objects.create(
        community=unit.community, unit=unit, purpose=purpose, name=name, custodian=custodian, policy=policy,
        single_approver_below_fen=single_approver_below_fen, bank_account=bank_account,
        opened_on=opened_on or timezone.localdate())
    audit.record(by, "funds.account_created", account, community_id=unit.community_id,
                 changes=audit.diff(None, audit.snapshot(account)))
    return account


# Dates a ledger entry may be booked on: from 2000 to a year ahead (never a typo like 0202 or 9999).
EARLIEST_BOOKING = dt.date(2000, 1, 1)


def _store_files(by: Actor, uploads) -> list:
    return [store_upload(by=by, upload=u, allowed={"image", "pdf"}) for u in uploads or ()]


def append_entry(*, by: Actor, account: Account, kind: str, amount_fen: int, basis: str, counterparty_name: str,
                 counterparty_kind: str, booked_on: dt.date | None = None, category: str = "", partner=None,
                 request: ExpenditureRequest | None = None, reverses: LedgerEntry | None = None,
                 levy_charge: LevyCharge | None = None, receipt_no: str = "", memo: str = "", resolution=None,
                 resolution_ref: str = "", attachments=()) -> LedgerEntry:
    """Append one entry to `account`'s chain. Must run inside a transaction (the lock lasts until commit)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_entry must run inside transaction.atomic")
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        raise TypeError("amount_fen must be an int (fen)")
    if abs(amount_fen) > MAX_FEN:
        raise ValidationError(_("The amount is larger than any amount this ledger can hold."))
    if booked_on is not None:
        first, last = EARLIEST_BOOKING, timezone.localdate() + dt.timedelta(days=366)
        if not first <= booked_on <= last:
            raise ValidationError(_("A booking date must lie between %(first)s and %(last)s.") % {
                "first": first.isoformat(), "last": last.isoformat()})
    locked = Account.objects.select_for_update().get(pk=account.pk)
    entry = LedgerEntry(
        account=locked, seq=locked.head_seq + 1, booked_on=booked_on or timezone.localdate(), kind=kind,
        amount_fen=amount_fen, basis=basis, category=category, counterparty_kind=counterparty_kind,
        counterparty_name=counterparty_name, partner=partner, request=request, reverses=reverses,
        levy_charge=levy_charge, receipt_no=receipt_no, memo=memo, resolution_ref=resolution_ref,
        attachment_digests=",".join(a.sha256 for a in attachments), created_at=timezone.now(),
        created_by=by.user, prev_hash=locked.head_hash, chain_version=chain.VERSION, **_resolution_fields(resolution))
    entry.hash = chain.entry_hash(entry.prev_hash, entry.chain_values(), chain.VERSION)
    entry.save()
    for a in attachments:
        a.owner = entry
        a.save(update_fields=["owner_type", "owner_id"])
        if a.original_name.startswith("public-"):
            # The documented convention for a redacted copy: published (audited), so the public page lists it.
            file_access.publish(by=by, attachment=a)
    # Running totals move with the head, under the same lock (ledger_verify recomputes them).
    origin = reverses if kind == Kind.REVERSAL else entry
    counts_as_income = origin is not None and origin.kind == Kind.INCOME
    totals = {
        "balance_fen": locked.balance_fen + amount_fen,
        "income_fen": locked.income_fen + (amount_fen if counts_as_income else 0),
        "gov_income_fen": locked.gov_income_fen + (
            amount_fen if counts_as_income and origin.basis in GOVERNMENT_BASES else 0),
    }
    Account.objects.filter(pk=locked.pk).update(
        head_seq=entry.seq, head_hash=entry.hash, head_at=entry.created_at, **totals)
    account.head_seq, account.head_hash, account.head_at = entry.seq, entry.hash, entry.created_at
    for field, value in totals.items():
        setattr(account, field, value)
    audit.record(by, f"funds.entry_{kind}", entry, community_id=locked.community_id,
                 changes={"amount_fen": [None, amount_fen], "hash": [None, entry.hash]})
    return entry


def _check(user, perm: str, obj) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def record_income(*, by: Actor, account: Account, amount_fen: int, basis: str, counterparty_name: str,
                  counterparty_kind: str, booked_on=None, receipt_no: str = "", memo: str = "", partner=None,
                  resolution=None, resolution_ref: str = "", uploads=()) -> LedgerEntry:
    """Subsidy, donation, PPP share, canteen surplus, fee … money in (FND-2)."""
    from .permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, account)
    if amount_fen <= 0:
        raise ValidationError(_("An income amount must be more than zero."))
    if basis == Basis.EXPENDITURE or basis == Basis.CORRECTION:
        raise ValidationError(_("This basis is not income."))
    return append_entry(by=by, account=account, kind=Kind.INCOME, amount_fen=amount_fen, basis=basis,
                        counterparty_name=counterparty_name, counterparty_kind=counterparty_kind,
                        booked_on=booked_on, receipt_no=receipt_no, memo=memo, partner=partner,
                        resolution=resolution, resolution_ref=resolution_ref, attachments=_store_files(by, uploads))


@transaction.atomic
def reverse_entry(*, by: Actor, entry: LedgerEntry, reason: str, booked_on=None) -> LedgerEntry:
    """A correction: a new entry of the opposite amount, pointing at the one it corrects."""
    from .permissions import RECORD_INCOME

    _check(by.user, RECORD_INCOME, entry.account)
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    if entry.kind == Kind.REVERSAL:
        raise ValidationError(_("A correction cannot itself be reversed; record a new entry instead."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been corrected."))
    reversal = append_entry(
        by=by, account=entry.account, kind=Kind.REVERSAL, amount_fen=-entry.amount_fen, basis=Basis.CORRECTION,
        category=entry.category, counterparty_name=entry.counterparty_name,
        counterparty_kind=entry.counterparty_kind, reverses=entry, booked_on=booked_on,
        memo=reason.strip()[:300])
    if entry.levy_charge_id:
        LevyCharge.objects.filter(pk=entry.levy_charge_id).update(
            paid_fen=LevyCharge.objects.get(pk=entry.levy_charge_id).paid_fen - entry.amount_fen)
    return reversal


# --- expenditure requests and sign-offs (FND-3) -------------------------------------------------------

@transaction.atomic
def create_request(*, by: Actor, account: Account, title: str, amount_fen: int, category: str, payee_name: str,
                   payee_kind: str, partner=None, resolution=None, resolution_ref: str = "") -> ExpenditureRequest:
    from .permissions import REQUEST_PAYMENT

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
        from .anchors import record_printed_heads

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
    from .permissions import PAY

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


# --- levies (FND-2) -----------------------------------------------------------------------------------

@transaction.atomic
def create_levy(*, by: Actor, account: Account, name: str, rate_fen_per_m2, due_on=None,
                resolution_ref: str = "") -> Levy:
    """Charges every dwelling of the unit with a recorded area; parts add up to the total exactly."""
    from .permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    rate = Decimal(str(rate_fen_per_m2))
    if rate <= 0:
        raise ValidationError(_("The rate must be more than zero."))
    dwellings = list(Dwelling.objects.filter(unit=account.unit, area_m2__isnull=False).order_by("pk")
                     .values_list("pk", "building_id", "area_m2"))
    total, parts = levy_parts(rate, [a for _pk, _b, a in dwellings])
    levy = Levy.objects.create(account=account, name=name, rate_fen_per_m2=rate, total_fen=total, due_on=due_on,
                               resolution_ref=resolution_ref)
    LevyCharge.objects.bulk_create(
        LevyCharge(levy=levy, dwelling_id=pk, building_id=b, area_m2=a, amount_fen=part)
        for (pk, b, a), part in zip(dwellings, parts, strict=True))
    audit.record(by, "funds.levy_created", levy, community_id=account.community_id,
                 changes={"total_fen": [None, total], "dwellings": [None, len(dwellings)]})
    return levy


@transaction.atomic
def record_levy_payment(*, by: Actor, charge: LevyCharge, amount_fen: int, receipt_no: str, payer_name: str = "",
                        booked_on=None) -> LedgerEntry:
    from .permissions import RECORD_INCOME

    levy = charge.levy
    _check(by.user, RECORD_INCOME, levy.account)
    if not receipt_no.strip():
        raise ValidationError(_("A levy payment needs a receipt number."))
    locked = LevyCharge.objects.select_for_update().get(pk=charge.pk)
    if amount_fen <= 0 or locked.paid_fen + amount_fen > locked.amount_fen:
        raise ValidationError(_("The payment is more than what is owed."))
    entry = append_entry(by=by, account=levy.account, kind=Kind.INCOME, amount_fen=amount_fen, basis=Basis.LEVY,
                         counterparty_name=payer_name or str(charge.dwelling), counterparty_kind="person",
                         levy_charge=locked, receipt_no=receipt_no.strip(), booked_on=booked_on,
                         memo=levy.name, resolution_ref=levy.resolution_ref)
    LevyCharge.objects.filter(pk=locked.pk).update(paid_fen=locked.paid_fen + amount_fen)
    charge.paid_fen = locked.paid_fen + amount_fen
    return entry


# --- trust-style property management (FND-5) ------------------------------------------------------------

@transaction.atomic
def create_fee_plan(*, by: Actor, account: Account, name: str, rate_fen_per_m2_month, starts_on, settlor: str,
                    trustee: str, resolution_ref: str = "", ends_on=None) -> FeePlan:
    """信托制物业: the fee owners pay into the trust-property account, in fen per m² per month."""
    from .permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    if account.purpose != Purpose.TRUST_PROPERTY:
        raise ValidationError(_("Fee plans belong to a trust-property account."))
    rate = Decimal(str(rate_fen_per_m2_month))
    if rate <= 0 or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(_("The fee must be more than zero, in at most hundredths of a fen."))
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    if not name.strip() or not settlor.strip() or not trustee.strip():
        raise ValidationError(_("Name the plan, the settlor and the trustee."))
    plan = FeePlan.objects.create(account=account, name=name.strip(), rate_fen_per_m2_month=rate,
                                  starts_on=starts_on, ends_on=ends_on, settlor=settlor.strip(),
                                  trustee=trustee.strip(), resolution_ref=resolution_ref)
    audit.record(by, "funds.fee_plan_created", plan, community_id=account.community_id,
                 changes=audit.diff(None, audit.snapshot(plan)))
    return plan


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt


@transaction.atomic
def generate_statement(*, by: Actor, account: Account, month: dt.date) -> MonthlyStatement:
    """Freeze one month of `account` from the ledger (a draft until the committee reviews it)."""
    from .permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    first, nxt = _month_bounds(month)
    # The head first, then every figure from entries up to it: an entry appended meanwhile (READ
    # COMMITTED) cannot slip into the totals without being covered by the head the statement records.
    last = (LedgerEntry.objects.filter(account=account, booked_on__lt=nxt).order_by("-seq")
            .values_list("seq", "hash").first() or (0, chain.GENESIS))
    entries = LedgerEntry.objects.filter(account=account, seq__lte=last[0])
    opening = entries.filter(booked_on__lt=first).aggregate(s=Sum("amount_fen"))["s"] or 0
    in_month = entries.filter(booked_on__gte=first, booked_on__lt=nxt)
    income = in_month.filter(amount_fen__gt=0).aggregate(s=Sum("amount_fen"))["s"] or 0
    spending = -(in_month.filter(amount_fen__lt=0).aggregate(s=Sum("amount_fen"))["s"] or 0)
    existing = MonthlyStatement.objects.filter(account=account, month=first).first()
    if existing and existing.state != StatementState.DRAFT:
        raise ValidationError(_("This month's statement has been reviewed already."))
    values = {"opening_fen": opening, "income_fen": income, "spending_fen": spending,
              "closing_fen": opening + income - spending, "entries": in_month.count(), "head_seq": last[0],
              "head_hash": last[1], "generated_at": timezone.now()}
    st, _created = MonthlyStatement.objects.update_or_create(account=account, month=first, defaults=values)
    audit.record(by, "funds.statement_generated", st, community_id=account.community_id,
                 changes={k: [None, v] for k, v in values.items() if k.endswith("_fen")})
    return st


@transaction.atomic
def review_statement(*, by: Actor, statement: MonthlyStatement, note: str = "") -> MonthlyStatement:
    """Committee review sign-off, then publication on the unit's public page."""
    st = MonthlyStatement.objects.select_for_update().select_related("account__community").get(pk=statement.pk)
    if rules.signing_role(by.user, st.account, Step.COMMITTEE) is None:
        raise PermissionDenied(_("A committee member reviews the statement."))
    if st.state != StatementState.DRAFT:
        raise ValidationError(_("This statement has been reviewed already."))
    now = timezone.now()
    st.state, st.reviewed_by, st.reviewed_at, st.review_note, st.published_at = (
        StatementState.PUBLISHED, by.user, now, note[:300], now)
    st.save()
    audit.record(by, "funds.statement_published", st, community_id=st.account.community_id, note=note)
    # The printed head, also as an append-only row (the statement row itself is an ordinary row).
    from .anchors import record_printed_heads

    record_printed_heads(by=by, heads=[(st.account, st.head_seq, st.head_hash)], source=LedgerAnchor.Source.STATEMENT,
                         reference=f"{st.month:%Y-%m}")
    return st


# --- micro-grants (FND-6) ------------------------------------------------------------------------------

@transaction.atomic
def open_call(*, by: Actor, account: Account, title: str, budget_fen: int, closes_on) -> GrantCall:
    from .permissions import MANAGE_GRANTS

    _check(by.user, MANAGE_GRANTS, account)
    call = GrantCall.objects.create(account=account, title=title, budget_fen=budget_fen, closes_on=closes_on)
    audit.record(by, "funds.call_opened", call, community_id=account.community_id)
    return call


def may_propose(user, call: GrantCall) -> bool:
    """Residents of the call's unit (by their home or a current dwelling link) and staff who see the account."""
    from .permissions import VIEW_LEDGER

    if user is None or not user.is_authenticated:
        return False
    if user.has_perm(VIEW_LEDGER, call.account):
        return True
    return bool(resident_dwellings(user).filter(unit_id=call.account.unit_id).exists())


def resident_dwellings(user):
    """The dwellings a resident lives in or holds a current link to (their own household only)."""
    from django.db.models import Q

    person = getattr(user, "person", None)
    if person is None:
        return Dwelling.objects.none()
    today = timezone.localdate()
    current = Q(links__person=person) & (Q(links__end_date__isnull=True) | Q(links__end_date__gte=today))
    return Dwelling.objects.filter(current | Q(pk=person.home_id or 0)).distinct()


@transaction.atomic
def submit_proposal(*, by: Actor, call: GrantCall, title: str, applicant: str, requested_fen: int, category: str,
                    summary: str = "") -> GrantProposal:
    """A resident, a resident group or staff on a group's behalf proposes a micro-project (FND-6)."""
    call = GrantCall.objects.select_for_update(of=("self",)).select_related("account").get(pk=call.pk)
    if not may_propose(by.user, call):
        raise PermissionDenied(_("Only residents of this unit can propose a project for this call."))
    if call.state != CallState.OPEN or call.closes_on < timezone.localdate():
        raise ValidationError(_("This call is closed."))
    if not title.strip() or not applicant.strip():
        raise ValidationError(_("Give the project a title and name who applies."))
    if requested_fen <= 0 or requested_fen > call.budget_fen:
        raise ValidationError(_("The amount must be more than zero and within the call's budget."))
    proposal = GrantProposal.objects.create(call=call, title=title.strip(), applicant=applicant.strip(),
                                            requested_fen=requested_fen, category=category, summary=summary.strip(),
                                            submitted_by=by.user)
    audit.record(by, "funds.proposal_submitted", proposal, community_id=call.account.community_id,
                 changes={"requested_fen": [None, requested_fen]})
    return proposal


@transaction.atomic
def close_call(*, by: Actor, call: GrantCall) -> GrantCall:
    """Stop taking proposals; reviewers score what came in."""
    from .permissions import MANAGE_GRANTS

    _check(by.user, MANAGE_GRANTS, call.account)
    call = GrantCall.objects.select_for_update(of=("self",)).select_related("account").get(pk=call.pk)
    if call.state != CallState.OPEN:
        raise ValidationError(_("Only an open call can be closed for review."))
    call.state = CallState.REVIEW
    call.save(update_fields=["state"])
    audit.record(by, "funds.call_review", call, community_id=call.account.community_id,
                 changes={"state": [CallState.OPEN, CallState.REVIEW]})
    return call


@transaction.atomic
def score_proposal(*, by: Actor, proposal: GrantProposal, criteria: dict[str, int], note: str = "") -> ProposalScore:
    """One reviewer scores one proposal on every criterion (choices.CRITERIA_MAX); never their own."""
    from .permissions import MANAGE_GRANTS

    proposal = GrantProposal.objects.select_for_update(of=("self",)).select_related("call__account").get(pk=proposal.pk)
    _check(by.user, MANAGE_GRANTS, proposal.call.account)
    if proposal.submitted_by_id == by.user.pk:
        raise ValidationError(_("Nobody scores their own proposal."))
    if proposal.state != ProposalState.SUBMITTED or proposal.call.state not in (CallState.OPEN, CallState.REVIEW):
        raise ValidationError(_("This proposal is no longer under review."))
    if set(criteria) != set(CRITERIA_MAX):
        raise ValidationError(_("Score every criterion."))
    for code, points in criteria.items():
        if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= CRITERIA_MAX[code]:
            raise ValidationError(_("%(criterion)s is scored from 0 to %(max)s.")
                                  % {"criterion": Criterion(code).label, "max": CRITERIA_MAX[code]})
    if ProposalScore.objects.filter(proposal=proposal, reviewer=by.user).exists():
        raise ValidationError(_("You have scored this proposal already."))
    total = sum(criteria.values())
    s = ProposalScore.objects.create(proposal=proposal, reviewer=by.user, score=total,
                                     criteria={str(k): v for k, v in criteria.items()}, note=note[:300])
    audit.record(by, "funds.proposal_scored", proposal, community_id=proposal.call.account.community_id,
                 changes={"score": [None, total], "criteria": [None, s.criteria]})
    return s


@transaction.atomic
def award(*, by: Actor, call: GrantCall, awards: dict[int, int], award_ref: str = "",
          vote=None) -> list[ExpenditureRequest]:
    """Award proposals ({proposal id: fen}); each award becomes an expenditure request that goes
    through the account's approvals before any money moves. `vote` (optional) is the deliberation
    vote that decided the awards; it is linked on every request. All or nothing."""
    from .permissions import MANAGE_GRANTS

    _check(by.user, MANAGE_GRANTS, call.account)
    call = GrantCall.objects.select_for_update(of=("self",)).select_related("account").get(pk=call.pk)
    if call.state not in (CallState.OPEN, CallState.REVIEW):
        raise ValidationError(_("This call has been awarded already."))
    proposals = {p.pk: p for p in call.proposals.filter(state=ProposalState.SUBMITTED).prefetch_related("scores")}
    unknown = set(awards) - set(proposals)
    if unknown:
        raise ValidationError(_("An award names a proposal that is not under review in this call."))
    if any(not isinstance(v, int) or v < 0 for v in awards.values()):
        raise ValidationError(_("Award amounts are whole fen, zero or more."))
    if not any(awards.values()):
        raise ValidationError(_("Award at least one proposal."))
    if sum(awards.values()) > call.budget_fen:
        raise ValidationError(_("The awards exceed the call's budget."))
    for pk, fen in awards.items():
        if fen and fen > proposals[pk].requested_fen:
            raise ValidationError(_("“%(title)s” is awarded more than it asked for.") % {"title": proposals[pk].title})
        if fen and not proposals[pk].scores.all():
            raise ValidationError(_("Every awarded proposal must have been scored."))
    if vote is not None and not award_ref:
        award_ref = str(vote)
    out = []
    for proposal in proposals.values():
        fen = awards.get(proposal.pk, 0)
        if fen <= 0:
            proposal.state = ProposalState.DECLINED
            proposal.save(update_fields=["state"])
            continue
        req = create_request(by=by, account=call.account, title=_("Micro-grant: %s") % proposal.title,
                             amount_fen=fen, category=proposal.category, payee_name=proposal.applicant,
                             payee_kind="organisation", resolution=vote, resolution_ref=award_ref[:200])
        proposal.state, proposal.awarded_fen, proposal.award_ref, proposal.request = (
            ProposalState.AWARDED, fen, award_ref[:200], req)
        proposal.save(update_fields=["state", "awarded_fen", "award_ref", "request"])
        out.append(req)
    call.state = CallState.AWARDED
    call.save(update_fields=["state"])
    audit.record(by, "funds.call_awarded", call, community_id=call.account.community_id,
                 changes={"awards": [None, {str(k): v for k, v in awards.items()}], "vote": [None, award_ref]})
    return out


@transaction.atomic
def final_report(*, by: Actor, proposal: GrantProposal, report: str, uploads=()) -> GrantProposal:
    """The project's final report with photos or PDFs, after the money was paid (FND-6)."""
    from .permissions import MANAGE_GRANTS

    proposal = GrantProposal.objects.select_for_update(of=("self",)).select_related(
        "call__account", "request").get(pk=proposal.pk)
    user = by.user
    if user is None or (user.pk != proposal.submitted_by_id and not user.has_perm(MANAGE_GRANTS,
                                                                                   proposal.call.account)):
        raise PermissionDenied(_("The applicant or grant staff write the final report."))
    if proposal.request is None or proposal.request.state not in (RequestState.PAID, RequestState.CLOSED):
        raise ValidationError(_("The final report follows the disbursement."))
    if proposal.state == ProposalState.REPORTED:
        raise ValidationError(_("The final report has been received already."))
    if not report.strip():
        raise ValidationError(_("Write the report."))
    for upload in uploads or ():
        store_upload(by=by, upload=upload, allowed={"image", "pdf"}, owner=proposal)
    proposal.report, proposal.reported_at, proposal.state = report.strip(), timezone.now(), ProposalState.REPORTED
    proposal.save(update_fields=["report", "reported_at", "state"])
    audit.record(by, "funds.proposal_reported", proposal, community_id=proposal.call.account.community_id,
                 changes={"state": [None, ProposalState.REPORTED]})
    return proposal
