"""Variations of a caution after it is given: a condition varied or added, the compliance
period extended. One row per variation, written only by cautions/services/variation.py in the
transaction that makes it; each makes a new version of the caution document to sign.

The caution document's versions: 1 is the one signed when the caution is given (recorded on
Administration); variation n makes version n + 1. A `DocumentSignature` row records that the
person signed a later version. Kept off the case row: the case's own fields do not change.

Imported by cautions/models.py, so Django registers the model with the cautions app.
"""

from django.conf import settings
from django.db import models


class Variation(models.Model):
    class Kind(models.TextChoices):
        CONDITION_VARIED = "condition_varied", "Condition varied"
        CONDITION_ADDED = "condition_added", "Condition added"
        PERIOD_EXTENDED = "period_extended", "Compliance period extended"

    case = models.ForeignKey("cautions.Case", on_delete=models.PROTECT, related_name="variations")
    condition = models.ForeignKey(
        "cautions.Condition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variations",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The version of the caution document this variation makes (the document given is 1).
    document_version = models.PositiveIntegerField()
    # The condition's content version after it (condition_varied, condition_added).
    condition_version = models.PositiveIntegerField(null=True, blank=True)
    # What changed, in words: {"Amount": {"before": "£500.00", "after": "£50.00"}, ...}
    changes = models.JSONField(default=dict)
    reason = models.TextField()
    # The person agreed to the varied conditions (CJA 2003 s.23: conditions need consent).
    person_agreed = models.BooleanField()
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "document_version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["condition_varied", "condition_added", "period_extended"]
                ),
                name="variation_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(person_agreed=True), name="variation_person_agreed"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="variation_has_reason"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="period_extended", condition__isnull=True)
                    | (
                        ~models.Q(kind="period_extended")
                        & models.Q(condition__isnull=False, condition_version__isnull=False)
                    )
                ),
                name="variation_condition_iff_condition_kind",
            ),
            models.UniqueConstraint(
                fields=["case", "document_version"], name="variation_one_per_document_version"
            ),
            models.UniqueConstraint(
                fields=["condition", "condition_version"],
                condition=models.Q(condition__isnull=False),
                name="variation_one_per_condition_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()} (document version {self.document_version})"


class DocumentSignature(models.Model):
    """The person signed a version of the caution document made by variations (version 1,
    signed when the caution is given, is recorded on Administration)."""

    case = models.ForeignKey(
        "cautions.Case", on_delete=models.PROTECT, related_name="document_signatures"
    )
    document_version = models.PositiveIntegerField()
    signed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "document_version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document_version__gte=2),
                name="documentsignature_of_a_varied_version",
            ),
            models.UniqueConstraint(
                fields=["case", "document_version"], name="documentsignature_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: document version {self.document_version} signed"
