from django.core.management.base import BaseCommand
from django.db import transaction

from demo.registry import SeedContext, seeders


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
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
