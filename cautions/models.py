"""The conditional caution case: one case per offence, from assessment to outcome.

State changes happen only in cautions/services.py; the constraints below make an impossible
case unstorable whatever code writes it.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hub.models import ConditionType, NeedPathway, Offence, Organisation, Person


class DisposalType(models.TextChoices):
    # CJA 2003 Part 3. PCSC Act 2022 Part 6 (diversionary / community cautions) would be added
    # here, with its own limits, when it comes into force.
    CONDITIONAL_CAUTION = "conditional_caution", "Adult conditional caution"


class Outcome(models.TextChoices):
    """The four reporting outcomes (imports use these keys)."""

    IN_PROGRESS = "in_progress", "In progress"
    COMPLIED = "complied", "Complied"
    FAILED = "failed", "Failed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CaseStatus(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    AWAITING_AUTHORISATION = "awaiting_authorisation", "Awaiting authorisation"
    DECLINED = "declined", "Authorisation declined"
    AUTHORISED = "authorised", "Authorised"
    ACTIVE = "active", "Caution given: prosecution deferred"
    BREACH = "breach", "Breach: decision needed"
    COMPLIED = "complied", "Complied: no further action"
    FAILED_NO_FURTHER_ACTION = "failed_nfa", "Failed: no further action"
    PROSECUTION_RESUMED = "prosecution_resumed", "Prosecution resumed"
    # Imported historic cases whose failure was recorded without the decision that followed.
    FAILED = "failed", "Failed to comply"
    WITHDRAWN = "withdrawn", "Withdrawn"


PRE_CAUTION = (
    CaseStatus.ASSESSMENT,
    CaseStatus.NOT_ELIGIBLE,
    CaseStatus.AWAITING_AUTHORISATION,
    CaseStatus.DECLINED,
    CaseStatus.AUTHORISED,
)
CAUTIONED = (
    CaseStatus.ACTIVE,
    CaseStatus.BREACH,
    CaseStatus.COMPLIED,
    CaseStatus.FAILED_NO_FURTHER_ACTION,
    CaseStatus.PROSECUTION_RESUMED,
    CaseStatus.FAILED,
)
CLOSED = (
    CaseStatus.NOT_ELIGIBLE,
    CaseStatus.DECLINED,
    CaseStatus.COMPLIED,
    CaseStatus.FAILED_NO_FURTHER_ACTION,
    CaseStatus.PROSECUTION_RESUMED,
    CaseStatus.FAILED,
    CaseStatus.WITHDRAWN,
)
# Reporting outcome of each status; imports map their four outcomes back the same way.
OUTCOME_OF_STATUS = {
    CaseStatus.ACTIVE: Outcome.IN_PROGRESS,
    CaseStatus.BREACH: Outcome.IN_PROGRESS,
    CaseStatus.COMPLIED: Outcome.COMPLIED,
    CaseStatus.FAILED_NO_FURTHER_ACTION: Outcome.FAILED,
    CaseStatus.PROSECUTION_RESUMED: Outcome.FAILED,
    CaseStatus.FAILED: Outcome.FAILED,
    CaseStatus.WITHDRAWN: Outcome.WITHDRAWN,
}


class Case(models.Model):
    Status = CaseStatus

    class Source(models.TextChoices):
        WORKFLOW = "workflow", "Recorded in Offender Hub"
        IMPORT = "import", "Imported historic case"

    reference = models.CharField(max_length=40, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    offence = models.OneToOneField(Offence, on_delete=models.PROTECT, related_name="case")
    disposal_type = models.CharField(
        max_length=30, choices=DisposalType.choices, default=DisposalType.CONDITIONAL_CAUTION
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.ASSESSMENT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WORKFLOW)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_in_charge",
        help_text="Officer in charge of the case",
    )
    # When true, a support provider's "complied" report stands as compliance without the
    # officer confirming it (set per case when the caution is administered).
    provider_report_is_compliance = models.BooleanField(default=False)
    # Optimistic lock: forms carry the version they were opened at; a service refuses a stale one.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Authorisation (s.23 requirement 2).
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorisation_reason = models.TextField(blank=True)
    prosecutor_authority_ref = models.CharField(max_length=100, blank=True)

    # Administration (s.23 requirements 3-5).
    caution_date = models.DateField(null=True, blank=True)
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    age_at_caution = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Kept so that reports survive anonymisation"
    )
    compliance_period_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    compliance_extension_reason = models.TextField(blank=True)
    compliance_deadline = models.DateField(null=True, blank=True)

    # Outcome.
    outcome_date = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    charge_date = models.DateField(null=True, blank=True)
    court_outcome = models.CharField(max_length=200, blank=True)
    court_outcome_date = models.DateField(null=True, blank=True)
    retention_review_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    PRE_CAUTION = PRE_CAUTION
    CAUTIONED = CAUTIONED
    CLOSED = CLOSED
    OUTCOME_OF_STATUS = OUTCOME_OF_STATUS

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("authorise_case", "Can authorise or decline a conditional caution"),
            ("decide_breach", "Can decide a breach and resume a prosecution"),
            ("print_caution", "Can print the caution document"),
            ("review_retention", "Can record retention review decisions"),
        ]
        indexes = [
            # Officer worklist: open cases of an officer by status.
            models.Index(fields=["officer", "status"], name="case_officer_status_idx"),
            # Authorisation queue and status counts.
            models.Index(fields=["status", "created_at"], name="case_status_created_idx"),
            # Reporting cohorts: cautions given in a window, earliest per person.
            models.Index(fields=["caution_date", "person"], name="case_caution_date_idx"),
            models.Index(fields=["person", "caution_date"], name="case_person_caution_idx"),
            # Retention review: closed cases due for review.
            models.Index(fields=["retention_review_date"], name="case_retention_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values),
                name="case_status_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=PRE_CAUTION, caution_date__isnull=True)
                    | models.Q(status__in=CAUTIONED, caution_date__isnull=False)
                    | models.Q(status="withdrawn")
                ),
                name="case_caution_date_iff_cautioned",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=CLOSED, outcome_date__isnull=False)
                    | (~models.Q(status__in=CLOSED) & models.Q(outcome_date__isnull=True))
                ),
                name="case_outcome_date_iff_closed",
            ),
            models.CheckConstraint(
                condition=models.Q(caution_date__isnull=True)
                | models.Q(outcome_date__isnull=True)
                | models.Q(outcome_date__gte=models.F("caution_date")),
                name="case_outcome_not_before_caution",
            ),
            models.CheckConstraint(
                condition=models.Q(age_at_caution__isnull=True) | models.Q(age_at_caution__gte=18),
                name="case_adults_only",
            ),
            # 16 weeks by default; up to 20 only with a recorded reason.
            models.CheckConstraint(
                condition=models.Q(compliance_period_weeks__isnull=True)
                | models.Q(compliance_period_weeks__gte=1, compliance_period_weeks__lte=16)
                | (
                    models.Q(compliance_period_weeks__gt=16, compliance_period_weeks__lte=20)
                    & ~models.Q(compliance_extension_reason="")
                ),
                name="case_compliance_period_limit",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="prosecution_resumed")
                | models.Q(charge_date__isnull=False),
                name="case_resumed_prosecution_has_charge_date",
            ),
            models.CheckConstraint(
                condition=models.Q(authorised_by__isnull=True)
                | ~models.Q(authorised_by=models.F("officer")),
                name="case_authoriser_not_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def outcome(self) -> str | None:
        return self.OUTCOME_OF_STATUS.get(self.status)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class NeedAssessment(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="needs")
    pathway = models.ForeignKey(NeedPathway, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pathway__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "pathway"], name="need_one_per_pathway"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.get_severity_display()}"


class Condition(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLIED = "complied", "Complied"
        NOT_COMPLIED = "not_complied", "Not complied"
        # Ended by variation, a breach decision or withdrawal: no longer required.
        ENDED = "ended", "Ended"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conditions")
    condition_type = models.ForeignKey(
        ConditionType, on_delete=models.PROTECT, related_name="conditions"
    )
    description = models.TextField()
    due_date = models.DateField()
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
        help_text="Support provider, for condition types that need one",
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    complied_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    # Set once by sweep_compliance when a pending condition passes its due date.
    overdue_since = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Worklists: pending conditions due soon or overdue.
            models.Index(fields=["status", "due_date"], name="condition_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "complied", "not_complied", "ended"]),
                name="condition_status_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="complied", complied_on__isnull=False)
                    | (~models.Q(status="complied") & models.Q(complied_on__isnull=True))
                ),
                name="condition_complied_on_iff_complied",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="condition_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0, hours__lte=20),
                name="condition_hours_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.condition_type}: due {self.due_date:%d/%m/%Y}"


class CaseEvent(models.Model):
    """The case timeline: one row per transition, written by the service in its transaction."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for events recorded by the system (e.g. the overdue sweep)",
    )
    kind = models.CharField(max_length=50)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="caseevent_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class Breach(models.Model):
    class Decision(models.TextChoices):
        VARY_CONDITIONS = "vary", "Vary the conditions"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        RESUME_PROSECUTION = "resume_prosecution", "Resume the prosecution"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="breaches")
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, null=True, blank=True, related_name="breaches"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    failure_details = models.TextField()
    excuse_given = models.TextField(blank=True)
    reasonable_excuse = models.BooleanField(null=True, blank=True)
    excuse_assessment = models.TextField(blank=True)
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(decision="", decided_at__isnull=True, decided_by__isnull=True)
                    | (
                        ~models.Q(decision="")
                        & models.Q(decided_at__isnull=False, decided_by__isnull=False)
                    )
                ),
                name="breach_decision_has_who_and_when",
            ),
            # At most one undecided breach per case at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decision=""),
                name="breach_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.case} recorded {self.recorded_at:%Y-%m-%d}"
