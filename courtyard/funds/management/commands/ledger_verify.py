"""Recompute every account's hash chain; exit 1 naming the first broken entry.

    python manage.py ledger_verify [--account ID ...]
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from courtyard.funds.models import Account
from courtyard.funds.verify import verify_all


class Command(BaseCommand):
    help = "Recompute every ledger hash chain and report the first broken entry (exit status 1)."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, action="append", help="only this account id (repeatable)")

    def handle(self, *args, **options):
        accounts = Account.objects.order_by("pk")
        if options["account"]:
            accounts = accounts.filter(pk__in=options["account"])
        started = time.perf_counter()
        result = verify_all(accounts)
        elapsed = time.perf_counter() - started
        if result.first_break is not None:
            self.stderr.write(f"BROKEN: {result.first_break}")
            sys.exit(1)
        for account in accounts:
            self.stdout.write(f"{account.pk:>6} {account.name}: #{account.head_seq} {account.head_hash}")
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result.accounts} accounts, {result.entries} entries verified in {elapsed:.2f} s"))
