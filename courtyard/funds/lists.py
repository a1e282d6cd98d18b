"""Funds console lists on the console toolkit (courtyard/core/console, ADR 0014): accounts, payment
requests, ledger entries and micro-grant calls — filter bar, keyset pages, sortable columns, Excel
export. Amounts are shown in yuan with tabular figures (funds/console.css) and exported as numbers in
yuan. The public ledger pages are not console lists and are untouched."""

from __future__ import annotations

from decimal import Decimal

import django_filters as df
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.console import Column, ListPage
from courtyard.org.models import SelfGovernanceUnit

from . import permissions as p
from .choices import Basis, CallState, Category, Kind, Purpose, RequestState
from .models import Account, ExpenditureRequest, GrantCall, GrantProposal, LedgerEntry
from .money import yuan


def money(attr: str):
    """An amount column's cell: yuan, tabular figures, never broken inside the number."""
    return lambda row: format_html('<span class="fn-money">{}</span>', yuan(getattr(row, attr)))


def in_yuan(attr: str):
    """The same amount in the spreadsheet: a number of yuan (exact, two decimals)."""
    return lambda row: Decimal(getattr(row, attr)).scaleb(-2)


def _when(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


class FundsFilter(df.FilterSet):
    """The filter bar's ids are prefixed (f-…) so they never clash with a form on the same page."""

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.form.auto_id = "f-%s"
        if "unit" in self.filters and user is not None:
            ids = Account.objects.visible_to(user).values("unit_id")
            self.filters["unit"].queryset = SelfGovernanceUnit.objects.filter(pk__in=ids)
            self.form.fields["unit"].queryset = self.filters["unit"].queryset
        if "account" in self.filters and user is not None:
            accounts = Account.objects.visible_to(user).select_related("unit")
            self.filters["account"].queryset = accounts
            self.form.fields["account"].queryset = accounts


# ---------------------------------------------------------------- accounts
class AccountFilter(FundsFilter):
    text = df.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")
    unit = df.ModelChoiceFilter(label=_("Unit"), queryset=SelfGovernanceUnit.objects.none(), empty_label=_("All"))
    purpose = df.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices, empty_label=_("All"))


def _unit_link(a: Account):
    return format_html('<a href="{}">{}</a>', reverse("funds:public_ledger", args=[a.unit.slug]), a.unit.name)


class AccountList(ListPage):
    title = _("Funds and ledger")
    permission = p.VIEW_LEDGER
    export_name = "accounts"
    template = "funds/accounts.html"
    filterset_class = AccountFilter
    ordering = ("unit__name", "purpose", "name", "pk")
    columns = [
        Column("name", _("Account"), link=lambda a: a.get_console_url(), sort=("name",)),
        Column("unit", _("Unit"), html=_unit_link, export_value=lambda a: a.unit.name),
        Column("purpose", _("Purpose")),
        Column("custodian", _("Custodian")),
        Column("policy", _("Approval policy")),
        Column("balance_fen", _("Balance (yuan)"), html=money("balance_fen"), export_value=in_yuan("balance_fen"),
               numeric=True, sort=("balance_fen",)),
        Column("head", _("Chain head"), html=lambda a: format_html("<code>#{} {}…</code>", a.head_seq,
                                                                    a.head_hash[:16]),
               export_value=lambda a: f"#{a.head_seq} {a.head_hash}"),
    ]
    form = None

    def get_queryset(self, user):
        return Account.objects.visible_to(user).select_related("unit")

    def extra_context(self, request):
        return {"form": self.form, "can_audit_export": request.user.has_perm(p.AUDIT_EXPORT)}


# ---------------------------------------------------------------- payment requests
class RequestFilter(FundsFilter):
    text = df.CharFilter(label=_("Title or payee contains"), method="filter_text")
    state = df.ChoiceFilter(label=_("State"), choices=RequestState.choices, empty_label=_("All"))
    account = df.ModelChoiceFilter(label=_("Account"), queryset=Account.objects.none(), empty_label=_("All"))
    category = df.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("All"))

    def filter_text(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(title__icontains=value) | Q(payee_name__icontains=value)) if value else qs


class RequestList(ListPage):
    title = _("Payment requests")
    permission = p.SIGN
    export_name = "payment-requests"
    template = "funds/requests.html"
    filterset_class = RequestFilter
    ordering = ("-created_at", "-id")
    columns = [
        Column("title", _("What for"), link=lambda r: r.get_console_url()),
        Column("account.name", _("Account")),
        Column("payee_name", _("Payee")),
        Column("amount_fen", _("Amount (yuan)"), html=money("amount_fen"), export_value=in_yuan("amount_fen"),
               numeric=True, sort=("amount_fen",)),
        Column("category", _("Category")),
        Column("policy", _("Approval policy")),
        Column("state", _("State")),
        Column("created_at", _("Submitted"), value=lambda r: _when(r.created_at), sort=("created_at",)),
    ]
    form = None

    def get_queryset(self, user):
        return ExpenditureRequest.objects.visible_to(user).select_related("account")

    def extra_context(self, request):
        return {"form": self.form}


# ---------------------------------------------------------------- ledger entries
class EntryFilter(FundsFilter):
    account = df.ModelChoiceFilter(label=_("Account"), queryset=Account.objects.none(), empty_label=_("All"))
    kind = df.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    category = df.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("All"))
    since = df.DateFilter(label=_("From"), field_name="booked_on", lookup_expr="gte")
    until = df.DateFilter(label=_("Until"), field_name="booked_on", lookup_expr="lte")
    text = df.CharFilter(label=_("Counterparty or receipt contains"), method="filter_text")

    def filter_text(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(counterparty_name__icontains=value) | Q(receipt_no__icontains=value)) if value else qs


def _kind(e: LedgerEntry) -> str:
    label = str(Kind(e.kind).label) if e.kind in Kind.values else e.kind
    return f"{label} (#{e.reverses.seq})" if e.reverses_id else label


def _basis(e: LedgerEntry, *, link: bool):
    label = str(Basis(e.basis).label) if e.basis in Basis.values else e.basis
    if e.request_id and link:  # the request's page is for signers: others see its title only
        return format_html('{} · <a href="{}">{}</a>', label, e.request.get_console_url(), e.request.title)
    return f"{label} · {e.request.title}" if e.request_id else label


class EntryList(ListPage):
    """Every entry of the visible accounts (newest first), filtered by account, kind, category, dates."""
    title = _("Ledger entries")
    permission = p.VIEW_LEDGER
    export_name = "ledger-entries"
    template = "funds/entries.html"
    filterset_class = EntryFilter
    ordering = ("-booked_on", "-id")
    columns = [
        Column("account.name", _("Account")),
        Column("seq", _("No."), numeric=True),
        Column("booked_on", _("Date"), value=lambda e: e.booked_on.strftime("%Y-%m-%d"), sort=("booked_on",)),
        Column("kind", _("Kind"), value=_kind),
        Column("basis", _("Basis"), html=lambda e: _basis(e, link=False), export_value=lambda e: e.get_basis_display()),
        Column("category", _("Category")),
        Column("counterparty_name", _("Counterparty")),
        Column("receipt_no", _("Receipt no.")),
        Column("amount_fen", _("Amount (yuan)"), html=money("amount_fen"), export_value=in_yuan("amount_fen"),
               numeric=True, sort=("amount_fen",)),
        Column("hash", _("Hash"), html=lambda e: format_html("<code>{}…</code>", e.hash[:12]),
               export_value=lambda e: e.hash),
    ]

    def get_queryset(self, user):
        return LedgerEntry.objects.visible_to(user).select_related("account", "reverses", "request")

    def get_columns(self, request):
        user = request.user
        columns = list(self.columns)
        if user.has_perm(p.SIGN):
            at = next(n for n, c in enumerate(columns) if c.name == "basis")
            columns[at] = Column("basis", _("Basis"), html=lambda e: _basis(e, link=True))
        if not user.has_perm(p.RECORD_INCOME):
            return columns
        token = get_token(request)
        may: list[set] = []  # the accounts where this person records income: one query per page

        def correct(e: LedgerEntry):
            if e.kind == Kind.REVERSAL:
                return ""
            if not may:
                may.append(set(Account.objects.visible_to(user, p.RECORD_INCOME).values_list("pk", flat=True)))
            if e.account_id not in may[0]:
                return ""
            return format_html(
                '<form method="post" action="{}" class="d-flex gap-1"><input type="hidden" '
                'name="csrfmiddlewaretoken" value="{}"><label class="visually-hidden" for="r{}">{}</label>'
                '<input id="r{}" class="form-control form-control-sm" name="reason" required placeholder="{}">'
                '<button class="btn btn-sm btn-outline-danger" type="submit">{}</button></form>',
                reverse("funds:entry_reverse", args=[e.pk]), token, e.pk, _("Why is this entry corrected?"), e.pk,
                _("Reason"), _("Reverse"))

        return [*columns, Column("correct", _("Correct"), html=correct, export=False)]


# ---------------------------------------------------------------- micro-grant calls
class CallFilter(FundsFilter):
    text = df.CharFilter(label=pgettext_lazy("grant call", "Title contains"), field_name="title",
                         lookup_expr="icontains")
    state = df.ChoiceFilter(label=_("State"), choices=CallState.choices, empty_label=_("All"))
    account = df.ModelChoiceFilter(label=_("Account"), queryset=Account.objects.none(), empty_label=_("All"))


def _per_call(expr, **where):
    inner = (GrantProposal.objects.filter(call=OuterRef("pk"), **where).order_by().values("call")
             .annotate(n=expr).values("n"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


class CallList(ListPage):
    title = _("Micro-grants")
    permission = p.VIEW_LEDGER
    export_name = "grant-calls"
    template = "funds/calls.html"
    filterset_class = CallFilter
    ordering = ("-created_at", "-pk")
    columns = [
        Column("title", pgettext_lazy("grant call", "Call"), link=lambda c: reverse("funds:call", args=[c.pk])),
        Column("account.name", _("Account")),
        Column("budget_fen", _("Budget (yuan)"), html=money("budget_fen"), export_value=in_yuan("budget_fen"),
               numeric=True, sort=("budget_fen",)),
        Column("requested_fen", _("Requested (yuan)"), html=money("requested_fen"),
               export_value=in_yuan("requested_fen"), numeric=True),
        Column("n_proposals", _("Proposals"), numeric=True),
        Column("closes_on", _("Closes on"), value=lambda c: c.closes_on.strftime("%Y-%m-%d"), sort=("closes_on",)),
        Column("state", _("State")),
    ]
    form = None

    def get_queryset(self, user):
        return GrantCall.objects.visible_to(user).select_related("account").annotate(
            n_proposals=_per_call(Count("pk")), requested_fen=_per_call(Sum("requested_fen")))

    def extra_context(self, request):
        return {"form": self.form}
