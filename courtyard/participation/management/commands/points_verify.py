from django.core.management.base import BaseCommand

from courtyard.participation.verify import verify_all


class Command(BaseCommand):
    help = "Recompute every points account's hash chain, head and balance; exit 1 naming the first broken entry."

    def handle(self, *args, **options):
        breaks = verify_all()
        for b in breaks:
            self.stderr.write(f"account {b.account_id}: entry {b.seq}: {b.reason}")
        if breaks:
            raise SystemExit(1)
        self.stdout.write("points ledger: every chain verifies")
