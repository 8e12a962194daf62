"""Reserved for group complaints (incidents); filled in as the models land."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_task_reason_length")]

    operations = []
