import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.comparison_import import COMPARISON_COLUMNS, import_comparison
from reporting.services import ImportRejected


class Command(BaseCommand):
    help = (
        "Import the comparison pool of the matched comparison: people the force did not divert "
        f"to the hub (CSV with the columns {', '.join(COMPARISON_COLUMNS)}). All or nothing; "
        "safe to run again on the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()

        def progress(rows: int, bytes_read: int, problems: int) -> None:
            self.stderr.write(
                f"  read {rows:,} rows, {bytes_read:,} bytes, {problems:,} problems "
                f"({time.perf_counter() - started:.1f} s)"
            )

        with path.open("rb") as source:
            try:
                result = import_comparison(source, progress=progress)
            except ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(error)
                if rejected.total > len(rejected.errors):
                    self.stderr.write(f"and {rejected.total - len(rejected.errors):,} more")
                raise CommandError(
                    f"{rejected.total:,} bad row(s) in {path.name}: nothing was imported"
                ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} in {time.perf_counter() - started:.1f} s: {result.summary()}"
            )
        )
