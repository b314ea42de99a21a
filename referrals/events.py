"""The event row and the status move that every referral write shares (the services and the
sync from a case's conditions both use them)."""

from __future__ import annotations

from referrals.models import Referral, ReferralEvent
from referrals.signals import referral_event


def _event(referral, *, actor, kind, from_status="", to_status="", reason="", data=None):
    event = ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
    )
    referral_event.send(sender=Referral, referral=referral, event=event)
    return event


def _move_to(referral: Referral, status, *, actor, kind, reason="", data=None, **fields) -> None:
    """Change the referral's status (and `fields`) and record the event, in one place."""
    old = referral.status
    referral.status = status
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields, "updated_at"])
    _event(
        referral,
        actor=actor,
        kind=kind,
        from_status=old,
        to_status=status,
        reason=reason,
        data=data,
    )
