"""Micro-grants (FND-6): calls and proposals in the console, and the residents' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from
from courtyard.core.models import Attachment
from courtyard.core.permissions import require_perm

from .. import forms, selectors, services
from .. import permissions as p
from ..choices import CallState, ProposalState
from ..lists import CallList
from ..models import Account, GrantCall, GrantProposal
from ._common import _resident_unit


@require_perm(p.VIEW_LEDGER)
def calls(request):
    """The calls list (lists.CallList) with the form to open a call below it."""
    page = CallList()
    if request.user.has_perm(p.MANAGE_GRANTS):
        form = page.form = forms.CallForm(request.POST or None,
                              accounts=Account.objects.visible_to(request.user, p.MANAGE_GRANTS))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.open_call(by=Actor.from_request(request), account=d["account"], title=d["title"],
                                   budget_fen=d["budget"], closes_on=d["closes_on"])
                messages.success(request, _("Call opened."))
                return redirect("funds:calls")
            except (ValidationError, PermissionDenied) as exc:
                messages_from(request, exc)
    return page.get(request)


@require_perm(p.VIEW_LEDGER)
def call_detail(request, pk: int):
    call = get_object_or_404(GrantCall.objects.visible_to(request.user).select_related("account__unit",
                                                                                       "account__community"), pk=pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE_GRANTS, call.account)
    proposals = list(call.proposals.select_related("request", "submitted_by").prefetch_related("scores")
                     .order_by("created_at", "pk"))
    under_review = [x for x in proposals if x.state == ProposalState.SUBMITTED]
    from courtyard.deliberation.models import Vote

    votes = Vote.objects.visible_to(user).filter(unit=call.account.unit).order_by("-pk")
    propose_form = forms.ProposalForm(prefix="new")
    award_form = forms.AwardForm(proposals=under_review, votes=votes, prefix="aw")
    if request.method == "POST":
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "propose":
                propose_form = forms.ProposalForm(request.POST, prefix="new")
                if propose_form.is_valid():
                    d = propose_form.cleaned_data
                    services.submit_proposal(by=by, call=call, title=d["title"], applicant=d["applicant"],
                                             requested_fen=d["requested"], category=d["category"],
                                             summary=d["summary"])
                    messages.success(request, _("Proposal recorded."))
                    return redirect("funds:call", pk=call.pk)
            elif action == "close" and can_manage:
                services.close_call(by=by, call=call)
                messages.success(request, _("The call is closed for review."))
                return redirect("funds:call", pk=call.pk)
            elif action == "award" and can_manage:
                award_form = forms.AwardForm(request.POST, proposals=under_review, votes=votes, prefix="aw")
                if award_form.is_valid():
                    d = award_form.cleaned_data
                    reqs = services.award(by=by, call=call, awards=award_form.awards(), award_ref=d["award_ref"],
                                          vote=d["vote"])
                    messages.success(request, _("Awards made: %(n)s payment request(s) now go through the "
                                                "account's approvals.") % {"n": len(reqs)})
                    return redirect("funds:call", pk=call.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    awarded = sum(x.awarded_fen for x in proposals)
    return render(request, "funds/call_detail.html", {
        "call": call, "rows": selectors.proposal_rows(proposals), "can_manage": can_manage,
        "propose_form": propose_form if call.state == CallState.OPEN else None,
        "award_form": award_form if can_manage and under_review and call.state in (CallState.OPEN, CallState.REVIEW)
        else None,
        "awarded": awarded, "criteria": [str(c.label) for c in _criteria()],
        "breadcrumbs": [{"label": _("Micro-grants"), "url": reverse("funds:calls")}, {"label": call.title}]})


def _criteria():
    from ..choices import CRITERIA_MAX, Criterion

    return [Criterion(c) for c in CRITERIA_MAX]


def _proposal_files(proposal):
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(GrantProposal),
                                     owner_id=str(proposal.pk)).order_by("pk")


@require_perm(p.VIEW_LEDGER)
def proposal_detail(request, pk: int):
    calls = GrantCall.objects.visible_to(request.user)
    proposal = get_object_or_404(GrantProposal.objects.filter(call__in=calls).select_related(
        "call__account__community", "request", "submitted_by"), pk=pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE_GRANTS, proposal.call.account)
    scores = list(proposal.scores.select_related("reviewer").order_by("created_at", "pk"))
    can_score = (can_manage and proposal.state == ProposalState.SUBMITTED and user.pk != proposal.submitted_by_id
                 and proposal.call.state in (CallState.OPEN, CallState.REVIEW)
                 and all(s.reviewer_id != user.pk for s in scores))
    can_report = (proposal.state == ProposalState.DISBURSED
                  and (can_manage or user.pk == proposal.submitted_by_id))
    score_form = forms.ScoreForm(prefix="sc") if can_score else None
    report_form = forms.ReportForm(prefix="rp") if can_report else None
    if request.method == "POST":
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "score" and can_score:
                score_form = forms.ScoreForm(request.POST, prefix="sc")
                if score_form.is_valid():
                    services.score_proposal(by=by, proposal=proposal, criteria=score_form.criteria(),
                                            note=score_form.cleaned_data["note"])
                    messages.success(request, _("Your scores are recorded."))
                    return redirect("funds:proposal", pk=proposal.pk)
            elif request.POST.get("action") == "report" and can_report:
                report_form = forms.ReportForm(request.POST, request.FILES, prefix="rp")
                if report_form.is_valid():
                    d = report_form.cleaned_data
                    services.final_report(by=by, proposal=proposal, report=d["report"], uploads=d["files"])
                    messages.success(request, _("Final report received."))
                    return redirect("funds:proposal", pk=proposal.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    row = selectors.proposal_rows([proposal])[0]
    return render(request, "funds/proposal_detail.html", {
        "proposal": proposal, "row": row, "scores": scores, "criteria": _criteria(),
        "score_form": score_form, "report_form": report_form, "files": _proposal_files(proposal),
        "breadcrumbs": [{"label": _("Micro-grants"), "url": reverse("funds:calls")},
                        {"label": proposal.call.title, "url": reverse("funds:call", args=[proposal.call_id])},
                        {"label": proposal.title}]})


@login_required
def resident_grants(request):
    unit = _resident_unit(request.user)
    today = timezone.localdate()
    calls = (list(GrantCall.objects.filter(account__unit=unit, state=CallState.OPEN, closes_on__gte=today)
                  .select_related("account").order_by("closes_on", "pk")[:20]) if unit else [])
    mine = list(GrantProposal.objects.filter(submitted_by=request.user).select_related("call")
                .order_by("-created_at", "-pk")[:50])
    return render(request, "funds/resident_grants.html", {"unit": unit, "calls": calls, "mine": mine})


@login_required
def resident_propose(request, pk: int):
    call = get_object_or_404(GrantCall.objects.select_related("account__unit"), pk=pk)
    if not services.may_propose(request.user, call):
        raise Http404
    form = forms.ResidentProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            proposal = services.submit_proposal(
                by=Actor.from_request(request), call=call, title=d["title"], applicant=d["applicant"],
                requested_fen=d["requested"], category=d["category"], summary=d["summary"])
        except (ValidationError, PermissionDenied) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
        else:
            messages.success(request, _("Thank you: your proposal is submitted for review."))
            return redirect("funds:resident_proposal", pk=proposal.pk)
    return render(request, "funds/resident_propose.html", {"call": call, "form": form})


@login_required
def resident_proposal(request, pk: int):
    proposal = get_object_or_404(GrantProposal.objects.select_related("call", "request"), pk=pk,
                                 submitted_by=request.user)
    form = None
    if proposal.state == ProposalState.DISBURSED:
        form = forms.ReportForm(request.POST or None, request.FILES or None)
        for field in form.fields.values():
            field.widget.attrs.pop("class", None)
        if request.method == "POST" and form.is_valid():
            try:
                services.final_report(by=Actor.from_request(request), proposal=proposal,
                                      report=form.cleaned_data["report"], uploads=form.cleaned_data["files"])
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, m)
            else:
                messages.success(request, _("Final report received."))
                return redirect("funds:resident_proposal", pk=proposal.pk)
    return render(request, "funds/resident_proposal.html", {"proposal": proposal, "form": form})
