from django.core.management.base import BaseCommand

from courtyard.servicedesk.tasks import sweep_overdue


class Command(BaseCommand):
    help = "Queue the overdue sweep (flags late requests and walks the escalation ladder); run it from cron."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            from courtyard.servicedesk import services

            self.stdout.write(str(services.sweep_overdue()))
        else:
            sweep_overdue.enqueue()
            self.stdout.write("queued")
