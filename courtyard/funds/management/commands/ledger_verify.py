"""Recompute every account's hash chain and check the printed heads; exit 1 naming the first problem.

    python manage.py ledger_verify [--account ID ...] [--anchors FILE] [--files]

1. Every chain is walked from genesis (content, links, gap-free seq, encoding versions, the account's
   head and running totals); each file an entry hashed must still be attached to it with that SHA-256
   (with --files the stored file is read and re-hashed too).
2. Every printed head is looked up: with `--anchors FILE` (lines `<account-id> <seq> <sha256-hex>`, as
   `ledger_heads` prints them; '-' reads standard input) those of the file, and always the heads the
   system recorded as printed (published statements, statement PDFs). Each must still be an entry of
   its chain with that hash; the first that is not is named and the exit status is 1.
A FILE that cannot be read or has a malformed line: one line on stderr, exit status 2.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from courtyard.funds.anchors import AnchorFileError, check_anchors, parse_anchor_lines, recorded_anchors
from courtyard.funds.models import Account
from courtyard.funds.verify import verify_all


class Command(BaseCommand):
    help = ("Recompute every ledger hash chain and check every printed chain head "
            "(exit status 1 naming the first problem, 2 for an unreadable anchor file).")

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, action="append", help="only this account id (repeatable)")
        parser.add_argument("--anchors", metavar="FILE",
                            help="heads printed earlier, one '<account-id> <seq> <sha256-hex>' per line")
        parser.add_argument("--files", action="store_true",
                            help="also re-hash every attached file's stored content (reads every file)")

    def handle(self, *args, **options):
        file_anchors = self._read(options["anchors"]) if options["anchors"] else []
        accounts = Account.objects.order_by("pk")
        if options["account"]:
            accounts = accounts.filter(pk__in=options["account"])
        started = time.perf_counter()
        result = verify_all(accounts, files=options["files"])
        if result.first_break is not None:
            self.stderr.write(f"BROKEN: {result.first_break}")
            sys.exit(1)
        checked, miss = check_anchors(file_anchors + recorded_anchors(options["account"]))
        elapsed = time.perf_counter() - started
        if miss is not None:
            self.stderr.write(f"NOT IN CHAIN: {miss}")
            sys.exit(1)
        for account in accounts:
            self.stdout.write(f"{account.pk:>6} {account.name}: #{account.head_seq} {account.head_hash}")
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result.accounts} accounts, {result.entries} entries verified, {checked} printed heads "
            f"found in their chains ({len(file_anchors)} from the anchor file) in {elapsed:.2f} s"))

    def _read(self, path: str):
        name = "stdin" if path == "-" else path
        try:
            if path == "-":
                return parse_anchor_lines(sys.stdin.read().splitlines(), name)
            with open(path, encoding="utf-8") as fh:
                return parse_anchor_lines(fh.read().splitlines(), name)
        except OSError as exc:
            self._fail(f"cannot read {name}: {exc.strerror or exc}")
        except UnicodeDecodeError:
            self._fail(f"cannot read {name}: not UTF-8 text")
        except AnchorFileError as exc:
            self._fail(str(exc))

    def _fail(self, message: str):
        self.stderr.write("ledger_verify: " + message.replace("\n", " "))
        sys.exit(2)
