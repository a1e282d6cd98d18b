from django.core.management.base import BaseCommand

from courtyard.projects.tasks import file_preventive_orders


class Command(BaseCommand):
    help = ("Queue the facilities' preventive work orders due within a week (one per facility and due date, "
            "so running it again files nothing twice); run it daily from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            from courtyard.projects import services

            self.stdout.write(str(services.file_preventive_orders()))
        else:
            file_preventive_orders.enqueue()
            self.stdout.write("queued")
