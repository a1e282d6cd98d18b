"""Console pages of household consent campaigns (DLB-10)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.permissions import require_perm
from courtyard.org.models import Dwelling

from .. import forms, selectors, services, upkeep_forms
from .. import permissions as p
from ..models import ConsentCampaign
from ._common import managed_units


def _crumbs(*extra):
    return [{"label": _("Consent campaigns"), "url": reverse("projects:campaigns")}, *extra]


class CampaignList(ListPage):
    title = gettext_lazy("Consent campaigns")
    permission = p.VIEW
    template = "projects/console_campaigns.html"
    ordering = ("-created_at", "-pk")
    columns = [
        Column("title", gettext_lazy("Campaign"), link=lambda c: c.get_console_url()),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("target", gettext_lazy("Target (%)"), value="target_percent", numeric=True),
        Column("n", gettext_lazy("Households agreeing"), value=lambda c: c.n, numeric=True),
        Column("is_open", gettext_lazy("Open"), value=lambda c: _("yes") if c.is_open else _("no")),
    ]

    def get_queryset(self, user):
        from django.db.models import Count, Q

        return (ConsentCampaign.objects.visible_to(user).select_related("unit")
                .annotate(n=Count("consents", filter=Q(consents__answer="yes"))))

    def extra_context(self, request):
        return {"can_manage": request.user.has_perm(p.MANAGE)}


@require_perm(p.MANAGE)
def campaign_new(request):
    form = forms.CampaignForm(request.POST or None, units=managed_units(request.user))
    return service_form(
        request, form, title=_("New consent campaign"), back_url=reverse("projects:campaigns"), crumbs=_crumbs(),
        write=lambda d: services.create_campaign(by=Actor.from_request(request), **d),
        success=_("The campaign is open."), next=lambda c: c.get_console_url())


@require_perm(p.VIEW)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(ConsentCampaign.objects.visible_to(request.user).select_related("unit", "community"),
                                 pk=pk)
    user = request.user
    can_collect = campaign.is_open and user.has_perm(p.COLLECT, campaign)
    can_manage = user.has_perm(p.MANAGE, campaign)
    dwellings = Dwelling.objects.filter(unit_id=campaign.unit_id).select_related(
        "courtyard", "building", "entrance").order_by("building__name", "entrance__name", "number")
    form = forms.ConsentForm(request.POST or None, dwellings=dwellings, prefix="c") if can_collect else None
    if request.method == "POST":
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "record" and form is not None:
                if form.is_valid() and save(form, lambda: services.record_consent(
                        by=by, campaign=campaign, **form.cleaned_data)):
                    messages.success(request, _("The household's answer is recorded."))
                    return redirect(campaign.get_console_url())
            elif action == "vote" and can_manage:
                vform = upkeep_forms.VoteHandoverForm(request.POST)
                if vform.is_valid():
                    services.hand_over_to_vote(by=by, campaign=campaign, matter=vform.cleaned_data["matter"])
                    messages.success(request, _("A draft owners' vote is waiting in deliberation."))
                    return redirect(campaign.get_console_url())
                raise ValidationError(_("Choose the matter the owners vote on."))
            elif action == "close" and can_manage:
                services.close_campaign(by=by, campaign=campaign)
                messages.success(request, _("The campaign is closed."))
                return redirect(campaign.get_console_url())
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    return render(request, "projects/console_campaign.html", {
        "campaign": campaign, "s": selectors.consent_summary(campaign), "form": form, "can_manage": can_manage,
        "vform": upkeep_forms.VoteHandoverForm() if can_manage and not campaign.vote_id else None,
        "breadcrumbs": _crumbs({"label": campaign.title})}, status=400 if form is not None and form.errors else 200)
