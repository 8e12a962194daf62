from django.db import migrations


def forwards(apps, schema_editor):
    from complaints.defaults import create_defaults

    create_defaults(apps.get_model("complaints", "Category"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
