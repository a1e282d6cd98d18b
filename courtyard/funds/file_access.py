"""Who may fetch files owned by funds rows (see courtyard.core.file_access).

Ledger-entry files (receipts, invoices) are internal; a bookkeeper may publish a redacted copy,
which the public ledger page then lists and anyone may fetch.
"""

from courtyard.core import file_access

from . import permissions as p


def _entry(user, entry) -> bool:
    from .models import LedgerEntry

    return LedgerEntry.objects.visible_to(user, p.VIEW_LEDGER).filter(pk=entry.pk).exists()


def _may_publish(user, entry) -> bool:
    return user is None or user.has_perm(p.RECORD_INCOME, entry.account) or user.has_perm(p.PAY, entry.account)


def _proposal(user, proposal) -> bool:
    from .models import GrantCall, GrantProposal

    if proposal.submitted_by_id == user.pk:
        return True
    calls = GrantCall.objects.visible_to(user, p.VIEW_LEDGER)
    return GrantProposal.objects.filter(pk=proposal.pk, call__in=calls).exists()


file_access.register("funds.ledgerentry", can_view=_entry, publishable=True, can_publish=_may_publish)
file_access.register("funds.grantproposal", can_view=_proposal)
