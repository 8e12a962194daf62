"""Reserved for return visits and their signed owner links; filled in as the models land."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_incidents")]

    operations = []
