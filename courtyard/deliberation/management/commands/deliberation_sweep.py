from django.core.management.base import BaseCommand

from courtyard.deliberation.tasks import open_scheduled_votes


class Command(BaseCommand):
    help = "Queue the job that opens scheduled votes whose time has come (and notifies voters); run it from cron."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            from courtyard.deliberation.schedule import open_due_votes

            self.stdout.write(f"opened: {open_due_votes()}")
        else:
            open_scheduled_votes.enqueue()
            self.stdout.write("queued")
