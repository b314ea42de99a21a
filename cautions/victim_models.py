"""Victims' Code: when and how the victim was told of the outcome and of any breach decision.

Imported by cautions/models.py, so Django registers the model with the cautions app. Written
only by cautions/services/victims.py, with a case event in the same transaction.
"""

from django.conf import settings
from django.db import models


class VictimInformed(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", "By phone"
        LETTER = "letter", "By letter"
        EMAIL = "email", "By email"
        IN_PERSON = "in_person", "In person"

    class Subject(models.TextChoices):
        OUTCOME = "outcome", "The outcome of the case"
        BREACH_DECISION = "breach_decision", "The decision on a breach"

    case = models.ForeignKey(
        "cautions.Case", on_delete=models.PROTECT, related_name="victim_informed"
    )
    subject = models.CharField(max_length=20, choices=Subject.choices)
    # The breach whose decision the victim was told of (subject breach_decision only).
    breach = models.ForeignKey(
        "cautions.Breach", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    informed_at = models.DateTimeField(help_text="When the victim was told")
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-informed_at", "-id"]
        verbose_name_plural = "victim informed records"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=["phone", "letter", "email", "in_person"]),
                name="victiminformed_method_known",
            ),
            models.CheckConstraint(
                condition=models.Q(subject="outcome", breach__isnull=True)
                | models.Q(subject="breach_decision", breach__isnull=False),
                name="victiminformed_breach_iff_breach_decision",
            ),
        ]
        indexes = [
            # The case overview lists a case's records, newest first.
            models.Index(fields=["case", "-informed_at"], name="victiminformed_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: victim told of {self.get_subject_display().lower()}"
