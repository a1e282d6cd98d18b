from django.core.management.base import BaseCommand

from courtyard.participation.tasks import send_reminders, warn_uncovered


class Command(BaseCommand):
    help = "Queue the daily check for rotas with nobody on duty tomorrow; run it from cron once a day."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")
        parser.add_argument("--reminders", action="store_true", help="event reminders instead (run it hourly)")

    def handle(self, *args, now=False, reminders=False, **options):
        if now:
            from courtyard.participation import services

            self.stdout.write(str(services.send_reminders() if reminders else services.warn_uncovered()))
        else:
            (send_reminders if reminders else warn_uncovered).enqueue()
            self.stdout.write("queued")
