"""Payment requests and their sign-offs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from
from courtyard.core.permissions import require_perm

from .. import forms, rules, services
from .. import permissions as p
from ..choices import RequestState, Step
from ..lists import RequestList
from ..models import Account, ExpenditureRequest


@require_perm(p.SIGN)
def requests_list(request):
    """The payment requests list (lists.RequestList) with the form for a new request below it."""
    user = request.user
    page = RequestList()
    if user.has_perm(p.REQUEST_PAYMENT):
        form = page.form = forms.RequestForm(request.POST or None,
                                 accounts=Account.objects.visible_to(user, p.REQUEST_PAYMENT))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                req = services.create_request(
                    by=Actor.from_request(request), account=d["account"], title=d["title"], amount_fen=d["amount"],
                    category=d["category"], payee_name=d["payee_name"], payee_kind=d["payee_kind"],
                    resolution_ref=d["resolution_ref"])
            except (ValidationError, PermissionDenied) as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("Request submitted for sign-off."))
                return redirect(req.get_console_url())
    return page.get(request)


@require_perm(p.SIGN)
def request_detail(request, pk: int):
    req = get_object_or_404(
        ExpenditureRequest.objects.visible_to(request.user).select_related("account__community", "requested_by"),
        pk=pk)
    user = request.user
    steps = list(req.steps.select_related("decided_by"))
    done = {s.step for s in steps}
    open_steps = rules.open_steps(req, done) if req.state == RequestState.PENDING else []
    if req.state == RequestState.PAID and req.policy == "four_two":
        open_steps = [Step.PUBLISH_RESULT]
    signed = {s.step: s for s in steps}
    # Duties ask the rules directly: Django's User.has_perm would let a superuser through.
    mine = [s for s in open_steps if rules.may_sign_step(user, rules.SignTarget(req, s, signed))]
    sign_form = forms.SignForm(steps=mine) if mine else None
    pay_form = None
    if rules.may_pay(user, req):
        pay_form = forms.PayForm(initial={"booked_on": timezone.localdate()})
    if request.method == "POST":
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "sign":
                sign_form = forms.SignForm(request.POST, steps=mine)
                if sign_form.is_valid():
                    d = sign_form.cleaned_data
                    services.sign(by=by, request=req, step=d["step"], approve=d["decision"] == "approve",
                                  note=d["note"], resolution_ref=d["resolution_ref"])
                    messages.success(request, _("Your sign-off is recorded."))
                    return redirect(req.get_console_url())
            elif request.POST.get("action") == "pay":
                pay_form = forms.PayForm(request.POST, request.FILES)
                if pay_form.is_valid():
                    d = pay_form.cleaned_data
                    services.pay(by=by, request=req, booked_on=d["booked_on"], receipt_no=d["receipt_no"],
                                 uploads=[d["file"]] if d["file"] else ())
                    messages.success(request, _("Payment entered in the ledger."))
                    return redirect(req.get_console_url())
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    required = [(s, Step(s).label, next((x for x in steps if x.step == s), None))
                for s in rules.POLICY_STEPS[req.policy]]
    return render(request, "funds/request_detail.html", {
        "req": req, "steps": steps, "required": required, "sign_form": sign_form, "pay_form": pay_form,
        "payment": req.entries.filter(kind="payment").first(),
        "breadcrumbs": [{"label": _("Payment requests"), "url": reverse("funds:requests")}, {"label": req.title}]})
