from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """oh_add_months(date, n) for the report's SQL on SQLite (PostgreSQL uses intervals)."""
    if connection.vendor == "sqlite":
        from reporting.report_sql import add_months_sql_function

        connection.connection.create_function(
            "oh_add_months", 2, add_months_sql_function, deterministic=True
        )


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self) -> None:
        connection_created.connect(
            _register_sqlite_functions, dispatch_uid="reporting.sqlite_functions"
        )
        from hub.signals import person_anonymising
        from reporting.receivers import scrub_comparison_records

        person_anonymising.connect(
            scrub_comparison_records, dispatch_uid="reporting.scrub_comparison_records"
        )
        from reporting import schedule

        schedule.register()
        from reporting.data_version import install_after_migrate

        # The data version's triggers, after every migrate and flush (reporting.data_version).
        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="reporting.data_version"
        )
