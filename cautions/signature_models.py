"""The caution document signed: who signed, when and where (CJA 2003 s.23 requirement 5).

Imported by cautions/models.py, so Django registers the model with the cautions app. Written
only by cautions/services/signature.py. The document is printed *for signature* first, with
blank lines; this row records afterwards that it was signed.
"""

from django.conf import settings
from django.db import models


class CautionSignature(models.Model):
    case = models.ForeignKey("cautions.Case", on_delete=models.PROTECT, related_name="signatures")
    # The authorised set the document showed (signed before the caution is given); empty for
    # a document reprinted after a variation, which shows the conditions in force.
    proposal = models.ForeignKey(
        "cautions.ConditionProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signed_at = models.DateTimeField()
    signed_place = models.CharField(max_length=200)
    # The officer who saw the person sign (and signed the document too).
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(signed_place=""), name="signature_place_recorded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: signed {self.signed_at:%Y-%m-%d %H:%M}"
