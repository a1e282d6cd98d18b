"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

EVENTS = {
    "funds.head_printed": _("Ledger head printed"),
    "funds.household_fee_created": _("Household fee set"),
    "funds.fee_bills_issued": _("Fee bills issued"),
    "funds.fee_paid": _("Fee paid"),
    "funds.fee_offset": _("Fee offset by points"),
    "funds.fee_offset_reversed": _("Fee offset by points corrected"),
    "funds.account_trustee": _("Trust institution of an account set"),
    "funds.fee_reminders": _("Fee reminders sent"),
}

# Change keys of the household-fee events that are not model fields.
TERMS = {"bills": _("bills"), "bill": _("bill"), "period": pgettext_lazy("billing", "period"), "total_fen": _("total"),
         "offset_fen": _("offset by points")}
