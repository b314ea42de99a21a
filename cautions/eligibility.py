"""The eligibility checklist: each rule gives its own result and a reason a person can read.

Rules are plain functions of an `EligibilityInput` (no database access), so they can be tested
one by one and their output stored as a snapshot. The overall result is the worst of the rule
results: any FAIL makes the case not eligible; otherwise any NEEDS_AUTHORITY makes it eligible
only with the recorded authority (prosecutor's reference or authorising officer's reason).

Sources: CJA 2003 s.22-23 and the DPP's guidance (age, admission, evidence, who decides),
the NPCC gravity matrix (design choice: 4 not eligible, 3 with the authoriser's reason), the
MoJ digital case file's "not suitable" reasons and Durham Checkpoint's exclusions (DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from hub.lib.dates import add_months, age_on, long_date

PASS = "pass"
FAIL = "fail"
NEEDS_AUTHORITY = "needs_authority"

RESULT_LABELS = {PASS: "Passes", FAIL: "Fails", NEEDS_AUTHORITY: "Needs authority"}


@dataclass(frozen=True)
class EligibilityInput:
    """Everything the rules look at, copied from the case and the officer's answers."""

    assessed_on: dt.date
    planned_caution_date: dt.date
    date_of_birth: dt.date | None
    offence_date: dt.date
    offence_category: str
    category_excluded: bool
    mode_of_trial: str
    gravity_score: int
    domestic_abuse: bool
    hate_crime: bool
    # The officer's answers.
    admitted: bool
    admission_method: str
    sufficient_evidence: bool
    public_interest: bool
    prosecutor_authority_ref: str = ""
    previous_history_count: int = 0
    current_court_order: bool = False
    co_accused: bool = False
    possible_defence: bool = False
    on_bail: bool = False
    liable_to_recall: bool = False
    poor_response_on_arrest: bool = False
    poor_response_to_previous: bool = False
    risk_not_reduced: bool = False
    # What the hub's own records show (cautions.history): previous cautions given through the
    # hub and imported proven offences in the last 2 years, and an active or recent conditional
    # caution ("active", "recent" or ""). None: not looked up (the officer's answer stands).
    recorded_history_count: int | None = None
    recent_caution: str = ""
    # Thresholds (RuleSettings.as_dict()).
    thresholds: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleResult:
    key: str
    label: str
    result: str
    reason: str

    @property
    def result_label(self) -> str:
        return RESULT_LABELS[self.result]


Rule = Callable[[EligibilityInput], RuleResult]


def rule_adult(i: EligibilityInput) -> RuleResult:
    label = "Aged 18 or over on the planned caution date"
    if i.date_of_birth is None:
        return RuleResult("adult", label, FAIL, "The person's date of birth is not recorded.")
    age = age_on(i.date_of_birth, i.planned_caution_date)
    when = f"{long_date(i.planned_caution_date)}"
    if age >= 18:
        return RuleResult("adult", label, PASS, f"Aged {age} on {when}.")
    return RuleResult(
        "adult",
        label,
        FAIL,
        f"Aged {age} on {when}: conditional cautions are for adults only (CJA 2003 s.22).",
    )


def rule_admitted(i: EligibilityInput) -> RuleResult:
    label = "Offence admitted"
    if i.admitted:
        how = {"interview": "in interview", "written": "in a written statement"}.get(
            i.admission_method, "other than in interview or writing"
        )
        return RuleResult("admitted", label, PASS, f"Admitted {how}.")
    return RuleResult(
        "admitted", label, FAIL, "The person has not admitted the offence (CJA 2003 s.23)."
    )


def rule_evidence(i: EligibilityInput) -> RuleResult:
    label = "Sufficient evidence to charge"
    if i.sufficient_evidence:
        return RuleResult("evidence", label, PASS, "There is sufficient evidence to charge.")
    return RuleResult(
        "evidence",
        label,
        FAIL,
        "There is not sufficient evidence to charge, so no caution can be given.",
    )


def rule_public_interest(i: EligibilityInput) -> RuleResult:
    label = "Public interest served by conditions"
    if i.public_interest:
        return RuleResult(
            "public_interest", label, PASS, "Conditions would serve the public interest."
        )
    return RuleResult(
        "public_interest",
        label,
        FAIL,
        "The public interest would not be served by a caution with conditions.",
    )


def rule_gravity(i: EligibilityInput) -> RuleResult:
    label = "Gravity score"
    if i.gravity_score >= 4:
        return RuleResult(
            "gravity", label, FAIL, f"Gravity score {i.gravity_score}: too serious for a caution."
        )
    if i.gravity_score == 3:
        return RuleResult(
            "gravity",
            label,
            NEEDS_AUTHORITY,
            "Gravity score 3: the authorising officer must record why a caution is right.",
        )
    return RuleResult("gravity", label, PASS, f"Gravity score {i.gravity_score}.")


def rule_excluded_category(i: EligibilityInput) -> RuleResult:
    label = "Offence type allowed"
    if i.category_excluded:
        return RuleResult(
            "excluded_category",
            label,
            FAIL,
            f"{i.offence_category} offences are excluded from conditional cautions.",
        )
    return RuleResult(
        "excluded_category", label, PASS, f"{i.offence_category} is not an excluded type."
    )


def _needs_prosecutor(i: EligibilityInput, key: str, label: str, applies: bool, what: str):
    if not applies:
        return RuleResult(key, label, PASS, f"Not {what}.")
    if i.prosecutor_authority_ref.strip():
        return RuleResult(
            key,
            label,
            PASS,
            f"{what.capitalize()}: prosecutor's authority {i.prosecutor_authority_ref.strip()}.",
        )
    return RuleResult(
        key,
        label,
        NEEDS_AUTHORITY,
        f"{what.capitalize()}: a prosecutor must authorise the caution. Record their authority "
        "reference before it is authorised.",
    )


def rule_domestic_abuse_or_hate(i: EligibilityInput) -> RuleResult:
    what = (
        "a domestic abuse and hate crime case"
        if i.domestic_abuse and i.hate_crime
        else "a domestic abuse case"
        if i.domestic_abuse
        else "a hate crime"
        if i.hate_crime
        else "a domestic abuse or hate crime case"
    )
    return _needs_prosecutor(
        i,
        "domestic_abuse_hate_crime",
        "Domestic abuse or hate crime",
        i.domestic_abuse or i.hate_crime,
        what,
    )


def rule_indictable_only(i: EligibilityInput) -> RuleResult:
    return _needs_prosecutor(
        i,
        "indictable_only",
        "Indictable-only offence",
        i.mode_of_trial == "indictable_only",
        "an indictable-only offence",
    )


def rule_offence_age(i: EligibilityInput) -> RuleResult:
    months = i.thresholds.get("max_offence_age_months", 3)
    label = f"Offence no more than {months} months old"
    limit = add_months(i.offence_date, months)
    if i.assessed_on <= limit:
        return RuleResult("offence_age", label, PASS, f"Committed on {long_date(i.offence_date)}.")
    return RuleResult(
        "offence_age",
        label,
        FAIL,
        f"Committed on {long_date(i.offence_date)}: more than {months} months ago.",
    )


def rule_previous_history(i: EligibilityInput) -> RuleResult:
    limit = i.thresholds.get("max_previous_history", 2)
    label = "Offending history"
    # Cross-checked: the larger of the officer's answer and what the hub's records show.
    n = max(i.previous_history_count, i.recorded_history_count or 0)
    recorded = ""
    if (
        i.recorded_history_count is not None
        and i.recorded_history_count != i.previous_history_count
    ):
        recorded = (
            f" The officer recorded {i.previous_history_count}; the hub's records show "
            f"{i.recorded_history_count}."
        )
    if n <= limit:
        return RuleResult(
            "previous_history",
            label,
            PASS,
            f"{n} previous convictions or cautions (limit {limit}).{recorded}",
        )
    return RuleResult(
        "previous_history",
        label,
        FAIL,
        f"{n} previous convictions or cautions: more than the limit of {limit}.{recorded}",
    )


def rule_recent_caution(i: EligibilityInput) -> RuleResult:
    """An active or recent conditional caution (the hub's records) does not rule another out,
    but the authorising officer must record why another is right."""
    label = "No active or recent conditional caution"
    if i.recent_caution == "active":
        return RuleResult(
            "recent_caution",
            label,
            NEEDS_AUTHORITY,
            "The person has a conditional caution in progress: the authorising officer must "
            "record why another caution is right.",
        )
    if i.recent_caution == "recent":
        return RuleResult(
            "recent_caution",
            label,
            NEEDS_AUTHORITY,
            "The person was given a conditional caution in the last 12 months: the authorising "
            "officer must record why another caution is right.",
        )
    return RuleResult(
        "recent_caution",
        label,
        PASS,
        "No conditional caution in progress or in the last 12 months.",
    )


# The officer's yes/no answers, each of which on its own rules a caution out (one flag rule
# each, below). The form asks them in this order; the services store them.
YES_NO_QUESTIONS = (
    "current_court_order",
    "co_accused",
    "possible_defence",
    "on_bail",
    "liable_to_recall",
    "poor_response_on_arrest",
    "poor_response_to_previous",
    "risk_not_reduced",
)


def _flag_rule(key: str, label: str, attr: str, fail_reason: str, pass_reason: str) -> Rule:
    def rule(i: EligibilityInput) -> RuleResult:
        if getattr(i, attr):
            return RuleResult(key, label, FAIL, fail_reason)
        return RuleResult(key, label, PASS, pass_reason)

    rule.__name__ = f"rule_{key}"
    return rule


rule_court_order = _flag_rule(
    "court_order",
    "Current court order",
    "current_court_order",
    "The person is subject to a current court order.",
    "No current court order.",
)
rule_co_accused = _flag_rule(
    "co_accused", "Co-accused", "co_accused", "The case has a co-accused.", "No co-accused."
)
rule_possible_defence = _flag_rule(
    "possible_defence",
    "Possible defence",
    "possible_defence",
    "A possible defence has been raised, so the admission is not clear.",
    "No defence raised.",
)
rule_on_bail = _flag_rule(
    "on_bail",
    "Committed while on bail",
    "on_bail",
    "The offence was committed while on bail.",
    "Not on bail at the time.",
)
rule_recall = _flag_rule(
    "recall",
    "Liable to resentence or recall",
    "liable_to_recall",
    "The person is liable to be resentenced or recalled to prison.",
    "Not liable to resentence or recall.",
)
rule_response_on_arrest = _flag_rule(
    "response_on_arrest",
    "Response on arrest",
    "poor_response_on_arrest",
    "The person's response on arrest makes a caution unsuitable.",
    "No concern about the response on arrest.",
)
rule_previous_response = _flag_rule(
    "previous_response",
    "Response to previous sentences or bail",
    "poor_response_to_previous",
    "The person has responded poorly to previous sentences or bail.",
    "No concern about previous sentences or bail.",
)
rule_risk = _flag_rule(
    "risk",
    "Risk reduced by conditions",
    "risk_not_reduced",
    "Conditions would not reduce the risk the person poses.",
    "Conditions can reduce the risk.",
)

RULES: list[Rule] = [
    rule_adult,
    rule_admitted,
    rule_evidence,
    rule_public_interest,
    rule_gravity,
    rule_excluded_category,
    rule_domestic_abuse_or_hate,
    rule_indictable_only,
    rule_offence_age,
    rule_previous_history,
    rule_recent_caution,
    rule_court_order,
    rule_co_accused,
    rule_possible_defence,
    rule_on_bail,
    rule_recall,
    rule_response_on_arrest,
    rule_previous_response,
    rule_risk,
]


# Each rule's key in words, for reports that count results by rule (the labels of a snapshot
# can carry its thresholds: "Offence no more than 3 months old").
RULE_TITLES = {
    "adult": "Aged 18 or over",
    "admitted": "Offence admitted",
    "evidence": "Sufficient evidence to charge",
    "public_interest": "Public interest served by conditions",
    "gravity": "Gravity score",
    "excluded_category": "Offence type allowed",
    "domestic_abuse_hate_crime": "Domestic abuse or hate crime",
    "indictable_only": "Indictable-only offence",
    "offence_age": "Offence age",
    "previous_history": "Offending history",
    "recent_caution": "No active or recent conditional caution",
    "court_order": "Current court order",
    "co_accused": "Co-accused",
    "possible_defence": "Possible defence",
    "on_bail": "Committed while on bail",
    "recall": "Liable to resentence or recall",
    "response_on_arrest": "Response on arrest",
    "previous_response": "Response to previous sentences or bail",
    "risk": "Risk reduced by conditions",
}


def overall(results: list[RuleResult]) -> str:
    outcomes = {r.result for r in results}
    if FAIL in outcomes:
        return "not_eligible"
    if NEEDS_AUTHORITY in outcomes:
        return "needs_authority"
    return "eligible"


def assess(i: EligibilityInput) -> dict:
    """Run every rule; return the snapshot stored with the assessment."""
    results = [rule(i) for rule in RULES]
    inputs = asdict(i)
    for key, value in inputs.items():
        if isinstance(value, dt.date):
            inputs[key] = value.isoformat()
    return {
        "result": overall(results),
        "rules": [asdict(r) for r in results],
        "inputs": inputs,
        "thresholds": dict(i.thresholds),
    }


def single_failed_rule(snapshot: dict) -> str:
    """The key of the one rule a "nearly eligible" assessment fails; "" when it fails none or
    more than one (reported to analysts as counts by rule)."""
    failed = [r["key"] for r in snapshot.get("rules", []) if r["result"] == FAIL]
    return failed[0] if len(failed) == 1 else ""


def failure_reasons(snapshot: dict) -> list[str]:
    return [r["reason"] for r in snapshot.get("rules", []) if r["result"] == FAIL]


def needs_authority_keys(snapshot: dict) -> set[str]:
    return {r["key"] for r in snapshot.get("rules", []) if r["result"] == NEEDS_AUTHORITY}
