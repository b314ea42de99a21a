"""Reporting computes from the national records (hub.ImportBatch, hub.ReoffenceRecord) and the
cases. Its own: the reporting permissions, and the counters of the report's data version."""

from django.db import models


class ReportingAccess(models.Model):
    """Carries the reporting permissions; no table (managed = False), never queried.

    The permissions were declared on the import batch until it moved to hub (issue 15); kept
    here so that they stay "reporting.<codename>" for hub/roles.py and every permission check.
    Reporting 0002 moved the existing permission rows here, so groups keep them.
    """

    class Meta:
        managed = False
        default_permissions = ()
        # The reporting permissions (hub/roles.py gives them to analysts and administrators).
        permissions = [
            ("view_dashboard", "Can view the reporting dashboard (aggregates only)"),
            ("export_aggregates", "Can download the dashboard's aggregate tables"),
            ("import_data", "Can import historic cases and reoffence records"),
        ]

    def __str__(self) -> str:
        return "Reporting permissions"


class DataChange(models.Model):
    """A counter of the writes to one table the report reads: the data version's source
    (reporting.data_version, docs/adr/0007). Written only by the database's triggers.

    A table usually has one row; on PostgreSQL a writer whose row is locked by another open
    transaction takes (or adds) another, so writers never wait for each other here. The
    table's version is the sum of its rows' counts with the highest row id."""

    source = models.CharField(max_length=63)
    changes = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            # The triggers' lookup of a table's first unlocked row (reporting.data_version).
            models.Index(fields=["source", "id"], name="datachange_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.changes} changes"
