"""The nightly sweep (manage.py sweep_compliance): pending conditions past their due date are
marked overdue, once each."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cautions.models import Case, Condition
from cautions.services.base import CONDITION_CHANGE_STATES, _event, _today
from hub.lib.dates import long_date


def conditions_sweep_overdue(*, today: dt.date | None = None) -> int:
    """Mark pending conditions past their due date as overdue, once: sets overdue_since and
    writes one "condition overdue" event (actor: the system). Idempotent (overdue_since is set
    only when empty) and safe alongside officers: one short transaction per case, each taking
    the case lock like every other transition. Returns the number of conditions marked."""
    today = today or _today()
    candidates = (
        Condition.objects.filter(
            status=Condition.Status.PENDING,
            due_date__lt=today,
            overdue_since__isnull=True,
            case__status__in=CONDITION_CHANGE_STATES,
        )
        .values_list("case_id", flat=True)
        .distinct()
    )
    marked = 0
    for case_id in list(candidates):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            if case.status not in CONDITION_CHANGE_STATES:
                continue
            due = list(
                case.conditions.select_for_update(of=("self",))
                .filter(
                    status=Condition.Status.PENDING, due_date__lt=today, overdue_since__isnull=True
                )
                .select_related("condition_type")
            )
            for condition in due:
                condition.overdue_since = today
                condition.save(update_fields=["overdue_since"])
                _event(
                    case,
                    None,
                    "condition_overdue",
                    from_status=case.status,
                    reason=f"{condition.condition_type.label} was due on {long_date(condition.due_date)}.",
                    data={"condition": condition.pk, "due_date": condition.due_date.isoformat()},
                )
                marked += 1
    return marked
