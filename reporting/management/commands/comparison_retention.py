import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.comparison_retention import comparison_records_dispose, comparison_records_due


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Dispose of the comparison pool records whose retention review date has come (the "
        "pool is used in aggregate only). Run daily by the scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=_date, help="Review date (default today, YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="Count only")

    def handle(self, *args, on, dry_run, **options):
        on = on or timezone.localdate()
        if dry_run:
            count = comparison_records_due(on=on).count()
            self.stdout.write(f"{count} comparison pool records due for disposal on {on}")
            return
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            operator = ""
        count = comparison_records_dispose(on=on, operator=operator)
        self.stdout.write(f"{count} comparison pool records disposed of (due on or before {on})")
