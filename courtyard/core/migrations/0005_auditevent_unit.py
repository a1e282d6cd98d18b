"""Audit events name the self-governance unit of their object (ADR 0010), so a unit's boards
read their unit's trail and not the whole community's.

On SQLite AddField of a foreign key may rebuild the table and lose the append-only triggers
of 0004; they are created again here (IF NOT EXISTS / CREATE OR REPLACE, so harmless elsewhere).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_triggers = importlib.import_module("courtyard.core.migrations.0004_auditevent_append_only_triggers")


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_auditevent_append_only_triggers"),
        ("org", "0003_dwelling_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="org.selfgovernanceunit",
                                    verbose_name="self-governance unit"),
        ),
        migrations.RunPython(_triggers.forwards, noop),
    ]
