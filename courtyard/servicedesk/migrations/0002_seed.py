from django.db import migrations


def forwards(apps, schema_editor):
    from courtyard.servicedesk.seed import seed

    seed(apps)


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
