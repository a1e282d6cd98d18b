"""Reads that matter: the public ledger, balances, collection rates, self-funding and the budget.

Public readers get no personal data: private persons are masked (张*), dwellings never appear,
levy collection is shown by building as a rate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from courtyard.core.pii import mask_name

from .choices import (
    CRITERIA_MAX,
    GOVERNMENT_BASES,
    GUIDE,
    Category,
    CounterpartyKind,
    Criterion,
    Kind,
    StatementState,
)
from .models import Account, ApprovalStep, LedgerEntry, LevyCharge, MonthlyStatement
from .money import percent, ratio, yuan


def public_payee(kind: str, name: str) -> str:
    return mask_name(name) if kind == CounterpartyKind.PERSON else name


def unit_accounts(unit):
    return Account.objects.filter(unit=unit).order_by("purpose", "name")


def public_ledger_summary(unit) -> dict:
    """Context for the 'ledger' section of /u/<slug>/ (a summary and a link)."""
    accounts = list(unit_accounts(unit))
    head = max((a for a in accounts if a.head_at), key=lambda a: a.head_at, default=None)
    return {
        "accounts": accounts,
        "total_fen": sum(a.balance_fen for a in accounts),
        "total": yuan(sum(a.balance_fen for a in accounts)),
        "latest": head,
        "url": reverse("funds:public_ledger", args=[unit.slug]),
        "self_funding": percent(self_funding_ratio(unit, accounts)),
    }


def self_funding_ratio(unit, accounts=None) -> Fraction | None:
    """Income raised by residents and society (levies, fees, donations, PPP shares, canteen surplus)
    over all income, net of corrections. Government subsidies and grants are the rest.

    Read from the accounts' running totals (kept by `services.append_entry`, checked by
    `ledger_verify`), so it costs one small query — or none when `accounts` is given."""
    rows = accounts if accounts is not None else unit_accounts(unit).only("income_fen", "gov_income_fen")
    total = sum(a.income_fen for a in rows)
    gov = sum(a.gov_income_fen for a in rows)
    return ratio(total - gov, total)


def self_funding_ratio_from_entries(unit) -> Fraction | None:
    """The same ratio summed over the ledger itself (tests and audits compare the two)."""
    income = LedgerEntry.objects.filter(account__unit=unit).filter(
        Q(kind=Kind.INCOME) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.INCOME))
    by_basis = defaultdict(int)
    for row in income.values("basis", "reverses__basis").annotate(s=Sum("amount_fen")):
        by_basis[row["reverses__basis"] or row["basis"]] += row["s"]
    total = sum(by_basis.values())
    gov = sum(v for k, v in by_basis.items() if k in GOVERNMENT_BASES)
    return ratio(total - gov, total)


def spending_by_category(unit, *, year: int | None = None) -> dict[str, int]:
    """Fen spent per category: payments and their corrections (a reversed payment counts zero)."""
    qs = LedgerEntry.objects.filter(account__unit=unit).filter(
        Q(kind=Kind.PAYMENT) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.PAYMENT))
    if year:
        qs = qs.filter(booked_on__year=year)
    out: dict[str, int] = defaultdict(int)
    for row in qs.values("category").annotate(s=Sum("amount_fen")):
        out[row["category"] or Category.OTHER] += -row["s"]
    return dict(out)


def budget_view(unit, *, year: int | None = None) -> dict:
    """FND-7: the four guided categories as shares of their combined spending, against the guide."""
    spent = spending_by_category(unit, year=year)
    guided_total = sum(spent.get(c, 0) for c in GUIDE)
    rows = []
    for cat, target in GUIDE.items():
        fen = spent.get(cat, 0)
        share = ratio(fen, guided_total)
        target_f = Fraction(target, 100)
        rows.append({"category": Category(cat).label, "code": cat, "fen": fen, "yuan": yuan(fen),
                     "share": percent(share), "target": f"{target} %",
                     "status": "—" if share is None else ("over" if share > target_f else
                                                          "under" if share < target_f else "on")})
    others = [{"category": Category(c).label, "fen": v, "yuan": yuan(v)} for c, v in spent.items() if c not in GUIDE]
    return {"rows": rows, "guided_total": yuan(guided_total), "others": others}


def collection_by_building(unit) -> list[dict]:
    """Levy collection per building as amounts and a rate; never names or dwellings."""
    rows = (LevyCharge.objects.filter(levy__account__unit=unit)
            .values("levy__name", "building__name", "building_id")
            .annotate(due=Sum("amount_fen"), paid=Sum("paid_fen"), households=Count("id"))
            .order_by("levy__name", "building__name"))
    out = []
    for r in rows:
        out.append({"levy": r["levy__name"], "building": r["building__name"], "due": yuan(r["due"]),
                    "paid": yuan(r["paid"]), "rate": percent(ratio(r["paid"], r["due"])),
                    "households": r["households"]})
    return out


def arrears(user, levy) -> list[LevyCharge]:
    """Staff only: dwellings that still owe under `levy` (caller checked the permission)."""
    return list(levy.charges.filter(paid_fen__lt=F("amount_fen")).select_related(
        "dwelling__entrance", "dwelling__building", "dwelling__courtyard", "building"))


def public_entries(unit, *, account_id=None, category=None, month: dt.date | None = None):
    """Every public entry of `unit` matching the filters, newest first (exports and the PDF re-order)."""
    qs = (LedgerEntry.objects.filter(account__unit=unit)
          .select_related("account", "request", "reverses")
          .order_by("-booked_on", "-id"))
    if account_id:
        qs = qs.filter(account_id=account_id)
    if category:
        qs = qs.filter(category=category)
    if month:
        first, nxt = month_bounds(month)
        qs = qs.filter(booked_on__gte=first, booked_on__lt=nxt)
    return qs


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


@dataclass
class KeysetPage:
    """One page of the public ledger: rows newest first, and the cursor of the next (older) page."""

    entries: list
    next_cursor: str | None
    first: bool


def encode_cursor(entry) -> str:
    return f"{entry.booked_on:%Y%m%d}.{entry.pk}"


def decode_cursor(value: str | None) -> tuple[dt.date, int] | None:
    try:
        day, pk = (value or "").split(".")
        return dt.datetime.strptime(day, "%Y%m%d").date(), int(pk)  # noqa: DTZ007 - a calendar date
    except ValueError:
        return None


def public_page(accounts, *, per_page: int, cursor: str | None = None, account_id=None, category=None,
                month: dt.date | None = None) -> KeysetPage:
    """Keyset page over (date desc, id desc) across the unit's accounts: no COUNT, no OFFSET, two queries.

    1. The keys: on PostgreSQL one UNION ALL of per-account branches, each an index range scan of
       `funds_entry_acct_date` / `funds_entry_acct_cat_date` from the cursor that stops after
       per_page + 1 rows — so a page costs the same at 100 or 10 million entries. (SQLite, one
       courtyard's ledger, cannot slice inside a compound query: it reads the keys with IN.)
    2. The rows of the newest per_page keys, by primary key."""
    after = decode_cursor(cursor)
    chosen = [a for a in accounts if not account_id or a.pk == account_id]
    by_id = {a.pk: a for a in chosen}

    def keys(qs):
        if category:
            qs = qs.filter(category=category)
        if month:
            first, nxt = month_bounds(month)
            qs = qs.filter(booked_on__gte=first, booked_on__lt=nxt)
        if after:
            day, pk = after
            # (booked_on, id) < (day, pk), written so the index range starts at `day`.
            qs = qs.filter(booked_on__lte=day).filter(Q(booked_on__lt=day) | Q(id__lt=pk))
        return qs.order_by("-booked_on", "-id").values_list("booked_on", "id")[:per_page + 1]

    if not chosen:
        found = []
    elif len(chosen) == 1 or not connection.features.supports_slicing_ordering_in_compound:
        found = list(keys(LedgerEntry.objects.filter(account_id__in=list(by_id))))
    else:
        branches = [keys(LedgerEntry.objects.filter(account_id=pk)) for pk in by_id]
        found = list(branches[0].union(*branches[1:], all=True))
    found.sort(reverse=True)
    more = len(found) > per_page
    ids = [pk for _day, pk in found[:per_page]]
    rows = {e.pk: e for e in LedgerEntry.objects.filter(pk__in=ids).select_related("request", "reverses")}
    entries = []
    for pk in ids:
        e = rows[pk]
        e.account = by_id[e.account_id]  # already loaded: no query per row
        entries.append(e)
    return KeysetPage(entries=entries, next_cursor=encode_cursor(entries[-1]) if more and entries else None,
                      first=after is None)


def in_chain_order(qs, size: int = 2000):
    """`qs` in (account, seq) order as lists of `size`, by keyset on UNIQUE(account, seq): exports walk
    any ledger in linear time (no COUNT, no growing OFFSET)."""
    qs = qs.order_by("account_id", "seq")
    last = None
    while True:
        page = qs if last is None else qs.filter(Q(account_id__gt=last[0]) | Q(account_id=last[0], seq__gt=last[1]))
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        last = (chunk[-1].account_id, chunk[-1].seq)


def approvals_for(entries) -> dict[int, list[ApprovalStep]]:
    """request id -> its steps, in one query for a page of entries."""
    ids = {e.request_id for e in entries if e.request_id}
    out: dict[int, list[ApprovalStep]] = defaultdict(list)
    if ids:
        for s in ApprovalStep.objects.filter(request_id__in=ids).order_by("decided_at", "id"):
            out[s.request_id].append(s)
    return out


def attachments_for(entries, *, public: bool):
    """entry id -> attachments. Public pages list only files a bookkeeper published (redacted copies)."""
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    ids = [str(e.pk) for e in entries if e.attachment_digests]
    out: dict[int, list] = defaultdict(list)
    if not ids:
        return out
    qs = Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(LedgerEntry), owner_id__in=ids)
    if public:
        qs = qs.filter(published_at__isnull=False)
    for a in qs:
        out[int(a.owner_id)].append(a)
    return out


def published_statements(unit):
    return MonthlyStatement.objects.filter(account__unit=unit, state=StatementState.PUBLISHED).select_related(
        "account", "reviewed_by")


def month_totals(unit, month: dt.date) -> list[dict]:
    """Per account: opening, in, out, closing and the head at the end of the month (statement PDF)."""
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    out = []
    for acc in unit_accounts(unit):
        # The head first, then the figures from the entries it covers (seq ≤ head): an append that
        # commits while the PDF is made cannot enter the totals without being under the printed head.
        head = (LedgerEntry.objects.filter(account=acc, booked_on__lt=nxt).order_by("-seq")
                .values("seq", "hash", "created_at").first())
        entries = LedgerEntry.objects.filter(account=acc, seq__lte=head["seq"] if head else 0)
        opening = entries.filter(booked_on__lt=first).aggregate(s=Sum("amount_fen"))["s"] or 0
        m = entries.filter(booked_on__gte=first, booked_on__lt=nxt).aggregate(
            i=Sum("amount_fen", filter=Q(amount_fen__gt=0)), o=Sum("amount_fen", filter=Q(amount_fen__lt=0)))
        inc, outg = m["i"] or 0, -(m["o"] or 0)
        out.append({"account": acc, "opening": yuan(opening), "income": yuan(inc), "spending": yuan(outg),
                    "closing": yuan(opening + inc - outg), "closing_fen": opening + inc - outg, "head": head})
    return out


# --- micro-grants (FND-6) -------------------------------------------------------------------------------

def exact(value: Fraction | None, places: int = 2) -> str:
    """A Fraction as a decimal rounded half-up to `places` (display only; comparisons use the Fraction)."""
    if value is None:
        return "—"
    scaled = value * 10**places
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole, frac = divmod(q, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def proposal_rows(proposals) -> list[dict]:
    """Each proposal with its reviewers' exact average per criterion and in total (Fractions), ranked
    by the total average (unscored last, then oldest first). `proposals` must prefetch `scores`."""
    out = []
    for p in proposals:
        scores = list(p.scores.all())
        n = len(scores)
        per = {c: (Fraction(sum(s.criteria.get(c, 0) for s in scores), n) if n else None) for c in CRITERIA_MAX}
        avg = Fraction(sum(s.score for s in scores), n) if n else None
        out.append({"p": p, "n": n, "avg": avg, "avg_text": exact(avg),
                    "criteria": [(Criterion(c).label, exact(per[c]), CRITERIA_MAX[c]) for c in CRITERIA_MAX]})
    out.sort(key=lambda r: (r["avg"] is None, -(r["avg"] or 0), r["p"].created_at, r["p"].pk))
    return out
