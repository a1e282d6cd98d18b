"""`manage.py safety_sweep [--generate]`: today's patrol tasks (with --generate), overdue hazards,
missed rounds and lapsed care visits — for cron where no task worker runs."""

from django.core.management.base import BaseCommand

from courtyard.safety import services


class Command(BaseCommand):
    help = "Generate today's patrol tasks and escalate overdue hazards, missed rounds and lapsed visits."

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="also generate today's patrol tasks")

    def handle(self, *args, generate, **options):
        if generate:
            self.stdout.write(f"tasks: {services.generate_tasks()}")
        out = services.sweep_overdue()
        out["missed_rounds"] = services.close_rounds()
        out.update(services.sweep_lapses())
        self.stdout.write(str(out))
