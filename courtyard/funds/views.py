"""Console pages for finance staff and signers, and the public ledger (no login)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from, paginate
from courtyard.core.console.lists import query_without
from courtyard.core.converters import SANE_YEARS, parse_id
from courtyard.core.models import Attachment
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.core.xlsx import xlsx_response
from courtyard.org.models import SelfGovernanceUnit

from . import anchors, chain, forms, rules, selectors, services
from . import permissions as p
from .choices import CallState, Category, ProposalState, Purpose, RequestState, Step
from .models import (
    Account,
    ExpenditureRequest,
    GrantCall,
    GrantProposal,
    LedgerAnchor,
    LedgerEntry,
    Levy,
    LevyCharge,
    MonthlyStatement,
)
from .money import percent, yuan

PER_PAGE = 50


def _units(user):
    ids = Account.objects.visible_to(user).values_list("unit_id", flat=True)
    return SelfGovernanceUnit.objects.filter(pk__in=ids) | SelfGovernanceUnit.objects.visible_to(user)


# --- console -----------------------------------------------------------------------------------------

@require_perm(p.VIEW_LEDGER)
def accounts(request):
    qs = Account.objects.visible_to(request.user).select_related("unit", "community")
    form = None
    if request.user.has_perm(p.MANAGE_ACCOUNTS):
        units = SelfGovernanceUnit.objects.visible_to(request.user, p.MANAGE_ACCOUNTS)
        form = forms.AccountForm(request.POST or None, units=units)
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
    return render(request, "funds/accounts.html", {"accounts": qs, "form": form,
                                                   "can_export": request.user.has_perm(p.AUDIT_EXPORT)})


@require_perm(p.VIEW_LEDGER)
def account_detail(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user).select_related("unit", "community"), pk=pk)
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
    # seq runs 1..head_seq without gaps, so page k is an exact seq range: no COUNT, no OFFSET.
    page = Paginator(range(acc.head_seq), PER_PAGE).get_page(request.GET.get("page"))
    hi = acc.head_seq - page.start_index() + 1 if acc.head_seq else 0
    lo = acc.head_seq - page.end_index() + 1 if acc.head_seq else 1
    entries = acc.entries.filter(seq__gte=lo, seq__lte=hi).order_by("-seq").select_related("reverses", "request")
    is_trust = acc.purpose == Purpose.TRUST_PROPERTY
    context = {
        "account": acc, "page": page, "entries": entries, "income_form": income_form if can_record else None,
        "fee_plans": acc.fee_plans.order_by("-starts_on", "-pk") if is_trust else None,
        "fee_plan_form": forms.FeePlanForm(prefix="fp") if is_trust and user.has_perm(p.MANAGE_ACCOUNTS, acc) else None,
        "can_record": can_record, "levies": acc.levies.all(), "statements": acc.statements.all()[:24],
        "can_manage": user.has_perm(p.MANAGE_ACCOUNTS, acc), "can_open_requests": user.has_perm(p.SIGN),
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


@require_POST
@require_perm(p.MANAGE_ACCOUNTS)
def statement_generate(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    form = forms.StatementForm(request.POST)
    try:
        month = dt.datetime.strptime(form.data.get("month", ""), "%Y-%m").date()  # noqa: DTZ007 - a month
        services.generate_statement(by=Actor.from_request(request), account=acc, month=month)
        messages.success(request, _("Statement generated; it waits for the committee's review."))
    except ValueError:
        messages.error(request, _("Enter the month as YYYY-MM."))
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect(acc.get_console_url())


@require_POST
@require_perm(p.REVIEW_STATEMENTS)
def statement_review(request, pk: int):
    st = get_object_or_404(MonthlyStatement.objects.visible_to(request.user).select_related("account"), pk=pk)
    try:
        services.review_statement(by=Actor.from_request(request), statement=st, note=request.POST.get("note", ""))
        messages.success(request, _("Statement reviewed and published."))
    except (ValidationError, PermissionDenied) as exc:
        messages_from(request, exc)
    return redirect(st.account.get_console_url())


@require_perm(p.SIGN)
def requests_list(request):
    user = request.user
    qs = ExpenditureRequest.objects.visible_to(user).select_related("account", "requested_by")
    state = request.GET.get("state")
    if state in RequestState.values:
        qs = qs.filter(state=state)
    form = None
    if user.has_perm(p.REQUEST_PAYMENT):
        form = forms.RequestForm(request.POST or None,
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
    page = paginate(qs, ("-created_at", "-id"), after=request.GET.get("after"), before=request.GET.get("before"),
                    per_page=PER_PAGE)
    return render(request, "funds/requests.html", {"page": page, "form": form, "states": RequestState.choices,
                                                   "state": state, "sorted_query": query_without(request.GET, "after", "before")})


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


@require_perm(p.VIEW_LEDGER)
def calls(request):
    qs = GrantCall.objects.visible_to(request.user).select_related("account").prefetch_related(
        "proposals__scores", "proposals__request")
    form = None
    if request.user.has_perm(p.MANAGE_GRANTS):
        form = forms.CallForm(request.POST or None,
                              accounts=Account.objects.visible_to(request.user, p.MANAGE_GRANTS))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.open_call(by=Actor.from_request(request), account=d["account"], title=d["title"],
                                   budget_fen=d["budget"], closes_on=d["closes_on"])
                messages.success(request, _("Call opened."))
                return redirect("funds:calls")
            except (ValidationError, PermissionDenied) as exc:
                messages_from(request, exc)
    return render(request, "funds/calls.html", {"calls": qs.order_by("-created_at", "-pk")[:50], "form": form})


# --- public ledger (no login) ---------------------------------------------------------------------------

def _unit(slug: str) -> SelfGovernanceUnit:
    unit = SelfGovernanceUnit.objects.select_related("community").filter(slug=slug).first()
    if unit is None:
        raise Http404(_("No such self-governance unit."))
    return unit


def _month(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError:
        return None


def _public_rows(entries):
    steps = selectors.approvals_for(entries)
    files = selectors.attachments_for(entries, public=True)
    for e in entries:
        yield {"e": e, "payee": selectors.public_payee(e.counterparty_kind, e.counterparty_name),
               "approvals": steps.get(e.request_id, []), "files": files.get(e.pk, []), "yuan": yuan(e.amount_fen)}


def public_ledger(request, slug: str):
    """No login. Costs the same at any ledger size: balances, totals and the self-funding ratio come
    from the accounts' running totals, the entries from a keyset page (no COUNT, no OFFSET)."""
    unit = _unit(slug)
    accounts = list(selectors.unit_accounts(unit))
    account_id = request.GET.get("account")
    account_id = int(account_id) if account_id and account_id.isdigit() else None
    category = request.GET.get("category") if request.GET.get("category") in Category.values else None
    month = _month(request.GET.get("month"))
    page = selectors.public_page(accounts, per_page=PER_PAGE, cursor=request.GET.get("before"),
                                 account_id=account_id, category=category, month=month)
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("page", None)
    latest = max((a for a in accounts if a.head_at), key=lambda a: a.head_at, default=None)
    return render(request, "funds/public_ledger.html", {
        "unit": unit, "accounts": accounts, "page": page, "rows": list(_public_rows(page.entries)),
        "categories": Category.choices, "account_id": account_id, "category": category,
        "month": month.strftime("%Y-%m") if month else "", "query": query.urlencode(),
        "total": yuan(sum(a.balance_fen for a in accounts)), "latest": latest,
        "entry_count": sum(a.head_seq for a in accounts),
        "collection": selectors.collection_by_building(unit),
        "self_funding": percent(selectors.self_funding_ratio(unit, accounts)),
        "statements": selectors.published_statements(unit)[:12],
        "this_month": timezone.localdate().strftime("%Y-%m"),
    })


def public_export(request, slug: str):
    unit = _unit(slug)
    qs = selectors.public_entries(unit).order_by("account_id", "seq")

    def rows():
        for chunk in selectors.in_chain_order(qs):
            for r in _public_rows(chunk):
                e = r["e"]
                yield [e.account.name, e.seq, e.booked_on, e.get_kind_display(), yuan(e.amount_fen),
                       e.get_basis_display(), e.get_category_display(), r["payee"], e.receipt_no,
                       e.resolution_ref, "; ".join(f"{Step(s.step).label} {timezone.localtime(s.decided_at):%Y-%m-%d}"
                                                   for s in r["approvals"]), e.hash]

    headers = [_("Account"), _("No."), _("Date"), _("Kind"), _("Amount (yuan)"), _("Basis"), _("Category"),
               _("Payee or payer"), _("Receipt no."), _("Resolution or vote"), _("Approvals"), _("Hash")]
    return xlsx_response(f"ledger-{unit.slug}.xlsx", _("Public ledger"), headers, rows())


def public_statement_pdf(request, slug: str, year: int, month: int):
    unit = _unit(slug)
    try:
        first = dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    # Heads first; the entries and totals printed are those the heads cover (an append committing
    # meanwhile is left for the next print). The printed heads are recorded for ledger_verify.
    totals = selectors.month_totals(unit, first)
    heads = {t["account"].pk: t["head"]["seq"] for t in totals if t["head"]}
    entries = [e for e in selectors.public_entries(unit, month=first).order_by("account_id", "seq")[:2000]
               if e.seq <= heads.get(e.account_id, 0)]
    anchors.record_printed_heads(by=Actor.from_request(request), source=LedgerAnchor.Source.STATEMENT_PDF,
                                 heads=[(t["account"], t["head"]["seq"], t["head"]["hash"]) for t in totals
                                        if t["head"]], reference=f"{unit.slug} {first:%Y-%m}")
    url = request.build_absolute_uri(reverse("funds:public_ledger", args=[unit.slug]))
    return pdf_response("funds/statement_pdf.html", {
        "unit": unit, "month": first, "totals": totals,
        "rows": list(_public_rows(entries)), "qr": qr_svg(url), "url": url,
        "printed_at": timezone.localtime(), "month_end": nxt - dt.timedelta(days=1),
    }, filename=f"ledger-{unit.slug}-{first:%Y-%m}.pdf", request=request)


def public_file(request, slug: str, pk: int):
    """A redacted copy a bookkeeper published on an entry of this unit (core.file_access.publish)."""
    from courtyard.core import file_access

    unit = _unit(slug)
    att = get_object_or_404(Attachment, pk=pk, published_at__isnull=False)
    entry = LedgerEntry.objects.filter(pk=att.owner_id, account__unit=unit).first() if att.owner_id.isdigit() else None
    if entry is None or not file_access.is_public(att):
        raise Http404
    return file_access.file_response(att, public=True)



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


# --- micro-grants console (FND-6) ------------------------------------------------------------------------

@require_perm(p.VIEW_LEDGER)
def call_detail(request, pk: int):
    call = get_object_or_404(GrantCall.objects.visible_to(request.user).select_related("account__unit",
                                                                                       "account__community"), pk=pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE_GRANTS, call.account)
    proposals = list(call.proposals.select_related("request", "submitted_by").prefetch_related("scores")
                     .order_by("created_at", "pk"))
    under_review = [x for x in proposals if x.state == ProposalState.SUBMITTED]
    from courtyard.deliberation.models import Vote

    votes = Vote.objects.visible_to(user).filter(unit=call.account.unit).order_by("-pk")
    propose_form = forms.ProposalForm(prefix="new")
    award_form = forms.AwardForm(proposals=under_review, votes=votes, prefix="aw")
    if request.method == "POST":
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "propose":
                propose_form = forms.ProposalForm(request.POST, prefix="new")
                if propose_form.is_valid():
                    d = propose_form.cleaned_data
                    services.submit_proposal(by=by, call=call, title=d["title"], applicant=d["applicant"],
                                             requested_fen=d["requested"], category=d["category"],
                                             summary=d["summary"])
                    messages.success(request, _("Proposal recorded."))
                    return redirect("funds:call", pk=call.pk)
            elif action == "close" and can_manage:
                services.close_call(by=by, call=call)
                messages.success(request, _("The call is closed for review."))
                return redirect("funds:call", pk=call.pk)
            elif action == "award" and can_manage:
                award_form = forms.AwardForm(request.POST, proposals=under_review, votes=votes, prefix="aw")
                if award_form.is_valid():
                    d = award_form.cleaned_data
                    reqs = services.award(by=by, call=call, awards=award_form.awards(), award_ref=d["award_ref"],
                                          vote=d["vote"])
                    messages.success(request, _("Awards made: %(n)s payment request(s) now go through the "
                                                "account's approvals.") % {"n": len(reqs)})
                    return redirect("funds:call", pk=call.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    awarded = sum(x.awarded_fen for x in proposals)
    return render(request, "funds/call_detail.html", {
        "call": call, "rows": selectors.proposal_rows(proposals), "can_manage": can_manage,
        "propose_form": propose_form if call.state == CallState.OPEN else None,
        "award_form": award_form if can_manage and under_review and call.state in (CallState.OPEN, CallState.REVIEW)
        else None,
        "awarded": awarded, "criteria": [str(c.label) for c in _criteria()],
        "breadcrumbs": [{"label": _("Micro-grants"), "url": reverse("funds:calls")}, {"label": call.title}]})


def _criteria():
    from .choices import CRITERIA_MAX, Criterion

    return [Criterion(c) for c in CRITERIA_MAX]


def _proposal_files(proposal):
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(GrantProposal),
                                     owner_id=str(proposal.pk)).order_by("pk")


@require_perm(p.VIEW_LEDGER)
def proposal_detail(request, pk: int):
    calls = GrantCall.objects.visible_to(request.user)
    proposal = get_object_or_404(GrantProposal.objects.filter(call__in=calls).select_related(
        "call__account__community", "request", "submitted_by"), pk=pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE_GRANTS, proposal.call.account)
    scores = list(proposal.scores.select_related("reviewer").order_by("created_at", "pk"))
    can_score = (can_manage and proposal.state == ProposalState.SUBMITTED and user.pk != proposal.submitted_by_id
                 and proposal.call.state in (CallState.OPEN, CallState.REVIEW)
                 and all(s.reviewer_id != user.pk for s in scores))
    can_report = (proposal.state == ProposalState.DISBURSED
                  and (can_manage or user.pk == proposal.submitted_by_id))
    score_form = forms.ScoreForm(prefix="sc") if can_score else None
    report_form = forms.ReportForm(prefix="rp") if can_report else None
    if request.method == "POST":
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "score" and can_score:
                score_form = forms.ScoreForm(request.POST, prefix="sc")
                if score_form.is_valid():
                    services.score_proposal(by=by, proposal=proposal, criteria=score_form.criteria(),
                                            note=score_form.cleaned_data["note"])
                    messages.success(request, _("Your scores are recorded."))
                    return redirect("funds:proposal", pk=proposal.pk)
            elif request.POST.get("action") == "report" and can_report:
                report_form = forms.ReportForm(request.POST, request.FILES, prefix="rp")
                if report_form.is_valid():
                    d = report_form.cleaned_data
                    services.final_report(by=by, proposal=proposal, report=d["report"], uploads=d["files"])
                    messages.success(request, _("Final report received."))
                    return redirect("funds:proposal", pk=proposal.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    row = selectors.proposal_rows([proposal])[0]
    return render(request, "funds/proposal_detail.html", {
        "proposal": proposal, "row": row, "scores": scores, "criteria": _criteria(),
        "score_form": score_form, "report_form": report_form, "files": _proposal_files(proposal),
        "breadcrumbs": [{"label": _("Micro-grants"), "url": reverse("funds:calls")},
                        {"label": proposal.call.title, "url": reverse("funds:call", args=[proposal.call_id])},
                        {"label": proposal.title}]})


# --- resident pages (WeUI shell, own household only) -----------------------------------------------------

def _resident_unit(user):
    """The resident's self-governance unit: their person record's, else their first dwelling's."""
    person = getattr(user, "person", None)
    if person is not None and person.unit_id:
        return SelfGovernanceUnit.objects.filter(pk=person.unit_id).first()
    d = services.resident_dwellings(user).exclude(unit=None).select_related("unit").order_by("pk").first()
    return d.unit if d else None


@login_required
def my_ledger(request):
    unit = _resident_unit(request.user)
    if unit is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    return redirect("funds:public_ledger", slug=unit.slug)


@login_required
def my_levy(request):
    """What the resident's own household was charged under each levy, and the payments booked for it."""
    dwellings = list(services.resident_dwellings(request.user).select_related("building", "entrance"))
    charges = list(LevyCharge.objects.filter(dwelling__in=[d.pk for d in dwellings])
                   .select_related("levy__account", "dwelling").order_by("-levy__created_at", "dwelling_id"))
    payments: dict[int, list] = {}
    for e in LedgerEntry.objects.filter(levy_charge__in=[c.pk for c in charges]).order_by("booked_on", "pk"):
        payments.setdefault(e.levy_charge_id, []).append(e)
    rows = [{"c": c, "payments": payments.get(c.pk, []), "owing": c.amount_fen - c.paid_fen} for c in charges]
    return render(request, "funds/my_levy.html", {"dwellings": dwellings, "rows": rows,
                                                  "owing": sum(r["owing"] for r in rows)})


@login_required
def resident_grants(request):
    unit = _resident_unit(request.user)
    today = timezone.localdate()
    calls = (list(GrantCall.objects.filter(account__unit=unit, state=CallState.OPEN, closes_on__gte=today)
                  .select_related("account").order_by("closes_on", "pk")[:20]) if unit else [])
    mine = list(GrantProposal.objects.filter(submitted_by=request.user).select_related("call")
                .order_by("-created_at", "-pk")[:50])
    return render(request, "funds/resident_grants.html", {"unit": unit, "calls": calls, "mine": mine})


@login_required
def resident_propose(request, pk: int):
    call = get_object_or_404(GrantCall.objects.select_related("account__unit"), pk=pk)
    if not services.may_propose(request.user, call):
        raise Http404
    form = forms.ResidentProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            proposal = services.submit_proposal(
                by=Actor.from_request(request), call=call, title=d["title"], applicant=d["applicant"],
                requested_fen=d["requested"], category=d["category"], summary=d["summary"])
        except (ValidationError, PermissionDenied) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
        else:
            messages.success(request, _("Thank you: your proposal is submitted for review."))
            return redirect("funds:resident_proposal", pk=proposal.pk)
    return render(request, "funds/resident_propose.html", {"call": call, "form": form})


@login_required
def resident_proposal(request, pk: int):
    proposal = get_object_or_404(GrantProposal.objects.select_related("call", "request"), pk=pk,
                                 submitted_by=request.user)
    form = None
    if proposal.state == ProposalState.DISBURSED:
        form = forms.ReportForm(request.POST or None, request.FILES or None)
        for field in form.fields.values():
            field.widget.attrs.pop("class", None)
        if request.method == "POST" and form.is_valid():
            try:
                services.final_report(by=Actor.from_request(request), proposal=proposal,
                                      report=form.cleaned_data["report"], uploads=form.cleaned_data["files"])
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, m)
            else:
                messages.success(request, _("Final report received."))
                return redirect("funds:resident_proposal", pk=proposal.pk)
    return render(request, "funds/resident_proposal.html", {"proposal": proposal, "form": form})
