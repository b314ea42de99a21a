"""Starting a case and assessing it: eligibility, needs and the victim's views, then sending
it for authorisation (assessment -> awaiting_authorisation, or -> not_eligible)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from cautions import eligibility
from cautions.history import recorded_history
from cautions.models import (
    Case,
    ConditionProposal,
    EligibilityAssessment,
    NeedAssessment,
    RuleSettings,
    VictimViews,
)
from cautions.selectors import latest_assessment
from cautions.services.base import (
    InvalidTransition,
    RuleViolation,
    S,
    _close,
    _event,
    _lock_case,
    _require_authorising_rank,
    _require_perm,
    _save,
    _today,
)
from cautions.signals import case_submitted
from hub.models import Offence

# References tried for a new case before giving up: the id-based one, then `-2`, `-3`...
# (a reference may be held by a case imported before imports refused the workflow's pattern).
REFERENCE_ATTEMPTS = 5


def _reference_candidates(case_pk: int, year: int) -> list[str]:
    base = f"CC-{year}-{case_pk:06d}"
    return [base, *(f"{base}-{n}" for n in range(2, REFERENCE_ATTEMPTS + 1))]


def _give_reference(case: Case) -> None:
    """Give the new case the first free reference; a bounded loop over a fixed list."""
    candidates = _reference_candidates(case.pk, _today().year)
    taken = set(Case.objects.filter(reference__in=candidates).values_list("reference", flat=True))
    for reference in candidates:
        if reference in taken:
            continue
        case.reference = reference
        try:
            with transaction.atomic():
                case.save(update_fields=["reference"])
        except IntegrityError:  # taken between the look-up and the save
            continue
        return
    raise InvalidTransition(
        "The case could not be given a reference: every one tried is already held. "
        "Try again, and tell an administrator if this happens again."
    )


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
        # A placeholder until the id is known; unguessable, so nothing imported can hold it.
        reference=f"new-{uuid.uuid4().hex}",
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
    _give_reference(case)
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
    recorded = recorded_history(case.person_id, on=_today(), exclude_case_id=case.pk)
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
        recorded_history_count=recorded.count,
        recent_caution=recorded.recent_caution,
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
        single_failed_rule=eligibility.single_failed_rule(snapshot),
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


@transaction.atomic
def case_submit_for_authorisation(*, case: Case, actor, expected_version=None) -> Case:
    """assessment -> awaiting_authorisation, once eligibility, needs and victim's views are in."""
    case = _lock_case(case, expected_version, (S.ASSESSMENT,), "send the case for authorisation")
    assessment = latest_assessment(case)
    missing = []
    if assessment is None or assessment.result == EligibilityAssessment.Result.NOT_ELIGIBLE:
        # A reopened case keeps its not-eligible check in the history: it needs a new one.
        missing.append("the eligibility assessment")
    if case.needs_recorded_at is None:
        missing.append("the needs assessment")
    if not VictimViews.objects.filter(case=case).exists():
        missing.append("the victim's views")
    proposal = case.proposals.order_by("-number").first()
    if proposal is None or proposal.status != ConditionProposal.Status.PROPOSED:
        missing.append("the proposed conditions")
    if missing:
        raise RuleViolation(
            "Before sending it for authorisation, record " + " and ".join(missing) + "."
        )
    case.status = S.AWAITING_AUTHORISATION
    _save(case, actor, "submitted_for_authorisation", ["status"], from_status=S.ASSESSMENT)
    case_submitted.send(sender=Case, case=case, actor=actor)
    return case


@transaction.atomic
def assessment_reopen(*, case: Case, actor, reason: str, expected_version=None) -> Case:
    """not_eligible -> assessment: an authorising officer (sergeant or above, from the recorded
    rank) reopens a not-eligible assessment with a reason, so that the officer can check
    eligibility again. The case stays the offence's only case; its not-eligible check, its
    closure and the reopening stay in the history (the events and the assessment rows)."""
    _require_perm(actor, "cautions.authorise_case", "reopen a not-eligible assessment")
    _require_authorising_rank(actor, "reopen a not-eligible assessment")
    case = _lock_case(case, expected_version, (S.NOT_ELIGIBLE,), "reopen the assessment")
    if not reason.strip():
        raise RuleViolation("Enter the reason for reopening the assessment", field="reason")
    closure_reason = case.closure_reason
    case.status = S.ASSESSMENT
    case.outcome_date = None
    case.retention_review_date = None
    case.closure_reason = ""
    _save(
        case,
        actor,
        "assessment_reopened",
        ["status", "outcome_date", "retention_review_date", "closure_reason"],
        from_status=S.NOT_ELIGIBLE,
        reason=reason.strip(),
        data={"closure_reason": closure_reason},
    )
    return case
