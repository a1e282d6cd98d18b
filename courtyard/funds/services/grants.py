"""Micro-grants (FND-6): calls, proposals, scores, awards, final reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.org.models import Dwelling

from ..choices import (
    CRITERIA_MAX,
    CallState,
    Criterion,
    ProposalState,
    RequestState,
)
from ..models import (
    Account,
    ExpenditureRequest,
    GrantCall,
    GrantProposal,
    ProposalScore,
)
from ._ledger import _check
from .requests import create_request

# --- micro-grants (FND-6) ------------------------------------------------------------------------------

@transaction.atomic
def open_call(*, by: Actor, account: Account, title: str, budget_fen: int, closes_on) -> GrantCall:
    from ..permissions import MANAGE_GRANTS

    _check(by.user, MANAGE_GRANTS, account)
    call = GrantCall.objects.create(account=account, title=title, budget_fen=budget_fen, closes_on=closes_on)
    audit.record(by, "funds.call_opened", call, community_id=account.community_id)
    return call


def may_propose(user, call: GrantCall) -> bool:
    """Residents of the call's unit (by their home or a current dwelling link) and staff who see the account."""
    from ..permissions import VIEW_LEDGER

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
    from ..permissions import MANAGE_GRANTS

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
    from ..permissions import MANAGE_GRANTS

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
    from ..permissions import MANAGE_GRANTS

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
    from ..permissions import MANAGE_GRANTS

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
