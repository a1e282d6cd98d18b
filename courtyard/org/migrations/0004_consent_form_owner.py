"""Consent forms stored before files had owner rules: give each its SensitiveRecord as owner, so the
file view (courtyard/org/file_access.py) serves it to those who may see the record (ADR 0009)."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    SensitiveRecord = apps.get_model("org", "SensitiveRecord")
    Attachment = apps.get_model("core", "Attachment")
    ct, _ = ContentType.objects.get_or_create(app_label="org", model="sensitiverecord")
    for pk, doc in SensitiveRecord.objects.filter(consent_document__isnull=False).values_list("pk",
                                                                                             "consent_document"):
        Attachment.objects.filter(pk=doc, owner_type__isnull=True).update(owner_type=ct, owner_id=str(pk))


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_dwelling_order"),
        ("core", "0005_attachment_published"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
