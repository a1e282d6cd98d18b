from django.core.management.base import BaseCommand

from courtyard.participation.tasks import warn_uncovered


class Command(BaseCommand):
    help = "Queue the daily check for rotas with nobody on duty tomorrow; run it from cron once a day."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            from courtyard.participation import services

            self.stdout.write(str(services.warn_uncovered()))
        else:
            warn_uncovered.enqueue()
            self.stdout.write("queued")
