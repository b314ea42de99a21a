from django.core.management.base import BaseCommand

from cautions.services import conditions_sweep_overdue


class Command(BaseCommand):
    help = (
        "Mark pending conditions past their due date as overdue and record the overdue event "
        "once per condition. Idempotent: safe to run every hour from cron."
    )

    def handle(self, *args, **options):
        marked = conditions_sweep_overdue()
        self.stdout.write(f"{marked} condition{'s' if marked != 1 else ''} newly marked overdue")
