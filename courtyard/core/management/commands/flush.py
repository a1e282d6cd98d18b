"""`flush` that still works with the append-only audit trigger on SQLite.

Django flushes SQLite with `DELETE FROM <table>`, which the BEFORE DELETE trigger on
core_auditevent refuses (PostgreSQL uses TRUNCATE, which row triggers do not see).
Flushing wipes every table by design, so on SQLite this command lifts the delete trigger
for the flush and puts it back afterwards. Tests with `transactional_db` / `live_server`
rely on it.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import connections

# Every BEFORE DELETE trigger that guards an append-only table. Apps add theirs here.
_TRIGGERS = (
    "core_auditevent_no_delete",
    "funds_ledgerentry_no_delete",
    "funds_approvalstep_no_delete",
    "participation_pointsentry_no_delete",
)


class Command(DjangoFlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        lifted: list[tuple[str, str]] = []
        with connection.cursor() as cursor:
            for name in _TRIGGERS:
                cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
                row = cursor.fetchone()
                if row is not None:
                    cursor.execute(f"DROP TRIGGER {name}")
                    lifted.append((name, row[0]))
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in lifted:
                    cursor.execute(sql)
