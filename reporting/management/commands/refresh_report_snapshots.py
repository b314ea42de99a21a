"""Compute now every dashboard snapshot that is stale or queued (ADR 0006), in this process.

For operators and benchmarks: after a bulk load, figures ready before anyone opens the page
(the worker would compute each at its first view). `--all` recomputes every snapshot."""

from django.core.management.base import BaseCommand

from reporting import snapshots
from reporting.models import ReportSnapshot


class Command(BaseCommand):
    help = "Compute the dashboard's stale or queued report snapshots now."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every snapshot")

    def handle(self, *args, **options):
        version = snapshots.current_version()
        computed = 0
        for row in ReportSnapshot.objects.only("key", "data_version", "computing_since"):
            stale = row.data_version != version or row.computing_since is not None
            if options["all"] or stale:
                snapshots.compute(row.key)
                computed += 1
        self.stdout.write(f"{computed} snapshot(s) computed")
