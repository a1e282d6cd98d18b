"""The points ledger is append-only in the database too (docs/adr/0017-points-ledger-and-shop.md):
UPDATE and DELETE of participation_pointsentry are refused. SQLite: BEFORE triggers with
RAISE(ABORT); PostgreSQL: a plpgsql function. The SQLite test flush lifts the delete trigger
(core/management/commands/flush.py). A later migration that rebuilds the table on SQLite must re-run
`forwards`."""

from django.db import migrations

TABLE = "participation_pointsentry"
MSG = "points ledger rows are append-only"

SQLITE_CREATE = [f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op} BEFORE {op.upper()} ON {TABLE} "
                 f"BEGIN SELECT RAISE(ABORT, '{MSG}'); END" for op in ("update", "delete")]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}" for op in ("update", "delete")]
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION participation_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MSG}' USING ERRCODE = 'restrict_violation'; END;
    $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION participation_append_only()",
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
                 "DROP FUNCTION IF EXISTS participation_append_only()"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
