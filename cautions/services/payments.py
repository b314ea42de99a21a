"""Payments against a compensation or financial-penalty condition (the ledger).

A payment is more than £0 and at most the balance still owed (an overpayment is refused), on a
date between the caution and today. The payment that clears the balance marks the condition
complied (cautions.services.conditions.condition_mark_complied, in the same transaction), which
completes the caution when it was the last condition in force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from cautions.models import Condition, Payment
from cautions.payment_models import Balance
from cautions.services.base import (
    CONDITION_CHANGE_STATES,
    InvalidTransition,
    RuleViolation,
    _lock_condition,
    _save,
    _today,
)
from cautions.services.conditions import condition_mark_complied


def paid_to_date(condition: Condition) -> Decimal:
    return Payment.objects.filter(condition=condition).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def condition_balance(condition: Condition) -> Balance:
    return Balance(owed=condition.amount or Decimal(0), paid=paid_to_date(condition))


def _check_payment(case, condition: Condition, amount, paid_on, method) -> Balance:
    if not condition.condition_type.has_amount or condition.amount is None:
        raise InvalidTransition("Payments are recorded only against a condition with an amount.")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            "Payments are recorded only against a pending condition: this one is "
            f"{condition.get_status_display().lower()}."
        )
    if amount is None or amount <= 0:
        raise RuleViolation("The amount paid must be more than £0", field="amount")
    if paid_on is None:
        raise RuleViolation("Enter the date it was paid", field="paid_on")
    if paid_on > _today():
        raise RuleViolation("The date paid cannot be in the future", field="paid_on")
    if paid_on < case.caution_date:
        raise RuleViolation("The date paid is before the caution was given", field="paid_on")
    if method not in Payment.Method.values:
        raise RuleViolation("Choose how it was paid", field="method")
    balance = condition_balance(condition)
    if amount > balance.balance:
        raise RuleViolation(
            f"£{amount:,.2f} is more than the £{balance.balance:,.2f} still owed: "
            "an overpayment cannot be recorded",
            field="amount",
        )
    return balance


@transaction.atomic
def payment_record(
    *,
    condition: Condition,
    actor,
    amount: Decimal | None,
    paid_on: dt.date | None,
    method: str,
    reference: str = "",
    expected_version=None,
) -> Payment:
    """Record a payment against a compensation or financial-penalty condition. The payment
    that clears the balance marks the condition complied (and may complete the caution)."""
    case, condition = _lock_condition(
        condition, expected_version, CONDITION_CHANGE_STATES, "record a payment"
    )
    before = _check_payment(case, condition, amount, paid_on, method)
    payment = Payment.objects.create(
        case=case,
        condition=condition,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference.strip(),
        recorded_by=actor,
    )
    condition.version += 1
    condition._history_user = actor
    condition.save(update_fields=["version"])
    after = Balance(owed=before.owed, paid=before.paid + amount)
    _save(
        case,
        actor,
        "payment_recorded",
        [],
        reason=f"£{amount:,.2f} paid on {paid_on:%-d %B %Y} ({payment.get_method_display()})",
        data={
            "condition": condition.pk,
            "payment": payment.pk,
            "amount": str(amount),
            "paid": str(after.paid),
            "balance": str(after.balance),
        },
    )
    if after.paid_in_full:
        condition_mark_complied(
            condition=condition,
            actor=actor,
            complied_on=paid_on,
            evidence=f"Paid in full: £{after.paid:,.2f} (the payments ledger)",
        )
    return payment
