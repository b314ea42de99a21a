"""Merges of duplicate person records, and the rows each merge moved (so that it can be
undone exactly). The permissions of the app (merging, subject access) are declared here."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hub.models import Person


class PersonMerge(models.Model):
    """`merged` (a duplicate) was merged into `kept`: its cases, offences and national records
    moved to `kept` (MovedRow lists them) and `merged.merged_into` points to `kept`. Undone
    when `undone_at` is set (the rows moved back, the pointer cleared)."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    # The PNC ID that moved from the duplicate to the record kept (which had none), if any.
    pnc_id_moved = models.CharField(max_length=20, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        default_permissions = ("view",)
        permissions = [
            ("merge_person", "Can merge duplicate person records and undo merges"),
            ("subject_access", "Can export everything held about a person (subject access)"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kept=F("merged")), name="personmerge_two_people"),
            # A record is merged into one other at a time.
            models.UniqueConstraint(
                fields=["merged"],
                condition=Q(undone_at__isnull=True),
                name="personmerge_one_active_per_merged",
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_by__isnull=False),
                name="personmerge_undone_says_by_whom",
            ),
        ]
        indexes = [
            # The person page's "undo this merge": the active merge of a merged record.
            models.Index(fields=["merged", "undone_at"], name="personmerge_merged_idx"),
        ]

    def __str__(self) -> str:
        return f"Person {self.merged_id} merged into person {self.kept_id}"


class MovedRow(models.Model):
    """One row a merge moved from the duplicate to the record kept: `model` is its label
    (`cautions.case`), `object_id` its id. Undoing the merge moves exactly these back."""

    merge = models.ForeignKey(PersonMerge, on_delete=models.PROTECT, related_name="moves")
    model = models.CharField(max_length=60)
    object_id = models.BigIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["merge", "model", "object_id"], name="movedrow_once_per_merge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
