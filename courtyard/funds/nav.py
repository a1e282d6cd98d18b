from django.utils.translation import gettext_lazy as _

from . import permissions as p
from .fee_selectors import public_fees
from .selectors import public_ledger_summary

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Funds")

CONSOLE_NAV = [
    ("funds:accounts", _("Funds and ledger"), p.VIEW_LEDGER),
    ("funds:requests", _("Payment requests"), p.SIGN),
    ("funds:budget", _("Budget by category"), p.VIEW_LEDGER),
    ("funds:calls", _("Micro-grants"), p.VIEW_LEDGER),
    ("funds:fees", _("Household fees"), p.VIEW_LEDGER),
    ("funds:trust_accounts", _("Accounts held in trust"), p.VIEW_TRUST),
]

RESIDENT_TILES = [
    ("funds:my_ledger", _("Our public ledger"), _("Balances, income and every payment")),
    ("funds:my_levy", _("My levy"), _("What my household owes and has paid")),
    ("funds:my_bills", _("My bills"), _("Cleaning, property and parking fees; pay and keep receipts")),
    ("funds:resident_grants", _("Micro-grants"), _("Propose a small project for our courtyard")),
]

PUBLIC_SECTIONS = [("ledger", "funds/partials/public_ledger.html", public_ledger_summary),
                   ("fees", "funds/partials/public_fees.html", public_fees)]
