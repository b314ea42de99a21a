"""List closed cases due for retention review (review date on or before today, or --date)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cautions.retention import cases_due


class Command(BaseCommand):
    help = (
        "List closed cases whose retention review is due. Decisions (retain with a reason, or "
        "dispose, which anonymises the person) are recorded by an administrator on the "
        "Retention page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Review as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("--date must be YYYY-MM-DD") from error
        due = list(cases_due(on=on))
        # No names: this output may end up in a scheduler's log.
        self.stdout.write(f"{len(due)} cases due for retention review")
        if due:
            self.stdout.write("reference\tperson id\tstatus\tclosed\treview due")
        for case in due:
            self.stdout.write(
                f"{case.reference}\t{case.person_id}\t{case.status}\t"
                f"{case.outcome_date.isoformat()}\t{case.retention_review_date.isoformat()}"
            )
