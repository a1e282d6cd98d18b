"""`manage.py indicators --place <id|slug> --period YYYY-MM [--json]`: every indicator of the
catalogue at one node of the place tree, with its numerator, denominator, target and colour.
Bad input exits non-zero with one line (no traceback)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from courtyard.core.indicators import BadPeriod, Period

from ... import engine, scopes


class Command(BaseCommand):
    help = "Print every indicator at a place or unit for a period (YYYY-MM, YYYY-Qn or YYYY)."

    def add_arguments(self, parser):
        parser.add_argument("--place", required=True, help="a place id (community, subdistrict, district), a unit's "
                                                           "web address (slug) or unit:<id>")
        parser.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn or YYYY")
        parser.add_argument("--json", action="store_true", help="one JSON list instead of a table")

    def run_from_argv(self, argv):
        try:
            super().run_from_argv(argv)
        except SystemExit:
            raise
        except Exception as exc:  # one line, no traceback (argparse errors exit 2 on their own)
            sys.stderr.write(f"indicators: error: {exc}\n")
            sys.exit(1)

    def handle(self, *args, place, period, **options):
        try:
            when = Period.parse(period)
        except BadPeriod:
            raise CommandError(f"bad period {period!r}: use YYYY-MM, YYYY-Qn or YYYY") from None
        try:
            scope = scopes.resolve(place)
        except scopes.UnknownScope:
            raise CommandError(f"no community, subdistrict, district or unit {place!r}") from None
        rows = [r.as_dict() for r in engine.readings(scope, when)]
        if options.get("json"):
            self.stdout.write(_dumps(rows))
            return
        self.stdout.write(f"{scope.name} ({scope.kind}) {when.key}")
        for r in rows:
            value = r["value"] if r["value"] is not None else "-"
            target = r["target"] if r["target"] is not None else "-"
            self.stdout.write(f"{r['code']:<26} {value:>8} = {r['numerator']}/{r['denominator']:<8} "
                              f"target {target:<8} {r['colour']}")


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)

