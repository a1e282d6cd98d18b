"""Print every account's chain head, one line per account: `<account-id> <seq> <sha256-hex>`.

    python manage.py ledger_heads [--account ID ...] > heads-2026-11-30.txt

Keep the output outside the system (printed and signed by the supervisory board, mailed, on another
machine): `manage.py ledger_verify --anchors FILE` later proves each of these heads is still in its
chain (docs/funds.md, "Checking the ledger against paper").
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from courtyard.funds.models import Account


class Command(BaseCommand):
    help = "Print each account's chain head as '<account-id> <seq> <sha256-hex>' (an anchor file)."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, action="append", help="only this account id (repeatable)")

    def handle(self, *args, **options):
        accounts = Account.objects.order_by("pk")
        if options["account"]:
            accounts = accounts.filter(pk__in=options["account"])
        # One query: each row's head fields are written together under the append lock, so every line
        # is a head that existed (an append committed meanwhile shows in the next run).
        for pk, seq, head in accounts.values_list("pk", "head_seq", "head_hash"):
            self.stdout.write(f"{pk} {seq} {head}")
