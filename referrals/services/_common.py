"""What every referrals service shares: its errors, the row lock and the checks of state and
membership."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hub import errors
from hub.roles import Role
from referrals.models import Referral, SupportSession


class ReferralError(errors.DomainError):
    """A domain rule refused the action. The message is shown to the user as it is."""


class InvalidTransition(ReferralError, errors.InvalidTransition):
    pass


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_status(referral: Referral, allowed, action: str) -> None:
    if referral.status not in allowed:
        raise InvalidTransition(
            f"You cannot {action}: the referral is {referral.get_status_display().lower()}."
        )


def _require_member(referral: Referral, actor) -> None:
    profile = getattr(actor, "profile", None)
    if profile is None or profile.organisation_id != referral.provider_id:
        raise ReferralError("Only staff of the provider the person was referred to can do this.")


def _is_caseworker_of(user, organisation_id: int) -> bool:
    profile = getattr(user, "profile", None)
    return (
        user.is_active
        and profile is not None
        and profile.organisation_id == organisation_id
        and user.groups.filter(name=Role.CASEWORKER).exists()
    )


SESSION_FIELDS = (
    "occurred_at",
    "duration_minutes",
    "kind",
    "attendance",
    "absence_reason_accepted",
    "notes",
    "next_steps",
)


def _earliest_session_date(referral: Referral) -> dt.date:
    """Support follows the caution (or, before it is given, the offence)."""
    case = referral.case
    return case.caution_date or case.offence.offence_date


def _clean_session_data(data: dict, referral: Referral) -> dict:
    values = {field: data.get(field) for field in SESSION_FIELDS}
    present = values["attendance"] in SupportSession.PRESENT
    if present and not values["duration_minutes"]:
        raise ReferralError("Enter how long the session lasted.")
    if not present:
        values["duration_minutes"] = None
    if values["attendance"] != SupportSession.Attendance.DID_NOT_ATTEND:
        values["absence_reason_accepted"] = False
    values["absence_reason_accepted"] = bool(values["absence_reason_accepted"])
    values["notes"] = (values["notes"] or "").strip()
    values["next_steps"] = (values["next_steps"] or "").strip()
    if values["occurred_at"] and values["occurred_at"] > timezone.now():
        raise ReferralError("The session date and time must be in the past.", field="session_date")
    earliest = _earliest_session_date(referral)
    if values["occurred_at"] and timezone.localtime(values["occurred_at"]).date() < earliest:
        given = "the caution was given" if referral.case.caution_date else "the offence"
        raise ReferralError(
            f"The session date must be on or after {given} ({earliest:%-d %B %Y}).",
            field="session_date",
        )
    return values
