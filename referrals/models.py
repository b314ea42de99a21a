"""Referrals of a cautioned person to a support provider, and the support that follows.

State changes happen only in referrals/services.py and referrals/sync.py. The constraints make
an impossible referral or session unstorable whatever code writes it.

Privacy: `SupportSession.notes` and `next_steps` are for the support service only (sensitive
health and personal information). Officers see attendance, progress reports and the
end-of-support summary; selectors for officers defer the note fields so they are never loaded.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hub.models import NeedPathway, Organisation, TransitionEvent

# A session can be edited by its author for this long after it was recorded; after that the
# record is append-only and a mistake is put right by a correcting entry.
SESSION_EDIT_WINDOW = dt.timedelta(hours=24)


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    RETURNED = "returned", "Returned"
    # The police closed the referral: the case closed, or the conditions for this provider
    # were ended or moved to another provider.
    WITHDRAWN = "withdrawn", "Closed by police"


OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
ASSIGNED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)

# The colour of each status's tag (hub_tags.badge); the words say the status, not the colour.
STATUS_COLOURS = {
    "new": "blue",
    "accepted": "light-blue",
    "in_progress": "yellow",
    "completed": "green",
    "returned": "orange",
    "withdrawn": "grey",
}


def referral_status_colour(status: str) -> str:
    """The colour of a referral status's tag."""
    return STATUS_COLOURS.get(status, "grey")


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_organisation(self, organisation_id):
        return self.filter(provider_id=organisation_id)


class Referral(models.Model):
    Status = ReferralStatus
    OPEN_STATUSES = OPEN_STATUSES

    class Source(models.TextChoices):
        CONDITIONS = "conditions", "From the caution's conditions"
        MANUAL = "manual", "Referred by an officer"

    case = models.ForeignKey("cautions.Case", on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CONDITIONS)
    # Pathways the provider is asked to work on: from the conditions' types, or chosen by the
    # officer for a manual referral. Decides which needs assessments the provider may read.
    pathways = models.ManyToManyField(NeedPathway, blank=True, related_name="+")
    reason = models.TextField(blank=True, help_text="Why the officer referred (manual referrals)")
    due_date = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    withdrawal_reason = models.TextField(blank=True)
    closing_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Caseworker inbox: an organisation's referrals by status, soonest due first.
            models.Index(fields=["provider", "status", "due_date"], name="referral_inbox_idx"),
            # The partner API's list (api.views.ReferralList): an organisation's referrals,
            # newest first, a page at a time (bench/RESULTS.md, issue 14).
            models.Index(
                fields=["provider", "-created_at", "-id"], name="referral_provider_newest_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "provider"], name="referral_one_per_provider"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=ASSIGNED_STATUSES)
                | models.Q(assigned_to__isnull=False),
                name="referral_accepted_has_assignee",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="referral_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawal_reason=""),
                name="referral_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | (~models.Q(closing_note="") & models.Q(closed_at__isnull=False)),
                name="referral_completed_has_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.provider_id} for case {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_colour(self) -> str:
        return referral_status_colour(self.status)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    LATE = "late", "Attended late"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


# The colour of each appointment status's tag (the words say the status).
APPOINTMENT_COLOURS = {
    "booked": "blue",
    "cancelled": "grey",
    "attended": "green",
    "late": "yellow",
    "did_not_attend": "red",
}

# The longest appointment a caseworker may book: a working day.
APPOINTMENT_MAX_MINUTES = 480


class AppointmentQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=AppointmentStatus.BOOKED)

    def upcoming(self, now):
        return self.booked().filter(starts_at__gte=now)

    def missed(self):
        return self.filter(status=AppointmentStatus.DID_NOT_ATTEND)


class Appointment(models.Model):
    """A planned meeting between the provider and the person, booked against a referral.

    Written only by referrals.services.appointments. Once attendance is recorded as attended or
    late, the support session record (notes, next steps) hangs off it (SupportSession.appointment).
    The notifications app reads `starts_at`, `mode`, `place`, `status` and
    `referral.provider.name` to remind the person (issue 18)."""

    Status = AppointmentStatus
    Mode = AppointmentMode

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    # In person: the address. Phone or video: the number or link (optional).
    place = models.TextField(blank=True)
    with_whom = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments_held",
        help_text="The provider's caseworker the person will meet",
    )
    # Which need pathway or which condition the appointment serves (either, both or neither).
    pathway = models.ForeignKey(
        NeedPathway, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition = models.ForeignKey(
        "cautions.Condition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    absence_reason = models.TextField(blank=True)
    absence_reason_accepted = models.BooleanField(default=False)
    cancel_reason = models.TextField(blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            # Reminder scan (notifications): booked appointments starting in a time window.
            models.Index(fields=["status", "starts_at"], name="appointment_status_at_idx"),
            # Referral page and the officer's Support section: a referral's appointments by time.
            models.Index(fields=["referral", "starts_at"], name="appointment_referral_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AppointmentStatus.values),
                name="appointment_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=AppointmentMode.values),
                name="appointment_mode_known",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0)
                & models.Q(duration_minutes__lte=APPOINTMENT_MAX_MINUTES),
                name="appointment_duration_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="in_person") | ~models.Q(place=""),
                name="appointment_in_person_has_place",
            ),
            # The reason for missing it, and whether it was acceptable, only for a missed one.
            models.CheckConstraint(
                condition=models.Q(status="did_not_attend")
                | models.Q(absence_reason="", absence_reason_accepted=False),
                name="appointment_absence_only_if_missed",
            ),
            # A cancelled appointment says why; any other has no cancel reason.
            models.CheckConstraint(
                condition=(models.Q(status="cancelled") & ~models.Q(cancel_reason=""))
                | (~models.Q(status="cancelled") & models.Q(cancel_reason="")),
                name="appointment_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.pk} on referral {self.referral_id}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    @property
    def is_in_person(self) -> bool:
        return self.mode == AppointmentMode.IN_PERSON

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED

    @property
    def status_colour(self) -> str:
        return APPOINTMENT_COLOURS.get(self.status, "grey")

    @property
    def is_missed(self) -> bool:
        return self.status == AppointmentStatus.DID_NOT_ATTEND


class SupportSession(models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group"
        PHONE = "phone", "Phone"
        HOME_VISIT = "home_visit", "Home visit"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        LATE = "late", "Attended late"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED_BY_PROVIDER = "cancelled_by_provider", "Cancelled by provider"
        RESCHEDULED = "rescheduled", "Rescheduled"

    PRESENT = (Attendance.ATTENDED, Attendance.LATE)

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="sessions")
    occurred_at = models.DateTimeField("date and time")
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    pathways = models.ManyToManyField(NeedPathway, blank=True, related_name="+")
    attendance = models.CharField(max_length=30, choices=Attendance.choices)
    # Only for "did not attend": the caseworker accepted the person's reason for missing it.
    absence_reason_accepted = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The appointment this session was the record of. An unplanned contact is a session without
    # one, and sessions recorded before appointments existed keep none.
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session",
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        help_text="The earlier entry this one corrects (entries are append-only after 24 hours)",
    )

    # Edits within the 24-hour window keep the previous text here (who changed what, when).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Referral page: a referral's sessions, newest first.
            models.Index(fields=["referral", "-occurred_at"], name="session_referral_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    attendance__in=[
                        "attended",
                        "late",
                        "did_not_attend",
                        "cancelled_by_provider",
                        "rescheduled",
                    ]
                ),
                name="session_attendance_known",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["assessment", "one_to_one", "group", "phone", "home_visit"]
                ),
                name="session_kind_known",
            ),
            # A session the person attended has a duration; one they missed has none.
            models.CheckConstraint(
                condition=(
                    models.Q(attendance__in=["attended", "late"], duration_minutes__gt=0)
                    | (
                        ~models.Q(attendance__in=["attended", "late"])
                        & models.Q(duration_minutes__isnull=True)
                    )
                ),
                name="session_duration_iff_attended",
            ),
            models.CheckConstraint(
                condition=models.Q(attendance="did_not_attend")
                | models.Q(absence_reason_accepted=False),
                name="session_absence_reason_only_if_missed",
            ),
            models.CheckConstraint(
                condition=~models.Q(corrects=models.F("id")),
                name="session_does_not_correct_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} on {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def missed_without_acceptable_reason(self) -> bool:
        return (
            self.attendance == self.Attendance.DID_NOT_ATTEND and not self.absence_reason_accepted
        )

    def editable_until(self) -> dt.datetime:
        return self.created_at + SESSION_EDIT_WINDOW


class ProgressReport(models.Model):
    class Kind(models.TextChoices):
        COMPLIED = "complied", "Complied"
        NOT_ENGAGING = "not_engaging", "Not engaging"
        # A short summary for the officer while support goes on (issue 18): no flag, no
        # compliance, just news.
        ENGAGING = "engaging", "Engaging and progressing"

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="progress_reports"
    )
    # The condition the report is about. Manual referrals have no condition, so only a
    # "not engaging" or "engaging" report may leave it empty.
    condition = models.ForeignKey(
        "cautions.Condition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    complied_on = models.DateField(null=True, blank=True)
    details = models.TextField(help_text="Evidence of compliance, or what has happened")
    # True when the case lets the provider's report stand as compliance and the condition was
    # marked complied at once; otherwise the officer confirms it in the caution workflow.
    applied_as_compliance = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    # A "not engaging" report is a flag on the officer's worklist until the officer
    # acknowledges it.
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            # Officer worklist: unacknowledged "not engaging" flags.
            models.Index(fields=["kind", "acknowledged_at"], name="progress_flag_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["complied", "not_engaging", "engaging"]),
                name="progress_kind_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="complied", condition__isnull=False, complied_on__isnull=False)
                    | (
                        models.Q(kind__in=["not_engaging", "engaging"], complied_on__isnull=True)
                        & models.Q(applied_as_compliance=False)
                    )
                ),
                name="progress_complied_names_condition_and_date",
            ),
            models.CheckConstraint(condition=~models.Q(details=""), name="progress_has_details"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="progress_acknowledged_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report on referral {self.referral_id}"

    @property
    def is_complied(self) -> bool:
        return self.kind == self.Kind.COMPLIED

    @property
    def is_engaging(self) -> bool:
        return self.kind == self.Kind.ENGAGING


class PathwayOutcome(models.Model):
    """End-of-support summary: the outcome for each pathway worked on."""

    class Outcome(models.TextChoices):
        IMPROVED = "improved", "Improved"
        NO_CHANGE = "no_change", "No change"
        WORSE = "worse", "Worse"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="pathway_outcomes"
    )
    pathway = models.ForeignKey(NeedPathway, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["pathway__sort_order", "pathway__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "pathway"], name="pathway_outcome_one_per_pathway"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["improved", "no_change", "worse", "not_assessed"]),
                name="pathway_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway_id}: {self.outcome}"


class ReferralEvent(TransitionEvent):
    """The referral's history: one row per transition, written by the service in its
    transaction. Reasons here are seen by officers too (never copy session notes into them),
    except reasons about the notes (NOTE_EVENT_KINDS), shown only to readers of the notes."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        indexes = [models.Index(fields=["referral", "-at"], name="referralevent_ref_at_idx")]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} {self.kind}"

    @property
    def title(self) -> str:
        return EVENT_TITLES.get(self.kind, self.kind.replace("_", " ").capitalize())

    # Whoever shows the event says whether its reader may read the session notes
    # (referrals.access.can_read_notes); until told, a reason about notes is not shown.
    reader_may_read_notes = False

    @property
    def reason_is_about_notes(self) -> bool:
        """A reason written about session notes (why an entry was corrected) is as private as
        the notes themselves: officers never read it (issue 17)."""
        return self.kind in NOTE_EVENT_KINDS

    def shown_reason(self, *, with_notes: bool) -> str:
        if self.reason_is_about_notes and not with_notes and self.reason:
            return NOTE_REASON_WITHHELD
        return self.reason

    @property
    def description(self) -> str:
        return self.shown_reason(with_notes=self.reader_may_read_notes)


# Events whose reason is about session notes, and what others read in its place.
NOTE_EVENT_KINDS = frozenset({"session_edited", "session_corrected"})
NOTE_REASON_WITHHELD = "The reason is kept with the session notes, for the support service only."

EVENT_TITLES = {
    "created": "Referral made",
    "reopened": "Referral reopened",
    "due_date_changed": "Due date changed",
    "accepted": "Referral accepted",
    "reassigned": "Caseworker changed",
    "returned": "Referral returned",
    "session_recorded": "Support session recorded",
    "session_edited": "Support session edited",
    "session_corrected": "Support session corrected",
    "progress_reported": "Progress reported",
    "flag_acknowledged": "Not engaging report acknowledged",
    "completed": "Support ended",
    "withdrawn": "Closed by police",
    "appointment_booked": "Appointment booked",
    "appointment_rescheduled": "Appointment rescheduled",
    "appointment_cancelled": "Appointment cancelled",
    "appointment_attended": "Appointment attended",
    "appointment_missed": "Appointment missed",
}
