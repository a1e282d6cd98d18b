"""`python manage.py tally FILE.json`: the app's counting function, for auditors (DLB-5).

Input:  {"rule": "art278_major"|"art278_ordinary"|"simple_majority"|"custom", "dwellings": [{"id", "area", "owner"}],
         "ballots": [{"owner", "choice": "yes"|"no"|"abstain"}]}
        optionally "electorate", "custom": {"participation", "approval", "approval_strict"}, "follow_majority",
        "options" (then ballots carry "choices"): exactly what the app's vote export writes
        (courtyard/deliberation/tally_io.py). The rule is built by tally.build_rule, as in the app.
Output: {"total", "participation", "approval", "passed"}, or {"options": {option: …}} (see tally.py).
Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from courtyard.deliberation.tally_io import TallyInputError, run_contract


class Command(BaseCommand):
    help = "Count an owners' vote from a JSON file exactly as the app does (民法典 第278条)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON input; '-' reads standard input")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            result = run_contract(text)
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else 'not UTF-8'}")
        except TallyInputError as exc:
            self._fail(str(exc))
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _fail(self, message: str):
        self.stderr.write("tally: " + message.replace("\n", " "))
        sys.exit(2)
