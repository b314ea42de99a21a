"""Victims' Code: recording that the victim was told of the outcome or of a breach decision.

One function, one transaction: the case is locked (its version refuses a stale form), the
record and a case event are written together. The case's state is not changed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cautions.models import Breach, Case, VictimInformed, VictimViews
from cautions.services.base import RuleViolation, S, _lock_case, _save

# The outcome can be told once there is one: the caution given, or the case closed.
OUTCOME_STATES = tuple(
    s for s in S.values if s not in (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED)
)


@transaction.atomic
def victim_informed_record(
    *,
    case: Case,
    actor,
    subject: str,
    method: str,
    informed_at: dt.datetime,
    notes: str = "",
    expected_version=None,
) -> VictimInformed:
    """Record when and how the victim was told of the outcome, or of the latest breach
    decision (Victims' Code). Refused when the case has no identifiable victim, before there
    is an outcome, for a breach decision when none is decided, and for a time in the future."""
    case = _lock_case(case, expected_version, OUTCOME_STATES, "record that the victim was told")
    views = VictimViews.objects.filter(case=case).first()
    if views is not None and views.kind == VictimViews.Kind.NO_VICTIM:
        raise RuleViolation("This case records no identifiable victim.")
    if informed_at > timezone.now():
        raise RuleViolation(
            "The time the victim was told cannot be in the future", field="informed_at"
        )
    breach = None
    if subject == VictimInformed.Subject.BREACH_DECISION:
        breach = (
            Breach.objects.filter(case=case).exclude(decision="").order_by("-decided_at").first()
        )
        if breach is None:
            raise RuleViolation("No breach has been decided on this case", field="subject")
    record = VictimInformed.objects.create(
        case=case,
        subject=subject,
        breach=breach,
        method=method,
        informed_at=informed_at,
        informed_by=actor,
        notes=notes.strip(),
    )
    _save(
        case,
        actor,
        "victim_informed",
        [],
        reason=f"{record.get_subject_display()}, {record.get_method_display().lower()}",
        data={"subject": subject, "method": method, "informed_at": informed_at.isoformat()},
    )
    return record
