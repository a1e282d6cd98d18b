"""Honours on the console (rounds, nominations from the activity records, review sign-offs or a vote) and
the resident's own honours with the switch that lets their name appear on the unit's public page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core import hooks
from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, service_form
from courtyard.core.permissions import require_perm

from .. import forms, selectors, services
from ..choices import HonourMethod, HonourState
from ..models import HonourNomination, HonourRound
from ..permissions import MANAGE_HONOURS, VIEW


class HonourList(ListPage):
    title = gettext_lazy("Honours")
    permission = VIEW
    export_name = "honours"
    ordering = ("-year", "unit_id", "kind", "pk")
    template = "participation/console/honours.html"
    columns = [
        Column("year", gettext_lazy("Year"), numeric=True),
        Column("kind", gettext_lazy("Honour"), link=lambda r: reverse("participation:honour", args=[r.pk])),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("seats", gettext_lazy("How many are honoured"), numeric=True),
        Column("method", gettext_lazy("Decided by")),
        Column("state", gettext_lazy("Status")),
    ]

    def get_queryset(self, user):
        return HonourRound.objects.visible_to(user).select_related("unit")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_HONOURS)}


@require_perm(MANAGE_HONOURS)
def honour_new(request):
    units = selectors.units_for(request.user, MANAGE_HONOURS)
    form = forms.HonourRoundForm(request.POST or None, units=units,
                                 initial={"year": timezone.localdate().year - 1})
    return service_form(request, form, title=_("New honour round"), back_url=reverse("participation:honours"),
                        write=lambda d: services.create_round(by=Actor.from_request(request), **d),
                        success=_("The round is open for nominations."),
                        next=lambda r: reverse("participation:honour", args=[r.pk]))


def _act(request, r, action: str):
    by = Actor.from_request(request)
    if action == "nominate":
        form = forms.NominateForm(request.POST, people=selectors.people_of([r.unit_id]))
        if not form.is_valid():
            raise ValidationError(list(form.errors.values())[0][0])
        services.nominate(by=by, honour_round=r, **form.cleaned_data)
        return _("Nominated.")
    if action == "suggested":
        person = get_object_or_404(selectors.people_of([r.unit_id]), pk=request.POST.get("person") or 0)
        services.nominate(by=by, honour_round=r, person=person, reason=_("From the activity records"))
        return _("Nominated.")
    if action == "review":
        chosen = r.nominations.filter(pk__in=[v for v in request.POST.getlist("nomination") if v.isdigit()])
        services.start_review(by=by, honour_round=r, nominations=list(chosen))
        return _("The selection is under review; committee members sign it off.")
    if action == "sign":
        services.sign_off(by=by, honour_round=r, note=request.POST.get("note", ""))
        return _("Signed off.")
    if action == "vote":
        form = forms.HonourVoteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(list(form.errors.values())[0][0])
        services.start_vote(by=by, honour_round=r, **form.cleaned_data)
        return _("The vote is open.")
    if action == "count":
        services.decide_by_vote(by=by, honour_round=r)
        return _("Decided.")
    if action == "consent":
        n = get_object_or_404(HonourNomination, pk=request.POST.get("nomination") or 0, round=r)
        services.set_public_consent(by=by, nomination=n, consent=request.POST.get("consent") == "1")
        return _("Consent recorded.")
    raise ValidationError(_("Unknown action."))


@require_perm(VIEW)
def honour_detail(request, pk: int):
    r = get_object_or_404(HonourRound.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if request.method == "POST":
        try:
            text = _act(request, r, request.POST.get("action", ""))
        except (PermissionDenied, ValidationError) as exc:
            messages_from(request, exc)
        else:
            messages.success(request, text)
        return redirect("participation:honour", pk=r.pk)
    can_manage = request.user.has_perm("participation.manage_honours_on", r)
    nominations = list(r.nominations.select_related("person").order_by("-awarded", "-votes", "-points", "pk"))
    selected = set(r.selection) if r.method == HonourMethod.REVIEW else set()
    for n in nominations:
        n.selected = n.pk in selected
    signoffs = list(r.signoffs.select_related("user").order_by("created_at", "pk"))
    now = timezone.localtime().replace(second=0, microsecond=0)
    vote_url = hooks.ask("deliberation.vote_url", vote_id=r.vote_id) if r.vote_id else None
    return render(request, "participation/console/honour.html", {
        "r": r, "nominations": nominations, "signoffs": signoffs, "can_manage": can_manage,
        "can_sign": services.may_sign_off(request.user, r), "decided": r.state == HonourState.DECIDED,
        "nominating": r.state == HonourState.NOMINATING, "review": r.method == HonourMethod.REVIEW,
        "current_signoffs": sum(1 for s in signoffs if s.selection == r.selection),
        "suggestions": services.suggestions(r) if can_manage and r.state == HonourState.NOMINATING else [],
        "nominate_form": forms.NominateForm(people=selectors.people_of([r.unit_id])) if can_manage else None,
        "vote_form": forms.HonourVoteForm(initial={"opens_at": now, "closes_at": now + dt.timedelta(days=7)}),
        "vote_url": vote_url})


@login_required
def my_honours(request):
    data = selectors.my_honours(request.user)
    if data is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    return render(request, "participation/honours.html", data)


@require_POST
@login_required
def honour_consent(request, pk: int):
    n = get_object_or_404(HonourNomination, pk=pk, person=selectors.person_of(request.user) or -1)
    try:
        services.set_public_consent(by=Actor.from_request(request), nomination=n,
                                    consent=request.POST.get("consent") == "1")
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("participation:my_honours")
