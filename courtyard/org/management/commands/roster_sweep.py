from django.core.management.base import BaseCommand

from courtyard.org.tasks import sweep_roster_imports


class Command(BaseCommand):
    help = ("Expire roster imports not confirmed within 24 hours and delete the workbooks of finished imports; "
            "run it from cron (hourly).")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            from courtyard.org import roster_retention

            self.stdout.write(str(roster_retention.sweep()))
        else:
            sweep_roster_imports.enqueue()
            self.stdout.write("queued")
