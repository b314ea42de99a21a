"""The legal limits and local rules of a conditional caution, as pure functions.

Like `cautions/eligibility.py`: no database, no Django models read or written; each rule takes
plain values and returns a value or a reason a person can read. Services call these; so do the
importers and the synthetic-data generator, so that one place decides each rule.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from hub.lib.dates import add_months


def retention_review_date(outcome_date: dt.date, *, years: int | None = None) -> dt.date:
    """When a closed case is next reviewed (MoPI; DOMAIN.md "Retention"): `RETENTION_YEARS`
    (default 6) calendar years after its outcome date."""
    years = settings.RETENTION_YEARS if years is None else years
    return add_months(outcome_date, 12 * years)
