"""Retention review decisions (Management of Police Information): one row per decision.

Imported by cautions/models.py, so Django registers the model with the cautions app. The table
keeps the name it had when the model belonged to hub (hub 0008, cautions 0008).
"""

from django.conf import settings
from django.db import models


class RetentionDecision(models.Model):
    """A reviewer's decision on a closed case at its retention review: retain or dispose.

    Written only by cautions/retention.py, in the same transaction as the change it records. The
    case's person may since have been anonymised; the decision row is kept as the evidence.
    """

    class Decision(models.TextChoices):
        RETAIN = "retain", "Retain"
        DISPOSE = "dispose", "Dispose (anonymise)"

    case = models.ForeignKey(
        "cautions.Case", on_delete=models.PROTECT, related_name="retention_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    review_date = models.DateField(help_text="The review date the decision was made against")
    next_review_date = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "hub_retentiondecision"
        ordering = ["-decided_at", "-id"]
        indexes = [
            # Case page / review page: a case's decisions, newest first.
            models.Index(fields=["case", "-decided_at"], name="retention_case_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=["retain", "dispose"]),
                name="retention_decision_known",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="retention_has_reason"),
            # Retaining sets the next review; disposing ends reviews.
            models.CheckConstraint(
                condition=models.Q(decision="retain", next_review_date__isnull=False)
                | models.Q(decision="dispose", next_review_date__isnull=True),
                name="retention_next_review_iff_retained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.decision} on {self.decided_at:%Y-%m-%d}"
