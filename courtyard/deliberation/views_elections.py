"""Committee elections (ORG-9): the console pages (list, new, the election with its nominations, list
and ballot steps), the residents' page (nominate myself, consent, the ballot link, the result) and the
unit's public result section. Thin: forms parse, services decide."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, form_page, messages_from, save, service_form
from courtyard.core.permissions import require_perm

from . import choices as c
from . import election_forms as ef
from . import permissions as p
from . import rules as dl_rules
from . import services
from .election_models import Election, Nomination

ELECTIONS = "/console/deliberation/elections/"


class ElectionList(ListPage):
    title = gettext_lazy("Elections")
    permission = p.VIEW_VOTE
    template = "deliberation/console_elections.html"
    ordering = ("-created_at", "-id")
    columns = [
        Column("title", gettext_lazy("Title"), link=lambda e: e.get_console_url()),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("seats", gettext_lazy("Seats")),
        Column("status", gettext_lazy("Status")),
        Column("nominations_close", gettext_lazy("Nominations close"),
               value=lambda e: timezone.localtime(e.nominations_close).strftime("%Y-%m-%d %H:%M")),
        Column("term", gettext_lazy("Term"),
               value=lambda e: f"{e.term_start} – {e.term_end}" if e.term_start else "—"),
    ]

    def get_queryset(self, user):
        return Election.objects.visible_to(user, p.VIEW_VOTE).select_related("unit")

    def extra_context(self, request):
        return {"can_create": request.user.has_perm(p.MANAGE_VOTE)}


@require_perm(p.MANAGE_VOTE)
def election_new(request):
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ef.ElectionForm(request.POST or None, user=request.user,
                           initial={"nominations_close": now + timedelta(days=14)})
    return service_form(
        request, form, title=_("New election"), back_url=ELECTIONS,
        write=lambda d: services.create_election(by=Actor.from_request(request), **form.service_fields()),
        success=_("The election was created; nominations are open."), next=lambda e: e.get_console_url(),
        intro=_("A contested election of the unit's committee: residents nominate, nominees consent, the list is "
                "checked for diversity, then every household or adult votes for up to as many candidates as there "
                "are seats."))


def _election(request, pk: int) -> Election:
    return get_object_or_404(Election.objects.visible_to(request.user, p.VIEW_VOTE)
                             .select_related("unit", "vote", "body"), pk=pk)


@require_perm(p.VIEW_VOTE)
def console_election(request, pk: int):
    election = _election(request, pk)
    can_manage = dl_rules.allowed(request.user, p.MANAGE_VOTE, election)
    can_key = dl_rules.allowed(request.user, p.KEY_BALLOTS, election)
    if request.method == "POST":
        action, actor = request.POST.get("action"), Actor.from_request(request)
        try:
            if action in ("consent", "decline"):
                nomination = get_object_or_404(Nomination, election=election, pk=request.POST.get("nomination") or 0)
                services.answer_nomination(by=actor, nomination=nomination, accept=action == "consent")
                messages.success(request, _("The nominee's answer was recorded."))
            else:
                raise Http404
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect(election.get_console_url())
    nominations = list(Nomination.objects.filter(election=election)
                       .select_related("nominee", "party_org").order_by("created_at", "id"))
    return render(request, "deliberation/console_election.html", {
        "election": election, "nominations": nominations, "div": {"diversity": services.diversity(election)},
        "can_manage": can_manage, "can_key": can_key, "now": timezone.now(),
        "candidates": [n for n in nominations if n.status == c.NominationStatus.CONSENTED],
        "list_form": ef.ListForm(), "ballot_form": _ballot_form(),
        "outcome_text": services.outcome_text(election) if election.status == c.ElectionStatus.DECIDED else "",
        "breadcrumbs": [{"label": _("Elections"), "url": ELECTIONS}, {"label": election.title}],
    })


def _ballot_form(data=None):
    now = timezone.localtime().replace(second=0, microsecond=0)
    return ef.BallotForm(data, initial={"opens_at": now, "closes_at": now + timedelta(days=7)})


def _manage(request, pk: int) -> Election:
    election = _election(request, pk)
    if not dl_rules.allowed(request.user, p.MANAGE_VOTE, election):
        raise PermissionDenied
    return election


@require_perm(p.MANAGE_VOTE)
def nomination_new(request, pk: int):
    election = _manage(request, pk)
    form = ef.NominationForm(request.POST or None, election=election)
    return service_form(
        request, form, title=_("Record a nomination"), back_url=election.get_console_url(),
        crumbs=[{"label": _("Elections"), "url": ELECTIONS}, {"label": election.title,
                                                              "url": election.get_console_url()}],
        write=lambda d: services.nominate(by=Actor.from_request(request), election=election, **d),
        success=_("The nomination was recorded; the nominee is asked to consent."),
        next=election.get_console_url(),
        intro=_("Key in a joint nomination from its signed form, or the party group's nomination. Residents "
                "nominate themselves on their phone. Nobody stands without their consent."))


@require_perm(p.MANAGE_VOTE)
def election_list(request, pk: int):
    election = _manage(request, pk)
    form = ef.ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and save(form, lambda: services.confirm_list(
            by=Actor.from_request(request), election=election, reason=form.cleaned_data["reason"])):
        messages.success(request, _("The candidate list is confirmed."))
        return redirect(election.get_console_url())
    return form_page(request, form, title=_("Confirm the candidate list"), back_url=election.get_console_url(),
                     submit=_("Confirm the list"), aside={"template": "deliberation/partials/diversity.html",
                                                         "diversity": services.diversity(election)},
                     intro=_("Every nominee who consented stands; nobody else. A contested election needs more "
                             "candidates than seats."))


@require_perm(p.MANAGE_VOTE)
def election_ballot(request, pk: int):
    election = _manage(request, pk)
    form = _ballot_form(request.POST or None)
    return service_form(
        request, form, title=_("Open the ballot"), back_url=election.get_console_url(),
        write=lambda d: services.start_ballot(by=Actor.from_request(request), election=election, **d),
        success=_("The ballot is open; voters were notified."), next=lambda e: e.vote.get_console_url(),
        intro=_("Paper and assisted ballots are keyed on the vote's page, as for any vote."))


# ---------------------------------------------------------------- residents
def _mine(request) -> list[Election]:
    person = request.user.person
    if person is None or person.unit_id is None:
        return []
    return list(Election.objects.filter(unit_id=person.unit_id).exclude(status=c.ElectionStatus.CANCELLED)
                .select_related("unit", "vote").order_by("-created_at")[:20])


@login_required
def elections(request):
    return render(request, "deliberation/elections.html", {"elections": _mine(request)})


@login_required
def election(request, pk: int):
    person = request.user.person
    election = get_object_or_404(Election.objects.select_related("unit", "vote"), pk=pk)
    if person is None or person.unit_id != election.unit_id or election.status == c.ElectionStatus.CANCELLED:
        raise Http404
    mine = Nomination.objects.filter(election=election, nominee=person).first()
    form = ef.SelfNominationForm(request.POST or None)
    if request.method == "POST":
        actor = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action in ("consent", "decline") and mine is not None:
                services.answer_nomination(by=actor, nomination=mine, accept=action == "consent")
                messages.success(request, _("Thank you; your answer was recorded."))
            elif action == "self" and form.is_valid():
                services.nominate(by=actor, election=election, nominee=person, kind=c.NominationKind.SELF,
                                  **form.cleaned_data)
                messages.success(request, _("You are nominated. Your name will be on the list once it is "
                                            "confirmed."))
            else:
                raise ValidationError(_("Choose an occupation."))
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
        return redirect(election.get_absolute_url())
    candidates = list(services.candidates(election)) if election.status != c.ElectionStatus.NOMINATING else []
    return render(request, "deliberation/election.html", {
        "election": election, "mine": mine, "form": form, "candidates": candidates,
        "can_nominate": election.status == c.ElectionStatus.NOMINATING and mine is None
        and timezone.now() < election.nominations_close,
        "outcome_text": services.outcome_text(election) if election.status == c.ElectionStatus.DECIDED else "",
    })
