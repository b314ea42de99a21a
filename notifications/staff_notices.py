"""The words and links of each staff notification. A text names no person: a case reference,
a provider, a date. Links are paths to the pages the recipient already uses."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hub.lib.dates import long_date
from notifications.staff_models import StaffNotification
from notifications.staff_services import Notice

K = StaffNotification.Kind


def case_link(case_id: int, section: str = "") -> str:
    name = f"cautions:case_{section}" if section else "cautions:case_detail"
    return reverse(name, args=[case_id])


def referral_link(referral_id: int) -> str:
    return reverse("referrals:detail", args=[referral_id])


# ---------------------------------------------------------------------------- to the officer


def referral_returned(referral, event) -> Notice:
    return Notice(
        K.REFERRAL_RETURNED,
        f"Case {referral.case.reference}: {referral.provider.name} returned the referral.",
        case_link(referral.case_id, "support"),
        f"referral-event:{event.pk}",
    )


def complied_reported(referral, event) -> Notice:
    return Notice(
        K.COMPLIED_REPORTED,
        f"Case {referral.case.reference}: {referral.provider.name} reports a condition complied "
        "with. Confirm it.",
        case_link(referral.case_id, "support"),
        f"referral-event:{event.pk}",
    )


def not_engaging(referral, event) -> Notice:
    return Notice(
        K.NOT_ENGAGING,
        f"Case {referral.case.reference}: {referral.provider.name} reports that the person is "
        "not engaging.",
        case_link(referral.case_id, "support"),
        f"referral-event:{event.pk}",
    )


def appointment_missed(referral, event) -> Notice:
    return Notice(
        K.APPOINTMENT_MISSED,
        f"Case {referral.case.reference}: an appointment with {referral.provider.name} was missed.",
        case_link(referral.case_id, "support"),
        f"referral-event:{event.pk}",
    )


def condition_due_soon(condition) -> Notice:
    return Notice(
        K.CONDITION_DUE_SOON,
        f"Case {condition.case.reference}: a condition is due on {long_date(condition.due_date)}.",
        case_link(condition.case_id),
        f"due-soon:c{condition.pk}:{condition.due_date.isoformat()}",
    )


def condition_overdue(condition) -> Notice:
    return Notice(
        K.CONDITION_OVERDUE,
        f"Case {condition.case.reference}: a condition was due on "
        f"{long_date(condition.due_date)} and is overdue.",
        case_link(condition.case_id),
        f"overdue:c{condition.pk}:{condition.due_date.isoformat()}",
    )


def charge_by_soon(case, charge_by: dt.date) -> Notice:
    return Notice(
        K.CHARGE_BY_SOON,
        f"Case {case.reference}: a prosecution must start by {long_date(charge_by)} "
        "(summary-only offence).",
        case_link(case.pk),
        f"charge-by:case{case.pk}:{charge_by.isoformat()}",
    )


# ---------------------------------------------------------------------------- to sergeants


def awaiting_authorisation(case) -> Notice:
    return Notice(
        K.AWAITING_AUTHORISATION,
        f"Case {case.reference} is waiting for authorisation.",
        case_link(case.pk),
        f"submitted:case{case.pk}:v{case.version}",
    )


def breach_reported(case, breach) -> Notice:
    return Notice(
        K.BREACH_REPORTED,
        f"Case {case.reference}: a breach is waiting for a decision.",
        case_link(case.pk),
        f"breach:{breach.pk}",
    )


# ---------------------------------------------------------------------------- to caseworkers


def new_referral(referral, event) -> Notice:
    return Notice(
        K.NEW_REFERRAL,
        f"New referral for {referral.provider.name} (case {referral.case.reference}).",
        referral_link(referral.pk),
        f"referral-event:{event.pk}",
    )


def closed_by_police(referral, event) -> Notice:
    return Notice(
        K.CLOSED_BY_POLICE,
        f"Case {referral.case.reference}: the police closed the referral to "
        f"{referral.provider.name}.",
        referral_link(referral.pk),
        f"referral-event:{event.pk}",
    )


def conditions_varied(referral, case) -> Notice:
    return Notice(
        K.CONDITIONS_VARIED,
        f"Case {case.reference}: the police varied the conditions. Check the referral.",
        referral_link(referral.pk),
        f"varied:case{case.pk}:v{case.version}:r{referral.pk}",
    )
