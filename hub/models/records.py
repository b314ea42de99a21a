"""National records: proven offences from police national records, and the import batches
that brought data in.

They are core facts about people (DECISIONS.md), so they live in hub: cautions may read a
person's history and reporting computes the reoffending measure from them. The tables keep
the names they had when they belonged to the reporting app (hub 0007, reporting 0002).
Cases themselves (imported or recorded through the workflow) live in cautions.Case.
"""

from django.conf import settings
from django.db import models

from hub.models.people import Person


class ImportBatch(models.Model):
    """One successful import of a file. Failed imports write nothing, this row included."""

    class Kind(models.TextChoices):
        CASES = "cases", "Historic cases"
        REOFFENCES = "reoffences", "Reoffence records"

    class Via(models.TextChoices):
        COMMAND = "command", "Management command"
        UPLOAD = "upload", "Upload page"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    file_name = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The operating-system account for imports run from the command line.
    operator = models.CharField(max_length=100, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    rows_in_file = models.PositiveIntegerField()
    rows_created = models.PositiveIntegerField()
    rows_already_present = models.PositiveIntegerField(default=0)
    # Counts of what a case import created besides the cases themselves.
    people_created = models.PositiveIntegerField(default=0)
    conditions_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        db_table = "reporting_importbatch"
        verbose_name_plural = "import batches"
        indexes = [
            # "Reoffence records imported up to <date>": the latest batch of a kind.
            models.Index(fields=["kind", "-imported_at"], name="importbatch_kind_at_idx"),
        ]
        # The reporting permissions once declared here stay the reporting app's
        # (reporting.ReportingAccess), so that "reporting.import_data" keeps its name.

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} from {self.file_name} at {self.imported_at:%Y-%m-%d %H:%M}"
        )


class ReoffenceRecord(models.Model):
    """A proven reoffence from a police national records (PNC) extract.

    `person_ref` is the PNC ID as it came in the extract; `person` links it to a hub person with
    that PNC ID, resolved when the record is imported and again when cases are imported later.
    Reports join through `person`, so that they survive anonymisation, which blanks the
    person's PNC ID and this `person_ref` (set to NULL, so the unique key below stays valid).
    """

    class Disposal(models.TextChoices):
        CONVICTION = "conviction", "Conviction"
        CAUTION = "caution", "Caution"

    person_ref = models.CharField("PNC ID", max_length=20, null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="reoffences"
    )
    offence_date = models.DateField()
    proven_date = models.DateField()
    # A key of the national extract, kept as text: it need not be one of the hub's categories.
    offence_category = models.CharField(max_length=50)
    disposal = models.CharField(max_length=20, choices=Disposal.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="reoffences")

    class Meta:
        db_table = "reporting_reoffencerecord"
        ordering = ["offence_date", "id"]
        indexes = [
            # The report: a cohort person's records after their index date.
            models.Index(fields=["person", "offence_date"], name="reoffence_person_date_idx"),
        ]
        constraints = [
            # Identity of a record: importing the same extract twice creates nothing new.
            models.UniqueConstraint(
                fields=["person_ref", "offence_date", "proven_date", "offence_category"],
                name="reoffence_unique_record",
            ),
            models.CheckConstraint(
                condition=models.Q(proven_date__gte=models.F("offence_date")),
                name="reoffence_proven_after_offence",
            ),
            models.CheckConstraint(
                condition=models.Q(disposal__in=["conviction", "caution"]),
                name="reoffence_disposal_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offence_category} on {self.offence_date} proven {self.proven_date}"
