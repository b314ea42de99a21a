"""Which referrals and sessions a user may see.

- Support caseworkers (referrals.change_referral): their own organisation's referrals only.
- Police (referrals.view_referral with cautions.view_case): every referral, read-only, and never
  the session notes (see `can_read_notes`).
- Everyone else (analysts, administrators without these roles): nothing.
Anything outside that returns 404, so ids cannot be probed; a read-only user asking to write
gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from hub.audit import note_subject
from referrals.models import Appointment, Referral, SupportSession


def _organisation_id(user):
    profile = getattr(user, "profile", None)
    return profile.organisation_id if profile is not None else None


def is_provider_staff(user) -> bool:
    return user.has_perm("referrals.change_referral")


def referrals_visible_to(user):
    if not user.is_authenticated:
        return Referral.objects.none()
    if is_provider_staff(user):
        org_id = _organisation_id(user)
        if org_id is None:
            return Referral.objects.none()
        return Referral.objects.for_organisation(org_id)
    if user.has_perm("referrals.view_referral") and user.has_perm("cautions.view_case"):
        # Police see the referrals of the cases they may see (today: every case in the force).
        from cautions.models import Case

        return Referral.objects.filter(case__in=Case.objects.visible_to(user))
    return Referral.objects.none()


def can_read_notes(user, referral: Referral) -> bool:
    """Session notes are for the support service the person was referred to."""
    return (
        user.has_perm("referrals.view_supportsession")
        and _organisation_id(user) == referral.provider_id
    )


def get_referral_for_user(user, pk: int, *, write: bool = False) -> Referral:
    referral = get_object_or_404(
        referrals_visible_to(user).select_related(
            "case__person",
            "case__offence__category",
            "provider",
            "assigned_to",
        ),
        pk=pk,
    )
    if write and not (is_provider_staff(user) and _organisation_id(user) == referral.provider_id):
        raise PermissionDenied
    note_subject(referral, person_id=referral.case.person_id)  # for hub.personal_data
    return referral


def get_session_for_user(user, pk: int, *, write: bool = False) -> SupportSession:
    """Sessions (with their notes) are only for the provider's own staff: 404 for anyone
    else, officers included."""
    org_id = _organisation_id(user)
    if not user.has_perm("referrals.view_supportsession") or org_id is None:
        raise PermissionDenied
    session = get_object_or_404(
        SupportSession.objects.select_related(
            "referral__case__person", "referral__provider", "recorded_by", "corrects"
        ),
        pk=pk,
        referral__provider_id=org_id,
    )
    if write and not user.has_perm("referrals.add_supportsession"):
        raise PermissionDenied
    note_subject(session, person_id=session.referral.case.person_id)  # for hub.personal_data
    return session


def get_appointment_for_user(user, pk: int, *, write: bool = False) -> Appointment:
    """An appointment of a referral the user may see (404 otherwise, so ids cannot be probed);
    changing it is for the provider's own staff (403 for a police reader)."""
    appointment = get_object_or_404(
        Appointment.objects.filter(referral__in=referrals_visible_to(user)).select_related(
            "referral__case__person", "referral__provider", "referral__assigned_to"
        ),
        pk=pk,
    )
    referral = appointment.referral
    if write and not (is_provider_staff(user) and _organisation_id(user) == referral.provider_id):
        raise PermissionDenied
    note_subject(appointment, person_id=referral.case.person_id)  # for hub.personal_data
    return appointment
