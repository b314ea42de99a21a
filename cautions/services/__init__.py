"""Every write to a case: one function per transition (STYLE.md).

Each function runs in one transaction, locks the case row (`select_for_update`), refuses a
stale form (`expected_version`), checks the current state (`InvalidTransition` names it in
words an officer understands), saves only the fields it changes and appends a CaseEvent in the
same transaction. Condition-level functions lock the case first, then the condition, always in
that order, so two of them cannot deadlock. The legal limits are pure rules in
`cautions.rules`; a transition that changes a case's conditions in force, or closes it, sends
`cautions.signals.case_changed` in its transaction (referrals follow it).

Case.version goes up on every transition (forms on the case page carry it); Condition.version
goes up whenever that condition changes (the condition forms carry it).

One module per sub-domain, every public name re-exported here (`from cautions.services import
case_authorise` keeps working):

- `base`: the errors, locks, event rows, closing a case, the signal;
- `assessment`: starting and assessing a case, sending it for authorisation;
- `authorisation`: authorising or declining it, giving the caution;
- `conditions`: the limits on conditions, complied / ended;
- `variation`: a condition varied or added, the period extended, after the caution is given;
- `payments`: the payments ledger of a compensation or financial-penalty condition;
- `outcome`: breach recorded and decided, the court's outcome, withdrawal;
- `proposals`: the conditions proposed, sent back, and the authorising officer's rank;
- `signature`: the printed caution document signed;
- `sweep`: marking overdue conditions;
- `victims`: the victim told of the outcome or of a breach decision (Victims' Code).
"""

from cautions.rules import (
    FINANCIAL_PENALTY_CAP,
    PUNITIVE_HOURS_CAP,
    STANDARD_MAX_WEEKS,
    SUMMARY_TIME_LIMIT_MONTHS,
    compliance_deadline,
)
from cautions.services.assessment import (
    ANSWER_FIELDS,
    assessment_reopen,
    case_start,
    case_submit_for_authorisation,
    eligibility_assess,
    needs_record,
    victim_views_record,
)
from cautions.services.authorisation import (
    case_authorise,
    case_decline,
    caution_administer,
    time_limit_warning,
)
from cautions.services.base import (
    CONDITION_CHANGE_STATES,
    STALE_MESSAGE,
    STATUS_PHRASES,
    CautionError,
    InvalidTransition,
    NotAllowed,
    RuleViolation,
    S,
    StaleVersion,
    status_phrase,
)
from cautions.services.conditions import (
    ConditionSpec,
    condition_end,
    condition_mark_complied,
    validate_conditions,
)
from cautions.services.outcome import (
    breach_decide,
    breach_record,
    case_withdraw,
    condition_mark_not_complied,
    prosecution_record_court_outcome,
)
from cautions.services.payments import Balance, condition_balance, payment_record
from cautions.services.proposals import (
    case_send_back,
    conditions_propose,
    require_authorising_officer,
    same_set,
    spec_snapshot,
    specs_from_snapshot,
)
from cautions.services.signature import caution_signature_record
from cautions.services.sweep import conditions_sweep_overdue
from cautions.services.variation import (
    KEEP,
    case_extend_period,
    caution_document_version_signed,
    condition_add,
    condition_vary,
)
from cautions.services.victims import victim_informed_record

__all__ = [
    "ANSWER_FIELDS",
    "CONDITION_CHANGE_STATES",
    "FINANCIAL_PENALTY_CAP",
    "KEEP",
    "PUNITIVE_HOURS_CAP",
    "STALE_MESSAGE",
    "STANDARD_MAX_WEEKS",
    "STATUS_PHRASES",
    "SUMMARY_TIME_LIMIT_MONTHS",
    "Balance",
    "CautionError",
    "ConditionSpec",
    "InvalidTransition",
    "NotAllowed",
    "RuleViolation",
    "S",
    "StaleVersion",
    "assessment_reopen",
    "breach_decide",
    "breach_record",
    "case_authorise",
    "case_decline",
    "case_extend_period",
    "case_send_back",
    "case_start",
    "case_submit_for_authorisation",
    "case_withdraw",
    "caution_administer",
    "caution_document_version_signed",
    "caution_signature_record",
    "compliance_deadline",
    "condition_add",
    "condition_balance",
    "condition_end",
    "condition_mark_complied",
    "condition_mark_not_complied",
    "condition_vary",
    "conditions_propose",
    "conditions_sweep_overdue",
    "eligibility_assess",
    "needs_record",
    "payment_record",
    "prosecution_record_court_outcome",
    "require_authorising_officer",
    "same_set",
    "spec_snapshot",
    "specs_from_snapshot",
    "status_phrase",
    "time_limit_warning",
    "validate_conditions",
    "victim_informed_record",
    "victim_views_record",
]
