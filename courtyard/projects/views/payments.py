"""The contract page (issue 10 item 5): amount, retention and paid-to-date, the works payments with their
funds sign-off state, and the form that sends a new payment request to funds citing what it pays for."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courtyard.core import hooks
from courtyard.core.audit import Actor
from courtyard.core.console import save
from courtyard.core.permissions import require_perm

from .. import permissions as p
from .. import services, upkeep_forms
from ..models import Contract
from ..money import yuan
from ._common import crumbs


@require_perm(p.VIEW)
def contract_detail(request, pk: int):
    c = get_object_or_404(Contract.objects.visible_to(request.user).select_related("project", "partner"), pk=pk)
    project = c.project
    form, status = None, 200
    if request.user.has_perm(p.MANAGE, project):
        accounts = hooks.ask("funds.payment_accounts", [], user=request.user, unit_id=project.unit_id)
        kwargs = {"inspections": project.inspections.filter(signed_by__isnull=False, satisfactory=True),
                  "acceptances": project.acceptances.filter(passed=True), "accounts": accounts}
        form = upkeep_forms.WorksPaymentForm(request.POST or None, **kwargs)
        if request.method == "POST":
            if form.is_valid() and save(form, lambda: services.request_works_payment(
                    by=Actor.from_request(request), contract=c, **form.cleaned_data)):
                messages.success(request, _("The payment request is with funds for its sign-off."))
                return redirect("projects:contract", pk=c.pk)
            status = 400
    payments = list(c.payments.select_related("inspection", "acceptance"))
    money = services.contract_money(c, payments)
    return render(request, "projects/console_contract.html", {
        "c": c, "project": project, "money": money, "m": money.text(), "form": form,
        "amount": yuan(c.amount_fen),
        "breadcrumbs": crumbs({"label": project.title, "url": project.get_console_url()},
                              {"label": _("Works and acceptance"), "url": f"{project.get_console_url()}works/"},
                              {"label": c.number})}, status=status)
