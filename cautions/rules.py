"""The legal limits and local rules of a conditional caution, as pure functions.

Like `cautions/eligibility.py`: no database, no Django models read or written; each rule takes
plain values (or a frozen dataclass of them) and returns a value, or a `Refusal` with a reason a
person can read. Services call these and turn a refusal into their `RuleViolation`; so do the
importers and the synthetic-data generator, so that one place decides each rule.

Sources: Criminal Justice Act 2003 s.22 (adults only), s.22(3B) and s.23A with the Criminal
Justice Act 2003 (Conditional Cautions: Financial Penalties) Order 2013 (SI 2013/615; the
penalty caps), the Code of Practice for Adult Conditional Cautions (20 hours of punitive
attendance; conditions complied with within 16 weeks, 20 with a reason; restrictive conditions
only alongside another), Magistrates' Courts Act 1980 s.127 (6 months to charge a summary-only
offence), and DOMAIN.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from hub.lib.dates import add_months, age_on, long_date

# Fixed by law, not settings (the database's constraints say the same).
ADULT_AGE = 18
PUNITIVE_HOURS_CAP = Decimal(20)
FINANCIAL_PENALTY_CAP = {
    "summary": Decimal(50),
    "either_way": Decimal(100),
    "indictable_only": Decimal(150),
}
SUMMARY_TIME_LIMIT_MONTHS = 6  # Magistrates' Courts Act 1980 s.127
STANDARD_MAX_WEEKS = 16  # above this the database requires a recorded reason
MAX_COMPLIANCE_WEEKS = 20

# Condition objects (hub.models.ConditionObject values).
RESTRICTIVE = "restrictive"
SERVED_BY_RESTRICTIVE = frozenset({"rehabilitation", "reparation"})


@dataclass(frozen=True)
class Refusal:
    """Why a rule refuses, in words for the user, and the input it concerns (the service's
    keyword, which its form field shares), if one."""

    reason: str
    field: str | None = None


# References the workflow gives: `CC-<year>-<case id>` (with `-<n>` if that one was taken), and
# the placeholder a case holds for a moment while it is created. Imported cases may not use
# them, so that an import can never take the reference of a case not yet started.
WORKFLOW_REFERENCE = re.compile(r"(CC-\d{4}-|new-)", re.IGNORECASE)


def is_workflow_reference(reference: str) -> bool:
    return WORKFLOW_REFERENCE.match(reference.strip()) is not None


def first_refusal(*refusals: Refusal | None) -> Refusal | None:
    """The first of the rules' answers that refuses (rules are checked in the order given)."""
    return next((refusal for refusal in refusals if refusal is not None), None)


# ---------------------------------------------------------------------------- dates


def retention_review_date(outcome_date: dt.date, *, years: int | None = None) -> dt.date:
    """When a closed case is next reviewed (MoPI; DOMAIN.md "Retention"): `RETENTION_YEARS`
    (default 6) calendar years after its outcome date."""
    years = settings.RETENTION_YEARS if years is None else years
    return add_months(outcome_date, 12 * years)


def compliance_deadline(caution_date: dt.date, weeks: int) -> dt.date:
    return caution_date + dt.timedelta(weeks=weeks)


def summary_time_limit(offence_date: dt.date) -> dt.date:
    """The last day a summary-only offence can be charged (MCA 1980 s.127: 6 months)."""
    return add_months(offence_date, SUMMARY_TIME_LIMIT_MONTHS)


def charge_by_date(*, mode_of_trial: str, offence_date: dt.date) -> dt.date | None:
    """The last day a prosecution could start (MCA 1980 s.127): for a summary-only offence, 6
    months from the offence date; None for either-way and indictable offences (no limit)."""
    if mode_of_trial != "summary":
        return None
    return summary_time_limit(offence_date)


def charge_by_state(charge_by: dt.date | None, *, today: dt.date, margin_days: int) -> str:
    """ "passed" after the charge-by date, "soon" within `margin_days` of it (the breach-decision
    margin: less time than deciding a breach needs), "" otherwise or when there is none."""
    if charge_by is None:
        return ""
    if today > charge_by:
        return "passed"
    if (charge_by - today).days <= margin_days:
        return "soon"
    return ""


def latest_offence_date_charge_by(day: dt.date) -> dt.date:
    """The latest offence date whose charge-by date falls on or before `day`: a summary-only
    offence committed on or before it must be charged by `day` at the latest. (Months are
    clamped, so 29, 30 and 31 August all run to 28 February; step over such days.)"""
    candidate = add_months(day, -SUMMARY_TIME_LIMIT_MONTHS)
    while summary_time_limit(candidate) > day:
        candidate -= dt.timedelta(days=1)
    while summary_time_limit(candidate + dt.timedelta(days=1)) <= day:
        candidate += dt.timedelta(days=1)
    return candidate


# ---------------------------------------------------------------------------- giving the caution


def s23_requirements(
    *,
    admitted: bool,
    effect_explained: bool,
    warned_of_prosecution: bool,
    consented: bool,
    document_signed: bool,
) -> Refusal | None:
    """CJA 2003 s.23 requirements 3 to 5 (with the admission): all five, or no caution."""
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
    if not missing:
        return None
    return Refusal(
        "A conditional caution can only be given when all five legal requirements are met. "
        "Missing: " + "; ".join(missing) + "."
    )


def caution_date_refusal(
    caution_date: dt.date, *, today: dt.date, offence_date: dt.date
) -> Refusal | None:
    """A caution is given on a day between the offence and today."""
    if caution_date > today:
        return Refusal("The caution date cannot be in the future", field="caution_date")
    if caution_date < offence_date:
        return Refusal("The caution date is before the offence date", field="caution_date")
    return None


def adult_on_caution_date(date_of_birth: dt.date | None, caution_date: dt.date) -> Refusal | None:
    """Adults only (CJA 2003 s.22): 18 or over on the day the caution is given."""
    if date_of_birth is None:
        return Refusal("The person's date of birth is not recorded.")
    age = age_on(date_of_birth, caution_date)
    if age < ADULT_AGE:
        return Refusal(
            f"The person is {age} on the caution date: conditional cautions are for adults only.",
            field="caution_date",
        )
    return None


def offence_age_on_caution_date(
    offence_date: dt.date, caution_date: dt.date, *, max_months: int
) -> Refusal | None:
    """The eligibility check's offence-age rule, checked again on the day the caution is given
    (an offence may pass the limit while the case waits for authorisation): a caution is given
    no more than `max_months` (the rule settings) after the offence."""
    limit = add_months(offence_date, max_months)
    if caution_date > limit:
        return Refusal(
            f"The offence was committed on {offence_date:%d/%m/%Y}: on the caution date it is "
            f"more than {max_months} months old (the limit passed on {limit:%d/%m/%Y}). "
            "An authorising officer can reopen the assessment if a caution is still right.",
            field="caution_date",
        )
    return None


def compliance_period_refusal(
    weeks: int, *, extension_reason: str, default_weeks: int, max_weeks: int
) -> Refusal | None:
    """At most `max_weeks` (the local setting, never over the legal 20); over the default (16
    at most) only with a recorded reason."""
    limit = min(max_weeks, MAX_COMPLIANCE_WEEKS)
    if weeks > limit:
        return Refusal(
            f"The compliance period can be at most {limit} weeks",
            field="compliance_period_weeks",
        )
    if weeks > min(default_weeks, STANDARD_MAX_WEEKS) and not extension_reason.strip():
        return Refusal(
            f"A compliance period over {default_weeks} weeks needs a recorded reason",
            field="compliance_extension_reason",
        )
    return None


def time_limit_warning(
    *,
    mode_of_trial: str,
    offence_date: dt.date,
    caution_date: dt.date,
    weeks: int,
    margin_days: int,
) -> str:
    """The summary-only warning (MCA 1980 s.127, design choice in DOMAIN.md): empty when the
    compliance deadline plus the breach-decision margin stays within 6 months of the offence."""
    if mode_of_trial != "summary":
        return ""
    limit = summary_time_limit(offence_date)
    deadline = compliance_deadline(caution_date, weeks)
    if deadline + dt.timedelta(days=margin_days) <= limit:
        return ""
    return (
        f"This is a summary-only offence: a prosecution must start by {long_date(limit)} "
        f"(6 months from the offence). The compliance deadline {long_date(deadline)} plus "
        f"{margin_days} days to decide a breach passes that date, so a "
        "late failure to comply could not be prosecuted. Consider a shorter compliance period."
    )


# ---------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class ConditionInput:
    """One condition as the rules see it: what its type allows and what was entered."""

    type_label: str
    object: str  # hub.models.ConditionObject value
    description: str = ""
    due_date: dt.date | None = None
    provider: str | None = None  # the provider's name, when one is chosen
    provider_usable: bool = True  # the provider is an active support provider
    amount: Decimal | None = None
    hours: Decimal | None = None
    retired: bool = False
    needs_provider: bool = False
    needs_victim_consent: bool = False
    has_amount: bool = False
    has_hours: bool = False
    counts_towards_hours_cap: bool = False
    capped_by_mode_of_trial: bool = False
    is_compensation: bool = False
    amount_reason: str = ""  # why a compensation amount is more than the loss


@dataclass(frozen=True)
class ConditionSetInput:
    """The conditions being set (or varied) and what they are checked against. `existing`:
    conditions already on the case that stay in force (for a variation)."""

    conditions: tuple[ConditionInput, ...]
    caution_date: dt.date
    deadline: dt.date
    mode_of_trial: str
    mode_of_trial_label: str
    victim_consents_to_restorative_justice: bool
    existing: tuple[ConditionInput, ...] = ()
    loss_value: Decimal | None = None  # the value of the loss or damage, when recorded


def financial_penalty_cap(mode_of_trial: str) -> Decimal:
    """SI 2013/615: £50 summary only, £100 either way, £150 indictable only."""
    return FINANCIAL_PENALTY_CAP[mode_of_trial]


def financial_penalty_refusal(amount: Decimal | None, mode_of_trial: str, mode_label: str):
    """The reason an amount is over its cap (None when within it); `mode_label` is the mode of
    trial in words ("Summary only")."""
    cap = financial_penalty_cap(mode_of_trial)
    if amount is not None and amount > cap:
        return (
            f"a financial penalty for an offence that is {mode_label.lower()} "
            f"can be at most £{cap}."
        )
    return None


def punitive_hours_refusal(hours: Iterable[Decimal | None]) -> Refusal | None:
    """Punitive attendance (unpaid work and the like) adds up to at most 20 hours."""
    total = sum((h or Decimal(0) for h in hours), Decimal(0))
    if total > PUNITIVE_HOURS_CAP:
        return Refusal(
            f"Punitive attendance adds up to {total:g} hours: the law allows at most 20 in total.",
            field="hours",
        )
    return None


def restrictive_alongside_refusal(objects: Iterable[str]) -> Refusal | None:
    """A restrictive condition serves rehabilitation or reparation: never on its own."""
    objects = set(objects)
    if RESTRICTIVE in objects and not objects & SERVED_BY_RESTRICTIVE:
        return Refusal(
            "A restrictive condition (no contact, stay out of an area) can only be set "
            "alongside a rehabilitative or reparative condition."
        )
    return None


# Each check of one condition returns what is wrong with it (after "Condition n (type): "),
# or None. Checked in this order; the first wrong one is reported.
ConditionCheck = Callable[[ConditionInput, ConditionSetInput], str | None]


def _not_retired(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    return "this condition type is retired and cannot be chosen." if c.retired else None


def _described(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    return None if c.description.strip() else "describe what the person must do."


def _due_not_before_caution(c: ConditionInput, s: ConditionSetInput) -> str | None:
    return "the due date is before the caution date." if c.due_date < s.caution_date else None


def _due_within_period(c: ConditionInput, s: ConditionSetInput) -> str | None:
    if c.due_date > s.deadline:
        return (
            f"the due date {long_date(c.due_date)} is after the end of the "
            f"compliance period ({long_date(s.deadline)})."
        )
    return None


def _provider_chosen(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    if c.needs_provider and c.provider is None:
        return "choose the support provider."
    return None


def _provider_usable(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    if c.provider is not None and not c.provider_usable:
        return f"{c.provider} is not an active support provider."
    return None


def _amount_entered(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    return "enter the amount in pounds." if c.has_amount and not c.amount else None


def _amount_positive(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    if c.amount is not None and c.amount <= 0:
        return "the amount must be more than £0."
    return None


def _hours_entered(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    return "enter the number of hours." if c.has_hours and not c.hours else None


def _hours_positive(c: ConditionInput, _s: ConditionSetInput) -> str | None:
    return "the hours must be more than 0." if c.hours is not None and c.hours <= 0 else None


def _within_penalty_cap(c: ConditionInput, s: ConditionSetInput) -> str | None:
    if not c.capped_by_mode_of_trial:
        return None
    return financial_penalty_refusal(c.amount, s.mode_of_trial, s.mode_of_trial_label)


def compensation_over_loss(amount: Decimal | None, loss_value: Decimal | None) -> bool:
    """A compensation amount above the recorded value of the loss or damage (equal is fine;
    no recorded value, nothing to compare)."""
    return amount is not None and loss_value is not None and amount > loss_value


def _compensation_in_proportion(c: ConditionInput, s: ConditionSetInput) -> str | None:
    over = c.is_compensation and compensation_over_loss(c.amount, s.loss_value)
    if over and not c.amount_reason.strip():
        return (
            f"£{c.amount:,.2f} is more than the value of the loss or damage "
            f"(£{s.loss_value:,.2f}): record the reason for the higher amount."
        )
    return None


def _victim_consents(c: ConditionInput, s: ConditionSetInput) -> str | None:
    if c.needs_victim_consent and not s.victim_consents_to_restorative_justice:
        return "restorative justice needs the victim's consent, which is not recorded."
    return None


CONDITION_CHECKS: tuple[ConditionCheck, ...] = (
    _not_retired,
    _described,
    _due_not_before_caution,
    _due_within_period,
    _provider_chosen,
    _provider_usable,
    _amount_entered,
    _amount_positive,
    _hours_entered,
    _hours_positive,
    _within_penalty_cap,
    _compensation_in_proportion,
    _victim_consents,
)


# The input each check concerns (a form with that field shows the error at it).
CHECK_FIELDS = {
    _described: "description",
    _due_not_before_caution: "due_date",
    _due_within_period: "due_date",
    _provider_chosen: "provider",
    _provider_usable: "provider",
    _amount_entered: "amount",
    _amount_positive: "amount",
    _hours_entered: "hours",
    _hours_positive: "hours",
    _within_penalty_cap: "amount",
    _compensation_in_proportion: "amount_reason",
}


def condition_refusal(n: int, c: ConditionInput, s: ConditionSetInput) -> Refusal | None:
    """The first thing wrong with condition number `n` of the set, named in the reason."""
    for check in CONDITION_CHECKS:
        reason = check(c, s)
        if reason:
            return Refusal(
                f"Condition {n} ({c.type_label}): {reason}", field=CHECK_FIELDS.get(check)
            )
    return None


def condition_set_refusal(s: ConditionSetInput) -> Refusal | None:
    """The limits on a set of conditions: at least one in force, each condition valid, the
    punitive hours cap over them all, restrictive conditions only alongside another."""
    if not s.conditions and not s.existing:
        return Refusal("Set at least one condition", field="conditions")
    for n, condition in enumerate(s.conditions, start=1):
        refusal = condition_refusal(n, condition, s)
        if refusal:
            return refusal
    in_force = s.conditions + s.existing
    return first_refusal(
        punitive_hours_refusal(c.hours for c in in_force if c.counts_towards_hours_cap),
        restrictive_alongside_refusal(c.object for c in in_force),
    )


# ---------------------------------------------------------------------------- breach


def charge_date_refusal(
    charge_date: dt.date | None,
    *,
    today: dt.date,
    caution_date: dt.date,
    mode_of_trial: str,
    offence_date: dt.date,
) -> Refusal | None:
    """A resumed prosecution's charge: between the caution and today, and for a summary-only
    offence within 6 months of it (MCA 1980 s.127)."""
    if charge_date is None:
        return Refusal("Enter the charge date", field="charge_date")
    if charge_date > today or charge_date < caution_date:
        return Refusal(
            "The charge date must be between the caution date and today", field="charge_date"
        )
    limit = summary_time_limit(offence_date)
    if mode_of_trial == "summary" and charge_date > limit:
        return Refusal(
            f"This summary-only offence could only be prosecuted until {long_date(limit)} "
            "(6 months from the offence). Choose no further action instead.",
            field="decision",
        )
    return None
