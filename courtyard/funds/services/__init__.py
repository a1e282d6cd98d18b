"""Every write in the funds app. Keyword-only arguments, one transaction, one audit event each.

A package split by subject (as servicedesk/services/); this module re-exports the public names so
callers keep writing ``from courtyard.funds import services; services.pay(...)``. To monkeypatch a name
in a test, patch it in the submodule that uses it.

The ledger's integrity rests on `append_entry` (`_ledger.py`): it locks the account row (SELECT … FOR
UPDATE), so appends to one account are serialised and the hash chain cannot fork; the database then
refuses UPDATE/DELETE of entries and any payment row whose request is not fully signed off.
"""

from ._ledger import (
    EARLIEST_BOOKING,
    append_entry,
    create_account,
    record_income,
    reverse_entry,
)
from .fees import (
    bill_amount,
    create_household_fee,
    issue_bills,
    lock_bill,
    may_pay,
    offset_bill,
    offset_room_fen,
    pay_online,
    period_of,
    record_office_payment,
    record_payment,
    send_reminders,
    unoffset_bill,
)
from .grants import (
    award,
    close_call,
    final_report,
    may_propose,
    open_call,
    resident_dwellings,
    score_proposal,
    submit_proposal,
)
from .levies import (
    create_levy,
    record_levy_payment,
)
from .requests import (
    create_request,
    pay,
    sign,
)
from .trust import (
    create_fee_plan,
    generate_statement,
    review_statement,
    set_trustee,
)

__all__ = [
    "bill_amount",
    "create_household_fee",
    "issue_bills",
    "may_pay",
    "offset_bill",
    "offset_room_fen",
    "lock_bill",
    "unoffset_bill",
    "set_trustee",
    "pay_online",
    "period_of",
    "record_office_payment",
    "record_payment",
    "send_reminders",
    "EARLIEST_BOOKING",
    "append_entry",
    "award",
    "close_call",
    "create_account",
    "create_fee_plan",
    "create_levy",
    "create_request",
    "final_report",
    "generate_statement",
    "may_propose",
    "open_call",
    "pay",
    "record_income",
    "record_levy_payment",
    "resident_dwellings",
    "reverse_entry",
    "review_statement",
    "score_proposal",
    "sign",
    "submit_proposal",
]
