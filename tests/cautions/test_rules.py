"""The legal limits and the condition rules (cautions.rules), without a database: each limit at
and just past its boundary, and each condition check with the reason a person reads."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from cautions import rules as r

TODAY = dt.date(2025, 6, 15)


# --------------------------------------------------------------------------- punitive hours


@pytest.mark.parametrize(
    ("hours", "refused"),
    [
        ([Decimal(20)], False),
        ([Decimal("20.5")], True),
        ([Decimal(10), Decimal(10)], False),
        ([Decimal(10), Decimal("10.5")], True),
        ([None, Decimal(20)], False),
    ],
)
def test_punitive_hours_cap_is_20_in_total(hours, refused):
    refusal = r.punitive_hours_refusal(hours)
    assert (refusal is not None) == refused
    if refused:
        assert refusal.reason == (
            f"Punitive attendance adds up to {sum(h for h in hours if h):g} hours: "
            "the law allows at most 20 in total."
        )


# --------------------------------------------------------------------------- financial penalty


@pytest.mark.parametrize(
    ("mode", "label", "cap"),
    [
        ("summary", "Summary only", 50),
        ("either_way", "Either way", 100),
        ("indictable_only", "Indictable only", 150),
    ],
)
def test_financial_penalty_cap_by_mode_of_trial(mode, label, cap):
    assert r.financial_penalty_cap(mode) == Decimal(cap)
    assert r.financial_penalty_refusal(Decimal(cap), mode, label) is None
    assert r.financial_penalty_refusal(Decimal(cap) + Decimal("0.01"), mode, label) == (
        f"a financial penalty for an offence that is {label.lower()} can be at most £{cap}."
    )


# --------------------------------------------------------------------------- compliance period


def period(weeks, reason="", *, default_weeks=16, max_weeks=20):
    return r.compliance_period_refusal(
        weeks, extension_reason=reason, default_weeks=default_weeks, max_weeks=max_weeks
    )


def test_16_weeks_needs_no_reason_17_does():
    assert period(16) is None
    refusal = period(17)
    assert refusal == r.Refusal(
        "A compliance period over 16 weeks needs a recorded reason",
        field="compliance_extension_reason",
    )
    assert period(17, "Course runs 18 weeks") is None
    assert period(17, "   ") is not None


def test_20_weeks_with_a_reason_21_never():
    assert period(20, "Long course") is None
    assert period(21, "Long course") == r.Refusal(
        "The compliance period can be at most 20 weeks", field="compliance_period_weeks"
    )


def test_the_local_settings_can_only_narrow_the_period():
    assert period(13, default_weeks=12, max_weeks=14) is not None  # no reason past 12
    assert period(15, "Long course", default_weeks=12, max_weeks=14) is not None
    # Settings never allow more than the law (the database refuses them anyway).
    assert period(21, "Long course", max_weeks=26) is not None


def test_compliance_deadline_is_whole_weeks_after_the_caution():
    assert r.compliance_deadline(TODAY, 16) == TODAY + dt.timedelta(days=112)


# --------------------------------------------------------------------------- adults only


def born_years_before(years: int, *, days_after: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days_after)


def test_18_on_the_caution_date_is_an_adult():
    assert r.adult_on_caution_date(born_years_before(18), TODAY) is None


def test_17_on_the_caution_date_is_refused():
    refusal = r.adult_on_caution_date(born_years_before(18, days_after=1), TODAY)
    assert refusal == r.Refusal(
        "The person is 17 on the caution date: conditional cautions are for adults only.",
        field="caution_date",
    )


def test_no_date_of_birth_is_refused():
    assert r.adult_on_caution_date(None, TODAY) == r.Refusal(
        "The person's date of birth is not recorded."
    )


# --------------------------------------------------------------------------- giving the caution


REQUIREMENTS = {
    "admitted": True,
    "effect_explained": True,
    "warned_of_prosecution": True,
    "consented": True,
    "document_signed": True,
}


def test_all_five_requirements_are_needed():
    assert r.s23_requirements(**REQUIREMENTS) is None
    refusal = r.s23_requirements(**{**REQUIREMENTS, "consented": False, "admitted": False})
    assert refusal.reason == (
        "A conditional caution can only be given when all five legal requirements are met. "
        "Missing: the person admits the offence; the person consents to the conditions."
    )


def test_the_caution_date_lies_between_the_offence_and_today():
    offence_date = TODAY - dt.timedelta(days=10)
    assert r.caution_date_refusal(TODAY, today=TODAY, offence_date=offence_date) is None
    assert r.caution_date_refusal(offence_date, today=TODAY, offence_date=offence_date) is None
    future = r.caution_date_refusal(
        TODAY + dt.timedelta(days=1), today=TODAY, offence_date=offence_date
    )
    assert future == r.Refusal("The caution date cannot be in the future", field="caution_date")
    early = r.caution_date_refusal(
        offence_date - dt.timedelta(days=1), today=TODAY, offence_date=offence_date
    )
    assert early.reason == "The caution date is before the offence date"


# --------------------------------------------------------------------------- 6-month time limit


def test_summary_time_limit_is_6_calendar_months():
    assert r.summary_time_limit(dt.date(2025, 8, 31)) == dt.date(2026, 2, 28)


def charge(charge_date, mode="summary", offence_date=dt.date(2024, 12, 10)):
    return r.charge_date_refusal(
        charge_date,
        today=TODAY,
        caution_date=dt.date(2025, 1, 5),
        mode_of_trial=mode,
        offence_date=offence_date,
    )


def test_a_summary_offence_is_charged_within_6_months():
    assert charge(dt.date(2025, 6, 10)) is None  # the last day
    refusal = charge(dt.date(2025, 6, 11))
    assert refusal == r.Refusal(
        "This summary-only offence could only be prosecuted until 10 June 2025 "
        "(6 months from the offence). Choose no further action instead.",
        field="decision",
    )
    assert charge(dt.date(2025, 6, 11), mode="either_way") is None


def test_the_charge_date_lies_between_the_caution_and_today():
    assert charge(None) == r.Refusal("Enter the charge date", field="charge_date")
    for outside in (dt.date(2025, 1, 4), TODAY + dt.timedelta(days=1)):
        assert charge(outside, mode="either_way").field == "charge_date"


def test_time_limit_warning_at_and_past_the_boundary():
    offence_date = dt.date(2025, 1, 10)  # limit 10/07/2025
    caution_exact = dt.date(2025, 7, 10) - dt.timedelta(days=28) - dt.timedelta(weeks=16)

    def warning(caution_date, mode="summary"):
        return r.time_limit_warning(
            mode_of_trial=mode,
            offence_date=offence_date,
            caution_date=caution_date,
            weeks=16,
            margin_days=28,
        )

    assert warning(caution_exact) == ""
    late = warning(caution_exact + dt.timedelta(days=1))
    assert late.startswith(
        "This is a summary-only offence: a prosecution must start by 10 July 2025"
    )
    assert warning(caution_exact + dt.timedelta(days=1), mode="either_way") == ""


# --------------------------------------------------------------------------- conditions


APOLOGY = r.ConditionInput(
    type_label="Letter of apology",
    object="reparation",
    description="Write to the shop manager.",
    due_date=TODAY + dt.timedelta(weeks=4),
)
UNPAID_WORK = r.ConditionInput(
    type_label="Unpaid work",
    object="punishment",
    description="Clean the park.",
    due_date=TODAY + dt.timedelta(weeks=4),
    hours=Decimal(10),
    has_hours=True,
    counts_towards_hours_cap=True,
)
NO_CONTACT = r.ConditionInput(
    type_label="No contact",
    object="restrictive",
    description="No contact with the victim.",
    due_date=TODAY + dt.timedelta(weeks=4),
)
FINE = r.ConditionInput(
    type_label="Financial penalty",
    object="punishment",
    description="Pay the penalty.",
    due_date=TODAY + dt.timedelta(weeks=4),
    amount=Decimal(100),
    has_amount=True,
    capped_by_mode_of_trial=True,
)


def conditions(*items, existing=(), consent=False, mode="either_way"):
    return r.condition_set_refusal(
        r.ConditionSetInput(
            conditions=tuple(items),
            existing=tuple(existing),
            caution_date=TODAY,
            deadline=TODAY + dt.timedelta(weeks=16),
            mode_of_trial=mode,
            mode_of_trial_label={"summary": "Summary only", "either_way": "Either way"}[mode],
            victim_consents_to_restorative_justice=consent,
        )
    )


def test_a_valid_set_passes():
    assert conditions(APOLOGY, UNPAID_WORK, FINE) is None


def test_at_least_one_condition():
    assert conditions() == r.Refusal("Set at least one condition", field="conditions")
    # A variation of one condition keeps the others in force.
    assert conditions(existing=[APOLOGY]) is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"retired": True}, "this condition type is retired and cannot be chosen."),
        ({"description": "  "}, "describe what the person must do."),
        ({"due_date": TODAY - dt.timedelta(days=1)}, "the due date is before the caution date."),
        (
            {"due_date": TODAY + dt.timedelta(weeks=16, days=1)},
            "the due date 6 October 2025 is after the end of the compliance period (5 October 2025).",
        ),
        ({"needs_provider": True}, "choose the support provider."),
        (
            {"provider": "Police HQ", "provider_usable": False},
            "Police HQ is not an active support provider.",
        ),
        ({"has_amount": True}, "enter the amount in pounds."),
        ({"amount": Decimal(0)}, "the amount must be more than £0."),
        ({"has_hours": True}, "enter the number of hours."),
        ({"hours": Decimal("-1")}, "the hours must be more than 0."),
        (
            {"needs_victim_consent": True},
            "restorative justice needs the victim's consent, which is not recorded.",
        ),
    ],
)
def test_each_condition_check_names_the_condition(changes, reason):
    broken = dataclasses.replace(APOLOGY, **changes)
    assert conditions(APOLOGY, broken).reason == f"Condition 2 (Letter of apology): {reason}"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"retired": True}, None),
        ({"description": "  "}, "description"),
        ({"due_date": TODAY - dt.timedelta(days=1)}, "due_date"),
        ({"needs_provider": True}, "provider"),
        ({"has_amount": True}, "amount"),
        ({"hours": Decimal("-1")}, "hours"),
        ({"needs_victim_consent": True}, None),
    ],
)
def test_each_condition_check_names_the_field_it_concerns(changes, field):
    # A form with that field (vary, add a condition) shows the error at it.
    assert conditions(dataclasses.replace(APOLOGY, **changes)).field == field


COMPENSATION = dataclasses.replace(
    APOLOGY, type_label="Compensation", has_amount=True, is_compensation=True
)


@pytest.mark.parametrize(
    ("amount", "reason", "refused"),
    [("40", "", False), ("40.01", "", True), ("40.01", "Time off work", False)],
)
def test_compensation_above_the_loss_needs_a_reason(amount, reason, refused):
    condition = dataclasses.replace(COMPENSATION, amount=Decimal(amount), amount_reason=reason)
    s = r.ConditionSetInput(
        conditions=(condition,),
        caution_date=TODAY,
        deadline=TODAY + dt.timedelta(weeks=16),
        mode_of_trial="either_way",
        mode_of_trial_label="Either way",
        victim_consents_to_restorative_justice=False,
        loss_value=Decimal("40"),
    )
    refusal = r.condition_set_refusal(s)
    assert (refusal is not None) == refused
    if refused:
        assert refusal.field == "amount_reason"
        assert "£40.01 is more than the value of the loss or damage (£40.00)" in refusal.reason


def test_the_due_date_may_be_the_last_day_of_the_period():
    assert conditions(dataclasses.replace(APOLOGY, due_date=TODAY + dt.timedelta(weeks=16))) is None


def test_victim_consent_allows_restorative_justice():
    rj = dataclasses.replace(APOLOGY, needs_victim_consent=True)
    assert conditions(rj, consent=True) is None


def test_the_penalty_cap_follows_the_mode_of_trial():
    assert conditions(dataclasses.replace(FINE, amount=Decimal(50)), mode="summary") is None
    refusal = conditions(dataclasses.replace(FINE, amount=Decimal("50.01")), mode="summary")
    assert refusal.reason == (
        "Condition 1 (Financial penalty): a financial penalty for an offence that is "
        "summary only can be at most £50."
    )


def test_hours_add_up_over_new_and_existing_conditions():
    assert conditions(UNPAID_WORK, existing=[UNPAID_WORK]) is None
    more = dataclasses.replace(UNPAID_WORK, hours=Decimal("10.5"))
    assert "at most 20" in conditions(more, existing=[UNPAID_WORK]).reason
    # Hours that do not count towards the cap are not added.
    course = dataclasses.replace(more, counts_towards_hours_cap=False)
    assert conditions(course, existing=[UNPAID_WORK]) is None


def test_restrictive_only_alongside_rehabilitation_or_reparation():
    reason = (
        "A restrictive condition (no contact, stay out of an area) can only be set "
        "alongside a rehabilitative or reparative condition."
    )
    assert conditions(NO_CONTACT) == r.Refusal(reason)
    assert conditions(NO_CONTACT, UNPAID_WORK) == r.Refusal(reason)
    assert conditions(NO_CONTACT, APOLOGY) is None
    assert conditions(NO_CONTACT, existing=[APOLOGY]) is None


def test_first_refusal_keeps_the_order():
    first, second = r.Refusal("first"), r.Refusal("second")
    assert r.first_refusal(None, first, second) is first
    assert r.first_refusal(None, None) is None


# --------------------------------------------------------------------------- retention


def test_retention_review_is_6_calendar_years_after_the_outcome(settings):
    settings.RETENTION_YEARS = 6
    assert r.retention_review_date(dt.date(2024, 2, 29)) == dt.date(2030, 2, 28)
    assert r.retention_review_date(dt.date(2024, 2, 29), years=1) == dt.date(2025, 2, 28)


# --------------------------------------------------------------------------- charge-by date


def test_charge_by_date_only_for_summary_only_offences():
    offence_date = dt.date(2025, 8, 31)
    assert r.charge_by_date(mode_of_trial="summary", offence_date=offence_date) == dt.date(
        2026, 2, 28
    )
    assert r.charge_by_date(mode_of_trial="either_way", offence_date=offence_date) is None
    assert r.charge_by_date(mode_of_trial="indictable_only", offence_date=offence_date) is None


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2026, 1, 30), ""),  # 29 days left: more than the margin
        (dt.date(2026, 1, 31), "soon"),  # 28 days left: the margin
        (dt.date(2026, 2, 28), "soon"),  # the last day
        (dt.date(2026, 3, 1), "passed"),  # the day after
    ],
)
def test_charge_by_state_each_side_of_the_margin_and_the_date(today, state):
    assert r.charge_by_state(dt.date(2026, 2, 28), today=today, margin_days=28) == state


def test_charge_by_state_without_a_date_is_empty():
    assert r.charge_by_state(None, today=dt.date(2026, 3, 1), margin_days=28) == ""


@pytest.mark.parametrize(
    ("day", "latest"),
    [
        (dt.date(2026, 2, 28), dt.date(2025, 8, 31)),  # clamped months: 29-31 Aug included
        (dt.date(2026, 2, 27), dt.date(2025, 8, 27)),
        (dt.date(2026, 7, 10), dt.date(2026, 1, 10)),
        (dt.date(2024, 2, 29), dt.date(2023, 8, 31)),
    ],
)
def test_latest_offence_date_charge_by_is_the_inverse_of_the_limit(day, latest):
    found = r.latest_offence_date_charge_by(day)
    assert found == latest
    assert r.summary_time_limit(found) <= day
    assert r.summary_time_limit(found + dt.timedelta(days=1)) > day
