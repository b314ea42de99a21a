"""What may be done next on a referral, and by whom: the buttons of the referral page and the
officer's "Refer to a support provider" link.

Pure functions of the referral (or the case) and the user: their permissions and whether they
work for the provider the person was referred to (referrals.access.can_read_notes). Nothing
here reads the database beyond the user's profile, which the page has read already. They offer
what referrals.services accepts; the services check again under a row lock.
"""

from __future__ import annotations

import datetime as dt

from cautions.actions import Action
from cautions.models import Case
from hub.lib.urls import url_for
from referrals.access import can_read_notes
from referrals.models import Referral

Status = Referral.Status

# The referral states in which each step is offered (referrals.services accepts the same).
ACCEPT_STATES = (Status.NEW,)
RETURN_STATES = (Status.NEW, Status.ACCEPTED)  # refused once support has started
SUPPORT_STATES = (Status.ACCEPTED, Status.IN_PROGRESS)  # sessions, progress, reassigning, ending
# An officer refers by hand only while the caution runs (referral_create_manual).
REFERRABLE_CASE_STATES = (Case.Status.ACTIVE, Case.Status.BREACH)


def can_act(referral: Referral, user) -> bool:
    """Staff of the provider the person was referred to who handle referrals; everyone else
    (officers included) only reads the referral."""
    return can_read_notes(user, referral) and user.has_perm("referrals.change_referral")


def can_accept(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in ACCEPT_STATES


def can_return(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in RETURN_STATES


def can_record_session(referral: Referral, user) -> bool:
    return (
        can_act(referral, user)
        and user.has_perm("referrals.add_supportsession")
        and referral.status in SUPPORT_STATES
    )


def can_report_progress(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in SUPPORT_STATES


def can_reassign(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in SUPPORT_STATES


def can_end_support(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in SUPPORT_STATES


def can_add_summary(referral: Referral, user) -> bool:
    """The police closed a referral the provider had accepted: the provider may still send
    its end-of-support summary."""
    return (
        can_act(referral, user)
        and referral.status == Status.WITHDRAWN
        and referral.assigned_to_id is not None
    )


def can_correct_session(referral: Referral, session, user) -> bool:
    """An entry that stands (not corrected already) may be corrected by the provider's staff
    who record sessions: the correcting entry is added and the original kept."""
    return (
        can_read_notes(user, referral)
        and user.has_perm("referrals.add_supportsession")
        and not session.is_corrected
    )


def can_edit_session(referral: Referral, session, user, *, now: dt.datetime) -> bool:
    """Its author may change an entry for 24 hours after recording it (SESSION_EDIT_WINDOW);
    after that it is corrected instead."""
    return (
        can_correct_session(referral, session, user)
        and session.recorded_by_id == user.pk
        and now < session.editable_until()
    )


def can_book_appointment(referral: Referral, user) -> bool:
    return can_act(referral, user) and referral.status in SUPPORT_STATES


def appointment_actions(referral: Referral, appointment, user, *, now: dt.datetime) -> list:
    """The links on an appointment's row of the referral page: a booked one can be moved or
    cancelled, and once it has started its attendance recorded."""
    if not (can_book_appointment(referral, user) and appointment.is_booked):
        return []
    pk = appointment.pk
    links = []
    if appointment.starts_at <= now and user.has_perm("referrals.add_supportsession"):
        links.append(
            Action(
                "attendance", "Record attendance", url_for("referrals:appointment_attendance", pk)
            )
        )
    links.append(
        Action("reschedule", "Reschedule", url_for("referrals:appointment_reschedule", pk))
    )
    links.append(Action("cancel", "Cancel", url_for("referrals:appointment_cancel", pk)))
    return links


def can_refer(case: Case, user) -> bool:
    """An officer may refer the person on a case to a support provider by hand."""
    return user.has_perm("referrals.add_referral") and case.status in REFERRABLE_CASE_STATES


def referral_actions(referral: Referral, user) -> list[Action]:
    """The buttons at the top of the referral page, in the order shown."""
    pk = referral.pk
    candidates = (
        (can_accept, "accept", "Accept referral", "referrals:accept", ""),
        (
            can_book_appointment,
            "book_appointment",
            "Book an appointment",
            "referrals:appointment_book",
            "",
        ),
        (
            can_record_session,
            "record_session",
            "Record a session",
            "referrals:session_create",
            "secondary",
        ),
        (
            can_report_progress,
            "report_progress",
            "Report progress",
            "referrals:progress_create",
            "secondary",
        ),
        (can_reassign, "reassign", "Change caseworker", "referrals:accept", "secondary"),
        (can_return, "return", "Return referral", "referrals:return", "secondary"),
        (can_end_support, "end_support", "End support", "referrals:close", "warning"),
        (
            can_add_summary,
            "add_summary",
            "Add end-of-support summary",
            "referrals:close",
            "secondary",
        ),
    )
    return [
        Action(key, label, url_for(url_name, pk), style)
        for allowed, key, label, url_name, style in candidates
        if allowed(referral, user)
    ]
