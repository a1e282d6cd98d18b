"""Ledger and accounts: accounts, entries, levies, fee plans, budget, the audit export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from, render_rows
from courtyard.core.converters import SANE_YEARS, parse_id
from courtyard.core.permissions import require_perm
from courtyard.core.xlsx import xlsx_response
from courtyard.org.models import SelfGovernanceUnit

from .. import chain, forms, rules, selectors, services
from .. import permissions as p
from ..choices import Purpose, Step
from ..lists import AccountList, EntryList
from ..models import Account, LedgerEntry, Levy
from ..money import percent, yuan
from ._common import _units

LATEST = 20


@require_perm(p.VIEW_LEDGER)
def accounts(request):
    """The accounts list (lists.AccountList) with the form to open an account below it."""
    page = AccountList()
    if request.user.has_perm(p.MANAGE_ACCOUNTS):
        units = SelfGovernanceUnit.objects.visible_to(request.user, p.MANAGE_ACCOUNTS)
        form = page.form = forms.AccountForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                acc = services.create_account(
                    by=Actor.from_request(request), unit=d["unit"], purpose=d["purpose"], name=d["name"],
                    custodian=d["custodian"], policy=d["policy"], single_approver_below_fen=d["single_below"] or 0)
            except ValidationError as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("Account opened."))
                return redirect(acc.get_console_url())
    return page.get(request)


@require_perm(p.VIEW_LEDGER)
def account_detail(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user).select_related("unit", "community", "trustee"),
                            pk=pk)
    user = request.user
    can_record = user.has_perm(p.RECORD_INCOME, acc)
    income_form = forms.IncomeForm(initial={"booked_on": timezone.localdate(), "counterparty_kind": "organisation"})
    if request.method == "POST" and request.POST.get("action") == "income":
        if not can_record:
            raise PermissionDenied
        income_form = forms.IncomeForm(request.POST, request.FILES)
        if income_form.is_valid():
            d = income_form.cleaned_data
            try:
                services.record_income(
                    by=Actor.from_request(request), account=acc, amount_fen=d["amount"], basis=d["basis"],
                    counterparty_name=d["counterparty_name"], counterparty_kind=d["counterparty_kind"],
                    booked_on=d["booked_on"], receipt_no=d["receipt_no"], memo=d["memo"],
                    resolution_ref=d["resolution_ref"], uploads=[d["file"]] if d["file"] else ())
            except ValidationError as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("Income recorded."))
                return redirect(acc.get_console_url())
    # The latest entries; the whole ledger is the entries list (lists.EntryList) filtered to this account.
    latest = EntryList()
    entries = acc.entries.order_by("-seq").select_related("account", "reverses", "request")[:LATEST]
    is_trust = acc.purpose == Purpose.TRUST_PROPERTY
    context = {
        "account": acc, "entries": render_rows(latest.get_columns(request)[1:], entries),
        "entry_headers": [c for c in latest.get_columns(request)[1:] if c.screen],
        "all_entries": f"{reverse('funds:entries')}?account={acc.pk}", "more_entries": acc.head_seq > LATEST, "income_form": income_form if can_record else None,
        "fee_plans": acc.fee_plans.order_by("-starts_on", "-pk") if is_trust else None,
        "fee_plan_form": forms.FeePlanForm(prefix="fp") if is_trust and user.has_perm(p.MANAGE_ACCOUNTS, acc) else None,
        "can_record": can_record, "levies": acc.levies.all(), "statements": acc.statements.all()[:24],
        "can_manage": user.has_perm(p.MANAGE_ACCOUNTS, acc), "can_open_requests": user.has_perm(p.SIGN),
        "trustee_form": forms.TrusteeForm(account=acc) if user.has_perm(p.MANAGE_ACCOUNTS, acc) else None,
        "can_review": rules.signing_role(user, acc, Step.COMMITTEE) is not None,
        "levy_form": forms.LevyForm(), "statement_form": forms.StatementForm(
            initial={"month": timezone.localdate().strftime("%Y-%m")}),
        "breadcrumbs": [{"label": _("Funds and ledger"), "url": reverse("funds:accounts")}, {"label": acc.name}],
    }
    return render(request, "funds/account_detail.html", context)


@require_POST
@require_perm(p.RECORD_INCOME)
def entry_reverse(request, pk: int):
    entry = get_object_or_404(LedgerEntry.objects.visible_to(request.user).select_related("account"), pk=pk)
    form = forms.ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.reverse_entry(by=Actor.from_request(request), entry=entry, reason=form.cleaned_data["reason"])
            messages.success(request, _("Correction recorded as a reversing entry."))
        except ValidationError as exc:
            messages_from(request, exc)
    return redirect(entry.account.get_console_url())


@require_POST
@require_perm(p.MANAGE_ACCOUNTS)
def levy_create(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    form = forms.LevyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            levy = services.create_levy(by=Actor.from_request(request), account=acc, name=d["name"],
                                        rate_fen_per_m2=d["rate"], resolution_ref=d["resolution_ref"])
        except ValidationError as exc:
            messages_from(request, exc)
        else:
            return redirect("funds:levy", pk=levy.pk)
    else:
        messages_from(request, ValidationError(list(form.errors.values())[0]))
    return redirect(acc.get_console_url())


@require_perm(p.VIEW_LEDGER)
def levy_detail(request, pk: int):
    levy = get_object_or_404(Levy.objects.visible_to(request.user).select_related("account__community"), pk=pk)
    can_record = request.user.has_perm(p.RECORD_INCOME, levy.account)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = forms.LevyPaymentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            charge = get_object_or_404(levy.charges.select_related("dwelling"), pk=d["charge"])
            try:
                services.record_levy_payment(by=Actor.from_request(request), charge=charge, amount_fen=d["amount"],
                                             receipt_no=d["receipt_no"])
                messages.success(request, _("Payment recorded."))
            except ValidationError as exc:
                messages_from(request, exc)
            return redirect("funds:levy", pk=levy.pk)
    owing = selectors.arrears(request.user, levy)
    if request.GET.get("export") == "xlsx" and request.user.has_perm(p.RECORD_INCOME, levy.account):
        return xlsx_response(f"arrears-{levy.pk}.xlsx", _("Arrears"),
                             [_("Dwelling"), _("Area (m²)"), _("Due (yuan)"), _("Paid (yuan)"), _("Owing (yuan)")],
                             ([str(c.dwelling), c.area_m2, yuan(c.amount_fen), yuan(c.paid_fen),
                               yuan(c.amount_fen - c.paid_fen)] for c in owing))
    rows = [r for r in selectors.collection_by_building(levy.account.unit) if r["levy"] == levy.name]
    return render(request, "funds/levy_detail.html", {
        "levy": levy, "owing": owing[:500], "owing_count": len(owing), "buildings": rows, "can_record": can_record,
        "breadcrumbs": [{"label": _("Funds and ledger"), "url": reverse("funds:accounts")},
                        {"label": levy.account.name, "url": levy.account.get_console_url()}, {"label": levy.name}]})


@require_perm(p.VIEW_LEDGER)
def budget(request):
    units = list(_units(request.user).distinct())
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0] if units else None)
    year = parse_id(request.GET.get("year"))
    year = year if year is not None and SANE_YEARS[0] <= year <= SANE_YEARS[1] else None
    data = selectors.budget_view(unit, year=year) if unit else None
    return render(request, "funds/budget.html", {
        "units": units, "unit": unit, "data": data, "year": year,
        "self_funding_pct": percent(selectors.self_funding_ratio(unit)) if unit else "—",
        "can_export": request.user.has_perm(p.AUDIT_EXPORT)})


@require_perm(p.AUDIT_EXPORT)
def audit_export(request):
    """Every visible entry with its hashes and the approvals behind it (FND-7 third-party audit)."""
    entries = (LedgerEntry.objects.visible_to(request.user, p.AUDIT_EXPORT)
               .select_related("account__unit").order_by("account_id", "seq"))
    unit = parse_id(request.GET.get("unit"))
    if unit is not None:
        entries = entries.filter(account__unit_id=unit)

    def rows():
        for chunk in selectors.in_chain_order(entries):
            steps = selectors.approvals_for(chunk)
            for e in chunk:
                signs = "; ".join(f"{Step(s.step).label}: {s.role} {s.decided_by_id} {s.decision} "
                                  f"{timezone.localtime(s.decided_at):%Y-%m-%d %H:%M}"
                                  f"{' ' + s.resolution_ref if s.resolution_ref else ''}"
                                  for s in steps.get(e.request_id, []))
                yield [e.account.unit.name, e.account_id, e.account.name, e.seq, e.booked_on, e.kind,
                       e.amount_fen, yuan(e.amount_fen), e.basis, e.category, e.counterparty_kind,
                       e.counterparty_name, e.receipt_no, e.request_id or "", e.reverses_id or "", e.memo,
                       e.resolution_ref, e.attachment_digests, e.created_at.isoformat(), e.prev_hash, e.hash, signs,
                       e.levy_charge_id or "", e.created_by_id or "", e.partner_id or "", e.resolution_type_id or "",
                       e.resolution_id, e.chain_version, chain.canonical(e.chain_values(), e.chain_version).decode()]

    # `canonical` is the exact text that was hashed: hash = SHA-256(prev_hash + "\n" + canonical) (ADR 0008).
    headers = ["unit", "account_id", "account", "seq", "booked_on", "kind", "amount_fen", "amount_yuan", "basis",
               "category", "counterparty_kind", "counterparty_name", "receipt_no", "request_id", "reverses_id",
               "memo", "resolution_ref", "attachment_digests", "created_at", "prev_hash", "hash", "approvals",
               "levy_charge_id", "created_by_id", "partner_id", "resolution_type_id", "resolution_id",
               "chain_version", "canonical"]
    return xlsx_response("ledger-audit.xlsx", "ledger", headers, rows())


@require_POST
@require_perm(p.MANAGE_ACCOUNTS)
def fee_plan_create(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user, p.MANAGE_ACCOUNTS), pk=pk)
    form = forms.FeePlanForm(request.POST, prefix="fp")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.create_fee_plan(
                by=Actor.from_request(request), account=acc, name=d["name"], rate_fen_per_m2_month=d["rate"] * 100,
                starts_on=d["starts_on"], ends_on=d["ends_on"], settlor=d["settlor"], trustee=d["trustee"],
                resolution_ref=d["resolution_ref"])
            messages.success(request, _("Fee plan saved."))
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(acc.get_console_url())


@require_POST
@require_perm(p.MANAGE_ACCOUNTS)
def account_trustee(request, pk: int):
    """Name (or clear) the trust institution that holds this account's money in trust (ORG-8)."""
    acc = get_object_or_404(Account.objects.visible_to(request.user, p.MANAGE_ACCOUNTS), pk=pk)
    form = forms.TrusteeForm(request.POST, account=acc)
    if form.is_valid():
        try:
            services.set_trustee(by=Actor.from_request(request), account=acc, trustee=form.cleaned_data["trustee"])
            messages.success(request, _("Trust institution saved."))
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(acc.get_console_url())
