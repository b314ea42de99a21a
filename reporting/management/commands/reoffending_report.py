import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hub.lib import csvexport
from reporting.exports import FIGURE_COLUMNS, report_rows
from reporting.forms import EARLIEST_REPORT_DATE
from reporting.selectors import DIMENSIONS, reoffending_report


def _date(value: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date in the form YYYY-MM-DD") from None
    # The dashboard's bounds: the quarters and follow-up the dates drive stay bounded.
    if not EARLIEST_REPORT_DATE <= date <= timezone.localdate():
        raise CommandError(f"'{value}' is not between {EARLIEST_REPORT_DATE} and today")
    return date


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


class Command(BaseCommand):
    help = (
        "Proven reoffending and compliance for the cautions given in a window "
        "(definitions: DOMAIN.md). Unsuppressed figures: for the force's own analysis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, type=_date)
        parser.add_argument("--to", dest="date_to", required=True, type=_date)
        parser.add_argument(
            "--as-of", dest="as_of", type=_date, help="Defaults to today (YYYY-MM-DD)"
        )
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, date_from, date_to, as_of, format, **options):
        if date_to < date_from:
            raise CommandError("--to is before --from")
        report = reoffending_report(
            date_from=date_from, date_to=date_to, as_of=as_of or timezone.localdate()
        )
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2))
        elif format == "csv":
            writer = csvexport.writer(self.stdout, lineterminator="\n")
            writer.writerows(report_rows(report))
        else:
            self._table(report)

    def _table(self, report: dict) -> None:
        out = self.stdout.write
        out(f"Cautions given {report['from']} to {report['to']}, as of {report['as_of']}")
        imported = report["reoffences_imported_at"]
        out(
            "Reoffending from imported national records, last imported "
            + (imported[:10] if imported else "never")
        )
        out("")
        for key in ["cautions_given", *FIGURE_COLUMNS]:
            out(f"  {key:<28} {_fmt(report[key])}")
        compliance = report["compliance"]
        out(
            f"  {'compliance':<28} {_fmt(compliance['rate'])} "
            f"({compliance['complied']} complied, {compliance['failed']} failed)"
        )
        km = report["time_to_first_reoffence"]
        out(f"  {'median_days':<28} {_fmt(km['median_days'])}")
        for dimension, heading in DIMENSIONS:
            out("")
            out(heading)
            out(
                f"  {'group':<32} {'cohort':>7} {'pending':>8} {'reoff.':>7} "
                f"{'rate':>7} {'per off.':>9}"
            )
            for group in report["breakdowns"][dimension]:
                out(
                    f"  {group['label'][:32]:<32} {group['cohort_size']:>7} "
                    f"{group['pending_follow_up']:>8} {group['reoffenders']:>7} "
                    f"{_fmt(group['binary_rate']):>7} {_fmt(group['reoffences_per_offender']):>9}"
                )
