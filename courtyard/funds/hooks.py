"""What funds offers its sibling apps through named hooks (courtyard.core.hooks, ADR 0026): a payment
request that then goes through the account's own sign-off (never around it), the states of requests,
and an income entry for a partner's revenue share. Each call runs funds' own service, with its own
permission check and audit trail. Plain values in, plain values out."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courtyard.core.hooks import provides
from courtyard.org.models import PartnerUnit

from . import permissions as p
from . import services
from .choices import Basis, Category, CounterpartyKind, RequestState
from .models import Account, ExpenditureRequest


def _accounts(user, unit_id: int, perm: str) -> list[tuple[int, str]]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    rows = Account.objects.visible_to(user, perm).filter(unit_id=unit_id).order_by("name", "pk")
    return [(a.pk, a.name) for a in rows if user.has_perm(perm, a)]


@provides("funds.payment_accounts")
def payment_accounts(*, user, unit_id: int) -> list[tuple[int, str]]:
    return _accounts(user, unit_id, p.REQUEST_PAYMENT)


@provides("funds.income_accounts")
def income_accounts(*, user, unit_id: int) -> list[tuple[int, str]]:
    return _accounts(user, unit_id, p.RECORD_INCOME)


def _account(account_id: int, unit_id: int) -> Account:
    account = Account.objects.filter(pk=account_id, unit_id=unit_id).first()
    if account is None:
        raise ValidationError({"account": _("Choose an account of this unit.")})
    return account


def _partner(partner_id, account: Account):
    if not partner_id:
        return None
    return PartnerUnit.objects.filter(pk=partner_id, community_id=account.community_id).first()


@provides("funds.create_payment_request")
def create_payment_request(*, by, account_id: int, unit_id: int, title: str, amount_fen: int, payee_name: str,
                           partner_id: int | None = None) -> dict:
    account = _account(account_id, unit_id)
    req = services.create_request(by=by, account=account, title=title[:200], amount_fen=amount_fen,
                                  category=Category.WORKS, payee_name=payee_name[:120],
                                  payee_kind=CounterpartyKind.ORGANISATION, partner=_partner(partner_id, account))
    return {"id": req.pk, "url": req.get_console_url(), "state": req.state}


@provides("funds.request_states")
def request_states(*, ids) -> dict[int, dict]:
    rows = ExpenditureRequest.objects.filter(pk__in=list(ids)).only("pk", "state", "account_id")
    return {r.pk: {"state": r.state, "state_label": RequestState(r.state).label, "url": r.get_console_url(),
                   "paid": r.state in (RequestState.PAID, RequestState.CLOSED)} for r in rows}


@provides("funds.record_revenue_share")
def record_revenue_share(*, by, account_id: int, unit_id: int, amount_fen: int, counterparty_name: str,
                         partner_id: int | None = None, booked_on=None, memo: str = "") -> dict:
    account = _account(account_id, unit_id)
    entry = services.record_income(by=by, account=account, amount_fen=amount_fen, basis=Basis.PPP,
                                   counterparty_name=counterparty_name[:120],
                                   counterparty_kind=CounterpartyKind.ORGANISATION,
                                   partner=_partner(partner_id, account), booked_on=booked_on, memo=memo[:200])
    return {"id": entry.pk, "seq": entry.seq}
