"""Residents' pages (WeUI shell, phone, elderly mode): my points, the shop, my shifts and swaps, the
check-in a post's QR code opens. Each shows the resident's own rows only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from

from .. import forms, selectors, services
from ..choices import SwapState
from ..models import Redemption, Rota, Shift, ShopItem, SwapRequest

NOT_LINKED = "Your account is not linked to a home yet; ask your community office."


def _not_linked(request):
    messages.error(request, _(NOT_LINKED))
    return redirect("web:home")


@login_required
def my_points(request):
    data = selectors.my_points(request.user)
    if data is None:
        return _not_linked(request)
    return render(request, "participation/my_points.html", data)


@login_required
def shop(request):
    data = selectors.my_shop(request.user)
    if data is None:
        return _not_linked(request)
    return render(request, "participation/shop.html", data)


@require_POST
@login_required
def redeem(request, pk: int):
    me = selectors.person_of(request.user)
    item = get_object_or_404(ShopItem, pk=pk, unit_id=getattr(me, "unit_id", -1), active=True)
    try:
        services.redeem(by=Actor.from_request(request), item=item)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Redeemed: %(item)s. Collect it at the community office.") % {"item": item.name})
    return redirect("participation:shop")


@require_POST
@login_required
def cancel(request, pk: int):
    r = get_object_or_404(Redemption, pk=pk, account__person=selectors.person_of(request.user))
    try:
        services.cancel_redemption(by=Actor.from_request(request), redemption=r)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Cancelled: the points are back in your account."))
    return redirect("participation:shop")


@login_required
def my_shifts(request):
    data = selectors.my_shifts(request.user)
    if data is None:
        return _not_linked(request)
    return render(request, "participation/my_shifts.html", data)


@login_required
def swap(request, pk: int):
    me = selectors.person_of(request.user)
    shift = get_object_or_404(Shift.objects.select_related("rota"), pk=pk, person=me,
                              day__gte=timezone.localdate())
    people = selectors.people_of([shift.rota.unit_id]).exclude(pk=me.pk)
    theirs = (Shift.objects.filter(rota__unit_id=shift.rota.unit_id, day__gte=timezone.localdate(),
                                   checked_in_at__isnull=True).exclude(person=me)
              .select_related("rota", "person").order_by("day", "pk"))
    form = forms.SwapForm(request.POST or None, people=people, shifts=theirs)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_swap(by=Actor.from_request(request), shift=shift, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
        else:
            messages.success(request, _("Your offer is sent; the shift changes hands when they agree."))
            return redirect("participation:my_shifts")
    return render(request, "participation/swap.html", {"shift": shift, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@login_required
def answer(request, pk: int):
    me = selectors.person_of(request.user)
    s = get_object_or_404(SwapRequest, pk=pk, state=SwapState.PROPOSED)
    if me is None or me.pk not in (s.to_person_id, s.from_person_id):
        raise PermissionDenied
    accept = request.POST.get("accept") == "1"
    try:
        services.answer_swap(by=Actor.from_request(request), swap=s, accept=accept)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Thank you: the shift is yours now.") if accept else _("Answer recorded."))
    return redirect("participation:my_shifts")


@login_required
def checkin(request, token: str):
    """What the post's QR code opens: one button to check in (a GET never writes)."""
    rota = get_object_or_404(Rota.objects.select_related("unit"), token=token, active=True)
    if request.method == "POST":
        try:
            shift, entry = services.check_in(by=Actor.from_request(request), token=token)
        except (PermissionDenied, ValidationError) as exc:
            messages_from(request, exc)
        else:
            if entry is not None:
                messages.success(request, _("Checked in. You earned %(n)d points. Thank you!") % {"n": entry.points})
            else:
                messages.success(request, _("Checked in. Thank you!"))
            return redirect("participation:my_points")
    me = selectors.person_of(request.user)
    shift = Shift.objects.filter(rota=rota, person=me, day=timezone.localdate()).first() if me else None
    return render(request, "participation/checkin.html", {"rota": rota, "shift": shift})
