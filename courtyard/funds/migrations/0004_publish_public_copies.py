"""Redacted copies uploaded before publishing was explicit (named public-…): mark them published so the
public ledger keeps listing them (ADR 0009)."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Attachment = apps.get_model("core", "Attachment")
    ct = ContentType.objects.filter(app_label="funds", model="ledgerentry").first()
    if ct is None:
        return
    Attachment.objects.filter(owner_type=ct, original_name__startswith="public-", published_at__isnull=True).update(
        published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0003_running_totals_keyset_indexes_criteria"),
        ("core", "0005_attachment_published"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
