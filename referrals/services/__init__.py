"""Referrals to support providers: every write and state transition (see STYLE.md).

Each transition runs in a transaction, locks the referral row, checks its state (raising
`InvalidTransition`, which says what state the referral is in), saves the changed fields and
appends a `ReferralEvent` in the same transaction.

Referral states::

    new ──accept──> accepted ──first session──> in_progress ──close──> completed
     │                 │                            │
     └──return──> returned <──return──┘             │
    (any open state) ──case closed / conditions ended──> withdrawn ("Closed by police")
    withdrawn ──conditions for the provider again──> new      (referrals.sync)
    returned / withdrawn ──officer refers again──> new        (referral_create_manual)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cautions.models import Case, Condition
from cautions.services import CautionError, condition_mark_complied
from hub.lib.staff import user_display_name
from hub.models import NeedPathway, Organisation
from referrals.events import _event, _move_to
from referrals.models import (
    SESSION_EDIT_WINDOW,
    PathwayOutcome,
    ProgressReport,
    Referral,
    SupportSession,
)
from referrals.services._common import (
    InvalidTransition,
    ReferralError,
    _clean_session_data,
    _is_caseworker_of,
    _lock,
    _require_member,
    _require_status,
)

# Appointments (issue 18) live in their own module; re-exported so callers import them here.
from referrals.services.appointments import (
    appointment_book as appointment_book,
)
from referrals.services.appointments import (
    appointment_cancel as appointment_cancel,
)
from referrals.services.appointments import (
    appointment_record_attendance as appointment_record_attendance,
)
from referrals.services.appointments import (
    appointment_reschedule as appointment_reschedule,
)

# Re-exported: callers and tests know it here (it lives in referrals/sync.py).
from referrals.sync import referrals_sync_for_case as referrals_sync_for_case

Status = Referral.Status


@transaction.atomic
def referral_create_manual(
    *,
    case,
    provider: Organisation,
    actor,
    reason: str,
    due_date: dt.date | None = None,
    pathways=(),
) -> Referral:
    """An officer refers the person to a provider by hand (no condition needed).

    Only for a caution that has been given and is still running. If the case already has a
    referral to that provider: refused while it is open or completed; a returned or
    police-closed referral is reopened as new (one referral per provider per case).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (Case.Status.ACTIVE, Case.Status.BREACH):
        raise InvalidTransition(
            f"You can only refer someone whose caution is running: the case is "
            f"{case.get_status_display().lower()}."
        )
    if provider.kind != Organisation.Kind.SUPPORT_PROVIDER or not provider.active:
        raise ReferralError("Choose an active support provider.")
    if not reason.strip():
        raise ReferralError("Enter why you are making the referral.")
    referral = Referral.objects.select_for_update().filter(case=case, provider=provider).first()
    if referral is None:
        referral = Referral.objects.create(
            case=case,
            provider=provider,
            status=Status.NEW,
            source=Referral.Source.MANUAL,
            reason=reason,
            due_date=due_date or case.compliance_deadline,
            referred_by=actor,
        )
        referral.pathways.set(pathways)
        _event(referral, actor=actor, kind="created", to_status=Status.NEW, reason=reason)
        return referral
    if referral.status not in (Status.RETURNED, Status.WITHDRAWN):
        raise InvalidTransition(
            f"{provider} already has a referral for this case: it is "
            f"{referral.get_status_display().lower()}."
        )
    old = referral.status
    referral.status = Status.NEW
    referral.reason = reason
    referral.due_date = due_date or referral.due_date or case.compliance_deadline
    referral.return_reason = ""
    referral.withdrawal_reason = ""
    referral.assigned_to = None
    referral.accepted_at = None
    referral.closed_at = None
    referral.referred_by = actor
    referral.save(
        update_fields=[
            "status",
            "reason",
            "due_date",
            "return_reason",
            "withdrawal_reason",
            "assigned_to",
            "accepted_at",
            "closed_at",
            "referred_by",
            "updated_at",
        ]
    )
    referral.pathways.add(*pathways)
    _event(
        referral,
        actor=actor,
        kind="reopened",
        from_status=old,
        to_status=Status.NEW,
        reason=reason,
    )
    return referral


# --- The provider's side ------------------------------------------------------------------------


@transaction.atomic
def referral_accept(*, referral: Referral, actor, assignee) -> Referral:
    """new -> accepted, assigned to a caseworker of the provider. The same function reassigns
    an accepted or in-progress referral to a colleague (status unchanged, event "reassigned")."""
    referral = _lock(referral)
    _require_member(referral, actor)
    _require_status(
        referral, (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS), "accept or reassign it"
    )
    if not _is_caseworker_of(assignee, referral.provider_id):
        raise ReferralError("Assign the referral to a caseworker in your own organisation.")
    if referral.status == Status.NEW:
        _move_to(
            referral,
            Status.ACCEPTED,
            actor=actor,
            kind="accepted",
            reason=f"Assigned to {user_display_name(assignee)}.",
            data={"assigned_to": assignee.pk},
            accepted_at=timezone.now(),
            assigned_to=assignee,
        )
        return referral
    if referral.assigned_to_id == assignee.pk:
        raise InvalidTransition("The referral is already assigned to that caseworker.")
    previous = referral.assigned_to_id
    referral.assigned_to = assignee
    referral.save(update_fields=["assigned_to", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="reassigned",
        from_status=referral.status,
        to_status=referral.status,
        data={"from": previous, "to": assignee.pk},
        reason=f"Assigned to {user_display_name(assignee)}.",
    )
    return referral


@transaction.atomic
def referral_return(*, referral: Referral, actor, reason: str) -> Referral:
    """new or accepted -> returned, with the reason the provider cannot take the person on.
    Refused once support has started (close it with a summary instead)."""
    referral = _lock(referral)
    _require_member(referral, actor)
    _require_status(referral, (Status.NEW, Status.ACCEPTED), "return it")
    if not reason.strip():
        raise ReferralError("Enter why you are returning the referral.")
    _move_to(
        referral,
        Status.RETURNED,
        actor=actor,
        kind="returned",
        reason=reason.strip(),
        return_reason=reason.strip(),
        closed_at=timezone.now(),
    )
    return referral


@transaction.atomic
def session_record(*, referral: Referral, actor, data: dict) -> SupportSession:
    """Record a support session on an accepted or in-progress referral. The first session
    moves an accepted referral to in progress."""
    referral = _lock(referral)
    _require_member(referral, actor)
    _require_status(referral, (Status.ACCEPTED, Status.IN_PROGRESS), "record a session")
    values = _clean_session_data(data, referral)
    session = SupportSession(referral=referral, recorded_by=actor, **values)
    session._history_user = actor
    session.save()
    session.pathways.set(data.get("pathways") or [])
    old = referral.status
    if old == Status.ACCEPTED:
        referral.status = Status.IN_PROGRESS
        referral.save(update_fields=["status", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="session_recorded",
        from_status=old,
        to_status=referral.status,
        reason=f"{session.get_kind_display()}: {session.get_attendance_display().lower()}.",
        data={"session": session.pk},
    )
    return session


def has_correction(session: SupportSession) -> bool:
    try:
        session.correction  # noqa: B018  (reverse one-to-one: raises when absent)
    except SupportSession.DoesNotExist:
        return False
    return True


@transaction.atomic
def session_edit(*, session: SupportSession, actor, data: dict) -> SupportSession:
    """Change a session within 24 hours of recording it, by the person who recorded it.
    After that the record is append-only: use session_correct."""
    referral = _lock(session.referral)
    session = SupportSession.objects.select_for_update().get(pk=session.pk)
    _require_member(referral, actor)
    if session.recorded_by_id != actor.pk:
        raise InvalidTransition(
            "Only the person who recorded a session can change it. Add a correction instead."
        )
    if timezone.now() >= session.created_at + SESSION_EDIT_WINDOW:
        raise InvalidTransition(
            "Sessions can only be changed in the 24 hours after they are recorded. "
            "Add a correction instead."
        )
    if has_correction(session):
        raise InvalidTransition("This session has been corrected: change the correction.")
    values = _clean_session_data(data, referral)
    changed = [f for f, v in values.items() if getattr(session, f) != v]
    for field, value in values.items():
        setattr(session, field, value)
    session._history_user = actor
    session.save(update_fields=[*values.keys(), "updated_at"])
    new_pathways = {p.pk if hasattr(p, "pk") else int(p) for p in data.get("pathways") or []}
    if set(session.pathways.values_list("pk", flat=True)) != new_pathways:
        changed.append("pathways")
        session.pathways.set(new_pathways)
    _event(
        referral,
        actor=actor,
        kind="session_edited",
        from_status=referral.status,
        to_status=referral.status,
        data={"session": session.pk, "fields": changed},
    )
    return session


@transaction.atomic
def session_correct(*, session: SupportSession, actor, data: dict, reason: str) -> SupportSession:
    """Append a correcting entry that replaces `session` in attendance counts and reports.
    The original stays as it was. Only the latest entry of a chain can be corrected."""
    referral = _lock(session.referral)
    session = SupportSession.objects.select_for_update().get(pk=session.pk)
    _require_member(referral, actor)
    if referral.status == Status.NEW:
        raise InvalidTransition("You cannot correct a session: the referral is new.")
    if has_correction(session):
        raise InvalidTransition(
            "This session has already been corrected: correct the latest entry instead."
        )
    if not reason.strip():
        raise ReferralError("Enter what was wrong with the original entry.")
    values = _clean_session_data(data, referral)
    correction = SupportSession(referral=referral, recorded_by=actor, corrects=session, **values)
    correction._history_user = actor
    correction.save()
    correction.pathways.set(data.get("pathways") or [])
    _event(
        referral,
        actor=actor,
        kind="session_corrected",
        from_status=referral.status,
        to_status=referral.status,
        reason=reason.strip(),
        data={"session": correction.pk, "corrects": session.pk},
    )
    return correction


def _check_compliance_report(condition, complied_on: dt.date | None) -> None:
    """A "complied" report names a pending condition, not yet reported, and a past date."""
    if condition is None:
        raise ReferralError("Choose the condition the person has complied with.")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"That condition is already {condition.get_status_display().lower()}."
        )
    if complied_on is None:
        raise ReferralError("Enter the date the person complied.")
    if complied_on > timezone.localdate():
        raise ReferralError("The date complied must be today or in the past.")
    if ProgressReport.objects.filter(
        condition=condition, kind=ProgressReport.Kind.COMPLIED
    ).exists():
        raise InvalidTransition(
            "Compliance with that condition has already been reported and is awaiting "
            "the officer's confirmation."
        )


@transaction.atomic
def progress_report(
    *,
    referral: Referral,
    actor,
    kind: str,
    details: str,
    condition=None,
    complied_on: dt.date | None = None,
) -> ProgressReport:
    """Report progress to the police on an accepted or in-progress referral.

    "complied" names one of this provider's pending conditions, the date and the evidence.
    When the case lets the provider's report stand as compliance, the condition is marked
    complied now (cautions.services.condition_mark_complied, same transaction); otherwise the
    officer confirms it in the caution workflow. "not engaging" raises a flag on the officer's
    worklist until acknowledged.
    """
    referral = _lock(referral)
    _require_member(referral, actor)
    _require_status(referral, (Status.ACCEPTED, Status.IN_PROGRESS), "report progress")
    details = (details or "").strip()
    if not details:
        raise ReferralError(
            "Enter the evidence of compliance."
            if kind == ProgressReport.Kind.COMPLIED
            else "Enter what has happened."
        )
    if condition is not None:
        condition = Condition.objects.select_for_update().get(pk=condition.pk)
        if condition.case_id != referral.case_id or condition.provider_id != referral.provider_id:
            raise ReferralError("Choose one of the conditions your organisation supports.")
    if kind == ProgressReport.Kind.COMPLIED:
        _check_compliance_report(condition, complied_on)
    elif kind in (ProgressReport.Kind.NOT_ENGAGING, ProgressReport.Kind.ENGAGING):
        complied_on = None
    else:
        raise ReferralError("Choose what you are reporting.")
    report = ProgressReport.objects.create(
        referral=referral,
        condition=condition,
        kind=kind,
        complied_on=complied_on,
        details=details,
        reported_by=actor,
    )
    stands_as_compliance = (
        kind == ProgressReport.Kind.COMPLIED and referral.case.provider_report_is_compliance
    )
    _event(
        referral,
        actor=actor,
        kind="progress_reported",
        from_status=referral.status,
        to_status=referral.status,
        reason=report.get_kind_display()
        + (f": {condition.condition_type}" if condition is not None else "")
        + (" (recorded as compliance)" if stands_as_compliance else ""),
        data={"report": report.pk},
    )
    if stands_as_compliance:
        try:
            # May complete the case, which closes this referral (referrals.sync, through
            # the case_changed signal).
            condition_mark_complied(
                condition=condition, actor=actor, complied_on=complied_on, evidence=details
            )
        except CautionError as error:
            raise ReferralError(error.message) from error
        report.applied_as_compliance = True
        report.save(update_fields=["applied_as_compliance"])
    return report


@transaction.atomic
def progress_flag_acknowledge(*, report: ProgressReport, actor) -> ProgressReport:
    """The officer in charge acknowledges a "not engaging" report: it leaves the worklist."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.kind != ProgressReport.Kind.NOT_ENGAGING:
        raise InvalidTransition("Only a 'not engaging' report can be acknowledged.")
    if report.acknowledged_at is not None:
        raise InvalidTransition("This report has already been acknowledged.")
    report.acknowledged_by = actor
    report.acknowledged_at = timezone.now()
    report.save(update_fields=["acknowledged_by", "acknowledged_at"])
    referral = report.referral
    _event(
        referral,
        actor=actor,
        kind="flag_acknowledged",
        from_status=referral.status,
        to_status=referral.status,
        data={"report": report.pk},
    )
    return report


def pathways_worked_on(referral: Referral) -> list[NeedPathway]:
    """Pathways of the sessions that stand (not replaced by a correction)."""
    return list(
        NeedPathway.objects.filter(
            pk__in=SupportSession.pathways.through.objects.filter(
                supportsession__referral=referral,
                supportsession__correction__isnull=True,
            ).values("needpathway_id")
        ).order_by("sort_order", "label")
    )


@transaction.atomic
def referral_close(
    *, referral: Referral, actor, outcomes: dict[int, str], closing_note: str
) -> Referral:
    """accepted or in_progress -> completed, with the end-of-support summary: one outcome for
    every pathway worked on in the sessions, and a closing note.

    Also withdrawn -> completed for a referral the provider had accepted: when the case closes
    (typically because the provider's report completed the last condition) the police close
    the referral, and the provider may still send its end-of-support summary afterwards.
    """
    referral = _lock(referral)
    _require_member(referral, actor)
    _require_status(referral, (Status.ACCEPTED, Status.IN_PROGRESS, Status.WITHDRAWN), "close it")
    if referral.status == Status.WITHDRAWN and (
        referral.assigned_to_id is None or referral.pathway_outcomes.exists()
    ):
        raise InvalidTransition(
            "You cannot close it: the police closed this referral before it was accepted."
        )
    closing_note = (closing_note or "").strip()
    if not closing_note:
        raise ReferralError("Enter a closing note.")
    worked_on = pathways_worked_on(referral)
    missing = [p.label for p in worked_on if not outcomes.get(p.pk)]
    if missing:
        raise ReferralError(f"Give an outcome for {', '.join(missing)}.")
    valid = set(PathwayOutcome.Outcome.values)
    if any(outcome not in valid for outcome in outcomes.values()):
        raise ReferralError("Choose an outcome from the list.")
    PathwayOutcome.objects.bulk_create(
        PathwayOutcome(referral=referral, pathway=p, outcome=outcomes[p.pk]) for p in worked_on
    )
    _move_to(
        referral,
        Status.COMPLETED,
        actor=actor,
        kind="completed",
        data={"outcomes": {str(k): v for k, v in outcomes.items()}},
        closing_note=closing_note,
        closed_at=timezone.now(),
    )
    return referral
