"""Console pages for finance staff and signers, and the public ledger (no login).

A package split by subject; urls.py points at the submodules, and the view functions are
re-exported here too."""

from ._common import (
    PER_PAGE,
)
from .grants import (
    call_detail,
    calls,
    proposal_detail,
    resident_grants,
    resident_proposal,
    resident_propose,
)
from .ledger import (
    account_detail,
    accounts,
    audit_export,
    budget,
    entry_reverse,
    fee_plan_create,
    levy_create,
    levy_detail,
)
from .payments import (
    request_detail,
    requests_list,
)
from .public import (
    public_export,
    public_file,
    public_ledger,
    public_statement_pdf,
)
from .residents import (
    my_ledger,
    my_levy,
)
from .statements import (
    statement_generate,
    statement_review,
)

__all__ = [
    "PER_PAGE",
    "account_detail",
    "accounts",
    "audit_export",
    "budget",
    "call_detail",
    "calls",
    "entry_reverse",
    "fee_plan_create",
    "levy_create",
    "levy_detail",
    "my_ledger",
    "my_levy",
    "proposal_detail",
    "public_export",
    "public_file",
    "public_ledger",
    "public_statement_pdf",
    "request_detail",
    "requests_list",
    "resident_grants",
    "resident_proposal",
    "resident_propose",
    "statement_generate",
    "statement_review",
]
