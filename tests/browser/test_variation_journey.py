"""Journey: a caution is corrected after it is given. The officer varies a compensation amount
typed as £500 to £50 (with the reason and the person's agreement; refused first without
them), adds a condition, extends the compliance period, and records payments until the
compensation is paid in full. Every page is checked (tests/browser/pages: axe included)."""

import re
from decimal import Decimal

import pytest

from cautions.models import Case, Condition, Payment, Variation
from hub.models import ConditionType
from hub.roles import Role
from tests.browser.pages import sign_in
from tests.cautions.factories import ActiveCaseFactory, ConditionFactory
from tests.factories import OffenceFactory, PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_vary_an_amount_add_a_condition_and_record_payments(open_session):
    officer_user = make_user(Role.OFFICER, username="officer1")
    person = PersonFactory(first_name="Daniel", last_name="Hughes")
    offence = OffenceFactory(person=person, loss_value=Decimal("50"))
    case = ActiveCaseFactory(officer=officer_user, person=person, offence=offence, conditions=0)
    compensation = ConditionFactory(
        case=case,
        condition_type=ConditionType.objects.get(key="compensation"),
        description="Pay the supermarket for the goods taken.",
        amount=Decimal("500"),
    )

    officer = sign_in(open_session(), "officer1")
    officer.open(case.get_absolute_url())
    assert "£500" in officer.text()
    assert "Varied" not in officer.text()

    # Vary: without the agreement first (the error state), then with it.
    officer.follow(re.compile("^Vary"))
    officer.fill("Amount in pounds", "50")
    officer.fill("Reason for the variation", "£500 was typed for £50 when the caution was given.")
    officer.press("Vary the condition")
    assert officer.title.startswith("Error: ")
    assert any("agree" in e or "consent" in e for e in officer.error_summary())
    officer.shot("variation-01-refused-without-agreement")
    officer.choose("The person agrees to the varied conditions")
    officer.press("Vary the condition")
    compensation.refresh_from_db()
    assert compensation.amount == Decimal("50")
    text = officer.text()
    assert "Varied (version 2)" in text
    assert "Needs signing" in text
    officer.shot("variation-02-case-after-variation")

    # Add a condition.
    officer.follow("Add a condition")
    officer.select("Condition type", "Letter of apology")
    officer.fill("What the person must do", "Write a letter of apology to the store manager.")
    officer.fill("Reason for the variation", "The victim asked for an apology after all.")
    officer.choose("The person agrees to the varied conditions")
    officer.press("Add the condition")
    assert "Condition added" in officer.text()
    assert Condition.objects.filter(case=case).count() == 2

    # Extend the compliance period (the maximum is 20 weeks from the caution date).
    officer.follow("Extend the compliance period")
    officer.fill("New compliance period, in weeks from the caution date", "21")
    officer.fill("Reason for the variation", "Support sessions start late.")
    officer.choose("The person agrees to the varied conditions")
    officer.press("Extend the compliance period")
    assert officer.title.startswith("Error: ")
    officer.fill("New compliance period, in weeks from the caution date", "18")
    officer.press("Extend the compliance period")
    case.refresh_from_db()
    assert case.compliance_period_weeks == 18
    assert Variation.objects.filter(case=case).count() == 3

    # Payments: part, then the rest; the condition is then complied with.
    officer.follow(re.compile("^Payments"))
    officer.fill("Amount paid, in pounds", "20")
    officer.choose("Card")
    officer.fill("Payment reference", "TXN-001")
    officer.press("Record the payment")
    text = officer.text()
    assert "TXN-001" in text
    assert "£30.00" in text
    officer.shot("variation-03-payments-part-paid")
    officer.fill("Amount paid, in pounds", "31")
    officer.choose("Cash")
    officer.press("Record the payment")
    assert officer.title.startswith("Error: ")
    assert any("overpayment" in e for e in officer.error_summary())
    officer.fill("Amount paid, in pounds", "30")
    officer.press("Record the payment")
    assert "paid in full" in officer.text()
    assert Payment.objects.filter(condition=compensation).count() == 2
    compensation.refresh_from_db()
    assert compensation.status == Condition.Status.COMPLIED
    officer.shot("variation-04-paid-in-full")

    officer.follow("Back to the case")
    officer.follow("History")
    assert "Amount: was £500.00, now £50.00" in officer.text()
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACTIVE  # the letter is pending
