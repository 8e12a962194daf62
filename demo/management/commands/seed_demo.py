from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo.registry import SeedContext, seeders
from org.models import Company
from vanke_crm import listcache


class Command(BaseCommand):
    help = "Create (or complete) the demo data set. Idempotent: a second run adds nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply volumes (for benchmarks)."
        )

    def handle(self, *args, scale, **options):
        ctx = SeedContext(scale=max(1, scale), stdout=self.stdout)
        for app_name, seed in seeders():
            with transaction.atomic():
                seed(ctx)
            self.stdout.write(f"  {app_name}: ok")
        if connection.vendor == "postgresql":
            # Fresh statistics: a bulk load leaves the planner guessing (issue 8 item 10:
            # without them the list's plan sorted a whole company).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # Bulk inserts send no signals: retire every cached list page.
        listcache.touch(*Company.objects.values_list("pk", flat=True))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
