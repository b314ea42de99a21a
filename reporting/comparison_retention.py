"""Retention of the comparison pool (DOMAIN.md "Retention"; README, "Matched comparison").

Each pool record carries a review date, RETENTION_YEARS after its disposal date (set by the
import). The pool is used only in aggregate and never reviewed person by person, so a record
whose review date has come is disposed of (deleted) by `comparison_retention`, the scheduler
running it daily; one access-log entry (erasure) records how many and up to which date.
"""

import datetime as dt

from django.db import transaction

from hub.models import AccessLog
from reporting.models import ComparisonRecord


def comparison_records_due(*, on: dt.date):
    return ComparisonRecord.objects.filter(retention_review_date__lte=on)


@transaction.atomic
def comparison_records_dispose(*, on: dt.date, operator: str = "") -> int:
    """Delete the pool records due for review on `on`; return how many."""
    deleted, _ = comparison_records_due(on=on).delete()
    if deleted:
        AccessLog.objects.create(
            username=operator[:150],
            action=AccessLog.Action.ERASURE,
            object_type="reporting.comparisonrecord",
            description=(
                f"{deleted} comparison pool records disposed of: retention review date on or "
                f"before {on.isoformat()}"
            )[:300],
        )
    return deleted
