"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "funds.head_printed": _("Ledger head printed"),
}
