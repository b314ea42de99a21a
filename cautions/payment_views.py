"""The payments of a compensation or financial-penalty condition: what is owed, paid and
still to pay, the ledger, and the form that records a payment (police only; the page shows
the person's name and payments, so it is logged as a consultation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cautions import services
from cautions.access import get_condition_for_user
from cautions.models import Condition, Payment
from cautions.payment_forms import PaymentForm
from cautions.selectors import today
from cautions.views import _apply, _form_page
from hub.personal_data import personal_data


@personal_data("cautions.condition", "Viewed the payments of a condition")
@permission_required("cautions.change_case", raise_exception=True)
def condition_payments(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    condition = get_condition_for_user(request.user, case_pk, pk, write=True)
    form = PaymentForm(
        request.POST or None,
        initial={"expected_version": condition.version, "paid_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.payment_record(
                condition=condition,
                actor=request.user,
                amount=d["amount"],
                paid_on=d["paid_on"],
                method=d["method"],
                reference=d["reference"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, f"Payment of £{d['amount']:,.2f} recorded")
            return redirect("cautions:condition_payments", case_pk=case_pk, pk=pk)
    payments = list(
        Payment.objects.filter(condition=condition)
        .select_related("recorded_by")
        .order_by("paid_on", "id")
    )
    balance = services.condition_balance(condition)
    return _form_page(
        request,
        condition.case,
        form,
        title=f"Payments: {condition.condition_type.label.lower()}",
        template="cautions/payments.html",
        condition=condition,
        payments=payments,
        balance=balance,
        payable=condition.status == Condition.Status.PENDING and not balance.paid_in_full,
        complied=condition.status == Condition.Status.COMPLIED,
    )
