import json
import sys

from django.core.management.base import BaseCommand, CommandError

from reporting.comparison import (
    MINIMUM_MATCHED,
    ComparisonUnavailable,
    TooFewMatched,
    comparison_report,
    default_as_of,
)
from reporting.management.commands.reoffending_report import _date, _fmt

# Exit status when there is no estimate (fewer than MINIMUM_MATCHED matched, or no model).
NO_ESTIMATE = 2


class Command(BaseCommand):
    help = (
        "The matched comparison (issue 19): one-year proven reoffending of people cautioned by "
        "the hub in a window against matched people not diverted (propensity score matching, "
        "as the Justice Data Lab). Exact figures, for the force's analysts: what is published "
        "(API, dashboard) has small cells suppressed. Exits with status 2, the reason on "
        f"standard error, when fewer than {MINIMUM_MATCHED} treated people are matched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, type=_date)
        parser.add_argument("--to", dest="date_to", required=True, type=_date)
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=_date,
            help="Defaults to the date of the last reoffence import (YYYY-MM-DD)",
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, date_from, date_to, as_of, format, **options):
        if date_to < date_from:
            raise CommandError("--to is before --from")
        try:
            report = comparison_report(
                date_from=date_from, date_to=date_to, as_of=as_of or default_as_of()
            )
        except ComparisonUnavailable as error:
            self.stderr.write(str(error))
            if isinstance(error, TooFewMatched):
                self.stderr.write(f"Minimum: {error.minimum} matched treated people.")
            sys.exit(NO_ESTIMATE)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self._table(report)

    def _table(self, report: dict) -> None:
        out = self.stdout.write
        window, treated, pool = report["window"], report["treated"], report["comparison_pool"]
        out(f"Matched comparison {window['from']} to {window['to']}, as of {window['as_of']}")
        out(
            f"  treated: {treated['n']} with complete follow-up, {treated['matched']} matched, "
            f"{treated['unmatched']} unmatched, {treated['pending_follow_up']} pending follow-up"
            f", {treated['age_not_recorded']} without a recorded age"
        )
        out(
            f"  comparison pool: {pool['n']} with complete follow-up, {pool['matched_unique']} "
            f"used as matches, {pool['pending_follow_up']} pending follow-up"
        )
        out("")
        out(f"  {'':<28} {'treated':>9} {'comparison':>11} {'difference':>11}")
        rate, raw = report["rate"], report["unadjusted"]
        out(
            f"  {'matched rate':<28} {_fmt(rate['treated']):>9} {_fmt(rate['comparison']):>11} "
            f"{_fmt(rate['difference']):>11}"
        )
        out(
            f"  {'':<28} 95% CI {_fmt(rate['ci_low'])} to {_fmt(rate['ci_high'])}, "
            f"p = {_fmt(rate['p_value'])}"
        )
        out(
            f"  {'unadjusted rate':<28} {_fmt(raw['treated']):>9} {_fmt(raw['comparison']):>11} "
            f"{_fmt(raw['difference']):>11}"
        )
        freq = report["frequency_per_100"]
        out(
            f"  {'reoffences per 100':<28} {_fmt(freq['treated']):>9} "
            f"{_fmt(freq['comparison']):>11}"
        )
        out("")
        out(f"  {'covariate':<40} {'SMD before':>11} {'SMD after':>10}")
        for row in report["balance"]:
            flag = "  over 0.1" if abs(row["smd_after"]) > 0.1 else ""
            out(
                f"  {row['covariate'][:40]:<40} {_fmt(row['smd_before']):>11} "
                f"{_fmt(row['smd_after']):>10}{flag}"
            )
        out("")
        out(f"  Balance {'within' if report['balance_ok'] else 'NOT within'} 0.1 after matching")
        out("")
        out(report["caveat"])
