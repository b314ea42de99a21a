"""Staff notifications that follow events in the apps below (connected in
NotificationsConfig.ready). Each runs inside the transaction that wrote the event, so a
transition rolled back notifies nobody; each notification's key names the event, so an event
heard twice notifies once."""

from __future__ import annotations

from cautions.signals import CONDITIONS_VARIED
from notifications import staff_notices as notices
from notifications import staff_recipients as recipients
from notifications.staff_services import notify
from referrals.models import ProgressReport, Referral


def _to_officer(referral, notice) -> None:
    notify(recipients.officer_of(referral.case.officer_id), notice)


def _progress(referral, event) -> None:
    report = ProgressReport.objects.filter(pk=(event.data or {}).get("report")).first()
    if report is None:
        return
    if report.kind == ProgressReport.Kind.NOT_ENGAGING:
        _to_officer(referral, notices.not_engaging(referral, event))
    elif (
        report.kind == ProgressReport.Kind.COMPLIED
        and not referral.case.provider_report_is_compliance
    ):
        # Reported complied, waiting for the officer's confirmation. Where the provider's
        # report stands as compliance there is nothing to confirm. Other kinds ("engaging
        # and progressing") ask nothing of the officer.
        _to_officer(referral, notices.complied_reported(referral, event))


def _to_caseworkers(referral, notice) -> None:
    notify(recipients.caseworkers_for(referral), notice)


HANDLERS = {
    "returned": lambda r, e: _to_officer(r, notices.referral_returned(r, e)),
    "progress_reported": _progress,
    "appointment_missed": lambda r, e: _to_officer(r, notices.appointment_missed(r, e)),
    "created": lambda r, e: _to_caseworkers(r, notices.new_referral(r, e)),
    "reopened": lambda r, e: _to_caseworkers(r, notices.new_referral(r, e)),
    "withdrawn": lambda r, e: _to_caseworkers(r, notices.closed_by_police(r, e)),
}


def on_referral_event(sender, *, referral, event, **kwargs) -> None:
    handler = HANDLERS.get(event.kind)
    if handler is not None:
        handler(referral, event)


def on_case_changed(sender, *, case, change="", **kwargs) -> None:
    """Conditions varied by police: the caseworkers of the case's open referrals are told
    (a referral closed by it is told by its own "withdrawn" event)."""
    if change != CONDITIONS_VARIED:
        return
    for referral in Referral.objects.open().filter(case_id=case.pk).select_related("provider"):
        _to_caseworkers(referral, notices.conditions_varied(referral, case))


def on_case_submitted(sender, *, case, **kwargs) -> None:
    notify(recipients.sergeants(except_id=case.officer_id), notices.awaiting_authorisation(case))


def on_breach_recorded(sender, *, case, breach, **kwargs) -> None:
    notify(recipients.sergeants(), notices.breach_reported(case, breach))


def connect() -> None:
    """Called by NotificationsConfig.ready."""
    from cautions.signals import breach_recorded, case_changed, case_submitted
    from referrals.signals import referral_event

    referral_event.connect(on_referral_event, dispatch_uid="notifications.staff.referral")
    case_changed.connect(on_case_changed, dispatch_uid="notifications.staff.case")
    case_submitted.connect(on_case_submitted, dispatch_uid="notifications.staff.submitted")
    breach_recorded.connect(on_breach_recorded, dispatch_uid="notifications.staff.breach")
