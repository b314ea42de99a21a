"""Reporting computes from the national records (hub.ImportBatch, hub.ReoffenceRecord) and
the cases. Its own models: the reporting permissions, and the import jobs run by the worker."""

from django.conf import settings
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


class ImportJob(models.Model):
    """An uploaded file imported by the worker (reporting.tasks.run_import_job).

    The upload is kept in the private import directory (settings.IMPORT_UPLOAD_DIR, never
    served) under a random name (`stored_name`) until the job ends, then deleted. While the job
    runs, its progress is in a small file beside the upload (reporting.import_jobs): the import
    itself is one transaction, so rows written to the database during it could not be seen;
    the counts are copied here when the job ends. `kind` is a key of
    reporting.import_jobs.IMPORT_KINDS (no choices here, so that a kind is added there alone).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported"

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    bytes_total = models.PositiveBigIntegerField()
    bytes_read = models.PositiveBigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    errors_so_far = models.PositiveIntegerField(default=0)
    # The first csvimport.MAX_KEPT bad lines (`line N: reason`); errors_so_far counts them all.
    bad_lines = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    batch = models.ForeignKey(
        "hub.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="importjob_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(started_at__isnull=True) | ~models.Q(status="queued"),
                name="importjob_queued_not_started",
            ),
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=False)
                | models.Q(status__in=["queued", "running"]),
                name="importjob_ended_has_finish_time",
            ),
        ]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="importjob_user_idx")]

    def __str__(self) -> str:
        return f"Import job {self.pk} ({self.kind}, {self.file_name}): {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
