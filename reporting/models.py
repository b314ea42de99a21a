"""Reporting computes from the national records (hub.ImportBatch, hub.ReoffenceRecord) and
the cases. Its own models: the reporting permissions' holder, the import jobs run by the
worker, the comparison pool (issue 19), the computed reports kept for every process
(ReportSnapshot, issue 21) and the counters of the report's data version (ADR 0007)."""

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


class ComparisonBatch(models.Model):
    """One successful import of a comparison pool file (reporting.comparison_import).

    A failed import writes nothing, this row included."""

    file_name = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The operating-system account for imports run from the command line.
    operator = models.CharField(max_length=100, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    rows_in_file = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_already_present = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name_plural = "comparison pool imports"

    def __str__(self) -> str:
        return f"Comparison pool from {self.file_name} at {self.imported_at:%Y-%m-%d %H:%M}"


class ComparisonRecord(models.Model):
    """One disposal of a person who was not diverted to the hub, from the force's records: the
    comparison pool of the matched comparison (issue 19; README, "Matched comparison").

    Personal data: read by analysts and administrators only through the comparison's
    aggregates, never shown person by person; in subject access (records.subject_access);
    disposed of by `comparison_retention` from `retention_review_date`. Like a national record
    (hub.ReoffenceRecord), `person` links it to a hub person with the PNC ID `person_ref`;
    anonymising that person keeps the link and blanks `person_ref` and `date_of_birth` (the
    age at disposal is kept, as a case keeps its age at caution).
    """

    class Disposal(models.TextChoices):
        CHARGED = "charged", "Charged"
        SIMPLE_CAUTION = "simple_caution", "Simple caution"
        COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"
        OTHER = "other", "Other"

    batch = models.ForeignKey(ComparisonBatch, on_delete=models.PROTECT, related_name="records")
    person_ref = models.CharField("PNC ID", max_length=20, null=True, blank=True)
    person = models.ForeignKey(
        "hub.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comparison_records",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    age_at_disposal = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=20)
    ethnicity = models.CharField(max_length=2)
    district = models.ForeignKey("hub.District", on_delete=models.PROTECT, related_name="+")
    offence_category = models.ForeignKey(
        "hub.OffenceCategory", on_delete=models.PROTECT, related_name="+"
    )
    offence_date = models.DateField()
    gravity_score = models.PositiveSmallIntegerField()
    disposal = models.CharField(max_length=30, choices=Disposal.choices)
    disposal_date = models.DateField()
    retention_review_date = models.DateField()

    class Meta:
        ordering = ["disposal_date", "id"]
        indexes = [
            # The comparison: the pool's disposals in a window.
            models.Index(fields=["disposal_date", "id"], name="comparison_disposal_idx"),
            models.Index(fields=["retention_review_date"], name="comparison_retention_idx"),
        ]
        constraints = [
            # Identity of a record: importing the same file twice creates nothing new.
            models.UniqueConstraint(
                fields=["person_ref", "offence_date", "offence_category", "disposal_date"],
                name="comparison_unique_record",
            ),
            models.CheckConstraint(
                condition=models.Q(disposal_date__gte=models.F("offence_date")),
                name="comparison_disposal_after_offence",
            ),
            models.CheckConstraint(
                condition=models.Q(gravity_score__gte=1, gravity_score__lte=4),
                name="comparison_gravity_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    disposal__in=["charged", "simple_caution", "community_resolution", "other"]
                ),
                name="comparison_disposal_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Comparison pool disposal of {self.disposal_date}"


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
