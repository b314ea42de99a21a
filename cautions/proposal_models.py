"""The set of conditions an officer proposes and an authorising officer decides on (CJA 2003
s.23 requirement 2: the decision is on the caution *with* its conditions).

Imported by cautions/models.py, so Django registers the model with the cautions app. Written
only by cautions/services/proposals.py and the authorisation services, in the transaction of
the transition it records.
"""

from django.conf import settings
from django.db import models


class ConditionProposal(models.Model):
    """One version of the proposed set: `conditions` is its snapshot (type, description, due
    date, provider, amount, hours), never edited; a change is a new proposal with the next
    `number`. The caution can be given only with the set of the authorised proposal."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AUTHORISED = "authorised", "Authorised"
        SENT_BACK = "sent_back", "Sent back for changes"
        DECLINED = "declined", "Declined"
        SUPERSEDED = "superseded", "Replaced by a later proposal"

    case = models.ForeignKey("cautions.Case", on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField()
    conditions = models.JSONField(default=list)
    # s.23ZA: the victim's requested action is attached unless inappropriate; why not, if not.
    victim_action_included = models.BooleanField(default=False)
    victim_action_omitted_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The decider's recorded rank when they decided (hub.models.Rank): shown as "Sgt Tom Baker"
    # and kept as it was, whatever their rank later.
    decided_by_rank = models.CharField(max_length=20, blank=True)
    # The changes asked for (sent back) or the reason for declining.
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="proposal_number_per_case"),
            # At most one set is open (proposed or authorised) on a case at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=["proposed", "authorised"]),
                name="proposal_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["proposed", "authorised", "sent_back", "declined", "superseded"]
                ),
                name="proposal_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["authorised", "sent_back", "declined"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="proposal_decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent_back") | ~models.Q(decision_note=""),
                name="proposal_sent_back_says_what_to_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: conditions proposal {self.number} ({self.get_status_display()})"
