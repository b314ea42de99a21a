"""Reporting computes from the national records (hub.ImportBatch, hub.ReoffenceRecord) and the
cases. Its own tables: the reporting permissions (no rows) and the computed reports kept for
every process (ReportSnapshot)."""

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


class ReportSnapshot(models.Model):
    """A computed report kept for every process (reporting.snapshots; ADR 0006).

    One row per report and arguments (`key`, a digest of the kind and the arguments, never of
    who asked). The background worker computes `payload` over the data as it was at
    `data_version`; a page shows it, with `computed_at`, even once the data has changed, while
    the worker computes the new one. `computing_since` is the claim: set by one conditional
    update, so a report is queued once however many people open the page.
    """

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=40)
    # The canonical arguments (reporting.snapshots.encode), from which the worker computes.
    arguments = models.JSONField()
    data_version = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    computing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payload__isnull=True, computed_at__isnull=True)
                | models.Q(payload__isnull=False, computed_at__isnull=False),
                name="snapshot_payload_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} report {self.key[:12]}"
