"""What import_cases and import_reoffences share: open the file, run the import, report."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.services import ImportRejected


class ImportCommand(BaseCommand):
    kind_label = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")

    def run_import(self, **kwargs):  # pragma: no cover - overridden
        raise NotImplementedError

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stderr.write(f"  {message} ({time.perf_counter() - started:.1f} s)")

        with path.open("rb") as source:
            try:
                result = self.run_import(source=source, file_name=path.name, progress=progress)
            except ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(error)
                shown = len(rejected.errors)
                if rejected.total > shown:
                    self.stderr.write(f"and {rejected.total - shown:,} more")
                raise CommandError(
                    f"{rejected.total:,} bad row(s) in {path.name}: nothing was imported"
                ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} in {time.perf_counter() - started:.1f} s: {result.summary()}"
            )
        )
