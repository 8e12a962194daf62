"""Reserved for the knowledge base; filled in as the models land."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_return_visits")]

    operations = []
