"""Public ledger pages (no login): ledger, export, monthly statement PDF, files."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.models import Attachment
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.xlsx import xlsx_response
from courtyard.org.models import SelfGovernanceUnit

from .. import anchors, selectors
from ..choices import Category, Step
from ..models import LedgerAnchor, LedgerEntry
from ..money import percent, yuan
from ._common import PER_PAGE


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
