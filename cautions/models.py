"""The conditional caution case: one case per offence, from assessment to outcome.

State changes happen only in cautions/services/ (the legal limits in cautions/rules.py); the
constraints below make an impossible case unstorable whatever code writes it.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# Re-exported: defined in its own module, registered with this app by this import.
from cautions.payment_models import Payment as Payment
from cautions.proposal_models import ConditionProposal as ConditionProposal
from cautions.querysets import CaseQuerySet
from cautions.report_masks import MASK_FIELDS
from cautions.retention_models import RetentionDecision as RetentionDecision
from cautions.signature_models import CautionSignature as CautionSignature
from cautions.variation_models import DocumentSignature as DocumentSignature
from cautions.variation_models import Variation as Variation
from cautions.victim_models import VictimInformed as VictimInformed
from hub.lib.dates import long_date
from hub.models import ConditionType, NeedPathway, Offence, Organisation, Person, TransitionEvent


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


class ProsecutionStatus(models.TextChoices):
    DEFERRED = "deferred", "Deferred while the caution runs"
    RESUMED = "resumed", "Resumed"
    NOT_PURSUED = "not_pursued", "Not pursued"


class CourtOutcome(models.TextChoices):
    """The court's outcome of a resumed prosecution (the details: the sentence, or the text)."""

    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    DISCONTINUED = "discontinued", "Discontinued"
    OTHER = "other", "Other"


class CrimeOutcome(models.IntegerChoices):
    """Home Office Counting Rules crime outcomes (DOMAIN.md): 3 when the caution is given, the
    charge outcome 1 if the prosecution resumes."""

    CHARGED = 1, "Outcome 1: charged or summonsed"
    CAUTION = 3, "Outcome 3: adult caution"


class WithdrawalKind(models.TextChoices):
    ERROR = "error", "Recorded in error"
    DEATH = "death", "The person has died"
    OTHER = "other", "Other reason"


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
    # An imported case whose PNC ID is held by a person in the workflow is kept apart from them
    # (on a person of its own, without the PNC ID) until a police user matches it: the PNC ID
    # of the file is kept here for that match. Null for every other case (and null, not "",
    # so that SQLite adds the column without rebuilding the table its triggers name).
    imported_person_ref = models.CharField(max_length=20, null=True, blank=True, db_index=True)
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
    court_outcome_kind = models.CharField(
        max_length=20, choices=CourtOutcome.choices, blank=True, default="", db_default=""
    )
    # The sentence (convicted), or the outcome in words (other); optional otherwise.
    court_outcome = models.CharField(max_length=200, blank=True)
    court_outcome_date = models.DateField(null=True, blank=True)
    retention_review_date = models.DateField(null=True, blank=True)
    crime_outcome = models.PositiveSmallIntegerField(
        choices=CrimeOutcome.choices,
        null=True,
        blank=True,
        help_text="Home Office crime outcome, for the force's crime recording",
    )

    # Added by the workflow (issue 3). Defaults keep imported historic cases valid.
    prosecution_status = models.CharField(
        max_length=20,
        choices=ProsecutionStatus.choices,
        blank=True,
        help_text="Deferred while the caution runs; resumed after a breach decision",
    )
    needs_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the needs assessment was last recorded"
    )
    withdrawal_kind = models.CharField(max_length=10, choices=WithdrawalKind.choices, blank=True)
    # The report bits of its conditions' types and of its assessed pathways, kept by the
    # database (cautions.report_masks): never written by Django, not part of the history.
    condition_types_mask = models.BigIntegerField(default=0, db_default=0, editable=False)
    assessed_pathways_mask = models.BigIntegerField(default=0, db_default=0, editable=False)

    history = HistoricalRecords(excluded_fields=list(MASK_FIELDS))
    objects = CaseQuerySet.as_manager()

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
            # Case list: all visible cases, newest first (paginated).
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            # Authorisation queue and status counts.
            models.Index(fields=["status", "created_at"], name="case_status_created_idx"),
            # Reporting cohorts: cautions given in a window, earliest per person.
            models.Index(fields=["caution_date", "person"], name="case_caution_date_idx"),
            # The reoffending report (reporting.report_sql) ranks each person's cautions by
            # date and id: read in that order from here, columns included, without a sort
            # or a visit to the table. Also serves lookups by person (and date).
            models.Index(
                fields=["person", "caution_date", "id"],
                include=["offence", "status", "age_at_caution", *MASK_FIELDS],
                name="case_person_report_idx",
            ),
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
            models.CheckConstraint(
                condition=~models.Q(prosecution_status="resumed")
                | models.Q(status="prosecution_resumed"),
                name="case_prosecution_resumed_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawal_kind="") | models.Q(status="withdrawn"),
                name="case_withdrawal_kind_only_when_withdrawn",
            ),
            models.CheckConstraint(
                condition=models.Q(court_outcome_kind__in=["", *CourtOutcome.values]),
                name="case_court_outcome_kind_known",
            ),
            # A conviction names its sentence; "other" says what the outcome was.
            models.CheckConstraint(
                condition=~models.Q(court_outcome_kind__in=["convicted", "other"])
                | ~models.Q(court_outcome=""),
                name="case_court_outcome_details_recorded",
            ),
            models.CheckConstraint(
                condition=models.Q(crime_outcome__isnull=True)
                | models.Q(crime_outcome__in=CrimeOutcome.values),
                name="case_crime_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        # The masks are the database's: a case read before its conditions changed must not
        # write its stale copy back. (Services name their fields anyway; this covers the rest.)
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in MASK_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cautions:case_detail", args=[self.pk])

    @property
    def outcome(self) -> str | None:
        return self.OUTCOME_OF_STATUS.get(self.status)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    @property
    def conditions_to_set(self) -> bool:
        """Open and not yet cautioned: its conditions are still to be decided."""
        return self.is_open and self.status in self.PRE_CAUTION


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
    # Why a compensation amount is more than the value of the loss (cautions.rules).
    amount_reason = models.TextField(blank=True, default="", db_default="")
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
    # Optimistic lock: bumped by every change (complied, ended, varied...).
    version = models.PositiveIntegerField(default=1)
    # The version of what the person agreed to: 1 as given, bumped only by a variation of its
    # content (description, amount, hours, due date, provider). "Varied" is shown from 2.
    content_version = models.PositiveIntegerField(default=1, db_default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Worklists: pending conditions due soon or overdue.
            models.Index(fields=["status", "due_date"], name="condition_status_due_idx"),
            # A case's condition types: the report masks' triggers (cautions.report_masks)
            # and the report's condition type filter (reporting.report_sql) read them here.
            models.Index(fields=["case", "condition_type"], name="condition_case_type_idx"),
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
        return f"{self.condition_type}: due {long_date(self.due_date)}"

    @property
    def was_varied(self) -> bool:
        return self.content_version > 1


class CaseEvent(TransitionEvent):
    """The case timeline: one row per transition, written by the service in its transaction."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
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


class RuleSettings(models.Model):
    """The thresholds of the eligibility check and of administration (one row, admin-editable).

    The legal limits (20 weeks, 20 punitive hours, £50/£100/£150) are fixed in the code and the
    database; these are the local policy choices DOMAIN.md marks as configurable. Each
    assessment stores the values it used, so editing them never rewrites a past decision.
    """

    max_offence_age_months = models.PositiveSmallIntegerField(
        default=3, help_text="An offence older than this (at assessment) is not suitable"
    )
    max_previous_history = models.PositiveSmallIntegerField(
        default=2,
        help_text="Most previous convictions and cautions in the last 2 years still eligible",
    )
    default_compliance_weeks = models.PositiveSmallIntegerField(
        default=16, help_text="Compliance period unless a longer one is justified"
    )
    max_compliance_weeks = models.PositiveSmallIntegerField(
        default=20, help_text="Longest compliance period, with a recorded reason"
    )
    breach_decision_margin_days = models.PositiveSmallIntegerField(
        default=28,
        help_text="Time allowed after the compliance deadline to decide a breach and charge",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rule settings"
        verbose_name_plural = "rule settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="rulesettings_singleton"),
            models.CheckConstraint(
                condition=models.Q(
                    default_compliance_weeks__gte=1, default_compliance_weeks__lte=16
                ),
                name="rulesettings_default_weeks_1_to_16",
            ),
            models.CheckConstraint(
                condition=models.Q(max_compliance_weeks__lte=20)
                & models.Q(max_compliance_weeks__gte=models.F("default_compliance_weeks")),
                name="rulesettings_max_weeks_at_most_20",
            ),
        ]

    def __str__(self) -> str:
        return "Eligibility and compliance rules"

    @classmethod
    def load(cls) -> "RuleSettings":
        return cls.objects.get_or_create(pk=1)[0]

    def as_dict(self) -> dict:
        return {
            "max_offence_age_months": self.max_offence_age_months,
            "max_previous_history": self.max_previous_history,
            "default_compliance_weeks": self.default_compliance_weeks,
            "max_compliance_weeks": self.max_compliance_weeks,
            "breach_decision_margin_days": self.breach_decision_margin_days,
        }


class EligibilityAssessment(models.Model):
    """One run of the eligibility checklist. `snapshot` holds every rule's result and reason
    and the thresholds used, as they were: later rule changes do not rewrite it."""

    class Result(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        NEEDS_AUTHORITY = "needs_authority", "Eligible with authority"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    class AdmissionMethod(models.TextChoices):
        INTERVIEW = "interview", "In interview"
        WRITTEN = "written", "In a written statement"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="eligibility_assessments")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)
    planned_caution_date = models.DateField()
    admission_method = models.CharField(max_length=20, choices=AdmissionMethod.choices, blank=True)
    prosecutor_authority_ref = models.CharField(max_length=100, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices)
    # The one rule a "nearly eligible" check fails ("" when none or several): counted by rule
    # for analysts (reporting.selectors.nearly_eligible_counts).
    single_failed_rule = models.CharField(max_length=40, blank=True, default="", db_default="")
    answers = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        get_latest_by = ["assessed_at", "id"]
        indexes = [
            # The dashboard's "nearly eligible" counts: checks failing one rule, by rule.
            models.Index(
                fields=["single_failed_rule", "assessed_at"], name="eligibility_nearly_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=["eligible", "needs_authority", "not_eligible"]),
                name="eligibility_result_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_result_display()}"

    @property
    def rules(self) -> list[dict]:
        return self.snapshot.get("rules", [])


class VictimViews(models.Model):
    """s.23ZA: the victim's views, or the efforts made, before conditions are set."""

    class Kind(models.TextChoices):
        VIEWS_OBTAINED = "views_obtained", "The victim's views were obtained"
        NOT_OBTAINED = "not_obtained", "Reasonable efforts were made but no views were obtained"
        NO_VICTIM = "no_victim", "There is no identifiable victim"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="victim_views")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    views = models.TextField(blank=True)
    efforts = models.TextField(blank=True)
    requested_action = models.TextField(
        blank=True, help_text="Action the victim asked for, including community remedy options"
    )
    restorative_justice_consent = models.BooleanField(
        default=False, help_text="The victim consents to restorative justice"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "victim views"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="views_obtained") | ~models.Q(views=""),
                name="victimviews_views_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="not_obtained") | ~models.Q(efforts=""),
                name="victimviews_efforts_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="no_victim") | models.Q(restorative_justice_consent=False),
                name="victimviews_no_consent_without_victim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"


class Administration(models.Model):
    """s.23 requirements 3 to 5, recorded when the caution is given."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="administration")
    admission_method = models.CharField(
        max_length=20, choices=EligibilityAssessment.AdmissionMethod.choices
    )
    admitted = models.BooleanField()
    effect_explained = models.BooleanField()
    warned_of_prosecution = models.BooleanField()
    consented = models.BooleanField()
    document_signed = models.BooleanField()
    signed_at = models.DateTimeField()
    signed_place = models.CharField(max_length=200)
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    time_limit_warning = models.TextField(
        blank=True, help_text="The summary-only time-limit warning shown and acknowledged"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    admitted=True,
                    effect_explained=True,
                    warned_of_prosecution=True,
                    consented=True,
                    document_signed=True,
                ),
                name="administration_s23_requirements_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: given {long_date(self.signed_at)}"
