from reporting.management.commands._importing import ImportCommand
from reporting.services import REOFFENCE_COLUMNS, import_reoffences


class Command(ImportCommand):
    help = (
        "Import proven reoffences from a police national records extract (CSV with the columns "
        f"{', '.join(REOFFENCE_COLUMNS)}). All or nothing; safe to run again on the same file."
    )

    def run_import(self, **kwargs):
        return import_reoffences(**kwargs)
