"""A person's previous history as the hub's own records show it, for the eligibility check:
cautions given through the hub (or imported as historic cases) and imported proven offences
(hub.records), in the 2 years the rule counts, and an active or recent conditional caution.

Read by cautions.services.eligibility_assess (the cross-check, stored in the snapshot) and by
the eligibility form (prefilled). Two queries, whatever the person's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cautions.models import Case
from hub.lib.dates import add_months
from hub.models import ReoffenceRecord

S = Case.Status
# The rule counts convictions and cautions in the last 2 years (RuleSettings help text).
HISTORY_MONTHS = 24
# Design choice: a caution given in the 12 months before is "recent".
RECENT_CAUTION_MONTHS = 12
IN_PROGRESS = (S.ACTIVE, S.BREACH)


@dataclass(frozen=True)
class RecordedHistory:
    cautions: int  # cautions on the hub's other cases in the window
    convictions: int  # imported proven offences disposed of by a court
    national_cautions: int  # imported cautions not already one of the hub's cases
    recent_caution: str  # "active", "recent" or ""
    recent_reference: str = ""

    @property
    def count(self) -> int:
        return self.cautions + self.convictions + self.national_cautions


def recorded_history(person_id: int, *, on: dt.date, exclude_case_id=None) -> RecordedHistory:
    since = add_months(on, -HISTORY_MONTHS)
    cases = list(
        Case.objects.filter(person_id=person_id, caution_date__isnull=False)
        .exclude(pk=exclude_case_id)
        .order_by("-caution_date", "-id")
        .values("reference", "status", "caution_date")
    )
    hub_caution_dates = {c["caution_date"] for c in cases}
    records = list(
        ReoffenceRecord.objects.filter(
            person_id=person_id, proven_date__gte=since, proven_date__lte=on
        ).values_list("disposal", "proven_date")
    )
    convictions = sum(1 for disposal, _ in records if disposal == "conviction")
    # A national caution on the day the hub gave one is that caution: count it once.
    national_cautions = sum(
        1
        for disposal, proven in records
        if disposal == "caution" and proven not in hub_caution_dates
    )
    recent_since = add_months(on, -RECENT_CAUTION_MONTHS)
    active = next((c for c in cases if c["status"] in IN_PROGRESS), None)
    recent = next((c for c in cases if c["caution_date"] >= recent_since), None)
    flag, ref = ("active", active) if active else ("recent", recent) if recent else ("", None)
    return RecordedHistory(
        cautions=sum(1 for c in cases if since <= c["caution_date"] <= on),
        convictions=convictions,
        national_cautions=national_cautions,
        recent_caution=flag,
        recent_reference=ref["reference"] if ref else "",
    )
