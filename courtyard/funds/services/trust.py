"""Trust-style property management (FND-5): fee plans and monthly statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor

from .. import chain, rules
from ..choices import (
    Purpose,
    StatementState,
    Step,
)
from ..models import (
    Account,
    FeePlan,
    LedgerAnchor,
    LedgerEntry,
    MonthlyStatement,
)
from ._ledger import _check

# --- trust-style property management (FND-5) ------------------------------------------------------------

@transaction.atomic
def create_fee_plan(*, by: Actor, account: Account, name: str, rate_fen_per_m2_month, starts_on, settlor: str,
                    trustee: str, resolution_ref: str = "", ends_on=None) -> FeePlan:
    """信托制物业: the fee owners pay into the trust-property account, in fen per m² per month."""
    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    if account.purpose != Purpose.TRUST_PROPERTY:
        raise ValidationError(_("Fee plans belong to a trust-property account."))
    rate = Decimal(str(rate_fen_per_m2_month))
    if rate <= 0 or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(_("The fee must be more than zero, in at most hundredths of a fen."))
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    if not name.strip() or not settlor.strip() or not trustee.strip():
        raise ValidationError(_("Name the plan, the settlor and the trustee."))
    plan = FeePlan.objects.create(account=account, name=name.strip(), rate_fen_per_m2_month=rate,
                                  starts_on=starts_on, ends_on=ends_on, settlor=settlor.strip(),
                                  trustee=trustee.strip(), resolution_ref=resolution_ref)
    audit.record(by, "funds.fee_plan_created", plan, community_id=account.community_id,
                 changes=audit.diff(None, audit.snapshot(plan)))
    return plan


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt


@transaction.atomic
def generate_statement(*, by: Actor, account: Account, month: dt.date) -> MonthlyStatement:
    """Freeze one month of `account` from the ledger (a draft until the committee reviews it)."""
    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    first, nxt = _month_bounds(month)
    # The head first, then every figure from entries up to it: an entry appended meanwhile (READ
    # COMMITTED) cannot slip into the totals without being covered by the head the statement records.
    last = (LedgerEntry.objects.filter(account=account, booked_on__lt=nxt).order_by("-seq")
            .values_list("seq", "hash").first() or (0, chain.GENESIS))
    entries = LedgerEntry.objects.filter(account=account, seq__lte=last[0])
    opening = entries.filter(booked_on__lt=first).aggregate(s=Sum("amount_fen"))["s"] or 0
    in_month = entries.filter(booked_on__gte=first, booked_on__lt=nxt)
    income = in_month.filter(amount_fen__gt=0).aggregate(s=Sum("amount_fen"))["s"] or 0
    spending = -(in_month.filter(amount_fen__lt=0).aggregate(s=Sum("amount_fen"))["s"] or 0)
    existing = MonthlyStatement.objects.filter(account=account, month=first).first()
    if existing and existing.state != StatementState.DRAFT:
        raise ValidationError(_("This month's statement has been reviewed already."))
    values = {"opening_fen": opening, "income_fen": income, "spending_fen": spending,
              "closing_fen": opening + income - spending, "entries": in_month.count(), "head_seq": last[0],
              "head_hash": last[1], "generated_at": timezone.now()}
    st, _created = MonthlyStatement.objects.update_or_create(account=account, month=first, defaults=values)
    audit.record(by, "funds.statement_generated", st, community_id=account.community_id,
                 changes={k: [None, v] for k, v in values.items() if k.endswith("_fen")})
    return st


@transaction.atomic
def review_statement(*, by: Actor, statement: MonthlyStatement, note: str = "") -> MonthlyStatement:
    """Committee review sign-off, then publication on the unit's public page."""
    st = MonthlyStatement.objects.select_for_update().select_related("account__community").get(pk=statement.pk)
    if rules.signing_role(by.user, st.account, Step.COMMITTEE) is None:
        raise PermissionDenied(_("A committee member reviews the statement."))
    if st.state != StatementState.DRAFT:
        raise ValidationError(_("This statement has been reviewed already."))
    now = timezone.now()
    st.state, st.reviewed_by, st.reviewed_at, st.review_note, st.published_at = (
        StatementState.PUBLISHED, by.user, now, note[:300], now)
    st.save()
    audit.record(by, "funds.statement_published", st, community_id=st.account.community_id, note=note)
    # The printed head, also as an append-only row (the statement row itself is an ordinary row).
    from ..anchors import record_printed_heads

    record_printed_heads(by=by, heads=[(st.account, st.head_seq, st.head_hash)], source=LedgerAnchor.Source.STATEMENT,
                         reference=f"{st.month:%Y-%m}")
    return st


@transaction.atomic
def set_trustee(*, by: Actor, account: Account, trustee) -> Account:
    """Name the trust institution (an org partner unit of kind trust institution, same community) that holds
    this account's money in trust; its logins then see this account and its ledger (ORG-8). None: nobody."""
    from courtyard.org.choices import PartnerKind

    from ..permissions import MANAGE_ACCOUNTS

    _check(by.user, MANAGE_ACCOUNTS, account)
    if trustee is not None and (trustee.kind != PartnerKind.TRUST_INSTITUTION
                                or trustee.community_id != account.community_id):
        raise ValidationError({"trustee": _("Choose a trust institution of the account's community.")})
    locked = Account.objects.select_for_update().get(pk=account.pk)
    before = locked.trustee_id
    locked.trustee = trustee
    locked.save(update_fields=["trustee"])
    audit.record(by, "funds.account_trustee", locked, community_id=locked.community_id,
                 changes={"trustee": [before, trustee.pk if trustee else None]})
    account.trustee = trustee
    return locked
