"""Payments against a compensation or financial-penalty condition: the ledger that shows what
is owed, paid and still to pay. Written only by cautions/services/payments.py.

Imported by cautions/models.py, so Django registers the model with the cautions app.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models


class PaymentMethod(models.TextChoices):
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    OTHER = "other", "Other"


class Payment(models.Model):
    Method = PaymentMethod

    case = models.ForeignKey("cautions.Case", on_delete=models.PROTECT, related_name="payments")
    condition = models.ForeignKey(
        "cautions.Condition", on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    paid_on = models.DateField()
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["case", "condition"], name="payment_case_condition_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=PaymentMethod.values), name="payment_method_known"
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} paid {self.paid_on:%d/%m/%Y} ({self.get_method_display()})"


@dataclass(frozen=True)
class Balance:
    owed: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.owed - self.paid

    @property
    def paid_in_full(self) -> bool:
        return self.balance <= 0
