"""Authorising a caution and giving it: awaiting_authorisation -> authorised or declined,
then authorised -> active with its conditions (the legal limits are cautions.rules)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cautions import eligibility
from cautions import rules as caution_rules
from cautions.models import (
    Administration,
    Case,
    Condition,
    CrimeOutcome,
    ProsecutionStatus,
    RuleSettings,
    VictimViews,
)
from cautions.rules import compliance_deadline
from cautions.selectors import latest_assessment
from cautions.services.base import (
    NotAllowed,
    RuleViolation,
    S,
    _case_changed,
    _close,
    _lock_case,
    _refuse,
    _save,
    _today,
)
from cautions.services.conditions import ConditionSpec, validate_conditions
from cautions.services.proposals import (
    P,
    decide_proposal,
    lock_current_proposal,
    require_authorising_officer,
    same_set,
)
from cautions.services.signature import signature_for_giving
from hub.lib.dates import age_on
from hub.models import Offence

# ---------------------------------------------------------------------------- authorisation


@transaction.atomic
def case_authorise(
    *,
    case: Case,
    actor,
    reason: str = "",
    prosecutor_authority_ref: str = "",
    expected_version=None,
) -> Case:
    """awaiting_authorisation -> authorised (s.23 requirement 2), with the proposed set of
    conditions: that set is the one the caution may be given with. The authoriser is an
    authorising officer of recorded rank sergeant or above who neither is in charge of the case
    nor assessed it; gravity 3 needs their reason; domestic abuse, hate crime and
    indictable-only need a prosecutor's authority."""
    rank = require_authorising_officer(actor, "authorise a caution")
    case = _lock_case(case, expected_version, (S.AWAITING_AUTHORISATION,), "authorise this case")
    lock_current_proposal(case)
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
    if "recent_caution" in needing and not reason.strip():
        raise RuleViolation(
            "The person has an active or recent conditional caution: record why another "
            "caution is right",
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
    decide_proposal(case, actor, rank, P.AUTHORISED)
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
        data={
            "proposal": case.current_proposal.number,
            "rank": rank,
            **({"prosecutor_authority_ref": ref} if ref else {}),
        },
    )
    return case


@transaction.atomic
def case_decline(*, case: Case, actor, reason: str, expected_version=None) -> Case:
    """awaiting_authorisation -> declined (closed; the usual prosecution route follows). The
    proposed conditions are declined with it."""
    rank = require_authorising_officer(actor, "decline a caution")
    case = _lock_case(case, expected_version, (S.AWAITING_AUTHORISATION,), "decline this case")
    proposal = lock_current_proposal(case)
    if not reason.strip():
        raise RuleViolation("Enter the reason for declining", field="reason")
    if actor.pk == case.officer_id:
        raise NotAllowed(
            "You are in charge of this case, so another authorising officer must decide it."
        )
    if proposal is not None and proposal.status == P.PROPOSED:
        decide_proposal(case, actor, rank, P.DECLINED, reason.strip())
    case.closure_reason = reason.strip()
    fields = [*_close(case, S.DECLINED, _today()), "closure_reason"]
    _save(
        case, actor, "declined", fields, from_status=S.AWAITING_AUTHORISATION, reason=reason.strip()
    )
    return case


# ---------------------------------------------------------------------------- administration


def time_limit_warning(
    offence: Offence, caution_date: dt.date, weeks: int, rules: RuleSettings | None = None
) -> str:
    """The summary-only warning (MCA 1980 s.127, design choice in DOMAIN.md): empty when the
    compliance deadline plus the breach-decision margin stays within 6 months of the offence.
    `rules`: the rule settings, if already loaded."""
    if offence.mode_of_trial != "summary":
        return ""  # without reading the settings
    rules = rules or RuleSettings.load()
    return caution_rules.time_limit_warning(
        mode_of_trial=offence.mode_of_trial,
        offence_date=offence.offence_date,
        caution_date=caution_date,
        weeks=weeks,
        margin_days=rules.breach_decision_margin_days,
    )


def _signing_refusal(
    signed_at: dt.datetime, signed_place: str, caution_date: dt.date
) -> caution_rules.Refusal | None:
    # Signed on the caution date, as written (the form's local time) or in local time.
    if signed_at.date() != caution_date and timezone.localtime(signed_at).date() != caution_date:
        return caution_rules.Refusal(
            "The document must be signed on the caution date", field="signed_time"
        )
    if not signed_place.strip():
        return caution_rules.Refusal("Enter where the document was signed", field="signed_place")
    return None


def _refuse_unauthorised_set(case: Case, conditions: list[ConditionSpec]) -> None:
    """The caution is given with the set the authorising officer authorised, or not at all."""
    proposal = lock_current_proposal(case)
    if proposal is None or proposal.status != P.AUTHORISED:
        raise RuleViolation(
            "No set of conditions is authorised on this case: propose the conditions and send "
            "them for authorisation."
        )
    if not same_set(conditions, proposal.conditions):
        raise RuleViolation(
            "These conditions are not the ones authorised: give the caution with the "
            "authorised conditions, or propose the changed conditions for a fresh "
            "authorisation."
        )


def _create_conditions(case: Case, actor, conditions: list[ConditionSpec]) -> None:
    for spec in conditions:
        condition = Condition(
            case=case,
            condition_type=spec.condition_type,
            description=spec.description.strip(),
            due_date=spec.due_date,
            provider=spec.provider,
            amount=spec.amount if spec.condition_type.has_amount else None,
            amount_reason=spec.amount_reason.strip(),
            hours=spec.hours if spec.condition_type.has_hours else None,
        )
        condition._history_user = actor
        condition.save()


@transaction.atomic
def caution_administer(
    *,
    case: Case,
    actor,
    caution_date: dt.date,
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
    signed_at: dt.datetime | None = None,
    signed_place: str = "",
    expected_version=None,
) -> Case:
    """authorised -> active: the caution is given with its conditions; prosecution deferred.

    Enforces the five s.23 requirements, adults only on the caution date, at least one
    condition, due dates within the compliance period (16 weeks by default, up to 20 with a
    reason), the 20-hour punitive cap, the financial penalty cap, restrictive conditions only
    alongside another, providers, restorative justice consent, and the summary-only warning
    (each rule in cautions.rules). Sends case_changed: referrals follow the conditions."""
    case = _lock_case(case, expected_version, (S.AUTHORISED,), "give the caution")
    rules = RuleSettings.load()
    offence = case.offence
    weeks = compliance_period_weeks or rules.default_compliance_weeks
    reason = compliance_extension_reason.strip()
    # One rule at a time, in this order: the first broken one is the error shown.
    _refuse(
        caution_rules.s23_requirements(
            admitted=admitted,
            effect_explained=effect_explained,
            warned_of_prosecution=warned_of_prosecution,
            consented=consented,
            document_signed=document_signed,
        )
    )
    _refuse(
        caution_rules.caution_date_refusal(
            caution_date, today=_today(), offence_date=offence.offence_date
        )
    )
    if signed_at is None:
        # Signed after it was printed for signature: the time and place recorded then.
        signature = signature_for_giving(case)
        if signature is None:
            raise RuleViolation(
                "Print the caution document for signature and record that the person signed "
                "it, then give the caution."
            )
        signed_at, signed_place = signature.signed_at, signature.signed_place
    _refuse(_signing_refusal(signed_at, signed_place, caution_date))
    _refuse(caution_rules.adult_on_caution_date(case.person.date_of_birth, caution_date))
    _refuse(
        caution_rules.offence_age_on_caution_date(
            offence.offence_date, caution_date, max_months=rules.max_offence_age_months
        )
    )
    _refuse(
        caution_rules.compliance_period_refusal(
            weeks,
            extension_reason=reason,
            default_weeks=rules.default_compliance_weeks,
            max_weeks=rules.max_compliance_weeks,
        )
    )
    deadline = compliance_deadline(caution_date, weeks)
    _refuse_unauthorised_set(case, conditions)
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
    _create_conditions(case, actor, conditions)
    case.status = S.ACTIVE
    case.caution_date = caution_date
    case.administered_by = actor
    case.age_at_caution = age_on(case.person.date_of_birth, caution_date)
    case.compliance_period_weeks = weeks
    case.compliance_extension_reason = reason
    case.compliance_deadline = deadline
    case.prosecution_status = ProsecutionStatus.DEFERRED
    case.provider_report_is_compliance = provider_report_is_compliance
    # Home Office Counting Rules: the crime's outcome is the caution (3) once it is given.
    case.crime_outcome = CrimeOutcome.CAUTION
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
            "crime_outcome",
        ],
        from_status=S.AUTHORISED,
        reason=reason,
        data={
            "conditions": len(conditions),
            "compliance_deadline": deadline.isoformat(),
            "time_limit_warning": warning,
        },
    )
    _case_changed(case, actor)
    return case
