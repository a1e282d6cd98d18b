"""The resident uses points on one of their household's open bills (积分抵扣, ADR 0028)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors
from courtyard.funds import services as fees
from courtyard.funds.fee_models import FeeBill
from courtyard.funds.money import yuan as yuan_text

from .. import forms, services


@login_required
def offset_bill(request, pk: int):
    bill = FeeBill.objects.select_related("plan__account__unit").filter(pk=pk).first()
    if bill is None or not fees.may_pay(request.user, bill):
        raise Http404
    form = forms.OffsetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            o = services.use_points_on_bill(by=Actor.from_request(request), bill=bill, yuan=form.cleaned_data["yuan"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(p)d points paid %(y)s yuan of the bill.") % {
                "p": o.points, "y": yuan_text(o.amount_fen)})
            return redirect("funds:my_bills")
    return render(request, "participation/offset.html", {
        "bill": bill, "offer": services.offset_offer(request.user, bill), "form": form,
        "owed": yuan_text(bill.owed_fen)}, status=400 if form.errors else 200)
