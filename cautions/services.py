"""Every write to a case: one function per transition (STYLE.md).

Each function runs in one transaction, locks the case row (`select_for_update`), refuses a
stale form (`expected_version`), checks the current state (`InvalidTransition` names it in
words an officer understands), saves only the fields it changes and appends a CaseEvent in the
same transaction. Condition-level functions lock the case first, then the condition, always in
that order, so two of them cannot deadlock.

Case.version goes up on every transition (forms on the case page carry it); Condition.version
goes up whenever that condition changes (the condition forms carry it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cautions import eligibility
from cautions.models import (
    Administration,
    Breach,
    Case,
    CaseEvent,
    Condition,
    EligibilityAssessment,
    NeedAssessment,
    ProsecutionStatus,
    RuleSettings,
    VictimViews,
    WithdrawalKind,
)
from hub.lib.dates import add_months, age_on
from hub.models import ConditionObject, ConditionType, ModeOfTrial, Offence, Organisation

S = Case.Status

# Legal limits (CJA 2003 s.22(3B), s.23A and SI 2013/615): fixed, not settings.
PUNITIVE_HOURS_CAP = Decimal(20)
FINANCIAL_PENALTY_CAP = {
    ModeOfTrial.SUMMARY: Decimal(50),
    ModeOfTrial.EITHER_WAY: Decimal(100),
    ModeOfTrial.INDICTABLE_ONLY: Decimal(150),
}
SUMMARY_TIME_LIMIT_MONTHS = 6  # Magistrates' Courts Act 1980 s.127
STANDARD_MAX_WEEKS = 16  # above this the database requires a recorded reason

STATUS_PHRASES = {
    S.ASSESSMENT: "still being assessed",
    S.NOT_ELIGIBLE: "closed as not eligible",
    S.AWAITING_AUTHORISATION: "waiting for an authorising officer",
    S.DECLINED: "closed because authorisation was declined",
    S.AUTHORISED: "authorised and waiting for the caution to be given",
    S.ACTIVE: "a caution in progress",
    S.BREACH: "waiting for a breach decision",
    S.COMPLIED: "closed: the conditions were complied with",
    S.FAILED_NO_FURTHER_ACTION: "closed: failed, with no further action",
    S.PROSECUTION_RESUMED: "closed: the prosecution has resumed",
    S.FAILED: "closed: failed to comply",
    S.WITHDRAWN: "withdrawn",
}

STALE_MESSAGE = (
    "This case changed since you opened it (someone else has updated it). "
    "Your answers are still below: check the case page, then submit again."
)


class CautionError(Exception):
    """A domain rule refused the action. `field` names the form field it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(CautionError):
    pass


class StaleVersion(CautionError):
    def __init__(self, current_version: int):
        super().__init__(STALE_MESSAGE)
        self.current_version = current_version


class NotAllowed(CautionError):
    pass


class RuleViolation(CautionError):
    pass


@dataclass
class ConditionSpec:
    condition_type: ConditionType
    description: str
    due_date: dt.date
    provider: Organisation | None = None
    amount: Decimal | None = None
    hours: Decimal | None = None


# ---------------------------------------------------------------------------- helpers


def _lock_case(case: Case, expected_version: int | None, allowed, action: str) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "offence")
        .get(pk=case.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    if locked.status not in allowed:
        raise InvalidTransition(
            f"You cannot {action}: this case is {STATUS_PHRASES.get(locked.status, locked.status)}."
        )
    return locked


def _lock_condition(
    condition: Condition, expected_version: int | None, allowed_case, action: str
) -> tuple[Case, Condition]:
    case = _lock_case(condition.case, None, allowed_case, action)
    locked = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("condition_type", "provider")
        .get(pk=condition.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    return case, locked


def _event(case: Case, actor, kind: str, *, from_status="", to_status="", reason="", data=None):
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status or case.status,
        reason=reason,
        data=data or {},
    )


def _save(
    case: Case, actor, kind: str, fields: list[str], *, from_status=None, reason="", data=None
):
    """Bump the version, save the changed fields and write the event row."""
    case.version += 1
    case._history_user = actor
    case.save(update_fields=[*fields, "version", "updated_at"])
    return _event(
        case,
        actor,
        kind,
        from_status=from_status if from_status is not None else case.status,
        to_status=case.status,
        reason=reason,
        data=data,
    )


def _close(case: Case, status: str, outcome_date: dt.date) -> list[str]:
    case.status = status
    case.outcome_date = outcome_date
    case.retention_review_date = add_months(outcome_date, 12 * settings.RETENTION_YEARS)
    return ["status", "outcome_date", "retention_review_date"]


def _sync_referrals(case: Case, actor) -> None:
    from referrals.services import referrals_sync_for_case

    referrals_sync_for_case(case=case, actor=actor)


def _require_perm(actor, perm: str, what: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(f"Only an authorising officer can {what}.")


def _today() -> dt.date:
    return timezone.localdate()


def _end_pending_conditions(case: Case, actor) -> list[int]:
    ids = list(
        case.conditions.select_for_update(of=("self",))
        .filter(status=Condition.Status.PENDING)
        .values_list("pk", flat=True)
    )
    for condition in Condition.objects.filter(pk__in=ids):
        condition.status = Condition.Status.ENDED
        condition.version += 1
        condition._history_user = actor
        condition.save(update_fields=["status", "version"])
    return ids


def status_phrase(status: str) -> str:
    return STATUS_PHRASES.get(status, status)


# ---------------------------------------------------------------------------- start and assess


def _new_reference(case_pk: int, year: int) -> str:
    return f"CC-{year}-{case_pk:06d}"


@transaction.atomic
def case_start(*, offence: Offence, actor) -> Case:
    """Open a case for an offence (status: assessment). One case per offence; the lock on the
    offence row makes two officers starting one at the same moment get a clear refusal."""
    offence = (
        Offence.objects.select_for_update(of=("self",)).select_related("person").get(pk=offence.pk)
    )
    if Case.objects.filter(offence=offence).exists():
        raise InvalidTransition("This offence already has a case.")
    if offence.person.anonymised_at:
        raise InvalidTransition("This person's record has been anonymised.")
    case = Case(
        reference=f"new-{offence.pk}",
        person=offence.person,
        offence=offence,
        officer=actor,
        status=S.ASSESSMENT,
    )
    case._history_user = actor
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        raise InvalidTransition("This offence already has a case.") from error
    case.reference = _new_reference(case.pk, _today().year)
    case.save(update_fields=["reference"])
    _event(case, actor, "case_started", to_status=S.ASSESSMENT)
    return case


ANSWER_FIELDS = (
    "admitted",
    "admission_method",
    "sufficient_evidence",
    "public_interest",
    "prosecutor_authority_ref",
    "previous_history_count",
    *eligibility.YES_NO_QUESTIONS,
)


@transaction.atomic
def eligibility_assess(
    *, case: Case, actor, planned_caution_date: dt.date, answers: dict, expected_version=None
) -> EligibilityAssessment:
    """Run the checklist and store its snapshot. assessment -> assessment (eligible, or
    eligible with authority) or -> not_eligible (closed with the failed rules' reasons)."""
    case = _lock_case(case, expected_version, (S.ASSESSMENT,), "assess eligibility")
    offence = case.offence
    rules = RuleSettings.load()
    answers = {k: answers[k] for k in ANSWER_FIELDS if k in answers}
    data = eligibility.EligibilityInput(
        assessed_on=_today(),
        planned_caution_date=planned_caution_date,
        date_of_birth=case.person.date_of_birth,
        offence_date=offence.offence_date,
        offence_category=offence.category.label,
        category_excluded=offence.category.excluded,
        mode_of_trial=offence.mode_of_trial,
        gravity_score=offence.gravity_score,
        domestic_abuse=offence.domestic_abuse,
        hate_crime=offence.hate_crime,
        thresholds=rules.as_dict(),
        **{**answers, "prosecutor_authority_ref": answers.get("prosecutor_authority_ref") or ""},
    )
    snapshot = eligibility.assess(data)
    assessment = EligibilityAssessment.objects.create(
        case=case,
        assessed_by=actor,
        planned_caution_date=planned_caution_date,
        admission_method=answers.get("admission_method") or "",
        prosecutor_authority_ref=answers.get("prosecutor_authority_ref") or "",
        result=snapshot["result"],
        answers=snapshot["inputs"],
        snapshot=snapshot,
    )
    result_label = assessment.get_result_display()
    if assessment.result == EligibilityAssessment.Result.NOT_ELIGIBLE:
        reasons = eligibility.failure_reasons(snapshot)
        case.closure_reason = "Not eligible: " + " ".join(reasons)
        fields = [*_close(case, S.NOT_ELIGIBLE, _today()), "closure_reason"]
        _save(
            case,
            actor,
            "eligibility_assessed",
            fields,
            from_status=S.ASSESSMENT,
            reason=case.closure_reason,
            data={"assessment": assessment.pk, "result": assessment.result},
        )
        return assessment
    needing = [r["reason"] for r in snapshot["rules"] if r["result"] == eligibility.NEEDS_AUTHORITY]
    _save(
        case,
        actor,
        "eligibility_assessed",
        [],
        reason=f"{result_label}. " + " ".join(needing) if needing else result_label,
        data={"assessment": assessment.pk, "result": assessment.result},
    )
    return assessment


@transaction.atomic
def needs_record(*, case: Case, actor, needs: list[dict], expected_version=None) -> list:
    """Record the needs assessment (replaces the previous one; history keeps it).

    `needs`: [{"pathway": NeedPathway, "severity": "low|medium|high", "notes": ""}]; an empty
    list records that no needs were found. Allowed while assessing or awaiting authorisation."""
    case = _lock_case(
        case, expected_version, (S.ASSESSMENT, S.AWAITING_AUTHORISATION), "record needs"
    )
    wanted = {n["pathway"].pk: n for n in needs}
    existing = {n.pathway_id: n for n in case.needs.select_for_update()}
    for pathway_id, need in existing.items():
        if pathway_id not in wanted:
            need._history_user = actor
            need.delete()
    saved = []
    for pathway_id, item in wanted.items():
        need = existing.get(pathway_id) or NeedAssessment(case=case, pathway=item["pathway"])
        need.severity = item["severity"]
        need.notes = item.get("notes", "")
        need.assessed_by = actor
        need._history_user = actor
        need.full_clean(exclude=["case"])
        need.save()
        saved.append(need)
    case.needs_recorded_at = timezone.now()
    summary = ", ".join(f"{n.pathway.label} ({n.get_severity_display()})" for n in saved)
    _save(
        case,
        actor,
        "needs_recorded",
        ["needs_recorded_at"],
        reason=summary or "No needs identified",
        data={"needs": {n.pathway.key: n.severity for n in saved}},
    )
    return saved


@transaction.atomic
def victim_views_record(
    *,
    case: Case,
    actor,
    kind: str,
    views: str = "",
    efforts: str = "",
    requested_action: str = "",
    restorative_justice_consent: bool = False,
    expected_version=None,
) -> VictimViews:
    """s.23ZA: record the victim's views, or the efforts made, or that there is no victim."""
    case = _lock_case(
        case,
        expected_version,
        (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED),
        "record the victim's views",
    )
    K = VictimViews.Kind
    if kind == K.NO_VICTIM and case.offence.victim_present:
        raise RuleViolation(
            "The offence records an identifiable victim: record their views or the efforts "
            "made to get them.",
            field="kind",
        )
    if kind == K.VIEWS_OBTAINED and not views.strip():
        raise RuleViolation("Enter the victim's views", field="views")
    if kind == K.NOT_OBTAINED and not efforts.strip():
        raise RuleViolation(
            "Describe the efforts made to get the victim's views and why none were obtained",
            field="efforts",
        )
    if kind == K.NO_VICTIM:
        restorative_justice_consent = False
    record = VictimViews.objects.filter(case=case).first() or VictimViews(case=case)
    record.kind = kind
    record.views = views.strip()
    record.efforts = efforts.strip()
    record.requested_action = requested_action.strip()
    record.restorative_justice_consent = restorative_justice_consent
    record.recorded_by = actor
    record._history_user = actor
    record.save()
    _save(
        case,
        actor,
        "victim_views_recorded",
        [],
        reason=record.get_kind_display(),
        data={"kind": kind, "restorative_justice_consent": restorative_justice_consent},
    )
    return record


def latest_assessment(case: Case) -> EligibilityAssessment | None:
    return case.eligibility_assessments.order_by("-assessed_at", "-id").first()


@transaction.atomic
def case_submit_for_authorisation(*, case: Case, actor, expected_version=None) -> Case:
    """assessment -> awaiting_authorisation, once eligibility, needs and victim's views are in."""
    case = _lock_case(case, expected_version, (S.ASSESSMENT,), "send the case for authorisation")
    assessment = latest_assessment(case)
    missing = []
    if assessment is None:
        missing.append("the eligibility assessment")
    if case.needs_recorded_at is None:
        missing.append("the needs assessment")
    if not VictimViews.objects.filter(case=case).exists():
        missing.append("the victim's views")
    if missing:
        raise RuleViolation(
            "Before sending it for authorisation, record " + " and ".join(missing) + "."
        )
    case.status = S.AWAITING_AUTHORISATION
    _save(case, actor, "submitted_for_authorisation", ["status"], from_status=S.ASSESSMENT)
    return case


@transaction.atomic
def case_authorise(
    *,
    case: Case,
    actor,
    reason: str = "",
    prosecutor_authority_ref: str = "",
    expected_version=None,
) -> Case:
    """awaiting_authorisation -> authorised (s.23 requirement 2). The authoriser is an
    authorising officer who neither is in charge of the case nor assessed it; gravity 3 needs
    their reason; domestic abuse, hate crime and indictable-only need a prosecutor's authority."""
    _require_perm(actor, "cautions.authorise_case", "authorise a caution")
    case = _lock_case(case, expected_version, (S.AWAITING_AUTHORISATION,), "authorise this case")
    assessment = latest_assessment(case)
    assessors = set(case.eligibility_assessments.values_list("assessed_by", flat=True))
    if actor.pk == case.officer_id or actor.pk in assessors:
        raise NotAllowed(
            "You assessed this case or are in charge of it, so another authorising officer "
            "must authorise it."
        )
    needing = eligibility.needs_authority_keys(assessment.snapshot if assessment else {})
    if "gravity" in needing and not reason.strip():
        raise RuleViolation(
            "The gravity score is 3: record why a caution is right for this offence",
            field="reason",
        )
    ref = prosecutor_authority_ref.strip() or (
        assessment.prosecutor_authority_ref if assessment else ""
    )
    if needing & {"domestic_abuse_hate_crime", "indictable_only"} and not ref:
        raise RuleViolation(
            "This offence needs a prosecutor's authority: enter its reference",
            field="prosecutor_authority_ref",
        )
    case.status = S.AUTHORISED
    case.authorised_by = actor
    case.authorised_at = timezone.now()
    case.authorisation_reason = reason.strip()
    case.prosecutor_authority_ref = ref
    _save(
        case,
        actor,
        "authorised",
        [
            "status",
            "authorised_by",
            "authorised_at",
            "authorisation_reason",
            "prosecutor_authority_ref",
        ],
        from_status=S.AWAITING_AUTHORISATION,
        reason=case.authorisation_reason,
        data={"prosecutor_authority_ref": ref} if ref else {},
    )
    return case


@transaction.atomic
def case_decline(*, case: Case, actor, reason: str, expected_version=None) -> Case:
    """awaiting_authorisation -> declined (closed; the usual prosecution route follows)."""
    _require_perm(actor, "cautions.authorise_case", "decline a caution")
    case = _lock_case(case, expected_version, (S.AWAITING_AUTHORISATION,), "decline this case")
    if not reason.strip():
        raise RuleViolation("Enter the reason for declining", field="reason")
    if actor.pk == case.officer_id:
        raise NotAllowed(
            "You are in charge of this case, so another authorising officer must decide it."
        )
    case.closure_reason = reason.strip()
    fields = [*_close(case, S.DECLINED, _today()), "closure_reason"]
    _save(
        case, actor, "declined", fields, from_status=S.AWAITING_AUTHORISATION, reason=reason.strip()
    )
    return case


# ---------------------------------------------------------------------------- administration


def compliance_deadline(caution_date: dt.date, weeks: int) -> dt.date:
    return caution_date + dt.timedelta(weeks=weeks)


def time_limit_warning(
    offence: Offence, caution_date: dt.date, weeks: int, rules: RuleSettings | None = None
) -> str:
    """The summary-only warning (MCA 1980 s.127, design choice in DOMAIN.md): empty when the
    compliance deadline plus the breach-decision margin stays within 6 months of the offence."""
    if offence.mode_of_trial != ModeOfTrial.SUMMARY:
        return ""
    rules = rules or RuleSettings.load()
    limit = add_months(offence.offence_date, SUMMARY_TIME_LIMIT_MONTHS)
    deadline = compliance_deadline(caution_date, weeks)
    if deadline + dt.timedelta(days=rules.breach_decision_margin_days) <= limit:
        return ""
    return (
        f"This is a summary-only offence: a prosecution must start by {limit:%d/%m/%Y} "
        f"(6 months from the offence). The compliance deadline {deadline:%d/%m/%Y} plus "
        f"{rules.breach_decision_margin_days} days to decide a breach passes that date, so a "
        "late failure to comply could not be prosecuted. Consider a shorter compliance period."
    )


def validate_conditions(
    *,
    case: Case,
    specs: list[ConditionSpec],
    caution_date: dt.date,
    deadline: dt.date,
    victim_views: VictimViews | None,
    existing: list[Condition] = (),
) -> None:
    """The limits on a set of conditions (raises RuleViolation with the first one broken).

    `existing`: conditions already on the case that remain in force (for variations)."""
    if not specs and not existing:
        raise RuleViolation("Set at least one condition", field="conditions")
    for n, spec in enumerate(specs, start=1):
        ctype = spec.condition_type
        name = f"Condition {n} ({ctype.label})"
        if ctype.retired:
            raise RuleViolation(f"{name}: this condition type is retired and cannot be chosen.")
        if not spec.description.strip():
            raise RuleViolation(f"{name}: describe what the person must do.")
        if spec.due_date < caution_date:
            raise RuleViolation(f"{name}: the due date is before the caution date.")
        if spec.due_date > deadline:
            raise RuleViolation(
                f"{name}: the due date {spec.due_date:%d/%m/%Y} is after the end of the "
                f"compliance period ({deadline:%d/%m/%Y})."
            )
        if ctype.needs_provider and spec.provider is None:
            raise RuleViolation(f"{name}: choose the support provider.")
        if spec.provider is not None and (
            spec.provider.kind != Organisation.Kind.SUPPORT_PROVIDER or not spec.provider.active
        ):
            raise RuleViolation(f"{name}: {spec.provider} is not an active support provider.")
        if ctype.has_amount and not spec.amount:
            raise RuleViolation(f"{name}: enter the amount in pounds.")
        if spec.amount is not None and spec.amount <= 0:
            raise RuleViolation(f"{name}: the amount must be more than £0.")
        if ctype.has_hours and not spec.hours:
            raise RuleViolation(f"{name}: enter the number of hours.")
        if spec.hours is not None and spec.hours <= 0:
            raise RuleViolation(f"{name}: the hours must be more than 0.")
        if ctype.capped_by_mode_of_trial:
            cap = FINANCIAL_PENALTY_CAP[case.offence.mode_of_trial]
            if spec.amount is not None and spec.amount > cap:
                raise RuleViolation(
                    f"{name}: a financial penalty for an offence that is "
                    f"{case.offence.get_mode_of_trial_display().lower()} can be at most £{cap}."
                )
        if ctype.needs_victim_consent and not (
            victim_views and victim_views.restorative_justice_consent
        ):
            raise RuleViolation(
                f"{name}: restorative justice needs the victim's consent, which is not recorded."
            )
    types = [s.condition_type for s in specs] + [c.condition_type for c in existing]
    hours = sum(
        (s.hours or Decimal(0) for s in specs if s.condition_type.counts_towards_hours_cap),
        Decimal(0),
    ) + sum(
        (c.hours or Decimal(0) for c in existing if c.condition_type.counts_towards_hours_cap),
        Decimal(0),
    )
    if hours > PUNITIVE_HOURS_CAP:
        raise RuleViolation(
            f"Punitive attendance adds up to {hours:g} hours: the law allows at most 20 in total."
        )
    objects = {t.object for t in types}
    if ConditionObject.RESTRICTIVE in objects and not objects & {
        ConditionObject.REHABILITATION,
        ConditionObject.REPARATION,
    }:
        raise RuleViolation(
            "A restrictive condition (no contact, stay out of an area) can only be set "
            "alongside a rehabilitative or reparative condition."
        )


@transaction.atomic
def caution_administer(
    *,
    case: Case,
    actor,
    caution_date: dt.date,
    signed_at: dt.datetime,
    signed_place: str,
    admission_method: str,
    admitted: bool,
    effect_explained: bool,
    warned_of_prosecution: bool,
    consented: bool,
    document_signed: bool,
    conditions: list[ConditionSpec],
    compliance_period_weeks: int | None = None,
    compliance_extension_reason: str = "",
    provider_report_is_compliance: bool = False,
    time_limit_acknowledged: bool = False,
    expected_version=None,
) -> Case:
    """authorised -> active: the caution is given with its conditions; prosecution deferred.

    Enforces the five s.23 requirements, adults only on the caution date, at least one
    condition, due dates within the compliance period (16 weeks by default, up to 20 with a
    reason), the 20-hour punitive cap, the financial penalty cap, restrictive conditions only
    alongside another, providers, restorative justice consent, and the summary-only warning."""
    case = _lock_case(case, expected_version, (S.AUTHORISED,), "give the caution")
    rules = RuleSettings.load()
    offence = case.offence
    missing = [
        label
        for ok, label in (
            (admitted, "the person admits the offence"),
            (effect_explained, "the effect of the caution was explained"),
            (
                warned_of_prosecution,
                "the person was warned that failing to comply may lead to prosecution",
            ),
            (consented, "the person consents to the conditions"),
            (document_signed, "the person signed the caution document"),
        )
        if not ok
    ]
    if missing:
        raise RuleViolation(
            "A conditional caution can only be given when all five legal requirements are met. "
            "Missing: " + "; ".join(missing) + "."
        )
    today = _today()
    if caution_date > today:
        raise RuleViolation("The caution date cannot be in the future", field="caution_date")
    if caution_date < offence.offence_date:
        raise RuleViolation("The caution date is before the offence date", field="caution_date")
    if signed_at.date() != caution_date and timezone.localtime(signed_at).date() != caution_date:
        raise RuleViolation("The document must be signed on the caution date", field="signed_time")
    if not signed_place.strip():
        raise RuleViolation("Enter where the document was signed", field="signed_place")
    dob = case.person.date_of_birth
    if dob is None:
        raise RuleViolation("The person's date of birth is not recorded.")
    age = age_on(dob, caution_date)
    if age < 18:
        raise RuleViolation(
            f"The person is {age} on the caution date: conditional cautions are for adults only.",
            field="caution_date",
        )
    weeks = compliance_period_weeks or rules.default_compliance_weeks
    reason = compliance_extension_reason.strip()
    if weeks > rules.max_compliance_weeks:
        raise RuleViolation(
            f"The compliance period can be at most {rules.max_compliance_weeks} weeks",
            field="compliance_period_weeks",
        )
    if weeks > min(rules.default_compliance_weeks, STANDARD_MAX_WEEKS) and not reason:
        raise RuleViolation(
            f"A compliance period over {rules.default_compliance_weeks} weeks needs a recorded reason",
            field="compliance_extension_reason",
        )
    deadline = compliance_deadline(caution_date, weeks)
    victim_views = VictimViews.objects.filter(case=case).first()
    if victim_views is None:
        raise RuleViolation("Record the victim's views (or efforts) before setting conditions.")
    validate_conditions(
        case=case,
        specs=conditions,
        caution_date=caution_date,
        deadline=deadline,
        victim_views=victim_views,
    )
    warning = time_limit_warning(offence, caution_date, weeks, rules)
    if warning and not time_limit_acknowledged:
        raise RuleViolation(warning, field="time_limit_acknowledged")

    Administration.objects.create(
        case=case,
        admission_method=admission_method,
        admitted=True,
        effect_explained=True,
        warned_of_prosecution=True,
        consented=True,
        document_signed=True,
        signed_at=signed_at,
        signed_place=signed_place.strip(),
        administered_by=actor,
        time_limit_warning=warning,
    )
    for spec in conditions:
        condition = Condition(
            case=case,
            condition_type=spec.condition_type,
            description=spec.description.strip(),
            due_date=spec.due_date,
            provider=spec.provider,
            amount=spec.amount if spec.condition_type.has_amount else None,
            hours=spec.hours if spec.condition_type.has_hours else None,
        )
        condition._history_user = actor
        condition.save()
    case.status = S.ACTIVE
    case.caution_date = caution_date
    case.administered_by = actor
    case.age_at_caution = age
    case.compliance_period_weeks = weeks
    case.compliance_extension_reason = reason
    case.compliance_deadline = deadline
    case.prosecution_status = ProsecutionStatus.DEFERRED
    case.provider_report_is_compliance = provider_report_is_compliance
    _save(
        case,
        actor,
        "caution_administered",
        [
            "status",
            "caution_date",
            "administered_by",
            "age_at_caution",
            "compliance_period_weeks",
            "compliance_extension_reason",
            "compliance_deadline",
            "prosecution_status",
            "provider_report_is_compliance",
        ],
        from_status=S.AUTHORISED,
        reason=reason,
        data={
            "conditions": len(conditions),
            "compliance_deadline": deadline.isoformat(),
            "time_limit_warning": warning,
        },
    )
    _sync_referrals(case, actor)
    return case


# ---------------------------------------------------------------------------- conditions

CONDITION_CHANGE_STATES = (S.ACTIVE, S.BREACH)


def _complete_if_all_complied(case: Case, actor) -> bool:
    """active -> complied when every condition still in force is complied (same transaction)."""
    if case.status != S.ACTIVE:
        return False
    statuses = list(case.conditions.values_list("status", "complied_on"))
    in_force = [(s, d) for s, d in statuses if s != Condition.Status.ENDED]
    if not in_force or any(s != Condition.Status.COMPLIED for s, _ in in_force):
        return False
    outcome = max(d for _, d in in_force)
    fields = _close(case, S.COMPLIED, max(outcome, case.caution_date))
    case.prosecution_status = ProsecutionStatus.NOT_PURSUED
    _save(
        case,
        actor,
        "caution_completed",
        [*fields, "prosecution_status"],
        from_status=S.ACTIVE,
        reason="Every condition was complied with: no further action.",
    )
    _sync_referrals(case, actor)
    return True


def _condition_snapshot(c: Condition) -> dict:
    return {
        "description": c.description,
        "due_date": c.due_date.isoformat(),
        "provider": c.provider.name if c.provider else "",
        "version": c.version,
    }


@transaction.atomic
def condition_mark_complied(
    *, condition: Condition, actor, complied_on: dt.date, evidence: str, expected_version=None
) -> Condition:
    """pending -> complied. When it was the last condition in force the case completes
    (status complied, outcome date set) in the same transaction. Called by the referrals app
    when a provider reports compliance and the case accepts provider reports as compliance."""
    case, condition = _lock_condition(
        condition, expected_version, CONDITION_CHANGE_STATES, "mark a condition complied"
    )
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"You cannot mark this condition complied: it is {condition.get_status_display().lower()}."
        )
    if complied_on > _today():
        raise RuleViolation("The date complied cannot be in the future", field="complied_on")
    if complied_on < case.caution_date:
        raise RuleViolation(
            "The date complied is before the caution was given", field="complied_on"
        )
    condition.status = Condition.Status.COMPLIED
    condition.complied_on = complied_on
    condition.evidence = evidence.strip()
    condition.marked_by = actor
    condition.marked_at = timezone.now()
    condition.version += 1
    condition._history_user = actor
    condition.save(
        update_fields=["status", "complied_on", "evidence", "marked_by", "marked_at", "version"]
    )
    _save(
        case,
        actor,
        "condition_complied",
        [],
        reason=evidence.strip(),
        data={
            "condition": condition.pk,
            "condition_type": condition.condition_type.label,
            "complied_on": complied_on.isoformat(),
        },
    )
    _complete_if_all_complied(case, actor)
    return condition


@transaction.atomic
def breach_record(
    *,
    case: Case,
    actor,
    condition: Condition,
    failure_details: str,
    excuse_given: str = "",
    expected_version=None,
) -> Breach:
    """active -> breach: a failure to comply opens a reasonable-excuse assessment and waits
    for an authorising officer's decision. The condition is marked not complied."""
    case = _lock_case(case, expected_version, (S.ACTIVE,), "record a breach")
    condition = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("condition_type")
        .get(pk=condition.pk)
    )
    if condition.case_id != case.pk:
        raise RuleViolation("That condition belongs to another case.", field="condition")
    if condition.status not in (Condition.Status.PENDING, Condition.Status.NOT_COMPLIED):
        raise InvalidTransition(
            f"This condition is {condition.get_status_display().lower()}: it cannot be breached."
        )
    if not failure_details.strip():
        raise RuleViolation("Describe how the person failed to comply", field="failure_details")
    if condition.status == Condition.Status.PENDING:
        condition.status = Condition.Status.NOT_COMPLIED
        condition.marked_by = actor
        condition.marked_at = timezone.now()
        condition.evidence = failure_details.strip()
        condition.version += 1
        condition._history_user = actor
        condition.save(update_fields=["status", "marked_by", "marked_at", "evidence", "version"])
    breach = Breach(
        case=case,
        condition=condition,
        recorded_by=actor,
        failure_details=failure_details.strip(),
        excuse_given=excuse_given.strip(),
    )
    breach._history_user = actor
    breach.save()
    case.status = S.BREACH
    _save(
        case,
        actor,
        "breach_recorded",
        ["status"],
        from_status=S.ACTIVE,
        reason=failure_details.strip(),
        data={"breach": breach.pk, "condition": condition.pk, "excuse_given": excuse_given.strip()},
    )
    return breach


@transaction.atomic
def condition_mark_not_complied(
    *, condition: Condition, actor, details: str, excuse_given: str = "", expected_version=None
) -> Breach:
    """pending -> not complied, which is a breach: the case goes to breach for a decision."""
    case, condition = _lock_condition(
        condition, expected_version, (S.ACTIVE,), "mark a condition not complied"
    )
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"You cannot mark this condition not complied: it is {condition.get_status_display().lower()}."
        )
    return breach_record(
        case=case,
        actor=actor,
        condition=condition,
        failure_details=details,
        excuse_given=excuse_given,
    )


def _apply_variation(
    case: Case,
    condition: Condition,
    actor,
    *,
    due_date,
    description,
    provider,
    kind: str,
    reason: str,
    data=None,
) -> dict:
    before = _condition_snapshot(condition)
    rules_deadline = case.compliance_deadline
    spec = ConditionSpec(
        condition_type=condition.condition_type,
        description=description,
        due_date=due_date,
        provider=provider,
        amount=condition.amount,
        hours=condition.hours,
    )
    others = list(
        case.conditions.exclude(pk=condition.pk)
        .exclude(status=Condition.Status.ENDED)
        .select_related("condition_type")
    )
    validate_conditions(
        case=case,
        specs=[spec],
        caution_date=case.caution_date,
        deadline=rules_deadline,
        victim_views=VictimViews.objects.filter(case=case).first(),
        existing=others,
    )
    condition.due_date = due_date
    condition.description = description.strip()
    condition.provider = provider
    condition.status = Condition.Status.PENDING
    condition.marked_by = None
    condition.marked_at = None
    condition.complied_on = None
    if due_date >= _today():
        condition.overdue_since = None
    condition.version += 1
    condition._history_user = actor
    condition.save(
        update_fields=[
            "due_date",
            "description",
            "provider",
            "status",
            "marked_by",
            "marked_at",
            "complied_on",
            "overdue_since",
            "version",
        ]
    )
    return {
        "condition": condition.pk,
        "before": before,
        "after": _condition_snapshot(condition),
        **(data or {}),
    }


@transaction.atomic
def condition_vary(
    *,
    condition: Condition,
    actor,
    reason: str,
    consent_given: bool,
    due_date: dt.date,
    description: str,
    provider: Organisation | None = None,
    expected_version=None,
) -> Condition:
    """Vary a pending condition's due date, content or provider, with a reason and the
    person's consent. The previous version stays in the history and in the event's data."""
    case, condition = _lock_condition(condition, expected_version, (S.ACTIVE,), "vary a condition")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"Only a pending condition can be varied: this one is {condition.get_status_display().lower()}."
        )
    if not reason.strip():
        raise RuleViolation("Enter the reason for the variation", field="reason")
    if not consent_given:
        raise RuleViolation(
            "The person must consent to the varied condition", field="consent_given"
        )
    data = _apply_variation(
        case,
        condition,
        actor,
        due_date=due_date,
        description=description,
        provider=provider,
        kind="condition_varied",
        reason=reason,
    )
    _save(case, actor, "condition_varied", [], reason=reason.strip(), data=data)
    _sync_referrals(case, actor)
    return condition


@transaction.atomic
def condition_end(*, condition: Condition, actor, reason: str, expected_version=None) -> Condition:
    """pending -> ended (no longer required). At least one condition must stay in force; if
    all the others are complied the caution completes."""
    case, condition = _lock_condition(condition, expected_version, (S.ACTIVE,), "end a condition")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"Only a pending condition can be ended: this one is {condition.get_status_display().lower()}."
        )
    if not reason.strip():
        raise RuleViolation("Enter the reason for ending the condition", field="reason")
    if not case.conditions.exclude(pk=condition.pk).exclude(status=Condition.Status.ENDED).exists():
        raise RuleViolation(
            "This is the only condition in force: vary it, or withdraw the case, instead."
        )
    condition.status = Condition.Status.ENDED
    condition.version += 1
    condition._history_user = actor
    condition.save(update_fields=["status", "version"])
    _save(
        case,
        actor,
        "condition_ended",
        [],
        reason=reason.strip(),
        data={"condition": condition.pk, "condition_type": condition.condition_type.label},
    )
    _sync_referrals(case, actor)
    _complete_if_all_complied(case, actor)
    return condition


# ---------------------------------------------------------------------------- breach


@transaction.atomic
def breach_decide(
    *,
    breach: Breach,
    actor,
    decision: str,
    reasonable_excuse: bool,
    excuse_assessment: str,
    reason: str,
    charge_date: dt.date | None = None,
    new_due_date: dt.date | None = None,
    new_description: str = "",
    consent_given: bool = False,
    expected_version=None,
) -> Breach:
    """breach -> active (vary the breached condition), -> failed_nfa (no further action), or
    -> prosecution_resumed (charge date recorded; the caution ceases to have effect). Only an
    authorising officer decides; prosecution only without a reasonable excuse (s.24)."""
    _require_perm(actor, "cautions.decide_breach", "decide a breach")
    D = Breach.Decision
    case = _lock_case(breach.case, expected_version, (S.BREACH,), "decide a breach")
    breach = (
        Breach.objects.select_for_update(of=("self",))
        .select_related("condition__condition_type")
        .get(pk=breach.pk)
    )
    if breach.decision:
        raise InvalidTransition("This breach has already been decided.")
    if decision not in D.values:
        raise RuleViolation("Choose a decision", field="decision")
    if not reason.strip():
        raise RuleViolation("Enter the reason for the decision", field="reason")
    if reasonable_excuse is None:
        raise RuleViolation(
            "Say whether the person had a reasonable excuse", field="reasonable_excuse"
        )
    today = _today()
    data = {"breach": breach.pk, "decision": decision, "reasonable_excuse": reasonable_excuse}
    from_status = case.status
    if decision == D.VARY_CONDITIONS:
        condition = breach.condition
        if condition is None:
            raise RuleViolation("This breach has no condition to vary.")
        if new_due_date is None:
            raise RuleViolation("Enter the new due date", field="new_due_date")
        if not consent_given:
            raise RuleViolation(
                "The person must consent to the varied condition", field="consent_given"
            )
        condition = (
            Condition.objects.select_for_update(of=("self",))
            .select_related("condition_type")
            .get(pk=condition.pk)
        )
        data |= _apply_variation(
            case,
            condition,
            actor,
            due_date=new_due_date,
            description=new_description.strip() or condition.description,
            provider=condition.provider,
            kind="breach_decided",
            reason=reason,
        )
        case.status = S.ACTIVE
        fields = ["status"]
    elif decision == D.NO_FURTHER_ACTION:
        data["ended_conditions"] = _end_pending_conditions(case, actor)
        case.prosecution_status = ProsecutionStatus.NOT_PURSUED
        case.closure_reason = reason.strip()
        fields = [
            *_close(case, S.FAILED_NO_FURTHER_ACTION, today),
            "prosecution_status",
            "closure_reason",
        ]
    else:
        if reasonable_excuse:
            raise RuleViolation(
                "The prosecution can only resume when there was no reasonable excuse (CJA 2003 s.24).",
                field="reasonable_excuse",
            )
        if charge_date is None:
            raise RuleViolation("Enter the charge date", field="charge_date")
        if charge_date > today or charge_date < case.caution_date:
            raise RuleViolation(
                "The charge date must be between the caution date and today", field="charge_date"
            )
        if case.offence.mode_of_trial == ModeOfTrial.SUMMARY:
            limit = add_months(case.offence.offence_date, SUMMARY_TIME_LIMIT_MONTHS)
            if charge_date > limit:
                raise RuleViolation(
                    f"This summary-only offence could only be prosecuted until {limit:%d/%m/%Y} "
                    "(6 months from the offence). Choose no further action instead.",
                    field="decision",
                )
        data["ended_conditions"] = _end_pending_conditions(case, actor)
        case.prosecution_status = ProsecutionStatus.RESUMED
        case.charge_date = charge_date
        case.closure_reason = reason.strip()
        # The caution ceases to have effect when proceedings start: the outcome date.
        fields = [
            *_close(case, S.PROSECUTION_RESUMED, charge_date),
            "prosecution_status",
            "charge_date",
            "closure_reason",
        ]
        data["charge_date"] = charge_date.isoformat()
    breach.reasonable_excuse = reasonable_excuse
    breach.excuse_assessment = excuse_assessment.strip()
    breach.decision = decision
    breach.decided_by = actor
    breach.decided_at = timezone.now()
    breach.decision_reason = reason.strip()
    breach._history_user = actor
    breach.save(
        update_fields=[
            "reasonable_excuse",
            "excuse_assessment",
            "decision",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )
    _save(
        case,
        actor,
        "breach_decided",
        fields,
        from_status=from_status,
        reason=reason.strip(),
        data=data,
    )
    _sync_referrals(case, actor)
    return breach


@transaction.atomic
def prosecution_record_court_outcome(
    *, case: Case, actor, court_outcome: str, court_outcome_date: dt.date, expected_version=None
) -> Case:
    """Record the court's outcome of a resumed prosecution (status unchanged)."""
    case = _lock_case(case, expected_version, (S.PROSECUTION_RESUMED,), "record a court outcome")
    if not court_outcome.strip():
        raise RuleViolation("Enter the court outcome", field="court_outcome")
    if court_outcome_date > _today() or court_outcome_date < case.charge_date:
        raise RuleViolation(
            "The court date must be between the charge date and today", field="court_outcome_date"
        )
    case.court_outcome = court_outcome.strip()
    case.court_outcome_date = court_outcome_date
    _save(
        case,
        actor,
        "court_outcome_recorded",
        ["court_outcome", "court_outcome_date"],
        reason=case.court_outcome,
        data={"court_outcome_date": court_outcome_date.isoformat()},
    )
    return case


@transaction.atomic
def case_withdraw(*, case: Case, actor, kind: str, reason: str, expected_version=None) -> Case:
    """Any open state -> withdrawn (error, death or other), with a reason. Pending conditions
    end; a deferred prosecution is not pursued."""
    open_states = [s for s in S.values if s not in Case.CLOSED]
    case = _lock_case(case, expected_version, open_states, "withdraw this case")
    if kind not in WithdrawalKind.values:
        raise RuleViolation("Choose why the case is withdrawn", field="kind")
    if not reason.strip():
        raise RuleViolation("Enter the reason for withdrawing the case", field="reason")
    from_status = case.status
    ended = _end_pending_conditions(case, actor)
    case.withdrawal_kind = kind
    case.closure_reason = reason.strip()
    fields = [*_close(case, S.WITHDRAWN, _today()), "withdrawal_kind", "closure_reason"]
    if case.prosecution_status == ProsecutionStatus.DEFERRED:
        case.prosecution_status = ProsecutionStatus.NOT_PURSUED
        fields.append("prosecution_status")
    _save(
        case,
        actor,
        "withdrawn",
        fields,
        from_status=from_status,
        reason=reason.strip(),
        data={"kind": kind, "ended_conditions": ended},
    )
    _sync_referrals(case, actor)
    return case


# ---------------------------------------------------------------------------- sweep


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
                    reason=f"{condition.condition_type.label} was due on {condition.due_date:%d/%m/%Y}.",
                    data={"condition": condition.pk, "due_date": condition.due_date.isoformat()},
                )
                marked += 1
    return marked
