"""`manage.py insight_snapshots [--period YYYY-MM|YYYY-Qn|YYYY ...] [--cases]`: compute indicator
snapshots at every node of the place tree (idempotent). Without --period: the nightly job (running
and just-ended month, quarter and year, then warning cases for the month just ended)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from courtyard.core.indicators import BadPeriod, Period

from ...services.cases import open_cases_for
from ...services.jobs import nightly
from ...services.snapshots import take_snapshots


class Command(BaseCommand):
    help = "Compute indicator snapshots at every node (idempotent); without --period, the nightly job."

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[], help="YYYY-MM, YYYY-Qn or YYYY (repeatable)")
        parser.add_argument("--cases", action="store_true", help="also open warning cases for monthly periods given")

    def handle(self, *args, period, cases, **options):
        if not period:
            result = nightly()
            self.stdout.write(f"{result['rows']} snapshot rows; {result['opened']} cases opened, "
                              f"{result['raised']} raised to red")
            return
        try:
            periods = [Period.parse(p) for p in period]
        except BadPeriod as exc:
            raise CommandError(f"bad period {exc}: use YYYY-MM, YYYY-Qn or YYYY") from None
        for p in periods:
            rows = take_snapshots(period=p)
            line = f"{p.key}: {rows} snapshot rows"
            if cases and p.kind == "month":
                result = open_cases_for(p)
                line += f"; {result['opened']} cases opened, {result['raised']} raised to red"
            self.stdout.write(line)
