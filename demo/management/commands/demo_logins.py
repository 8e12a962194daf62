from django.core.management.base import BaseCommand

from demo.people import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the product's URL and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"vanke_crm is running at {url}"))
        self.stdout.write(f"Demo staff logins (password for all: {DEMO_PASSWORD}):")
        for username, name, what in demo_logins():
            self.stdout.write(f"  {username:<16} {name:<6} {what}")
        self.stdout.write(f"Owner portal: {url}accounts/owner/login/ (code arrives in var/sms/)")
        self.stdout.write(f"API docs: {url}api/docs/   Health: {url}healthz")
