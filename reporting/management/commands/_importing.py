"""What import_cases and import_reoffences share: open the file, run the import, report."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.progress_bar import ProgressBar
from reporting.services import ImportRejected


class ImportCommand(BaseCommand):
    kind_label = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")

    def run_import(self, **kwargs):  # pragma: no cover - overridden
        raise NotImplementedError

    def _write_unended(self, text: str) -> None:
        """Standard error without the line end the command's writer adds, at once."""
        self.stderr.write(text, ending="")
        self.stderr.flush()

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()
        bar = ProgressBar(self._write_unended, path.stat().st_size)
        with path.open("rb") as source:
            try:
                result = self.run_import(source=source, file_name=path.name, progress=bar)
            except ImportRejected as rejected:
                bar.end()
                for error in rejected.errors:
                    self.stderr.write(error)
                shown = len(rejected.errors)
                if rejected.total > shown:
                    self.stderr.write(f"and {rejected.total - shown:,} more")
                raise CommandError(
                    f"{rejected.total:,} bad row(s) in {path.name}: nothing was imported"
                ) from None
        bar.end()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} in {time.perf_counter() - started:.1f} s: {result.summary()}"
            )
        )
