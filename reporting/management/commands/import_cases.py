from reporting.management.commands._importing import ImportCommand
from reporting.services import CASE_COLUMNS, import_cases


class Command(ImportCommand):
    help = (
        "Import historic conditional cautions from a CSV with the columns "
        f"{', '.join(CASE_COLUMNS)}. All or nothing; safe to run again on the same file."
    )

    def run_import(self, **kwargs):
        return import_cases(**kwargs)
