"""Chain encoding version 2 and printed chain heads (docs/adr/0008-ledger-against-paper.md).

* `LedgerEntry.chain_version`: the rows already there were hashed with version 1 and keep it
  (the column is added with default 1); new rows are written with version 2.
* `LedgerAnchor`: heads printed on paper or in files, append-only like the ledger (ORM and triggers).
On SQLite adding a NOT NULL column rebuilds funds_ledgerentry, so the ledger triggers of 0002 are
re-asserted (idempotent), as 0003 does.
"""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MSG = "ledger rows are append-only"
SQLITE = [f"CREATE TRIGGER IF NOT EXISTS funds_ledgeranchor_no_{op} BEFORE {op.upper()} ON funds_ledgeranchor "
          f"BEGIN SELECT RAISE(ABORT, '{MSG}'); END" for op in ("update", "delete")]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS funds_ledgeranchor_no_{op}" for op in ("update", "delete")]
POSTGRES = ["DROP TRIGGER IF EXISTS funds_ledgeranchor_append_only ON funds_ledgeranchor",
            "CREATE TRIGGER funds_ledgeranchor_append_only BEFORE UPDATE OR DELETE ON funds_ledgeranchor "
            "FOR EACH ROW EXECUTE FUNCTION funds_append_only()"]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS funds_ledgeranchor_append_only ON funds_ledgeranchor"]


def forwards(apps, schema_editor):
    importlib.import_module("courtyard.funds.migrations.0002_ledger_triggers").forwards(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    for sql in SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else ():
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else ():
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0003_running_totals_keyset_indexes_criteria'),
    ]

    operations = [
        migrations.AddField(
            model_name='ledgerentry',
            name='chain_version',
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name='ledgerentry',
            name='chain_version',
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.CreateModel(
            name='LedgerAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveIntegerField()),
                ('hash', models.CharField(max_length=64)),
                ('source', models.CharField(choices=[('statement_pdf', 'Monthly statement (PDF)'), ('statement', 'Published monthly statement'), ('result_notice', 'Result notice of a payment (四议两公开)')], max_length=20)),
                ('reference', models.CharField(blank=True, help_text='what was printed, e.g. the month', max_length=120)),
                ('printed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='anchors', to='funds.account')),
            ],
            options={
                'verbose_name': 'printed chain head',
                'verbose_name_plural': 'printed chain heads',
                'ordering': ['account', 'seq', 'id'],
                'constraints': [models.UniqueConstraint(fields=('account', 'seq', 'hash', 'source'), name='funds_anchor_once')],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
