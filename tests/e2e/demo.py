"""The demo community for browser tests, built once per test worker and restored per test.

`manage.py demo_data` costs about 30 s of CPU; nearly every browser test starts from it, and the
live server's transactional tests empty the database after each test. On PostgreSQL,
``load_demo()`` therefore builds the demo the first time a worker asks for a given
(scale, seed, language), copies every table into a snapshot schema of the worker's test database,
and on later calls truncates the tables and copies the snapshot back (well under a second), with
the sequences moved past the restored ids. Foreign-key and append-only triggers are off during the
copy only (``session_replication_role = replica``; the rows were valid when the demo wrote them).

The snapshot lives in this process's memory of what it built: a new pytest run always builds
afresh, so a changed demo is never served stale (even with ``--reuse-db``). On SQLite, or where the
database user may not switch triggers off, it simply runs the command each time.
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

_BUILT: set[str] = set()


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "AND c.relname <> 'django_migrations' ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def _may_disable_triggers(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def _snapshot(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        for table in _tables(cursor):
            cursor.execute(f'CREATE TABLE "{schema}"."{table}" AS TABLE "{table}"')


_RESET_SEQUENCES = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.relname AS tbl, a.attname AS col,
           pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      -- schema-qualified: the planner may call this before the schema filter, on any table
      AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
  LOOP
    EXECUTE format('SELECT setval(%L, COALESCE((SELECT max(%I) FROM %I), 0) + 1, false)', r.seq, r.col, r.tbl);
  END LOOP;
END $$;
"""


def _restore(schema: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        tables = _tables(cursor)
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table in tables:
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{schema}"."{table}"')
        cursor.execute(_RESET_SEQUENCES)


def load_demo(seed: int = 1, scale: str = "small") -> None:
    """Fill the test database with the demo community (`manage.py demo_data --scale --seed`), in the
    language that is active now (the demo writes role names and messages in it)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    schema = "demo_snapshot_" + re.sub(r"[^a-z0-9]+", "_", f"{scale}_{seed}_{language}".lower())
    fast = connection.vendor == "postgresql"
    if fast:
        with connection.cursor() as cursor:
            fast = _may_disable_triggers(cursor)
    if fast and schema in _BUILT:
        _restore(schema)
    else:
        call_command("demo_data", scale=scale, seed=seed, stdout=io.StringIO())
        if fast:
            _snapshot(schema)
            _BUILT.add(schema)
    # Ids repeat from one restore to the next: nothing cached about the last test's rows may survive.
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()
