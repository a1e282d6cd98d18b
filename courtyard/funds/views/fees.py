"""Household fees (SVC-13): console (plans, bills, arrears, reminders, office payments), the resident's
bills and receipts with payment on the phone. Public collection rates are a section of /u/<unit>/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.permissions import require_perm

from .. import fee_selectors, services
from .. import permissions as p
from ..fee_forms import HouseholdFeeForm, IssueForm, OfficePaymentForm
from ..fee_models import FeeBill, HouseholdFeePlan
from ..models import Account
from ..money import yuan, yuan_rate

FEES = "/console/funds/fees/"


def _rate(plan) -> str:
    unit = _("yuan per m²") if plan.basis == "area" else _("yuan per household")
    return f"{yuan_rate(plan.rate_fen)} {unit} · {plan.get_period_display()}"


class FeeList(ListPage):
    title = gettext_lazy("Household fees")
    permission = p.VIEW_LEDGER
    template = "funds/fees.html"
    ordering = ("account__unit__name", "kind", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Name"), link=lambda x: f"{FEES}{x.pk}/"),
        Column("unit", gettext_lazy("Unit"), value="account.unit.name"),
        Column("kind", gettext_lazy("Fee")),
        Column("rate", gettext_lazy("Rate"), value=_rate),
        Column("account", gettext_lazy("Paid into account"), value="account.name"),
        Column("active", gettext_lazy("In force"), value=lambda x: _("yes") if x.active else _("no")),
    ]

    def get_queryset(self, user):
        return HouseholdFeePlan.objects.visible_to(user).select_related("account__unit")

    def extra_context(self, request):
        accounts = Account.objects.visible_to(request.user, p.MANAGE_ACCOUNTS).select_related("unit")
        return {"accounts": accounts[:50] if request.user.has_perm(p.MANAGE_ACCOUNTS) else []}


@require_perm(p.MANAGE_ACCOUNTS)
def fee_new(request, pk: int):
    account = get_object_or_404(Account.objects.visible_to(request.user, p.MANAGE_ACCOUNTS).select_related("unit"),
                                pk=pk)
    form = HouseholdFeeForm(request.POST or None, initial={"starts_on": timezone.localdate().replace(day=1)})
    return service_form(
        request, form, title=_("New household fee"), back_url=FEES,
        intro=_("Fees are published on the unit's public page with their rate and what the money is used for. "
                "Payments are booked as income on the account %(a)s.") % {"a": account.name},
        write=lambda d: services.create_household_fee(by=Actor.from_request(request), account=account,
                                                      **form.service_fields()),
        success=_("The fee is saved and published."), next=lambda plan: f"{FEES}{plan.pk}/")


def _plan(request, pk: int) -> HouseholdFeePlan:
    return get_object_or_404(HouseholdFeePlan.objects.visible_to(request.user).select_related("account__unit"), pk=pk)


@require_perm(p.VIEW_LEDGER)
def fee_detail(request, pk: int):
    plan = _plan(request, pk)
    user = request.user
    can_manage, can_record = user.has_perm(p.MANAGE_ACCOUNTS, plan.account), user.has_perm(p.RECORD_INCOME,
                                                                                          plan.account)
    issue = IssueForm(request.POST if request.POST.get("action") == "issue" else None, plan=plan,
                      initial={"day": timezone.localdate()})
    if request.method == "POST":
        actor = Actor.from_request(request)
        if request.POST.get("action") == "issue":
            if not can_manage:
                raise PermissionDenied
            saved = save(issue, lambda: services.issue_bills(by=actor, plan=plan, **issue.service_fields())) \
                if issue.is_valid() else None
            if saved:
                r = saved.result
                messages.success(request, _("%(n)s bills issued (%(t)s yuan); %(a)s were already billed, %(s)s "
                                            "dwellings have no recorded area.") % {
                    "n": r["issued"], "t": yuan(r["total_fen"]), "a": r["already"], "s": r["skipped"]})
                return redirect(f"{FEES}{plan.pk}/")
        elif request.POST.get("action") == "remind":
            try:
                n = services.send_reminders(by=actor, plan=plan)
            except (ValidationError, PermissionDenied) as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("Reminders sent for %(n)s overdue bills.") % {"n": n})
            return redirect(f"{FEES}{plan.pk}/")
        else:
            raise Http404
    return render(request, "funds/fee_detail.html", {
        "plan": plan, "rate": _rate(plan), "totals": fee_selectors.plan_totals(plan),
        "public": fee_selectors.public_fees(plan.account.unit)["plans"],
        "arrears": fee_selectors.arrears(plan, timezone.localdate()) if can_record else [],
        "issue": issue if can_manage else None, "can_record": can_record,
        "breadcrumbs": [{"label": _("Household fees"), "url": FEES}, {"label": plan.name}],
    })


@require_perm(p.RECORD_INCOME)
def office_payment(request, pk: int):
    bill = get_object_or_404(FeeBill.objects.visible_to(request.user).select_related(
        "plan__account__unit", "dwelling__courtyard", "dwelling__building", "dwelling__entrance"), pk=pk)
    back = f"{FEES}{bill.plan_id}/"
    form = OfficePaymentForm(request.POST or None, initial={"amount": yuan(bill.owed_fen).replace(",", "")})
    return service_form(
        request, form, title=_("Record a payment at the office"), back_url=back,
        intro=_("%(home)s · %(fee)s %(p)s · still owed %(owed)s yuan") % {
            "home": bill.dwelling.label, "fee": bill.plan.name, "p": bill.period_start.strftime("%Y-%m"),
            "owed": yuan(bill.owed_fen)},
        write=lambda d: services.record_office_payment(by=Actor.from_request(request), bill=bill,
                                                       amount_fen=d["amount"], receipt_no=d["receipt_no"],
                                                       payer_name=d["payer_name"]),
        fields={"amount_fen": "amount"}, success=_("The payment is booked and the receipt recorded."), next=back)


# ---------------------------------------------------------------- residents
@login_required
def my_bills(request):
    dwellings = list(services.resident_dwellings(request.user).values_list("pk", flat=True))
    bills = fee_selectors.my_bills(dwellings)
    return render(request, "funds/my_bills.html", {
        "has_home": bool(dwellings), "bills": bills, "owing": sum(max(b.owed_fen, 0) for b in bills)})


@login_required
@require_POST
def pay_bill(request, pk: int):
    bill = get_object_or_404(FeeBill, pk=pk)
    if not services.may_pay(request.user, bill):
        raise Http404
    try:
        payment = services.pay_online(by=Actor.from_request(request), bill=bill)
    except (ValidationError, PermissionDenied) as exc:
        messages_from(request, exc)
    else:
        if payment is None:
            messages.info(request, _("The payment is being confirmed; the receipt appears here when it is."))
        else:
            messages.success(request, _("Paid. Receipt number %(n)s.") % {"n": payment.receipt_no})
    return redirect("funds:my_bills")


fee_list = FeeList.as_view()
