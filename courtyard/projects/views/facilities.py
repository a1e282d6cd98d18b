"""A facility's console page (PRJ-6): its preventive work orders and the requests that name it (read
from the service desk by hook), its revenue-share agreements and postings, and its printable QR sticker
that opens the residents' request form pre-filled with the facility and its place."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core import hooks
from courtyard.core.audit import Actor
from courtyard.core.console import messages_from, save
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.org.models import PartnerUnit

from .. import permissions as p
from .. import services, upkeep_forms
from ..models import Facility, RevenueAgreement, RevenuePosting
from ..money import yuan


def request_form_url(request, facility: Facility) -> str:
    """The residents' request form, pre-filled with the facility (its code links the request) and its place."""
    query = {"place": facility.place_id or facility.community_id, "facility": facility.request_text}
    return request.build_absolute_uri(reverse("servicedesk:new")) + "?" + urlencode(query)


def _facility(request, pk):
    return get_object_or_404(Facility.objects.visible_to(request.user).select_related(
        "unit", "place", "owner_partner", "project"), pk=pk)


@require_perm(p.VIEW)
def facility_detail(request, pk: int):
    f = _facility(request, pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE, f)
    agreements = list(RevenueAgreement.objects.filter(facility=f).select_related("partner"))
    aform = pform = None
    if can_manage:
        partners = PartnerUnit.objects.filter(community_id=f.community_id).order_by("name")
        accounts = hooks.ask("funds.income_accounts", [], user=user, unit_id=f.unit_id)
        aform = upkeep_forms.RevenueAgreementForm(prefix="a", partners=partners, accounts=accounts)
        pform = (upkeep_forms.RevenuePostingForm(prefix="r", agreements=RevenueAgreement.objects.filter(facility=f))
                 if agreements else None)
    status = 200
    if request.method == "POST":
        by, action = Actor.from_request(request), request.POST.get("action")
        try:
            if action == "agreement" and aform is not None:
                aform = upkeep_forms.RevenueAgreementForm(request.POST, prefix="a", partners=partners,
                                                          accounts=accounts)
                if aform.is_valid() and save(aform, lambda: services.add_revenue_agreement(
                        by=by, facility=f, **aform.cleaned_data)):
                    messages.success(request, _("The revenue-share agreement is recorded."))
                    return redirect("projects:facility", pk=f.pk)
            elif action == "post" and pform is not None:
                pform = upkeep_forms.RevenuePostingForm(request.POST, prefix="r",
                                                        agreements=RevenueAgreement.objects.filter(facility=f))
                if pform.is_valid() and save(pform, lambda: services.post_revenue_share(by=by, **pform.cleaned_data)):
                    messages.success(request, _("The share is posted to the ledger."))
                    return redirect("projects:facility", pk=f.pk)
            elif action == "maintained" and user.has_perm(p.INSPECT, f):
                services.record_maintenance(by=by, facility=f)
                messages.success(request, _("The maintenance is recorded."))
                return redirect("projects:facility", pk=f.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
        status = 400
    orders = list(f.preventive_orders.all()[:12])
    states = hooks.ask("servicedesk.request_states", {}, ids=[o.request_id for o in orders]) if orders else {}
    requests = hooks.ask("servicedesk.requests_for_facility", [], community_id=f.community_id, marker=f.marker)
    postings = list(RevenuePosting.objects.filter(agreement__facility=f).select_related("agreement__partner")[:24])
    return render(request, "projects/console_facility.html", {
        "f": f, "can_manage": can_manage, "can_inspect": user.has_perm(p.INSPECT, f),
        "orders": [{"o": o, "r": states.get(o.request_id)} for o in orders], "requests": requests,
        "agreements": agreements, "aform": aform, "pform": pform,
        "postings": [{"p": x, "gross": yuan(x.gross_fen), "share": yuan(x.share_fen)} for x in postings],
        "form_url": request_form_url(request, f),
        "breadcrumbs": [{"label": _("Facility register"), "url": reverse("projects:facilities")}, {"label": f.name}],
    }, status=status)


@require_perm(p.VIEW)
def facility_sticker(request, pk: int):
    """An A4 page with the facility's QR sticker (twice: one to stick on, one to keep)."""
    f = _facility(request, pk)
    url = request_form_url(request, f)
    sticker = {"qr": qr_svg(url), "name": f.name, "code": f.code,
               "where": " ".join(x for x in (f.place.name if f.place else "", f.location) if x), "owner": f.owner}
    return pdf_response("projects/pdf/facility_sticker.html", {"stickers": [sticker, sticker], "unit": f.unit},
                        filename=f"设施二维码-{f.code}.pdf", request=request)



