"""Works payments (issue 10 item 5): a payment request cites the contract and the signed inspection or
passed acceptance stage it pays for, and goes to funds, whose three-party sign-off decides and pays
(through the hook `funds.create_payment_request`; never around it). The retention stays withheld until
the joint final acceptance plus the warranty: before that, requests beyond the contract amount minus the
retention are refused. Requests not rejected count against the limit, so paid ≤ requested ≤ limit."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import hooks
from courtyard.core.audit import Actor

from .. import permissions as p
from ..choices import AcceptanceStage, PaysFor
from ..models import Acceptance, Contract, Inspection, WorksPayment
from ..money import yuan
from ._common import record, require_staff


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def retention_released_on(contract: Contract) -> dt.date | None:
    """The joint final acceptance's date plus the warranty; None before the joint final has passed."""
    final = (Acceptance.objects.filter(project_id=contract.project_id, stage=AcceptanceStage.JOINT_FINAL, passed=True)
             .values_list("held_on", flat=True).first())
    return add_months(final, contract.warranty_months) if final else None


@dataclass(frozen=True)
class ContractMoney:
    amount_fen: int
    retention_fen: int
    released_on: dt.date | None  # when the retention may be paid (None: joint final not passed yet)
    released: bool
    limit_fen: int  # what may be requested in all, today
    requested_fen: int  # requests not rejected (awaiting sign-off, approved or paid)
    paid_fen: int
    rows: list[dict]

    @property
    def available_fen(self) -> int:
        return max(0, self.limit_fen - self.requested_fen)

    def text(self) -> dict:
        return {k: yuan(getattr(self, k)) for k in ("amount_fen", "retention_fen", "limit_fen", "requested_fen",
                                                    "paid_fen", "available_fen")}


def contract_money(contract: Contract, payments=None, states=None, today: dt.date | None = None) -> ContractMoney:
    """The contract's amount, retention and paid-to-date, from its payments and funds' request states."""
    payments = list(contract.payments.all()) if payments is None else payments
    if states is None:
        states = hooks.call("funds.request_states", ids=[x.funds_request_id for x in payments]) if payments else {}
    released_on = retention_released_on(contract)
    released = released_on is not None and released_on <= (today or timezone.localdate())
    requested = paid = 0
    rows = []
    for pay in payments:
        st = states.get(pay.funds_request_id, {})
        if st.get("state") != "rejected":
            requested += pay.amount_fen
        if st.get("paid"):
            paid += pay.amount_fen
        rows.append({"payment": pay, "amount": yuan(pay.amount_fen), "state": st.get("state_label", "—"),
                     "url": st.get("url", ""), "paid": bool(st.get("paid"))})
    limit = contract.amount_fen if released else contract.amount_fen - contract.retention_fen
    return ContractMoney(contract.amount_fen, contract.retention_fen, released_on, released, limit, requested, paid,
                         rows)


@transaction.atomic
def request_works_payment(*, by: Actor, contract: Contract, pays_for: str, amount_fen: int, account_id: int,
                          inspection: Inspection | None = None, acceptance: Acceptance | None = None) -> WorksPayment:
    locked = Contract.objects.select_for_update().select_related("project").get(pk=contract.pk)
    project = locked.project
    require_staff(by, p.MANAGE, project)
    errors: dict[str, str] = {}
    # What is cited is read afresh: a form's or a caller's instance may be stale.
    inspection = Inspection.objects.filter(pk=inspection.pk).first() if inspection is not None else None
    acceptance = Acceptance.objects.filter(pk=acceptance.pk).first() if acceptance is not None else None
    if pays_for == PaysFor.INSPECTION:
        acceptance = None
        if inspection is None or inspection.project_id != project.pk:
            errors["inspection"] = _("Choose an inspection of this project.")
        elif not inspection.signed_by_id or not inspection.satisfactory:
            errors["inspection"] = _("Pay only for an inspection that is satisfactory and signed.")
        cited = inspection
    elif pays_for == PaysFor.ACCEPTANCE:
        inspection = None
        if acceptance is None or acceptance.project_id != project.pk:
            errors["acceptance"] = _("Choose an acceptance stage of this project.")
        elif not acceptance.passed:
            errors["acceptance"] = _("Pay only for an acceptance stage that has passed.")
        cited = acceptance
    else:
        errors["pays_for"] = _("Say whether it pays for an inspection or an acceptance stage.")
        cited = None
    if not amount_fen or amount_fen <= 0:
        errors["amount_fen"] = _("The amount must be more than zero.")
    if errors:
        raise ValidationError(errors)
    money = contract_money(locked)
    if money.requested_fen + amount_fen > money.limit_fen:
        if money.released:
            msg = _("This would pay more than the contract amount: at most %(a)s can still be requested.")
        else:
            msg = _("Before the joint final acceptance and the warranty have passed, the retention (%(r)s) stays "
                    "withheld: at most %(a)s can still be requested.")
        raise ValidationError({"amount_fen": msg % {"a": yuan(money.available_fen), "r": yuan(money.retention_fen)}})
    cites = (f"{inspection.get_kind_display()} {inspection.inspected_on}" if inspection
             else f"{acceptance.get_stage_display()} {acceptance.held_on}")
    title = _("Works payment, contract %(n)s: %(c)s") % {"n": locked.number, "c": cites}
    filed = hooks.call("funds.create_payment_request", by=by, account_id=account_id, unit_id=project.unit_id,
                       title=title, amount_fen=amount_fen, payee_name=locked.party, partner_id=locked.partner_id)
    pay = WorksPayment.objects.create(contract=locked, pays_for=pays_for, inspection=inspection, acceptance=acceptance,
                                      amount_fen=amount_fen, account_id=account_id, funds_request_id=filed["id"],
                                      requested_by=by.user)
    record(by, "projects.payment.request", pay, unit_id=project.unit_id, community_id=project.community_id,
           changes={"contract": [None, locked.number], "pays_for": [None, pays_for], "cites": [None, cited.pk],
                    "amount_fen": [None, amount_fen], "funds_request": [None, filed["id"]]})
    return pay
